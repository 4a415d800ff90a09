"""Background work of petitions."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_citizen(event_id: int) -> int:
    """Tell the citizen about one step of their petition, as they asked (e-mail, SMS)."""
    from doanket.petitions import notify

    return notify.notify(event_id)
