"""The common questions about the platform's own data, recognised by simple rules on the folded
question and answered by counting rows in the database, within the asker's scope — never guessed.

Each intent has a name (its source key in the evaluation is ``intent:<name>``), a test on the folded
question, and an answer function that returns statements with links to the records counted.
A place named in the question ("ở Lào Cai", "xã Púng Luông") narrows the count to that unit and
the units below it, but only when it is within the asker's scope; outside it the intent answers
nothing, exactly as if the place had no data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold, grouped
from doanket.funds.models import House
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.petitions.models import OPEN_STATUSES, Petition
from doanket.petitions.models import Status as PetitionStatus
from doanket.programs.models import Assignment
from doanket.programs.models import Status as TaskStatus
from doanket.reporting.models import ARRIVED, Report

MAX_LINKS = 12


@dataclass
class Statement:
    text: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass
class Computed:
    intent: str
    statements: list[Statement]


class OutOfScope(Exception):
    """The question names a place the asker may not see: nothing is answered about it."""


# --- Reading the question -----------------------------------------------------------------------

_DIVISION_WORDS = ("tinh", "thanh pho", "xa", "phuong", "thi tran", "dac khu", "huyen", "quan", "thi xa")


def _core_name(unit_name: str) -> tuple[str, str]:
    """("xa pung luong", "pung luong") for "Ủy ban MTTQ xã Púng Luông"."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(unit_name)))
    folded = re.sub(r"^(uy ban mttq( viet nam)?|uy ban mat tran to quoc( viet nam)?)\s+", "", folded)
    for word in _DIVISION_WORDS:
        if folded.startswith(word + " "):
            return folded, folded[len(word) + 1 :]
    return folded, folded


def place(question: str, user: Any, perm: Perm) -> Unit | None:
    """The committee the question names, if any. Raises ``OutOfScope`` when it names only places
    outside the asker's scope. With a division word ("xã …", "tỉnh …") that unit; without, the
    highest unit of that name ("Lào Cai" is the province, not the ward Lào Cai)."""
    q = f" {' '.join(re.findall(r'[a-z0-9]+', fold(question)))} ".replace(" dai doan ket ", " ")  # not "xã Đoàn Kết"
    best: tuple[int, int, Unit] | None = None
    found_outside = False
    committees = Unit.objects.filter(kind=UnitKind.COMMITTEE, level__in=[Level.PROVINCE, Level.COMMUNE]).only(
        "pk", "name", "path", "level", "depth"
    )
    for unit in committees:
        full, core = _core_name(unit.name)
        if f" {full} " in q:
            rank = (2, -unit.depth)
        elif core and f" {core} " in q:
            rank = (1, -unit.depth)
        else:
            continue
        if not authz.can_path(user, perm, unit.path or ""):
            found_outside = True
            continue
        if best is None or rank > best[:2]:
            best = (*rank, unit)
    if best is None and found_outside:
        raise OutOfScope
    return best[2] if best else None


def year_of(folded: str, today: dt.date) -> int:
    if found := re.search(r"\bnam (20\d\d)\b", folded):
        return int(found.group(1))
    if re.search(r"\bnam (ngoai|truoc)\b", folded):
        return today.year - 1
    return today.year


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def period_of(folded: str, today: dt.date) -> str | None:
    """The reporting period the question names: "quý 3" → "2026-Q3", "tháng 11/2025" → "2025-11"."""
    year = year_of(folded, today)
    if found := re.search(r"\bquy (\d|iv|iii|ii|i)\b(?:\s*(?:nam|/)\s*(20\d\d))?", folded):
        number = int(found.group(1)) if found.group(1).isdigit() else _ROMAN[found.group(1)]
        return f"{found.group(2) or year}-Q{number}"
    if found := re.search(r"\bthang (\d{1,2})\b(?:\s*(?:nam|/)\s*(20\d\d))?", folded):
        return f"{found.group(2) or year}-{int(found.group(1)):02d}"
    if found := re.search(r"\bnam (20\d\d)\b", folded):
        return found.group(1)
    return None


