"""Searching petitions by any part of their folded text ("nguoi ngheo" finds "người nghèo").

The folded copies (``search_key`` for staff, ``public_key`` for the portal) are indexed for
substring search (migration 0005): trigram GIN indexes on PostgreSQL serve Django's ``contains``
as they are; on SQLite an FTS5 trigram table is asked for the matching rows. Three characters or
more are needed to use an index; a shorter query is a plain scan, as before.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from doanket.core.text import fold
from doanket.petitions.models import Petition

TABLES = {"search_key": "petition_search", "public_key": "petition_public_search"}  # SQLite FTS5 (migration 0005)


def matching(rows: QuerySet[Petition], text: str, field: str = "search_key") -> QuerySet[Petition]:
    """``rows`` whose ``field`` holds ``text`` (folded) anywhere."""
    assert field in TABLES
    q = fold(text)
    if not q:
        return rows
    if connection.vendor == "sqlite" and len(q) >= 3:
        table = TABLES[field]
        phrase = '"' + q.replace('"', '""') + '"'
        # The table name is one of ours; the query is a bound parameter.
        found = RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [phrase])  # noqa: S608, S611
        return rows.filter(pk__in=found)
    return rows.filter(**{f"{field}__contains": q})
