"""Retrieval: the platform's own texts cut into passages, ranked by Okapi BM25 (``rank-bm25``).

Passages come from three places, each with the path of the unit it belongs to (the scope):
- the directive library: each full text split at its articles ("Điều 12.") or sections ("III."),
  each passage prefixed with the directive's code and type, so "Nghị định 93 … công khai" finds
  the article on disclosure of that decree;
- the programmes: one passage per item (its number, title and text);
- the reports that arrived (submitted or approved): one passage per report, its figures with their
  labels and its narratives, prefixed with the unit's name and the period ("tháng 11/2026").

Tokens are the ``fold``-ed syllables (accents, tone placement, case and đ removed: "hoà" and "hòa"
are one token) and the pairs of neighbouring syllables (Vietnamese words are mostly two syllables:
"cong khai" weighs more than "cong" and "khai" apart). The index covers every unit's passages and is
kept per process; it is rebuilt when its signature changes (a save or delete of a directive, item,
programme or report bumps a shared counter; counts and the latest report change are checked too).
Scores are computed over the whole index, then only passages within the asker's scope are kept:
nothing of another unit's passage is ever returned.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from rank_bm25 import BM25Okapi

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold, nfc
from doanket.organizations.models import Unit, UnitKind
from doanket.programs.models import Directive, Item, Program
from doanket.reporting.models import ARRIVED, Indicator, IndicatorType, Report

# Question words and function words: they say nothing about which passage answers.
STOPWORDS = frozenset(
    """gi la ve cua nao the nhu co khong cho voi va cac nhung duoc trong mot nay do de thi ma o tai theo
    bao nhieu sao khi nhe a oi ai dau hay hoac tu den ra vao len xuong tren duoi can phai se da dang
    roi lam bang nhat moi tung rang vay""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_ARTICLE = re.compile(r"^(Điều\s+\d+[a-zđ]?)\.?\s*(.*)$")
_SECTION = re.compile(r"^([IVXLC]+)\.\s+(.*)$")
VERSION_KEY = "assistant:index-version"
logger = logging.getLogger(__name__)


