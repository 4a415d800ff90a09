"""Writing the audit log. Every service that creates, changes or deletes a record calls this.

``snapshot`` takes the editable fields of a record before a change; ``record`` stores the
difference. Both are plain functions so views, the admin, commands and the API share them.
Each entry is linked into the hash chain as it is stored (``AuditEntry.save`` and
``bulk_create``, ``core/chain.py``); ``verify`` checks the chain.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from doanket.core import chain
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


# --- Checking the chain (``manage.py verify_audit``) -----------------------------------------


@dataclass
class Verdict:
    """What ``verify`` found: how many entries it read, and the first one that does not hold."""

    checked: int = 0
    broken_id: int | None = None
    reason: str = ""


def verify(batch: int = 2000) -> Verdict:
    """Recompute the chain from the first entry; stop at the first entry whose stored hash is not
    the hash of its content after the entry before it (changed, removed or reordered entries)."""
    verdict = Verdict()
    previous, after = chain.GENESIS, 0
    while True:
        entries = list(AuditEntry.objects.filter(id__gt=after).order_by("id")[:batch])
        if not entries:
            return verdict
        for found in entries:
            expected = chain.link(previous, found)
            if found.hash != expected:
                verdict.broken_id = found.pk
                verdict.reason = f"stored {found.hash or '(none)'}, expected {expected}"
                return verdict
            verdict.checked += 1
            previous = found.hash
        after = entries[-1].pk


def verify_against(lines: Iterable[str]) -> Verdict:
    """Compare a shipped copy (JSON lines with ``id`` and ``hash``) with the stored entries: an
    entry changed and the chain recomputed after it shows here, since the copy kept the old hash."""
    verdict = Verdict()
    for line in lines:
        if not line.strip():
            continue
        shipped = json.loads(line)
        stored = AuditEntry.objects.filter(pk=shipped["id"]).values_list("hash", flat=True).first()
        if stored != shipped["hash"]:
            verdict.broken_id = int(shipped["id"])
            verdict.reason = f"shipped {shipped['hash']}, stored {stored or '(missing)'}"
            return verdict
        verdict.checked += 1
    return verdict
