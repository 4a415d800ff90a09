"""Indexes for searching petitions by any part of their folded text at a million rows.

PostgreSQL: trigram GIN indexes (pg_trgm, a contrib extension every PostgreSQL ships; trusted, so
the database owner may create it), which serve ``LIKE '%…%'`` — Django's ``contains``.
SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+), kept in step with the petitions
by triggers, which serves substring matches of three characters or more (``petitions.search``).
"""

from django.db import migrations

# One FTS5 table per column: the portal's search reads only the published answers' trigrams (an
# unpublished petition's public_key is empty and adds nothing), the staff's the whole text.
TABLES = {"petition_search": "search_key", "petition_public_search": "public_key"}


def _fts(table: str, column: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({column}, content='petitions_petition', content_rowid='id', "
        "tokenize='trigram')",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON petitions_petition BEGIN "
        f"INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON petitions_petition BEGIN "
        f"INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {column} ON petitions_petition BEGIN "
        f"INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END",
    ]


SQLITE = [sql for table, column in TABLES.items() for sql in _fts(table, column)]
SQLITE_BACK = [
    sql
    for table in TABLES
    for sql in (
        f"DROP TRIGGER IF EXISTS {table}_update",
        f"DROP TRIGGER IF EXISTS {table}_delete",
        f"DROP TRIGGER IF EXISTS {table}_insert",
        f"DROP TABLE IF EXISTS {table}",
    )
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX petition_search_trgm ON petitions_petition USING gin (search_key gin_trgm_ops)",
    "CREATE INDEX petition_public_trgm ON petitions_petition USING gin (public_key gin_trgm_ops) WHERE published",
]
POSTGRESQL_BACK = ["DROP INDEX IF EXISTS petition_public_trgm", "DROP INDEX IF EXISTS petition_search_trgm"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0004_synthesis_reception")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRESQL_BACK}),
        )
    ]
