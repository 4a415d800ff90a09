"""The public side of the funds: each campaign's published entries, searchable by anyone, and the
log behind them — checkpoint, tiles, proofs, open data — for anyone to check without trusting us.

No login and nothing personal: the entries hold only what ``funds.ledger.published_fields`` lets
out. Everything here is a GET of data that only grows, so it is cacheable: tiles and entry bundles
never change (``immutable``), pages and the checkpoint for a minute. A reverse proxy or a CDN in
front takes a national surge.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from typing import Any, TypeVar

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from doanket.core.paging import CAP, CappedPaginator
from doanket.core.text import grouped
from doanket.funds import keys, ledger, merkle
from doanket.funds.models import Campaign, LedgerCheckpoint, LedgerEntry

PAGE = 50
PAGE_SECONDS = 60  # pages, checkpoint and proofs: at most a minute behind
FOREVER = 365 * 24 * 3600  # tiles and full entry bundles never change


R = TypeVar("R", bound=HttpResponseBase)


def _cached(response: R, seconds: int = PAGE_SECONDS, immutable: bool = False) -> R:
    """Public and cacheable; a page varies with the language chosen (header or cookie)."""
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    if immutable:
        patch_cache_control(response, public=True, max_age=seconds, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=seconds)
    return response


def public_campaign(pk: int) -> Campaign:
    """A campaign that has published something (its totals, kept as entries are appended, say so)."""
    published = Q(published_count__gt=0) | Q(published_allocated__gt=0)
    return get_object_or_404(Campaign.objects.select_related("unit").filter(published), pk=pk)


def _cap(number: str | None) -> int:
    """How many matches a search reads: up to the end of the page asked for, and one more to know
    whether a next page exists. A donor looks at the first page; a name matching thousands of
    entries must not cost thousands, and the page says to narrow the search instead."""
    wanted = int(number) if number and number.isdigit() and int(number) > 0 else 1
    return min(CAP, PAGE * wanted)


def published_campaigns() -> QuerySet[Campaign]:
    """The campaigns with published entries, with their count (the portal's list and the API's)."""
    return (
        Campaign.objects.filter(Exists(LedgerEntry.objects.filter(campaign=OuterRef("pk"))))
        .select_related("unit")
        .annotate(entries_count=Count("entries"))
    )


@require_GET
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = published_campaigns().order_by("-starts_on", "pk")
    return _cached(render(request, "portal/funds.html", {"campaigns": rows[:200], "cacheable": True}))


_AMOUNT = re.compile(r"^[0-9][0-9 .,]*$")


def amount_of(text: str) -> int | None:
    """ "500.000", "500,000", "500 000" or "500000" đồng."""
    text = text.strip().removesuffix("đ").removesuffix("đồng").strip()
    if not text:
        return None
    if not _AMOUNT.match(text):
        raise ValueError
    return int(re.sub(r"[ .,]", "", text))


def date_of(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, shape).date()
        except ValueError:
            continue
    raise ValueError


@require_GET
@cache_page(PAGE_SECONDS, cache="pages", key_prefix="ledger")
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's totals and every standing entry, searched by name or words (accents ignored),
    amount and dates; each entry can be checked against the signed checkpoint in the browser.

    Kept in the cache for a minute per address (and language): in a surge most people search the
    same few names and amounts, and a repeated search costs a cache read, not a query and a page."""
    chosen = public_campaign(pk)
    errors = []
    criteria: dict[str, Any] = {"words": request.GET.get("q", "")[:200]}
    try:
        criteria["amount"] = amount_of(request.GET.get("amount", ""))
    except ValueError:
        errors.append(_("The amount must be a number of đồng, such as 500.000."))
    for name, label in (("date_from", _("from")), ("date_to", _("until"))):
        try:
            criteria[name] = date_of(request.GET.get(name, ""))
        except ValueError:
            errors.append(_("The date “%(label)s” must read dd/mm/yyyy.") % {"label": label})
    page = search_entries(chosen, criteria, request.GET.get("page"))
    totals = ledger.Totals(
        chosen.published_amount, chosen.published_count, chosen.published_allocated, chosen.published_disbursed
    )
    context = {
        "campaign": chosen,
        "totals": totals,
        # Called by the template only when its cached fragment is missing.
        "spending": (lambda: ledger.spending(chosen)) if totals.allocated else None,
        "page": page,
        "rows": _rows(list(page)),
        "errors": errors,
        "searched": any(criteria.values()),
        "checkpoint": ledger.latest_checkpoint(),
        "verifiers": keys.verifiers(),
        "origin": keys.origin(),
        "cacheable": True,
    }
    return _cached(render(request, "portal/fund.html", context))


def search_entries(chosen: Campaign, criteria: dict[str, Any], number: str | None) -> Page:
    """The page ``number`` of the standing entries matching ``criteria`` (words, amount, dates):
    whole words first, parts of words when no whole word matched (the page and the API)."""
    cap = _cap(number)
    page = _page(ledger.search(chosen, **criteria), number, cap)
    if not page.object_list and criteria["words"].strip():
        page = _page(ledger.search(chosen, substring=True, **criteria), number, cap)
    return page


SHOWN = ("index", "date", "amount", "donor", "description", "data", "corrects_id")


def _page(matches: QuerySet[LedgerEntry], number: str | None, cap: int) -> Page:
    """The page of matches asked for, read in one query with what the rows show (the search's
    order comes from an index, so the first page reads 51 rows, not every match)."""
    rows = list(matches.values_list(*SHOWN, named=True)[: cap + 1])
    return CappedPaginator(rows, PAGE, cap).get_page(number)


