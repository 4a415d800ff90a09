"""Passwords: the words a password may not contain (ASVS 5.0 V6.1.2, V6.2.11).

A password is refused when, folded (lower case, accents and đ removed: ``core.text.fold``) and with
everything but letters and digits taken out, it contains one of:

- the platform's and the organisation's names: ``PLATFORM_WORDS``;
- common weak passwords of Vietnamese users: ``WEAK_WORDS`` (Django's ``CommonPasswordValidator``
  refuses the 20,000 commonest whole passwords; this list catches them inside a longer one,
  "matkhau2026");
- the user's own username, full name, and each word of the name of at least four letters.

"Mật khẩu Đoàn Kết!" and "doanket2026" are both refused: accents, case, spaces and symbols do not hide
a word. The list is short on purpose (refusing too much makes people write passwords down).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from doanket.core.text import fold

PLATFORM_WORDS = (
    "doanket",  # the platform's name, Đoàn Kết
    "mattran",  # Mặt trận
    "mttq",  # MTTQ, Mặt trận Tổ quốc
    "tqvn",  # (MT)TQVN
    "daidoanket",
)
WEAK_WORDS = (
    "matkhau",  # "mật khẩu", password
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "tinhyeu",
    "xinchao",
    "vietnam",
    "hanoi",
    "saigon",
    "hochiminh",
    "quantri",  # "quản trị", administrator
    "password",
    "qwerty",
    "123456",
    "iloveyou",
)
NAME_PART_MIN = 4  # shorter words of a name ("An", "Hà") are too common inside other words


def squash(text: str) -> str:
    """``text`` folded, with only its letters and digits."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _user_words(user: Any) -> list[str]:
    if user is None:
        return []
    words: list[str] = []
    for value in (getattr(user, "username", ""), getattr(user, "full_name", ""), getattr(user, "get_full_name", None)):
        text = value() if callable(value) else value
        if not text:
            continue
        whole = squash(str(text))
        if len(whole) >= NAME_PART_MIN - 1:
            words.append(whole)
        words += [part for part in (squash(p) for p in fold(str(text)).split()) if len(part) >= NAME_PART_MIN]
    return words


class BarredWordsValidator:
    """Refuse passwords that contain the platform's name, the Front's, a common weak password or
    the user's own name (see the module's docstring)."""

    def validate(self, password: str, user: Any = None) -> None:
        squashed = squash(password)
        for word in (*PLATFORM_WORDS, *WEAK_WORDS, *_user_words(user)):
            if word and word in squashed:
                raise ValidationError(
                    _(
                        "This password contains a word that is too easy to guess (the platform's or the "
                        "Front's name, your own name, or a common password such as “matkhau”). Choose another."
                    ),
                    code="password_barred_word",
                )

    def get_help_text(self) -> str:
        return _(
            "Your password may not contain the platform's or the Front's name, your own name, or a common "
            "password such as “matkhau” or “anhyeuem”, with or without accents."
        )
