"""Background work of supervision."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reminders() -> int:
    """Chase the recommendations due soon and overdue (once per due date each; run hourly)."""
    from doanket.supervision import services

    return services.send_due_reminders()
