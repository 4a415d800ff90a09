"""A whole-word index of the published entries, beside the trigram one (migration 0004).

SQLite: an FTS5 table with the unicode61 tokenizer over the folded text (``search_key``): each
word (and each day and amount mark) is one token, so a name of short, common words ("le minh ha")
is three token lists merged in entry order instead of trigrams intersected and short words
filtered row by row. ``detail=none``: no positions are kept (the search never asks for phrases),
which keeps the lists small. Kept in step by triggers. PostgreSQL: nothing (the trigram GIN index
serves its search).
"""

from django.db import migrations

TABLE = "ledger_entry_words"
SQLITE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(search_key, content='funds_ledgerentry', content_rowid='id', "
    "tokenize='unicode61', detail='none')",
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


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("funds", "0007_spending_and_houses")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_BACK))]
