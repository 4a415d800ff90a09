"""Single sign-on through an OpenID Connect provider (Mozilla's mozilla-django-oidc does the
authorization-code flow and checks the ID token against the provider's published keys).

Only accounts that already exist here log in this way — an administrator creates the account and
grants its roles, as for every officer; the provider says who the person is, never what they may
do. The account is found by the identity the provider never reassigns, its issuer and subject
(``iss`` + ``sub``, ASVS 5.0 V10.5.2), recorded on the account at the first login through the
provider; that first time only, it is found by the provider's ``preferred_username`` (the same
username here), else by a verified e-mail address, among the accounts not linked yet. A username the
provider later gives to another person therefore logs nobody in here. Administrators still confirm
their second factor here. Off unless ``OIDC_RP_CLIENT_ID`` is set; the pages then answer 404."""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from doanket.accounts import services
from doanket.accounts.models import User
from doanket.core import audit
from doanket.core.models import AuditAction

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
        # The issuer of the (verified) ID token: with ``sub`` it names the person (a backend object
        # serves one authentication: Django makes a new one for each).
        self.issuer = str(payload.get("iss") or "")
        return info

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        accounts = User.objects.filter(api_token__isnull=True)
        subject = str(claims.get("sub") or "")
        linked = accounts.filter(sso_issuer=getattr(self, "issuer", ""), sso_subject=subject)
        if linked.exists():
            return linked.filter(is_active=True)  # a disabled account stays out; no second match
        unlinked = accounts.filter(is_active=True, sso_subject="")
        username = str(claims.get("preferred_username") or "")
        if username:
            found = unlinked.filter(username=username)
            if found.exists():
                return found
        email = str(claims.get("email") or "")
        if email and claims.get("email_verified"):
            return unlinked.filter(email__iexact=email)
        return unlinked.none()

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """At the first login through the provider, the account records who the provider says it is."""
        if not user.sso_subject:
            link_identity(user, getattr(self, "issuer", ""), str(claims["sub"]))
        return user

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))  # the account is then matched by it (or, once, by a username)

    def create_user(self, claims: dict[str, Any]) -> Any:  # pragma: no cover - OIDC_CREATE_USER is off
        return None


@transaction.atomic
def link_identity(user: User, issuer: str, subject: str) -> None:
    """Record the provider's identity on ``user`` (audited; the account's unit as for its creation)."""
    before = {"sso_issuer": user.sso_issuer, "sso_subject": user.sso_subject}
    user.sso_issuer, user.sso_subject = issuer, subject
    user.save(update_fields=["sso_issuer", "sso_subject"])
    audit.record(user, AuditAction.UPDATE, services.file_under_first_unit(user), before,
                 {"sso_issuer": issuer, "sso_subject": subject})  # fmt: skip


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