def _within(unit: Unit | None) -> dict[str, Any]:
    return {"unit__path__startswith": unit.path} if unit is not None and unit.path else {}


def _where(unit: Unit | None) -> str:
    return _(" in %(unit)s") % {"unit": unit.name} if unit is not None else ""


# --- The intents ----------------------------------------------------------------------------------


def reports_missing(user: Any, question: str, today: dt.date) -> Computed:
    folded = fold(question)
    unit = place(question, user, Perm.VIEW_REPORT)
    rows = authz.scoped(Report.objects.all(), user, Perm.VIEW_REPORT, "unit__path").filter(**_within(unit))
    period = period_of(folded, today)
    if period is None:  # the latest period already due
        period = rows.filter(due_date__lt=today).order_by("-due_date").values_list("period", flat=True).first()
    missing = (
        rows.filter(period=period)
        .exclude(status__in=ARRIVED)
        .select_related("unit", "schedule")
        .order_by("schedule__name", "unit__name")
    )
    count = missing.count()
    expected = rows.filter(period=period).count()
    if not expected:
        return Computed("reports_missing", [])
    listed = list(missing[:MAX_LINKS])
    text = _("Period %(period)s%(where)s: %(count)s/%(expected)s reports not submitted.") % {
        "period": period, "where": _where(unit), "count": count, "expected": expected,
    }  # fmt: skip
    links = [(f"{r.unit.name} — {r.schedule.name}", reverse("reporting:report", args=[r.pk])) for r in listed]
    if count > len(listed):
        text += _(" The list below shows the first %(n)s units.") % {"n": len(listed)}
    links.append((_("Report inbox, period %(period)s") % {"period": period}, reverse("reporting:inbox")))
    return Computed("reports_missing", [Statement(text, links)])


def houses(user: Any, question: str, today: dt.date) -> Computed:
    folded = fold(question)
    unit = place(question, user, Perm.VIEW_FUND)
    year = year_of(folded, today)
    rows = authz.scoped(House.objects.all(), user, Perm.VIEW_FUND, "unit__path").filter(**_within(unit))
    handed = rows.filter(handed_over_on__year=year).select_related("unit").order_by("handed_over_on", "pk")
    started = rows.filter(started_on__year=year).count()
    building = rows.filter(stage="building").count()
    count = handed.count()
    text = _(
        "Year %(year)s%(where)s: %(count)s Great Solidarity houses finished and handed over; "
        "%(started)s started in the year; %(building)s being built."
    ) % {"year": year, "where": _where(unit), "count": count, "started": started, "building": building}
    overview = reverse("funds:houses") + (f"?{urlencode({'unit': unit.pk})}" if unit is not None else "")
    links = [(_("Great Solidarity houses by commune"), overview)]
    links += [
        (
            _("House of decision %(number)s — %(unit)s") % {"number": h.decision_number, "unit": h.unit.name},
            reverse("funds:house", args=[h.pk]),
        )
        for h in handed[:MAX_LINKS]
    ]
    return Computed("houses", [Statement(text, links)])


_PETITION_WORDS = {
    PetitionStatus.RECEIVED: pgettext_lazy("petitions counted", "newly received"),
    PetitionStatus.IN_PROGRESS: pgettext_lazy("petitions counted", "being handled"),
    PetitionStatus.FORWARDED: pgettext_lazy("petitions counted", "forwarded to the competent agency"),
    PetitionStatus.ANSWERED: pgettext_lazy("petitions counted", "answered"),
    PetitionStatus.MERGED: pgettext_lazy("petitions counted", "merged"),
}


