"""The staff's search by words instead of by trigrams (SQLite).

Staff search for words and phrases ("đường liên thôn", "sạt lở", a name, a tracking code). The
trigram table of migration 0005 answered them by intersecting the lists of trigrams such as
" th" and "ng ", which nearly every petition holds: 200–370 ms for a common phrase at a million
petitions. An FTS5 table with the unicode61 tokenizer over the folded text keeps one list per
word, with positions (``detail=full``) for phrase queries, and costs the citizen's submission
fewer index writes than the trigrams it replaces (a word is one token, a word of five letters five
trigrams). The portal's table (published answers) keeps its trigrams. PostgreSQL: nothing; its
trigram GIN index serves the same search written as a regular expression (``petitions.search``).
"""

from django.db import migrations

OLD = "petition_search"  # trigram table of migration 0005, on search_key
NEW = "petition_words"


def _fts(table: str, tokenize: str, detail: str = "") -> list[str]:
    options = f"tokenize='{tokenize}'" + (f", detail='{detail}'" if detail else "")
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5(search_key, content='petitions_petition', content_rowid='id', "
        f"{options})",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON petitions_petition BEGIN "
        f"INSERT INTO {table}(rowid, search_key) VALUES (new.id, new.search_key); END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON petitions_petition BEGIN "
        f"INSERT INTO {table}({table}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF search_key ON petitions_petition BEGIN "
        f"INSERT INTO {table}({table}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
        f"INSERT INTO {table}(rowid, search_key) VALUES (new.id, new.search_key); END",
    ]


def _drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_update",
        f"DROP TRIGGER IF EXISTS {table}_delete",
        f"DROP TRIGGER IF EXISTS {table}_insert",
        f"DROP TABLE IF EXISTS {table}",
    ]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0006_inbox_index")]

    operations = [
        migrations.RunPython(
            _run(_drop(OLD) + _fts(NEW, "unicode61")),
            _run(_drop(NEW) + _fts(OLD, "trigram")),
        )
    ]
