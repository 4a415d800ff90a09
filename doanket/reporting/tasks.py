"""Background work of reporting."""

from __future__ import annotations

from django_tasks import task

from doanket.reporting import services


@task()
def open_periods() -> int:
    """Make the expected reports of every period that has begun (idempotent; run hourly)."""
    return services.open_due_periods()


@task()
def send_reminders() -> int:
    """Chase reports due soon and overdue (once per report and kind; run hourly)."""
    return services.send_due_reminders()
