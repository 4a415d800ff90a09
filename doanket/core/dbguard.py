"""The database's own refusal to change or delete audit entries, and the one way past it: flush.

Migration ``core/0003`` installs triggers on ``core_auditentry``:

- PostgreSQL: a row trigger that raises on UPDATE and DELETE. TRUNCATE is not a row operation:
  production keeps it (and DROP, and ALTER ... DISABLE TRIGGER) away from the application by
  running it as a role granted only SELECT and INSERT on the table (DEPLOYMENT.md), so Django's
  ``flush`` (TRUNCATE) works for the owner role, as in the tests, and nowhere else.
- SQLite: a trigger on UPDATE, and one on DELETE whose condition calls ``doanket_audit_guard()``,
  a function this module registers on each connection. It answers "guarded" unless the
  connection is inside ``lifted()``, which only the ``flush`` command uses (SQLite empties tables
  with DELETE). A program that does not register the function (the sqlite3 shell) gets
  "no such function" and the delete fails too. SQLite has no roles: whoever can write the file
  can drop the triggers; they stop the application's own code paths, not the file's owner.

Both let one UPDATE through: the link to a deleted user account set to empty (Django's
``on_delete=SET_NULL``), every other column unchanged; the hash covers the username kept as text.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

GUARD_FUNCTION = "doanket_audit_guard"
_lifted: weakref.WeakSet[Any] = weakref.WeakSet()


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the guard function."""
    if connection.vendor == "sqlite":
        wrapper = weakref.ref(connection)
        connection.connection.create_function(
            GUARD_FUNCTION, 0, lambda: 0 if wrapper() in _lifted else 1, deterministic=False
        )


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Let this connection delete audit entries on SQLite (for ``flush`` only)."""
    _lifted.add(connection)
    try:
        yield
    finally:
        _lifted.discard(connection)
