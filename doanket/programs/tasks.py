"""Background work of the programme module."""

from __future__ import annotations

from django_tasks import task

from doanket.programs import services


@task()
def send_reminders() -> int:
    """Remind units of what falls due soon and of what is overdue (idempotent; run hourly)."""
    return services.send_due_reminders()


@task()
def clean_uploads() -> int:
    """Uploads of import previews never saved, older than a day (run hourly)."""
    return services.clean_stale_uploads()


@task()
def email_reminder(reminder_id: int) -> list[str]:
    """E-mail a reminder sent from a page (a failed send fails the task, visible in the queue)."""
    from doanket.programs.models import Reminder

    reminder = Reminder.objects.select_related("assignment__unit", "assignment__program").get(pk=reminder_id)
    return services.email_reminder_now(reminder)
