"""Background work of petitions."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_citizen(event_id: int) -> int:
    """Tell the citizen about one step of their petition, as they asked (e-mail, SMS)."""
    from doanket.petitions import notify

    return notify.notify(event_id)


@task()
def send_reminders() -> int:
    """Chase the petitions past their due date (at most weekly each; run hourly)."""
    from doanket.petitions import services

    return services.send_overdue_reminders()
