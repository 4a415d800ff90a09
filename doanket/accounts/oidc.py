"""Single sign-on through an OpenID Connect provider (Mozilla's mozilla-django-oidc does the
authorization-code flow and checks the ID token against the provider's published keys).

Only accounts that already exist here log in this way — an administrator creates the account and
grants its roles, as for every officer; the provider says who the person is, never what they may
do. The account is found by the provider's ``preferred_username`` (the same username here), else
by a verified e-mail address. Administrators still confirm their second factor here. Off unless
``OIDC_RP_CLIENT_ID`` is set; the pages then answer 404."""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from doanket.accounts.models import User

log = logging.getLogger(__name__)


class Backend(OIDCAuthenticationBackend):
    def verify_token(self, token: Any, **kwargs: Any) -> Any:
        """The library checks the signature (by the provider's key, the algorithm pinned), the expiry
        and the nonce; the audience it leaves out: an ID token issued to another application of the
        same provider is refused here (ASVS 5.0 V10.5.4)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        if settings.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("The ID token is not meant for this application.")
        return payload

    def get_userinfo(self, access_token: Any, id_token: Any, payload: Any) -> Any:
        """The user-info answer must speak of the person the ID token names (OIDC Core 5.3.2)."""
        info = super().get_userinfo(access_token, id_token, payload)
        if not info.get("sub") or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user information names another person than the ID token.")
        return info

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        active = User.objects.filter(is_active=True, api_token__isnull=True)
        username = str(claims.get("preferred_username") or "")
        if username:
            found = active.filter(username=username)
            if found.exists():
                return found
        email = str(claims.get("email") or "")
        if email and claims.get("email_verified"):
            return active.filter(email__iexact=email)
        return active.none()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("preferred_username") or (claims.get("email") and claims.get("email_verified")))

    def create_user(self, claims: dict[str, Any]) -> Any:  # pragma: no cover - OIDC_CREATE_USER is off
        return None


def _enabled() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class Start(OIDCAuthenticationRequestView):
    """Send the visitor to the provider."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        return super().get(request)


class Callback(OIDCAuthenticationCallbackView):
    """Back from the provider: the account found, or the login page with the reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _enabled()
        try:
            return super().get(request)
        # A forged or stale answer: refused, and said so. PyJWT's own refusals (an expired or
        # not-yet-valid token) pass through the library uncaught: without this they were a 500.
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            log.warning("single sign-on refused: %s", exc)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _("Single sign-on did not log you in: the provider's answer was refused, or no account here matches it."),
        )
        return super().login_failure()
