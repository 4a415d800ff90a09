"""Django's ``flush``, able to empty the audit log on SQLite, where the triggers refuse DELETE.

SQLite empties tables with DELETE, which the audit log's trigger refuses (``core/dbguard.py``);
this command lifts the guard for its own connection while it runs. On PostgreSQL ``flush`` uses
TRUNCATE, which the row trigger does not see: there, only the owner role can run it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from doanket.core import dbguard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with dbguard.lifted(connections[options["database"]]):
            super().handle(**options)
