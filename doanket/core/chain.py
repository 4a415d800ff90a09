"""The audit log's hash chain: what an entry's hash covers, and how it is linked to the one before.

Each entry stores ``hash = SHA-256(previous entry's hash + "\\n" + canonical content)``; the first
entry's previous hash is the empty string. Rewriting, removing or reordering any entry changes
the hash of every entry after it, so ``manage.py verify_audit`` finds the first broken link.
An attacker who can write the table can recompute the chain after a change: the copies shipped
off the machine (``ship_audit``) hold the hashes as they were, and ``verify_audit --against``
compares them.

The content is the entry's fields as the database gives them back (JSON, keys sorted, UTF-8,
the time in UTC to the microsecond). The id is not in it (the order is: each hash covers the one
before), nor the link to the user account, which Django empties when an account is deleted; the
username kept as text is covered. This module imports no model: the migration that filled the
hashes of the entries written before the chain uses it too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = ""
# The fields an entry's hash covers, in the order they are written (the JSON is key-sorted anyway).
FIELDS = ("at", "actor_name", "action", "model", "object_id", "object_repr", "unit_path", "changes")


def _time(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("The audit log stores aware times.")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content(entry: Any) -> bytes:
    """The canonical bytes of an entry (a model instance or anything with the same attributes)."""
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(entry, name)
        if name == "at":
            value = _time(value)
        elif name == "changes":
            # As a JSON column gives it back: tuples become lists, keys become strings.
            value = json.loads(json.dumps(value))
        values[name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def link(previous: str, entry: Any) -> str:
    """The hash of ``entry`` following an entry whose hash is ``previous``."""
    return hashlib.sha256(previous.encode() + b"\n" + content(entry)).hexdigest()
