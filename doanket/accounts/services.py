"""Account writes: role grants, two-factor devices, passwords and sessions, each audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts import authz
from doanket.accounts.models import Role, RoleGrant, User
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.organizations.models import Unit


@transaction.atomic
def grant_role(actor: Any, user: User, unit: Unit, role: str) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit.record(actor, AuditAction.CREATE, grant)
    authz.forget(user)
    return grant


@transaction.atomic
def revoke_role(actor: Any, grant: RoleGrant) -> None:
    before = audit.snapshot(grant)
    audit.record(actor, AuditAction.DELETE, grant, before=before)
    grant.delete()
    authz.forget(grant.user)


class OwnLastAdminGrantError(Exception):
    """An administrator tried to revoke their own last unit administrator grant."""


def _check_manages(actor: Any, unit: Unit) -> None:
    """Defence in depth behind the forms: a person acting may only touch accounts in their scope."""
    if actor is not None and not authz.can(actor, authz.Perm.MANAGE_ACCOUNTS, unit):
        raise PermissionDenied


@transaction.atomic
def create_user_with_role(
    actor: Any, *, username: str, full_name: str, email: str, password: str, role: str, unit: Unit
) -> User:
    """A new account and its first role, in one transaction; the password is never audited."""
    _check_manages(actor, unit)
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User(username=username, full_name=full_name, email=email)
    user.set_password(password)
    user.save()
    # The account belongs to no unit itself; file its creation under the unit of its first
    # role so that the administrators of that subtree find it in their audit log.
    setattr(user, "audit_unit_path", unit.path or "")  # noqa: B010
    audit.record(actor, AuditAction.CREATE, user)
    grant_role(actor, user, unit, role)
    return user


@transaction.atomic
def grant_role_in_scope(actor: Any, user: User, unit: Unit, role: str) -> RoleGrant:
    _check_manages(actor, unit)
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    return grant_role(actor, user, unit, role)


@transaction.atomic
def revoke_grant(actor: Any, grant: RoleGrant) -> None:
    """Revoke ``grant`` for ``actor``, who may not remove their own last unit administrator role."""
    _check_manages(actor, grant.unit)
    if actor is not None and grant.user_id == actor.pk and grant.role == Role.UNIT_ADMIN:
        # Lock all of the actor's admin grants, in one order, so that two simultaneous
        # revocations wait for each other instead of both seeing the other grant.
        admin_grants = RoleGrant.objects.select_for_update().filter(user_id=actor.pk, role=Role.UNIT_ADMIN)
        if not [pk for pk in admin_grants.order_by("pk").values_list("pk", flat=True) if pk != grant.pk]:
            raise OwnLastAdminGrantError
    revoke_role(actor, grant)
    authz.forget(actor)


def pending_totp_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(user: Any, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit.record(user, AuditAction.UPDATE, user, {"two_factor": False}, {"two_factor": True})
    return True


def match_token(user: Any, token: str) -> TOTPDevice | None:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def unit_emails(unit: Unit) -> list[str]:
    """E-mail addresses of the people holding a role on ``unit`` (only where e-mail is configured):
    who a reminder addressed to the unit reaches."""
    if not getattr(settings, "EMAIL_HOST", "") and "locmem" not in settings.EMAIL_BACKEND:
        return []
    rows = RoleGrant.objects.filter(unit=unit, user__is_active=True).exclude(user__email="")
    return sorted({email for email in rows.values_list("user__email", flat=True) if email})


def file_under_first_unit(user: User) -> User:
    """An account belongs to no unit: its audit entries are filed under the unit of its topmost role,
    where that subtree's administrators find them (as its creation is)."""
    grant = user.grants.select_related("unit").order_by("unit__path").first()
    setattr(user, "audit_unit_path", (grant.unit.path or "") if grant else "")  # noqa: B010
    return user


@transaction.atomic
def password_changed(actor: Any, user: User, how: str, sessions_ended: int) -> None:
    """Audit a new password (``how``: "changed" by the user, "reset" by e-mail), never its value,
    and how many of the user's other sessions it ended."""
    audit.record(
        actor,
        AuditAction.UPDATE,
        file_under_first_unit(user),
        {"password": "", "sessions_ended": 0},
        {"password": how, "sessions_ended": sessions_ended},
    )


@transaction.atomic
def sessions_ended(user: User, count: int) -> None:
    """Audit the user ending ``count`` of their own sessions from *Phiên đăng nhập*."""
    if count:
        audit.record(
            user, AuditAction.UPDATE, file_under_first_unit(user), {"sessions_ended": 0}, {"sessions_ended": count}
        )
