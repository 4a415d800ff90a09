"""Request middleware of the platform.

Vietnamese first: the interface language is the user's choice (cookie), else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an office computer set
to English would open in English; the platform speaks Vietnamese until the user switches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def session_started(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At login, the time the session began: the absolute limit counts from it."""
    if hasattr(request, "session"):
        request.session[RenewIdleSessionMiddleware.STARTED] = int(time.time())


class RenewIdleSessionMiddleware:
    """Keep an active user's session alive without writing it on every request, and end it after
    SESSION_ABSOLUTE_HOURS whatever the activity.

    The session expires SESSION_COOKIE_AGE after its last save; touching it at most every
    SESSION_RENEW_SECONDS makes that an idle timeout (within that margin) at a fraction of
    the writes of SESSION_SAVE_EVERY_REQUEST. The time of the first authenticated request is kept
    in the session: past the absolute limit, the user is logged out and sent to the login page.
    """

    KEY = "_renewed_at"
    STARTED = "_started_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = int(request.session.setdefault(self.STARTED, now))
            if now - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(
                    request,
                    _("Your session has ended after %(hours)s hours: log in again.")
                    % {"hours": settings.SESSION_ABSOLUTE_HOURS},
                )
                return redirect_to_login(request.get_full_path())
            if now - int(request.session.get(self.KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


# Scripts, styles, images and connections from this site only: no inline script, no inline event
# handler, no inline style, no eval (htmx's allowEval is off), no framing, forms post here only.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",  # no page has a <base> element: ASVS 5.0 V3.4.3 asks 'none'
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin (system administrators only) still writes a few style attributes.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """Send the Content Security Policy with every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith("/admin/")
            response["Content-Security-Policy"] = ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY
        return response


class NoStoreForSignedInMiddleware:
    """Pages and API answers for a signed-in user are never kept by the browser or a proxy
    (``Cache-Control: no-store``), unless the view said otherwise (a calendar feed, a download).
    The public pages (portal, ledger) keep their own caching rules."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the API's token sets it inside the view
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
