"""A schedule's roll-up through the API: the figures a unit sees on its roll-up page for a period
(``reporting.rollup.table``), with the period before and the year before, completeness, and each
unit directly below with its own figures. The schedule, the unit and the period are chosen by the
page's own rules (``reporting.views``): a schedule the caller reads, a unit within their scope
and under the schedule's unit (by default the schedule's, or the caller's topmost one), the most
recent period by default."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_noop

from doanket.api.views import ApiError, api_view, in_both, whole_number
from doanket.reporting import choice, rollup, services
from doanket.reporting.periods import Period


def _period(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {"key": period.key, "start": period.start.isoformat(), "end": period.end.isoformat()}


@api_view
def rollup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if whole_number(str(pk)) is None:
        raise ApiError(404, "not_found", gettext_noop("No such record within your units."))
    schedule = choice.schedule(request.user, pk)
    bad: dict[str, Any] = {}
    unit = request.GET.get("unit", "")
    if unit and whole_number(unit) is None:
        bad["unit"] = in_both(gettext_noop("A unit is named by its id, a whole number."))
    if period := request.GET.get("period", ""):
        try:
            services.period_for(schedule, period)
        except ValueError:
            bad["period"] = in_both(gettext_noop("Not a period of this schedule (write 2026-Q1, 2026-03 or 2026)."))
    if bad:
        raise ApiError(400, "bad_filter", gettext_noop("A filter has a value it does not take."), bad)
    # The roll-up page's own choice of unit and period (reporting.choice), on the schedule already read.
    key = choice.period_key(schedule, period)
    chosen = choice.scope_unit(request.user, schedule, unit)
    table = rollup.table(schedule, chosen, key, indicator=None)
    indicators = [f.indicator for f in table.figures]
    body = {
        "schedule_id": schedule.pk,
        "unit_id": chosen.pk,
        "period": _period(table.period),
        "previous_period": _period(table.previous),
        "year_ago_period": _period(table.year_ago),
        "expected": table.expected,
        "arrived": table.arrived,
        "on_time": table.on_time,
        "approved": table.approved,
        "missing": table.missing,
        "figures": [
            {
                "code": f.indicator.code,
                "label": f.indicator.label,
                "type": f.indicator.type,
                "rollup": f.indicator.rollup,
                "value": f.value,
                "previous": f.previous,
                "year_ago": f.year_ago,
                "reported": f.reported,
                "choices": f.choices,
            }
            for f in table.figures
        ],
        "units": [
            {
                "unit_id": part.unit.pk,
                "name": part.unit.name,
                "expected": part.expected,
                "arrived": part.arrived,
                "on_time": part.on_time,
                "approved": part.approved,
                "figures": {ind.code: part.value(ind) for ind in indicators},
            }
            for part in table.parts
        ],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
