"""API tokens: issued by a unit administrator, scoped to a unit (and its subtree) and to read or
write, revocable, every use logged. A token is ``dk_<prefix>_<secret>``; the prefix finds it, the
secret's SHA-256 proves it (compared in constant time)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.models import ApiAccess, ApiToken, ApiTokenUse, Role, User
from doanket.accounts.services import _check_manages, grant_role
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.organizations.models import Unit

ROLE_OF = {ApiAccess.READ: Role.VIEWER, ApiAccess.WRITE: Role.OFFICER}


class TokenError(Exception):
    """A refusal with a message for the administrator."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue(actor: Any, unit: Unit, *, name: str, access: str) -> tuple[ApiToken, str]:
    """A new token for ``unit``; returns it and its full text, shown to the administrator once."""
    _check_manages(actor, unit)
    name = nfc(name)
    if not name:
        raise TokenError(_("Name the integration the token is for."))
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    account = User(username=f"api-{prefix}", full_name=f"API: {name}"[:150])
    account.set_unusable_password()  # it never logs in on the pages
    account.save()
    grant_role(actor, account, unit, ROLE_OF[ApiAccess(access)])
    token = ApiToken.objects.create(
        name=name,
        unit=unit,
        access=access,
        account=account,
        prefix=prefix,
        key_hash=_digest(secret),
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, token, after={**audit.snapshot(token), "key_hash": "(secret)"})
    return token, f"dk_{prefix}_{secret}"


@transaction.atomic
def revoke(actor: Any, token: ApiToken) -> ApiToken:
    _check_manages(actor, token.unit)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = audit.snapshot(token, exclude=["key_hash"])
    token.revoked_at, token.revoked_by = timezone.now(), audit.user_of(actor)
    token.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=token.account_id).update(is_active=False)  # its grants stop counting at once
    audit.record(actor, AuditAction.UPDATE, token, before=before, after=audit.snapshot(token, exclude=["key_hash"]))
    return token


def authenticate(text: str) -> ApiToken | None:
    """The live token ``text`` names, or None (unknown, malformed, wrong secret or revoked)."""
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "dk" or not parts[1] or not parts[2]:
        return None
    token = ApiToken.objects.select_related("account", "unit").filter(prefix=parts[1]).first()
    if token is None or token.revoked_at is not None or not token.account.is_active:
        return None
    if not hmac.compare_digest(token.key_hash, _digest(parts[2])):
        return None
    return token


def record_use(token: ApiToken, method: str, path: str, status: int) -> None:
    ApiTokenUse.objects.create(token=token, method=method[:8], path=path[:300], status=status)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def managed(user: Any) -> Any:
    """The tokens of the units ``user`` administers."""
    return ApiToken.objects.filter(authz.scope_q(user, authz.Perm.MANAGE_ACCOUNTS, "unit__path")).select_related(
        "unit", "created_by"
    )
