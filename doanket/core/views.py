from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from doanket.core.models import WorkerHeartbeat


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: 200 when the database answers and a worker beat recently, else 503."""
    checks: dict[str, object] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    if checks["database"] == "ok":
        stale = timezone.now() - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        if last is None:
            checks["worker"] = "never seen"
            ok = False
        elif last < stale:
            checks["worker"] = f"stale since {last.isoformat()}"
            ok = False
        else:
            checks["worker"] = "ok"
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)


def refused(request: HttpRequest, message: str, form: Any) -> None:
    """Tell the user why a posted form was not taken: ``message`` (with ``%(errors)s``) and the
    form's errors, on the page the view redirects to."""
    errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
    messages.error(request, message % {"errors": errors})


def submit(
    request: HttpRequest,
    form: Any,
    refusal: str,
    action: Callable[[dict[str, Any]], object],
    *,
    errors: tuple[type[Exception], ...],
    done: str = "",
) -> Any:
    """Take a posted form for a service: its field errors told with ``refusal`` (which has
    ``%(errors)s``), else ``action(cleaned_data)``; a refusal of the service (one of ``errors``)
    told as it says, else ``done``. Returns what ``action`` returned (the record made, say), or None
    when the form or the service refused. The view redirects after, whatever happened."""
    if not form.is_valid():
        refused(request, refusal, form)
        return None
    try:
        result = action(form.cleaned_data)
    except errors as exc:
        messages.error(request, str(exc))
        return None
    if done:
        messages.success(request, done)
    return result
