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


def fold(text: str) -> str:
    """Lower-case, accent-free form for searching and comparing (đ becomes d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()