def words(text: str) -> list[str]:
    """The folded syllables of ``text``, function words left out."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


def tokens(text: str) -> list[str]:
    """Syllables and pairs of neighbouring syllables (over the folded text, function words kept
    for the pairs so "quy dinh ve cong khai" pairs "cong khai", not "dinh cong")."""
    all_words = _WORD.findall(fold(text))
    pairs = [f"{a}_{b}" for a, b in itertools.pairwise(all_words) if a not in STOPWORDS and b not in STOPWORDS]
    return [w for w in all_words if w not in STOPWORDS] + pairs


@dataclass(frozen=True)
class Passage:
    key: str  # stable across databases: what the evaluation names ("directive:93/2021/NĐ-CP#Điều 12")
    kind: str  # directive, item, report
    title: str  # the source as shown: "Nghị định 93/2021/NĐ-CP, Điều 12. Công khai thông tin"
    text: str
    url: str
    path: str  # the unit whose record it is
    upward: bool  # also read by the units below (an upper unit's library and programmes)
    perm: Perm


# --- Cutting the sources into passages ----------------------------------------------------------


def split_articles(full_text: str) -> list[tuple[str, str, str]]:
    """(label, heading, body) of each article or section of a directive's full text; the text
    before the first one is the preamble ("" label). A text without articles is cut into paragraphs."""
    parts: list[tuple[str, str, list[str]]] = [("", "", [])]
    for raw in full_text.splitlines():
        line = nfc(raw)
        if not line:
            continue
        found = _ARTICLE.match(line) or _SECTION.match(line)
        if found:
            parts.append((found.group(1), found.group(2), []))
        else:
            parts[-1][2].append(line)
    if len(parts) == 1:
        paragraphs = [nfc(p) for p in re.split(r"\n\s*\n", full_text) if nfc(p)]
        return [(f"đoạn {i}", "", p) for i, p in enumerate(paragraphs, 1)]
    return [(label, heading, " ".join(body)) for label, heading, body in parts if heading or body]


def _directive_passages() -> list[Passage]:
    from doanket.programs.library import type_label

    found: list[Passage] = []
    for d in Directive.objects.exclude(full_text="").select_related("unit").order_by("pk"):
        name = f"{type_label(d.type)} {d.code}".strip() if d.type else d.code
        url = reverse("library:detail", args=[d.pk])
        for label, heading, body in split_articles(d.full_text):
            title = f"{name}, {label}. {heading}".strip() if label else f"{name}: {heading or d.title}".strip()
            found.append(
                Passage(
                    key=f"directive:{d.code}#{label}",
                    kind="directive",
                    title=title.rstrip(".: "),
                    text=body or heading,
                    url=url,
                    path=d.unit.path or "",
                    upward=True,
                    perm=Perm.VIEW_PROGRAM,
                )
            )
    return found


def _program_ident(program: Program) -> str:
    return program.unit.official_code or f"u{program.unit_id}"


def _item_passages() -> list[Passage]:
    found: list[Passage] = []
    numbers: dict[int, str] = {}  # item pk → its numbers from the top ("III/3/3.2"): "1" repeats in a programme
    items = Item.objects.select_related("program__unit").order_by("program_id", "position")
    for item in items:
        program = item.program
        own = item.number or str(item.position)
        numbers[item.pk] = f"{numbers[item.parent_id]}/{own}" if item.parent_id in numbers else own
        label = f"{item.number}. " if item.number and item.number not in "-+•" else ""
        found.append(
            Passage(
                key=f"item:{_program_ident(program)}/{program.year or ''}/{numbers[item.pk]}",
                kind="item",
                title=f"{program.title} — {label}{item.title[:160]}",
                text=nfc(f"{item.title} {item.text}"),
                url=reverse("programs:item", args=[item.pk]),
                path=program.unit.path or "",
                upward=True,
                perm=Perm.VIEW_PROGRAM,
            )
        )
    return found


def _report_passages() -> list[Passage]:
    labels: dict[int, dict[str, tuple[str, str]]] = {}
    for version_id, code, label, type_ in Indicator.objects.values_list("version_id", "code", "label", "type"):
        labels.setdefault(version_id, {})[code] = (label, type_)
    found: list[Passage] = []
    rows = (
        Report.objects.filter(status__in=ARRIVED)
        .select_related("unit", "schedule")
        .only(
            "pk", "period", "values", "version_id", "unit__name", "unit__path", "unit__official_code", "schedule__name"
        )
        .order_by("pk")
    )
    for report in rows:
        parts: list[str] = []
        for code, value in (report.values or {}).items():
            label, type_ = labels.get(report.version_id, {}).get(code, (code, ""))
            if value in (None, "") or type_ == IndicatorType.BOOLEAN:
                continue
            parts.append(f"{label}: {value}.")
        period = plain_period(report.period)
        unit = report.unit
        found.append(
            Passage(
                key=f"report:{unit.official_code or unit.pk}/{report.period}",
                kind="report",
                title=f"{report.schedule.name} — {unit.name}, {period}",
                text=nfc(" ".join(parts)),
                url=reverse("reporting:report", args=[report.pk]),
                path=unit.path or "",
                upward=False,
                perm=Perm.VIEW_REPORT,
            )
        )
    return found


def plain_period(key: str) -> str:
    """A period as an officer names it in a question: "2026-Q3" → "quý 3 năm 2026"."""
    if found := re.fullmatch(r"(\d{4})-Q(\d)", key):
        return f"quý {found.group(2)} năm {found.group(1)}"
    if found := re.fullmatch(r"(\d{4})-(\d\d)", key):
        return f"tháng {int(found.group(2))} năm {found.group(1)}"
    if found := re.fullmatch(r"(\d{4})-H(\d)", key):
        return f"{'6 tháng đầu' if found.group(2) == '1' else '6 tháng cuối'} năm {found.group(1)}"
    if re.fullmatch(r"\d{4}", key):
        return f"năm {key}"
    return key


def _indexed_text(p: Passage) -> str:
    """What BM25 sees: the source's title (code, type, unit, period, item number) and its text."""
    return f"{p.title} {p.text}"


# --- The index, kept per process ----------------------------------------------------------------


@dataclass
class Index:
    signature: tuple[Any, ...]
    passages: list[Passage]
    bm25: BM25Okapi | None
    places: frozenset[str] = frozenset()  # folded names of the committees ("sa pa", "pung luong")
    token_sets: list[frozenset[str]] = field(default_factory=list)


_lock = threading.Lock()
_index: Index | None = None


def signature() -> tuple[Any, ...]:
    """Changes when any indexed source changes (3 small queries and the cache's counter)."""
    directives = Directive.objects.exclude(full_text="").aggregate(n=Count("pk"), top=Max("pk"))
    items = Item.objects.aggregate(n=Count("pk"), top=Max("pk"))
    reports = Report.objects.filter(status__in=ARRIVED).aggregate(
        n=Count("pk"), latest=Max("updated_at"), top=Max("pk")
    )
    try:
        version = cache.get(VERSION_KEY, 0)
    except Exception:  # no shared counter: the counts and latest ids below still see most changes
        logger.warning("assistant index version unreadable (cache unavailable)", exc_info=True)
        version = None
    return (
        version,
        directives["top"],
        directives["n"],
        items["top"],
        items["n"],
        reports["n"],
        reports["latest"],
        reports["top"],
    )


