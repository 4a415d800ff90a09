"""Background work of the accounts: the retention of request logs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def apply_retention() -> int:
    """Delete the API token uses and the login attempts (with their IP addresses) older than their
    retention periods (run daily). Returns how many rows went."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from doanket.accounts.models import ApiTokenUse

    now = timezone.now()
    uses = now - dt.timedelta(days=settings.API_USE_RETENTION_DAYS)
    logins = now - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted = ApiTokenUse.objects.filter(at__lt=uses).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=logins).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=logins).delete()[0]
    deleted += AccessAttempt.objects.filter(attempt_time__lt=logins).delete()[0]
    return deleted
