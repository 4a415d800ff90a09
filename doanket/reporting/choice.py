"""What a reader of roll-ups asks for: the schedule, the unit and the period, each read within the
reader's scope. Shared by the roll-up pages (``reporting.views``) and the API (``api.rollups``), so
that both choose the same way. A choice outside the scope, or a period the schedule does not have,
answers 404 (``Http404``), as ``authz.get_for_user`` does."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.organizations.models import Unit
from doanket.reporting import periods, rollup, services
from doanket.reporting.models import Schedule


def schedule(user: Any, pk: int | str) -> Schedule:
    """A schedule the user reads reports of: issued in their scope or above their units."""
    return authz.get_for_user(
        Schedule.objects.select_related("form", "unit"),
        user,
        Perm.VIEW_REPORT,
        "unit__path",
        upward=True,
        pk=pk,
    )


def scope_unit(user: Any, schedule: Schedule, unit_id: str | None, units: QuerySet[Unit] | None = None) -> Unit:
    """The unit whose roll-up is asked for: ``unit_id`` when given, or the schedule's unit when the
    user sees it, or the user's own topmost unit under the schedule. ``units``: how a given unit is read."""
    if unit_id:
        unit = authz.get_for_user(
            Unit.objects.all() if units is None else units, user, Perm.VIEW_REPORT, "path", pk=unit_id
        )
    elif authz.can(user, Perm.VIEW_REPORT, schedule.unit):
        unit = schedule.unit
    else:
        first = authz.units(user, Perm.VIEW_REPORT).subtree_of(schedule.unit).order_by("path").first()
        if first is None:
            raise Http404
        unit = first
    if not (unit.path or "").startswith(schedule.unit.path or ""):
        raise Http404
    return unit


def period_key(schedule: Schedule, key: str) -> str:
    """The period asked for (``key``), or the schedule's latest begun period when none is."""
    if schedule.frequency == periods.Frequency.ONCE:
        return "once"
    if not key:
        recent = rollup.recent_keys(schedule, timezone.localdate(), 1)
        key = recent[-1] if recent else "once"
    try:
        services.period_for(schedule, key)
    except ValueError as exc:
        raise Http404 from exc
    return key
