"""Searching petitions by their folded text ("nguoi ngheo" finds "người nghèo").

Two searches over two folded copies of the text:

- **Staff** (``search_key``: code, title, content) search by **words**: the words typed, in that
  order, as words of the text, the last one possibly unfinished — "duong lien th" finds "đường
  liên thôn", "lien thon" finds it too, "ien thon" does not (a word is not found by its middle).
  SQLite asks an FTS5 word table (migration 0007); PostgreSQL the trigram GIN index with the same
  rule written as a regular expression. Punctuation is ignored ("100%" finds "100 %" and "100%").
- **Portal** (``public_key``: the published answers) by **any part** of the text, three
  characters or more through an index (FTS5 trigram table on SQLite, migration 0005; the trigram
  GIN index's ``contains`` on PostgreSQL); a shorter query is a plain scan of the published rows.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from doanket.core.text import fold
from doanket.petitions.models import Petition

WORDS_TABLE = "petition_words"  # SQLite FTS5, unicode61 tokenizer, on search_key (migration 0007)
PUBLIC_TABLE = "petition_public_search"  # SQLite FTS5, trigram tokenizer, on public_key (migration 0005)
WORD = re.compile(r"[^\W_]+")  # a word as the unicode61 tokenizer cuts it: letters and digits
PREFIX_FROM = 2  # a last word this long or longer also finds the words it begins


def matching(rows: QuerySet[Petition], text: str, field: str = "search_key") -> QuerySet[Petition]:
    """``rows`` whose ``field`` holds ``text``: as words for the staff's ``search_key``, as any
    part of the text for the portal's ``public_key``."""
    folded = fold(text)
    if field == "public_key":
        return _containing(rows, folded)
    assert field == "search_key"
    words = WORD.findall(folded)
    if not words:  # punctuation only ("%"): a plain scan for it
        return rows.filter(search_key__contains=folded) if folded else rows
    prefix = len(words[-1]) >= PREFIX_FROM
    if connection.vendor == "sqlite":
        # A phrase of the words; "*" after it makes its last word a prefix. The words are letters
        # and digits only: nothing in them needs quoting in FTS5's syntax.
        phrase = '"' + " ".join(words) + '"' + (" *" if prefix else "")
        found = RawSQL(f"SELECT rowid FROM {WORDS_TABLE} WHERE {WORDS_TABLE} MATCH %s", [phrase])  # noqa: S608, S611
        return rows.filter(pk__in=found)
    return rows.filter(search_key__regex=pattern(words, prefix))


def pattern(words: list[str], prefix: bool) -> str:
    """The staff search as a PostgreSQL regular expression (the trigram index serves it): the
    words in order, each starting a word (``\\m``), separated by anything that is not a letter
    or digit, the last one ending a word unless it may be a prefix (``\\M``)."""
    return r"\m" + "[^[:alnum:]]+".join(words) + ("" if prefix else r"\M")


def _containing(rows: QuerySet[Petition], q: str) -> QuerySet[Petition]:
    if not q:
        return rows
    if connection.vendor == "sqlite" and len(q) >= 3:
        phrase = '"' + q.replace('"', '""') + '"'
        # The table name is ours; the query is a bound parameter.
        found = RawSQL(f"SELECT rowid FROM {PUBLIC_TABLE} WHERE {PUBLIC_TABLE} MATCH %s", [phrase])  # noqa: S608, S611
        return rows.filter(pk__in=found)
    return rows.filter(public_key__contains=q)