def build() -> Index:
    passages = _directive_passages() + _item_passages() + _report_passages()
    corpus = [tokens(_indexed_text(p)) for p in passages]
    places = frozenset(
        place_name(name) for name in Unit.objects.filter(kind=UnitKind.COMMITTEE).values_list("name", flat=True)
    )
    return Index(
        signature=(),
        passages=passages,
        bm25=BM25Okapi(corpus) if corpus else None,
        places=places,
        token_sets=[frozenset(c) for c in corpus],
    )


_COMMITTEE = re.compile(
    r"^(uy ban mttq|uy ban mat tran to quoc)( viet nam)?( (tinh|thanh pho|xa|phuong|thi tran|dac khu))? "
)
# Names that are also common words of the Front's work ("xã Đoàn Kết"): never read as a place.
_NOT_PLACES = ("dai doan ket",)


def place_name(unit_name: str) -> str:
    """ "Ủy ban MTTQ xã Púng Luông" → "pung luong"."""
    return _COMMITTEE.sub("", " ".join(_WORD.findall(fold(unit_name))) + " ").strip()


def content_words(question: str, places: frozenset[str]) -> set[str]:
    """The question's words without the names of places in it: "thời tiết ở Sa Pa" asks about
    the weather, and a report of Sa Pa holding "Sa Pa" does not answer it."""
    folded = f" {' '.join(_WORD.findall(fold(question)))} "
    for phrase in _NOT_PLACES:
        folded = folded.replace(f" {phrase} ", " ")
    named = {w for name in places if name and f" {name} " in folded for w in name.split()}
    return set(words(question)) - named


def current() -> Index:
    """The index for the data as it is now: the kept one, or a new one when anything changed."""
    global _index
    sig = signature()
    with _lock:
        if _index is None or _index.signature != sig:
            fresh = build()
            fresh.signature = sig
            _index = fresh
        return _index


def bump(**_kwargs: Any) -> None:
    """A source changed: every process rebuilds its index at its next question."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, None)
    except Exception:  # a cache outage must not fail the save that called us; counts still change
        logger.warning("assistant index version not bumped (cache unavailable)", exc_info=True)


def connect_signals() -> None:
    for model in (Directive, Item, Program, Report):
        post_save.connect(bump, sender=model, dispatch_uid=f"assistant-index-{model.__name__}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"assistant-index-{model.__name__}-delete")


# --- Searching ----------------------------------------------------------------------------------


def visible(user: Any, passage: Passage, scopes: dict[Perm, list[str] | None]) -> bool:
    """Whether ``user`` may read ``passage``: its unit is in their scope for its permission, or,
    for an upper unit's library and programmes, above it."""
    if passage.perm not in scopes:
        scopes[passage.perm] = authz.scope_paths(user, passage.perm)
    paths = scopes[passage.perm]
    if paths is None:
        return True
    if any(passage.path.startswith(p) for p in paths):
        return True
    return passage.upward and any(p.startswith(passage.path) for p in paths)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float
    coverage: float  # share of the question's words (place names aside) found in the passage
    pairs: bool  # a pair of neighbouring words of the question is in the passage (or it has none)


def search(user: Any, question: str, limit: int = 5) -> list[Hit]:
    """The best passages within ``user``'s scope, best first. Empty when nothing matches."""
    index = current()
    query = tokens(question)
    asked = content_words(question, index.places)
    numbers = {w for w in asked if w.isdigit()}
    asked_pairs = {t for t in query if "_" in t and all(w in asked for w in t.split("_"))}
    if index.bm25 is None or not query or not asked:
        return []
    scores = index.bm25.get_scores(query)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    scopes: dict[Perm, list[str] | None] = {}
    hits: list[Hit] = []
    # Ranked by score; a passage with no word of the question is never a hit. (BM25's idf turns
    # negative for a word in most passages of a small corpus, so a score ≤ 0 is not "no match".)
    for i in order:
        if len(hits) >= limit:
            break
        have = index.token_sets[i]
        if not asked & have:
            continue
        passage = index.passages[i]
        if not visible(user, passage, scopes):
            continue
        if not numbers <= have:  # a number in a question names something ("Nghị định 93", "quý 2")
            continue
        pairs = not asked_pairs or bool(asked_pairs & have)
        hits.append(Hit(passage, float(scores[i]), len(asked & have) / len(asked), pairs))
    return hits
