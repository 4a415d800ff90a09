"""Two-factor: a user with a confirmed device must enter a code; administrators must have one."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from doanket.accounts import authz

# Pages reachable before the second factor: logging in and out, enrolling, switching language.
_OPEN_PREFIXES = ("/accounts/login/", "/accounts/logout/", "/accounts/two-factor/", "/i18n/", "/static/", "/healthz")


def client_ip(request: HttpRequest) -> str:
    """The client's address for login throttling: REMOTE_ADDR, or the address our own reverse
    proxies recorded in X-Forwarded-For (counting TRUSTED_PROXY_COUNT hops from the right)."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def redirect_with_next(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            if not user.is_verified():  # type: ignore[attr-defined]
                if _has_confirmed_device(request, user):
                    return redirect_with_next("accounts:two_factor_verify", request)
                if settings.DOANKET_REQUIRE_2FA_FOR_ALL or (
                    settings.DOANKET_REQUIRE_2FA_FOR_ADMINS and authz.is_administrator(user)
                ):
                    return redirect_with_next("accounts:two_factor_setup", request)
        return self.get_response(request)


# A user without a second factor would otherwise cost a query on every page to find that out. The
# "no device" answer is kept in the session for a few minutes: a device confirmed in this session
# verifies it at once (``is_verified``); one confirmed elsewhere is asked for within that time.
NO_DEVICE_UNTIL = "_no_otp_device_until"
NO_DEVICE_SECONDS = 300


def _has_confirmed_device(request: HttpRequest, user: object) -> bool:
    now = int(time.time())
    if now < int(request.session.get(NO_DEVICE_UNTIL, 0)):
        return False
    if user_has_device(user, confirmed=True):
        request.session.pop(NO_DEVICE_UNTIL, None)
        return True
    request.session[NO_DEVICE_UNTIL] = now + NO_DEVICE_SECONDS
    return False


security_log = logging.getLogger("doanket.security")


class RefusalLogMiddleware:
    """One log line (logger ``doanket.security``) for every refused access: a 403 for anyone, and
    a 401 or 404 given to a signed-in user or to an API token (a record outside the scope answers
    404, so a walk over other units' ids shows here). Who, from where, what; the path is written
    with ``%r`` so that a forged path cannot forge a log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if status == 403 or (status in (401, 404) and (signed_in or "HTTP_AUTHORIZATION" in request.META)):
            security_log.warning(
                "refused %s %s %r user=%s ip=%s",
                status,
                request.method,
                request.path,
                user.pk if signed_in and user is not None else "-",
                client_ip(request),
            )
        return response
