"""An index for searching the published entries by words at millions of rows.

SQLite: an FTS5 table with the trigram tokenizer over the folded text (``search_key``), kept in
step by triggers, as for the petitions (``petitions`` migration 0005). PostgreSQL: a trigram GIN
index, which serves Django's ``contains``.
"""

from django.db import migrations

TABLE = "ledger_entry_search"
SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='funds_ledgerentry', content_rowid='id', "
    "tokenize='trigram')",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
    f"CREATE TRIGGER {TABLE}_insert AFTER INSERT ON funds_ledgerentry BEGIN "
    f"INSERT INTO {TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON funds_ledgerentry BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER {TABLE}_update AFTER UPDATE OF search_key ON funds_ledgerentry BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
]
SQLITE_BACK = [
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TABLE IF EXISTS {TABLE}",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX entry_search_trgm ON funds_ledgerentry USING gin (search_key gin_trgm_ops)",
]
POSTGRESQL_BACK = ["DROP INDEX IF EXISTS entry_search_trgm"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_ledger")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRESQL_BACK}),
        )
    ]
