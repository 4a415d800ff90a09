"""Background work of the accounts: the retention of request logs, the password reset e-mails."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def apply_retention() -> int:
    """Delete the API token uses and the login attempts (with their IP addresses) older than their
    retention periods, and the records of sessions past the absolute session limit (run daily).
    Returns how many rows went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from doanket.accounts import sessions
    from doanket.accounts.models import ApiTokenUse

    now = timezone.now()
    uses = now - dt.timedelta(days=settings.API_USE_RETENTION_DAYS)
    logins = now - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted = ApiTokenUse.objects.filter(at__lt=uses).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=logins).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=logins).delete()[0]
    deleted += AccessAttempt.objects.filter(attempt_time__lt=logins).delete()[0]
    deleted += sessions.forget_older_than(settings.SESSION_ABSOLUTE_HOURS)
    return deleted


@task()
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Send one e-mail written in the request (a password reset link) through Django's backend."""
    from django.core.mail import send_mail

    return send_mail(subject, body, None, to)
