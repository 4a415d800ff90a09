"""Vietnamese text: stored in NFC, searched without accents or tone-placement differences.

``fold("Người nghèo")`` == ``fold("nguoi ngheo")`` == "nguoi ngheo", and "hoà"/"hòa" fold alike,
because the tone mark is removed wherever it was placed. Each searchable model keeps a folded
copy of its text in an indexed column and searches that column.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """The stored form of any Vietnamese text: NFC, trimmed, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


_LINE_SPACES = re.compile(r"[^\S\n]+")


def nfc_lines(text: str) -> str:
    """NFC for text whose lines matter (a narrative, a comment): line breaks kept (CRLF → LF),
    runs of spaces within a line made single, each line trimmed, at most one blank line."""
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in unicodedata.normalize("NFC", text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first use of each character: folding a long document
    is one C-level pass instead of a Unicode decomposition per call."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


class _AlignedTable(dict[int, str]):
    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        kept = self[code] = folded if len(folded) == 1 else chr(code)
        return kept


_FOLD = _FoldTable()
_ALIGNED = _AlignedTable()


def fold(text: str) -> str:
    """Lower-case, accent-free form for searching and comparing (đ becomes d)."""
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


def grouped(number: int) -> str:
    """A whole number as Vietnamese writes it: dots group the thousands (1234567 → "1.234.567")."""
    return f"{number:,}".replace(",", ".")


def fold_aligned(text: str) -> str:
    """``fold`` without trimming or merging spaces, one character for one character, so that an
    offset in the result is the same offset in ``text`` (characters that fold to several or to
    none are kept as they are)."""
    return text.translate(_ALIGNED)