def petitions(user: Any, question: str, today: dt.date) -> Computed:
    unit = place(question, user, Perm.VIEW_PETITION)
    rows = authz.scoped(Petition.objects.all(), user, Perm.VIEW_PETITION, "unit__path").filter(**_within(unit))
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue = rows.filter(status__in=OPEN_STATUSES, due_date__lt=today).count()
    total = sum(counts.values())
    parts = [f"{grouped(counts.get(s, 0))} {label}" for s, label in _PETITION_WORDS.items()]
    text = _("%(total)s petitions and opinions%(where)s: %(parts)s; %(overdue)s past the deadline to answer.") % {
        "total": grouped(total), "where": _where(unit), "parts": ", ".join(parts), "overdue": grouped(overdue),
    }  # fmt: skip
    inbox = reverse("petitions:inbox")
    links = [(_("Petitions overdue"), f"{inbox}?status=overdue"), (_("Petitions open"), f"{inbox}?status=open")]
    links += [
        (_("Petitions %(state)s") % {"state": label}, f"{inbox}?status={s}")
        for s, label in _PETITION_WORDS.items()
        if counts.get(s)
    ]
    return Computed("petitions", [Statement(text, links)])


def tasks_overdue(user: Any, question: str, today: dt.date) -> Computed:
    unit = place(question, user, Perm.VIEW_PROGRAM)
    rows = (
        authz.scoped(Assignment.objects.all(), user, Perm.VIEW_PROGRAM, "unit__path")
        .filter(**_within(unit))
        .exclude(status=TaskStatus.DONE)
        .filter(due_date__lt=today)
        .select_related("unit", "item")
        .order_by("due_date", "pk")
    )
    count = rows.count()
    text = _("%(count)s overdue tasks not finished%(where)s (as of %(date)s).") % {
        "count": count, "where": _where(unit), "date": f"{today:%d/%m/%Y}",
    }  # fmt: skip
    links = [
        (
            _("%(number)s %(title)s — %(unit)s, due %(date)s")
            % {
                "number": a.item.number,
                "title": a.item.title[:80],
                "unit": a.unit.name,
                "date": f"{a.due_date:%d/%m/%Y}",
            },
            reverse("programs:item", args=[a.item_id]),
        )
        for a in rows[:MAX_LINKS]
        if a.due_date
    ]
    return Computed("tasks_overdue", [Statement(text, links)])


Rule = tuple[str, Callable[[str], bool], Callable[[Any, str, dt.date], Computed]]


def _has(folded: str, *phrases: str) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", folded) for p in phrases)


_LATE = ("qua han", "tre han", "cham tien do", "tre tien do", "cham tre", "bi cham", "bi tre", "dang cham", "dang tre")

RULES: list[Rule] = [
    (
        "reports_missing",
        lambda q: (
            _has(q, "bao cao")
            and _has(
                q, "chua nop", "chua gui", "chua bao cao", "chua co bao cao", "con thieu", "chua hoan thanh bao cao"
            )
        ),
        reports_missing,
    ),
    (
        "houses",
        lambda q: (
            _has(q, "nha dai doan ket", "nha ddk") and _has(q, "bao nhieu", "so luong", "may", "so nha", "tong so")
        ),
        houses,
    ),
    (
        "petitions",
        lambda q: (
            _has(q.replace("don vi", " "), "don thu", "don", "kien nghi", "phan anh")  # "đơn vị" is a unit
            and _has(q, "bao nhieu", "so luong", "may", "tong so", "thong ke")
            and not _has(q, "quy dinh", "nghi dinh", "thoi han", "trong vong")
        ),
        petitions,
    ),
    (
        # "trễ" alone is also "trẻ" (young) once folded: only the phrases that say late.
        "tasks_overdue",
        lambda q: _has(q, "nhiem vu", "cong viec", "viec") and _has(q, *_LATE),
        tasks_overdue,
    ),
]


def recognise(question: str) -> Rule | None:
    folded = fold(question)
    return next((rule for rule in RULES if rule[1](folded)), None)


def answer(user: Any, question: str, today: dt.date | None = None) -> Computed | None:
    """The computed answer, or None when no rule matches. Raises ``OutOfScope``."""
    rule = recognise(question)
    if rule is None:
        return None
    return rule[2](user, question, today or timezone.localdate())
