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


@task()
def group_synthesis(synthesis_id: int) -> int:
    """Group a synthesis's opinions into themes; a failure is shown on its page."""
    from doanket.petitions import synthesis

    try:
        return synthesis.compute(synthesis_id)
    except Exception as exc:
        synthesis.failed(synthesis_id, f"{type(exc).__name__}: {exc}")
        raise


@task()
def apply_retention() -> int:
    """Erase the citizens' identity once its retention period is over (run daily)."""
    from doanket.petitions import retention

    return retention.erase_old_identities()
