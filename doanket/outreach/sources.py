"""The figures of visits and hot spots offered to the reporting forms (``reporting.sources``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit
from doanket.outreach.models import HotSpot, HotSpotState, Visit
from doanket.reporting import sources


def visits(unit: Unit, start: dt.date, end: dt.date) -> int:
    return Visit.objects.filter(unit=unit, visited_on__gte=start, visited_on__lte=end).count()


def gift_value(unit: Unit, start: dt.date, end: dt.date) -> int:
    found = Visit.objects.filter(unit=unit, visited_on__gte=start, visited_on__lte=end).aggregate(v=Sum("gift_value"))
    return int(found["v"] or 0)


def hot_spots(unit: Unit, start: dt.date, end: dt.date) -> int:
    """Hot spots in the unit's area followed during the period (flagged by its end, not resolved
    before its start)."""
    return (
        HotSpot.objects.filter(unit__path__startswith=unit.path or "", flagged_on__lte=end)
        .filter(Q(state=HotSpotState.OPEN) | Q(resolved_on__gte=start))
        .count()
    )


def register() -> None:
    sources.register("outreach.visits", _("Visits to prestigious persons and communities in the period"), visits)
    sources.register("outreach.gift_value", _("Value of the gifts of the visits in the period (đồng)"), gift_value)
    sources.register("outreach.hot_spots", _("Hot spots followed in the period"), hot_spots)
