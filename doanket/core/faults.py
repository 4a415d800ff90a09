"""What a user sees when the machine fails under a request.

The database out of reach (restarting, the network cut, a lock held too long) answers 503 with
"try again later", the disk full answers 507 with "the file was not kept" — a page in the user's
language, never a traceback. Either way the request's writes are rolled back by the transaction
that was open, so nothing is half-written, and the next request after the fault succeeds:
connections are checked before reuse (``CONN_HEALTH_CHECKS``) and a broken one is dropped.

Faults raised in a view are caught by :class:`FaultMiddleware`; those raised in a middleware
before the view (loading the session, the user, the second factor) reach ``handler500``, which is
:func:`server_error` here. The page is rendered without the request's context (no database).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults

from doanket.core.uploads import DiskFull, Infected, ScanFailed

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def response_for(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """The page of a fault the user can do nothing about but wait or tell the administrator;
    None for any other error (a real defect: the 500 page, logged)."""
    if isinstance(exc, DiskFull):
        status, title = 507, _("The server is out of space")
        message = _(
            "The server has no space left to keep files: your file was not saved, and nothing else "
            "of this request was recorded. Please tell the administrator, then send it again."
        )
    elif isinstance(exc, Infected):
        status, title = 422, _("The file was refused by the virus scanner")
        message = _(
            "The virus scanner found “%(finding)s” in %(name)s: the file was not kept, and nothing else of "
            "this request was recorded. Check the file on your computer before sending it again."
        ) % {"finding": exc.finding, "name": exc.name}
    elif isinstance(exc, ScanFailed):
        status, title = 503, _("The virus scanner is unavailable")
        message = _(
            "Files are checked for viruses before they are kept, and the scanner did not answer: your "
            "file was not saved, and nothing else of this request was recorded. Please try again later."
        )
    elif isinstance(exc, (OperationalError, InterfaceError)):
        status, title = 503, _("The database is unavailable")
        message = _(
            "The database is temporarily unreachable: nothing of this request was recorded. Please try again later."
        )
    else:
        return None
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        back = request.headers.get("Referer", "") if request.method != "GET" else request.get_full_path()
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = "/"
        page = render_to_string("core/fault.html", {"title": title, "message": message, "back": back})
        response = HttpResponse(page, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class FaultMiddleware:
    """Turns a fault of the database or the disk in a view into its page (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        response = response_for(request, exception)
        if response is not None:  # the traceback is worth keeping: "no such table" is one too
            logger.error("%s on %s %s", response.status_code, request.method, request.path, exc_info=exception)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a fault raised before the view gets its page too; anything else, the 500 page."""
    return response_for(request, sys.exc_info()[1]) or defaults.server_error(request)