def _rows(entries: list[Any]) -> SafeString:
    """The table's rows, written here rather than by the template language: fifty rows of six
    cells cost a tenth of a millisecond this way, several milliseconds through template tags — on
    the page a surge hits. Every value is escaped; ``data-entry`` is the exact published text the
    browser hashes."""
    anonymous, check, corrects = escape(_("Anonymous")), escape(_("Check")), _("corrects #%(n)s")
    out = []
    for e in entries:
        tag = ""
        if e.corrects_id is not None:
            tag = f' <span class="tag">{escape(corrects % {"n": e.corrects_id})}</span>'
        out.append(
            f'<tr data-index="{e.index}" data-entry="{escape(e.data)}"><td>{e.index}{tag}</td>'
            f'<td>{e.date:%d/%m/%Y}</td><td class="num">{grouped(e.amount)}</td>'
            f"<td>{escape(e.donor) if e.donor else anonymous}</td><td>{escape(e.description)}</td>"
            f'<td><button type="button" data-check>{check}</button> <span data-result role="status"></span></td></tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


# --- Open data ------------------------------------------------------------------------------------

OPEN_COLUMNS = [
    "index",
    "kind",
    "date",
    "amount",
    "via",
    "donor",
    "description",
    "ref",
    "to",
    "signer",
    "allocation",
    "corrects",
    "reason",
    "published",
    "leaf_hash",
    "proof",
]


def _with_proofs(chosen: Campaign) -> tuple[LedgerCheckpoint | None, Iterator[tuple[dict[str, Any], str, list[bytes]]]]:
    """The campaign's entries (all of them, corrected ones too: the log is the record) with their
    inclusion proofs in the latest checkpoint, computed from one tree of the whole log in memory."""
    checkpoint = ledger.latest_checkpoint()
    size = checkpoint.size if checkpoint else 0
    tree = merkle.Tree(
        bytes(leaf)
        for leaf in LedgerEntry.objects.filter(index__lt=size)
        .order_by("index")
        .values_list("leaf", flat=True)
        .iterator(chunk_size=10_000)
    )

    def rows() -> Iterator[tuple[dict[str, Any], str, list[bytes]]]:
        entries = chosen.entries.filter(index__lt=size).order_by("index").values_list("index", "data")
        for index, data in entries.iterator(chunk_size=5000):
            yield json.loads(data), data, tree.inclusion_proof(index, size)

    return checkpoint, rows()


@require_GET
def campaign_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    chosen = public_campaign(pk)
    checkpoint, rows = _with_proofs(chosen)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 with its mark
        writer.writerow(OPEN_COLUMNS)
        for fields, data, proof in rows:
            values = {
                **fields,
                "leaf_hash": merkle.leaf_hash(data.encode()).hex(),
                "proof": " ".join(h.hex() for h in proof),
            }
            writer.writerow(["" if values.get(name) is None else values.get(name, "") for name in OPEN_COLUMNS])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="so-cai-{chosen.pk}-{checkpoint.size if checkpoint else 0}.csv"'
    )
    return _cached(response)


@require_GET
def campaign_json(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """``{"checkpoint": <signed note>, "keys": [...], "entries": [{"index", "entry", "proof"}]}``:
    ``entry`` is the exact published text, whose leaf hash the proof leads to the checkpoint's root."""
    chosen = public_campaign(pk)
    checkpoint, rows = _with_proofs(chosen)

    def chunks() -> Iterator[str]:
        head = {
            "origin": keys.origin(),
            "checkpoint": checkpoint.note if checkpoint else None,
            "keys": keys.verifiers(),
        }
        yield json.dumps(head, ensure_ascii=False)[:-1] + ',"entries":['
        for n, (fields, data, proof) in enumerate(rows):
            item = {"index": fields["index"], "entry": data, "proof": [h.hex() for h in proof]}
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="so-cai-{chosen.pk}-{checkpoint.size if checkpoint else 0}.json"'
    )
    return _cached(response)


# --- The log, for browsers, monitors and mirrors ---------------------------------------------------


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = ledger.latest_checkpoint()
    if latest is None:
        raise Http404
    return _cached(HttpResponse(latest.note, content_type="text/plain; charset=utf-8"))


@require_GET
def verifier_keys(request: HttpRequest) -> HttpResponse:
    text = "".join(f"{key}\n" for key in keys.verifiers())
    return _cached(HttpResponse(text, content_type="text/plain; charset=utf-8"), seconds=3600)


@require_GET
def tile(request: HttpRequest, path: str) -> HttpResponse:
    data = ledger.tile(f"tile/{path}")
    if data is None:
        raise Http404
    return _cached(HttpResponse(data, content_type="application/octet-stream"), seconds=FOREVER, immutable=True)


@require_GET
def proof(request: HttpRequest, index: int) -> JsonResponse:
    """The inclusion proof of entry ``index`` in the latest signed checkpoint (with the note)."""
    try:
        found = ledger.inclusion(index)
    except merkle.MerkleError as error:
        raise Http404 from error
    entry = LedgerEntry.objects.filter(index=index).values_list("data", flat=True).first()
    return _cached(JsonResponse({**found, "entry": entry}, json_dumps_params={"ensure_ascii": False}))


@require_GET
def consistency(request: HttpRequest) -> JsonResponse:
    """``?old=A&new=B``: the proof that the log of B entries extends the log of A entries."""
    try:
        old, new = int(request.GET.get("old", "")), int(request.GET.get("new", ""))
        hashes = ledger.consistency(old, new)
    except (ValueError, merkle.MerkleError) as error:
        raise Http404 from error
    return _cached(JsonResponse({"old": old, "new": new, "proof": [h.hex() for h in hashes]}), seconds=FOREVER)
