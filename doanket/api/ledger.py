"""The public ledger through the API: exactly what the portal's fund pages show anyone — the
campaigns that published, their totals, their published allocations and payments, and their
standing donations searched as the portal searches them — read through the portal's own functions
(``portal.funds``). No session or token is needed, and nothing personal is in it: the entries hold
only what ``funds.ledger.published_fields`` lets out (a donor's name only when they chose so)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_noop

from doanket.api.views import ApiError, api_view, in_both, whole_number
from doanket.funds import ledger
from doanket.funds.models import Campaign
from doanket.portal import funds as portal
from doanket.portal.funds import PAGE_SECONDS, amount_of, date_of, public_campaign

PAGE_SIZE = 100
_JSON = {"ensure_ascii": False}


def _public(response: HttpResponse) -> HttpResponse:
    """Cacheable like the portal's pages: public, a minute."""
    response["Cache-Control"] = f"public, max-age={PAGE_SECONDS}"
    return response


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _campaign_json(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "unit_name": campaign.unit.name,  # the portal names the committee; its id is not public
        "kind": campaign.kind,
        "starts_on": _date(campaign.starts_on),
        "ends_on": _date(campaign.ends_on),
        "received": campaign.published_amount,
        "donations": campaign.published_count,
        "allocated": campaign.published_allocated,
        "disbursed": campaign.published_disbursed,
    }


@api_view(public=True)
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns that published entries, by id, ``?after=<next>`` for the next page."""
    rows = portal.published_campaigns()
    after = request.GET.get("after", "")
    if after:
        if whole_number(after) is None:
            raise ApiError(400, "bad_cursor", gettext_noop("The page cursor is not valid."))
        rows = rows.filter(pk__gt=int(after))
    found = list(rows.order_by("pk")[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    results = [{**_campaign_json(c), "entries": c.entries_count} for c in found]  # type: ignore[attr-defined]
    body = {"results": results, "next": str(found[-1].pk) if more else None}
    return _public(JsonResponse(body, json_dumps_params=_JSON))


@api_view(public=True)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's totals, its purpose and its published allocations with their payments, as
    published (the exact entry text too, to check against the signed checkpoint)."""
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))
    chosen = public_campaign(pk)
    spending = ledger.spending(chosen)

    def entry(row: dict[str, Any]) -> dict[str, Any]:
        return {"index": row["index"], "fields": row["fields"], "entry": row["data"]}

    allocations = [
        {**entry(a), "paid": a["paid"], "payments": [entry(p) for p in a["payments"]]} for a in spending.allocations
    ]
    body = {
        **_campaign_json(chosen),
        "purpose": chosen.purpose,
        "allocations": allocations,
        "more_allocations": spending.more,
    }
    return _public(JsonResponse(body, json_dumps_params=_JSON))


@api_view(public=True)
def entries(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's standing donations matching ``q`` (donor, description or receipt number,
    accents ignored), ``amount`` and the dates, as the portal's search finds them; ``page`` as
    the portal pages them (50 a page, the first thousand matches)."""
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))
    chosen = public_campaign(pk)
    criteria: dict[str, Any] = {"words": request.GET.get("q", "")[:200]}
    fields: dict[str, Any] = {}
    try:
        criteria["amount"] = amount_of(request.GET.get("amount", ""))
    except ValueError:
        fields["amount"] = in_both(gettext_noop("The amount must be a number of đồng, such as 500.000."))
    for name in ("date_from", "date_to"):
        try:
            criteria[name] = date_of(request.GET.get(name, ""))
        except ValueError:
            fields[name] = in_both(gettext_noop("A date must read dd/mm/yyyy or yyyy-mm-dd."))
    number = request.GET.get("page") or "1"
    if whole_number(number) is None or int(number) < 1:
        fields["page"] = in_both(gettext_noop("The page is a whole number from 1."))
    if fields:
        raise ApiError(400, "bad_filter", gettext_noop("A filter has a value it does not take."), fields)
    page = portal.search_entries(chosen, criteria, number)
    results = [
        {
            "index": e.index,
            "date": e.date.isoformat(),
            "amount": e.amount,
            "donor": e.donor or None,  # the portal writes "Anonymous"
            "description": e.description,
            "corrects": e.corrects_id,
            "entry": e.data,
        }
        for e in page.object_list
    ]
    more = page.has_next() and page.number == int(number)
    body = {"results": results, "next": str(page.number + 1) if more else None}
    return _public(JsonResponse(body, json_dumps_params=_JSON))
