"""Account writes: role grants and two-factor devices, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts import authz
from doanket.accounts.models import RoleGrant, User
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
