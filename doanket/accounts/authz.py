"""The one authorisation layer: every view, form choice list, export and API call asks here.

Permissions are named in ``Perm``; ``ROLE_PERMISSIONS`` says which role carries which. A role
granted on a unit reaches the unit and everything below it (an index range on ``Unit.path``).
Objects outside the user's scope are answered with 404, so their existence and name never leak.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from doanket.accounts.models import Role, RoleGrant
from doanket.organizations.models import Level, Unit, UnitQuerySet, path_ancestors, paths_q

M = TypeVar("M", bound=models.Model)


class Perm(enum.StrEnum):
    VIEW_UNIT = "view_unit"
    EDIT_UNIT = "edit_unit"
    VIEW_PEOPLE = "view_people"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT_PEOPLE = "edit_people"
    MANAGE_ACCOUNTS = "manage_accounts"
    VIEW_AUDIT = "view_audit"
    VIEW_PROGRAM = "view_program"
    EDIT_PROGRAM = "edit_program"
    REMIND = "remind"
    VIEW_REPORT = "view_report"
    EDIT_REPORT = "edit_report"
    REVIEW_REPORT = "review_report"
    MANAGE_REPORTING = "manage_reporting"
    VIEW_PETITION = "view_petition"
    HANDLE_PETITION = "handle_petition"
    VIEW_FUND = "view_fund"
    HANDLE_FUND = "handle_fund"


_READ = {Perm.VIEW_UNIT, Perm.VIEW_PEOPLE, Perm.VIEW_PROGRAM, Perm.VIEW_REPORT, Perm.VIEW_PETITION, Perm.VIEW_FUND}
_WORK = {
    Perm.EDIT_UNIT,
    Perm.EDIT_PEOPLE,
    Perm.VIEW_PERSONAL_DATA,
    Perm.EDIT_PROGRAM,
    Perm.REMIND,
    Perm.EDIT_REPORT,
    Perm.REVIEW_REPORT,
    Perm.MANAGE_REPORTING,
    Perm.HANDLE_PETITION,
    Perm.HANDLE_FUND,
}
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.VIEWER: frozenset(_READ),
    Role.OFFICER: frozenset(_READ | _WORK),
    Role.LEADER: frozenset(_READ | {Perm.VIEW_PERSONAL_DATA, Perm.REMIND, Perm.REVIEW_REPORT}),
    Role.UNIT_ADMIN: frozenset(_READ | _WORK | {Perm.MANAGE_ACCOUNTS, Perm.VIEW_AUDIT}),
}

_CACHE_ATTR = "_doanket_grants"


def is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def grants(user: Any) -> list[tuple[str, str]]:
    """(unit path, role) pairs of the user, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = [
            (path, role)
            for path, role in RoleGrant.objects.filter(user=user, unit__path__isnull=False).values_list(
                "unit__path", "role"
            )
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def own_unit_paths(user: Any, perm: Perm) -> list[str]:
    """Paths of the units the user holds ``perm`` on *directly* (their own units, not those
    below): where work addressed to a unit lands, e.g. the reports a unit must fill."""
    return sorted({path for path, role in grants(user) if perm in ROLE_PERMISSIONS.get(role, frozenset())})


def forget(user: Any) -> None:
    """Drop the per-request cache after the user's grants changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: Any, perm: Perm) -> list[str] | None:
    """Paths of the subtrees where ``user`` holds ``perm``; None means everywhere (system admin)."""
    if is_system_admin(user):
        return None
    paths = sorted({path for path, role in grants(user) if perm in ROLE_PERMISSIONS.get(role, frozenset())})
    # Keep only the topmost: a subtree inside another adds nothing to the filter.
    top: list[str] = []
    for p in paths:
        if not any(p.startswith(t) for t in top):
            top.append(p)
    return top


def scope_q(user: Any, perm: Perm, path_field: str = "path") -> Q:
    paths = scope_paths(user, perm)
    return Q() if paths is None else paths_q(paths, path_field)


def ancestor_paths(paths: list[str]) -> list[str]:
    """The paths of the units above each of ``paths`` (segment by segment)."""
    return sorted({above for path in paths for above in path_ancestors(path)})


def scope_q_with_ancestors(user: Any, perm: Perm, path_field: str = "path") -> Q:
    """The user's subtrees and the units above them: what an upper unit issues (its programme,
    its directives) is addressed to the units below, so they read it, though they cannot edit it."""
    paths = scope_paths(user, perm)
    if paths is None:
        return Q()
    return paths_q(paths, path_field) | Q(**{f"{path_field}__in": ancestor_paths(paths)})


def own_or_assigned_q(user: Any, owner: Unit, perm: Perm, unit_field: str = "unit__path") -> Q:
    """What a reader sees of the records hanging off an upper unit's document (assignments and
    their progress): everything when ``owner`` is within the user's scope; otherwise only the
    records of the user's own units — a commune reading the province's programme never sees
    what another commune was given or reported."""
    return Q() if can(user, perm, owner) else scope_q(user, perm, unit_field)


def scoped(queryset: models.QuerySet[M], user: Any, perm: Perm, path_field: str) -> models.QuerySet[M]:
    """``queryset`` limited to records whose unit path (``path_field``) is in the user's scope."""
    return queryset.filter(scope_q(user, perm, path_field))


def units(user: Any, perm: Perm) -> UnitQuerySet:
    return cast(UnitQuerySet, scoped(Unit.objects.all(), user, perm, "path"))


def can(user: Any, perm: Perm, unit: Unit | None = None) -> bool:
    """Whether ``user`` holds ``perm`` on ``unit`` (or anywhere, when no unit is given)."""
    if unit is None:
        paths = scope_paths(user, perm)
        return paths is None or bool(paths)
    return can_path(user, perm, unit.path or "")


def require_edit(actor: Any, unit: Unit) -> None:
    """The write rule of the modules that work on a unit's programme (emulation, supervision,
    outreach): the actor edits the programme of ``unit``; ``None`` is the system (the demo loader,
    the worker)."""
    if actor is not None and not can(actor, Perm.EDIT_PROGRAM, unit):
        raise PermissionDenied


def committees(user: Any) -> UnitQuerySet:
    """The units whose programme ``user`` edits, village boards aside: those that launch a
    movement, decide an award, plan supervisions, record visits."""
    return units(user, Perm.EDIT_PROGRAM).exclude(level=Level.VILLAGE).order_by("path")


def can_path(user: Any, perm: Perm, path: str) -> bool:
    """Whether ``user`` holds ``perm`` on the unit at ``path`` (a path read without its unit)."""
    paths = scope_paths(user, perm)
    return paths is None or any(path.startswith(p) for p in paths)


def get_for_user(
    queryset: models.QuerySet[M], user: Any, perm: Perm, path_field: str, *, upward: bool = False, **lookup: Any
) -> M:
    """Fetch one record the user may see with ``perm``; anything else is a 404. ``upward``: the
    units above the user's scope count too (reading an upper unit's programme)."""
    q = scope_q_with_ancestors(user, perm, path_field) if upward else scope_q(user, perm, path_field)
    try:
        return queryset.filter(q).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def has_any_grant(user: Any) -> bool:
    return is_system_admin(user) or bool(grants(user))


def is_administrator(user: Any) -> bool:
    """System administrators and unit administrators: two-factor authentication is required."""
    return is_system_admin(user) or any(role == Role.UNIT_ADMIN for _, role in grants(user))
