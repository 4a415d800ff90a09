"""Background work of reporting."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from doanket.reporting import services


def _actor(actor_id: int | None) -> Any:
    """The officer who asked for the work (None: the system, or an account deleted meanwhile)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=actor_id).first() if actor_id else None


@task()
def open_periods() -> int:
    """Make the expected reports of every period that has begun (idempotent; run hourly)."""
    return services.open_due_periods()


@task()
def send_reminders() -> int:
    """Chase reports due soon and overdue (once per report and kind; run hourly)."""
    return services.send_due_reminders()


@task()
def remind_missing(schedule_id: int, unit_id: int, period: str, actor_id: int | None, message: str = "") -> int:
    """The reminders an officer asked for on the missing-reports page."""
    from doanket.organizations.models import Unit
    from doanket.reporting.models import Schedule

    actor = _actor(actor_id)
    schedule = Schedule.objects.select_related("form", "unit").get(pk=schedule_id)
    return services.remind_missing(actor, schedule, Unit.objects.get(pk=unit_id), period, message)


@task()
def open_schedule(schedule_id: int, actor_id: int | None) -> int:
    """The periods of a new schedule too large to open while the officer waits."""
    from doanket.reporting.models import Schedule

    actor = _actor(actor_id)
    return services.open_due_periods_of(Schedule.objects.select_related("unit", "form").get(pk=schedule_id), actor)


@task()
def warm_rollups(schedule_id: int, period: str, unit_ids: list[int]) -> int:
    """Render ahead the roll-up tables a change made stale (the country's, the provinces')."""
    from doanket.reporting import pages

    return pages.warm(schedule_id, period, unit_ids)
