"""Writing the audit log. Every service that creates, changes or deletes a record calls this.

``snapshot`` takes the editable fields of a record before a change; ``record`` stores the
difference. Both are plain functions so views, the admin, commands and the API share them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models

from doanket.core.models import AuditAction, AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


def snapshot(obj: models.Model, exclude: Iterable[str] = ()) -> Snapshot:
    """The concrete, editable field values of ``obj`` (foreign keys as ids)."""
    skip = set(exclude)
    values: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.primary_key or field.name == "password":
            continue
        values[field.name] = _plain(getattr(obj, field.attname))
    return values


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def user_of(actor: Any) -> Any:
    """The user behind ``actor``, or None for a command or the worker (an actor without a pk)."""
    return actor if getattr(actor, "pk", None) else None


def _unit_path(obj: models.Model) -> str:
    path = getattr(obj, "audit_unit_path", "")
    return str(path() if callable(path) else path)


def entry(
    actor: Any,
    action: AuditAction,
    obj: models.Model,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> AuditEntry:
    """The audit entry for ``obj``, not yet saved (``record`` saves one, ``record_all`` several)."""
    if action == AuditAction.CREATE:
        changes = diff({}, after if after is not None else snapshot(obj))
    elif action == AuditAction.DELETE:
        changes = diff(before if before is not None else snapshot(obj), {})
    else:
        changes = diff(before or {}, after if after is not None else snapshot(obj))
    return _entry(actor, action, obj, changes)


def record(
    actor: Any,
    action: AuditAction,
    obj: models.Model,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
) -> AuditEntry:
    """Store one audit entry for ``obj``. ``actor`` is a user or None (a command)."""
    made = entry(actor, action, obj, before, after)
    made.save()
    return made


def record_all(entries: Iterable[AuditEntry]) -> None:
    """Store entries made by ``entry`` in one statement (a write that makes several records)."""
    AuditEntry.objects.bulk_create(list(entries))


def _entry(actor: Any, action: AuditAction, obj: models.Model, changes: dict[str, list[Any]]) -> AuditEntry:
    user = user_of(actor)
    return AuditEntry(
        actor=user,
        actor_name=(user.get_username() if user else "system"),
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        unit_path=_unit_path(obj),
        changes=changes,
    )


def record_many(actor: Any, action: AuditAction, objs: Iterable[models.Model]) -> int:
    """Bulk form for commands that create many records at once (one row per record)."""
    entries = [_entry(actor, action, o, diff({}, snapshot(o)) if action == AuditAction.CREATE else {}) for o in objs]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
