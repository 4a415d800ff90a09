"""The Vietnamese catalogue is complete, compiled, and what the interface shows.

After adding or changing a string in the code or the templates, run ``make messages``, then fill
every new (or "fuzzy") msgstr in doanket/locale/vi/LC_MESSAGES/django.po with the Vietnamese of
/work/shared/GLOSSARY.md, remove the "fuzzy" flags, and run ``make messages`` again so that
django.mo (committed, as a fresh machine may lack GNU gettext) follows the .po.

These tests need neither gettext nor a database: they read the .po and .mo with polib and scan
the sources themselves, so a string without a translation fails the suite.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, trim_whitespace

SOURCE_ROOT = Path(settings.BASE_DIR) / "doanket"
CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
MO_PATH = CATALOGUE_DIR / "django.mo"
HOW_TO_FIX = "run `make messages`, fill the msgstr in doanket/locale/vi/LC_MESSAGES/django.po, run it again"


@dataclass(frozen=True)
class Message:
    """A string the code asks to translate, and where it was found."""

    msgid: str
    plural: str | None = None
    context: str | None = None
    where: str = ""


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def live_entries(po: Any) -> list[Any]:
    return [e for e in po if not e.obsolete]


# --- Finding the strings in the sources -------------------------------------------------------

# Function name -> positions of (context, msgid, plural) among the call's arguments, as makemessages
# passes them to xgettext (``_`` is whatever gettext was imported as).
GETTEXT_CALLS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def python_messages(source: str, where: str) -> Iterator[Message]:
    """Every gettext call with literal strings in ``source`` (f-strings and variables are skipped)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in GETTEXT_CALLS:
            continue
        literals = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        context_at, msgid_at, plural_at = GETTEXT_CALLS[name]
        needed = [i for i in (context_at, msgid_at, plural_at) if i is not None]
        if any(i >= len(literals) or literals[i] is None for i in needed):
            continue
        msgid = literals[msgid_at]
        assert msgid is not None
        yield Message(
            msgid=msgid,
            plural=literals[plural_at] if plural_at is not None else None,
            context=literals[context_at] if context_at is not None else None,
            where=f"{where}:{node.lineno}",
        )


TRANSLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)(?P<rest>.*?)%\}""", re.S)
BLOCKTRANSLATE_TAG = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>.*?)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
CONTEXT_ARG = re.compile(r"""\bcontext\s+(["'])(.*?)\1""")


def _context(args: str) -> str | None:
    found = CONTEXT_ARG.search(args)
    return found.group(2) if found else None


def _block_msgid(body: str, trimmed: bool) -> str:
    """The msgid Django makes of a blocktranslate body: ``%`` doubled, ``{{ n }}`` -> ``%(n)s``."""
    text = TEMPLATE_VARIABLE.sub(r"%(\1)s", body.replace("%", "%%"))
    return trim_whitespace(text) if trimmed else text


def template_messages(source: str, where: str) -> Iterator[Message]:
    """Every {% translate "..." %} and {% blocktranslate %} (with or without plural) in ``source``."""

    def line(offset: int) -> str:
        return f"{where}:{source.count(chr(10), 0, offset) + 1}"

    for m in TRANSLATE_TAG.finditer(source):
        msgid = m.group("msgid").replace("%", "%%")
        yield Message(msgid=msgid, context=_context(m.group("rest")), where=line(m.start()))
    for m in BLOCKTRANSLATE_TAG.finditer(source):
        args = m.group("args")
        trimmed = re.search(r"\btrimmed\b", args) is not None
        singular, *plural = PLURAL_TAG.split(m.group("body"), maxsplit=1)
        yield Message(
            msgid=_block_msgid(singular, trimmed),
            plural=_block_msgid(plural[0], trimmed) if plural else None,
            context=_context(args),
            where=line(m.start()),
        )


def _relative(path: Path) -> str:
    return str(path.relative_to(SOURCE_ROOT.parent))


def python_sources() -> Iterator[Path]:
    for path in sorted(SOURCE_ROOT.rglob("*.py")):
        parts = set(path.relative_to(SOURCE_ROOT).parts)
        if parts & {"migrations", "tests"} or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def template_sources() -> Iterator[Path]:
    for path in sorted(SOURCE_ROOT.rglob("*")):
        if path.suffix in {".html", ".txt"} and "templates" in path.relative_to(SOURCE_ROOT).parts:
            yield path


def messages_in_sources() -> list[Message]:
    found: list[Message] = []
    for path in python_sources():
        found += python_messages(path.read_text(encoding="utf-8"), _relative(path))
    for path in template_sources():
        found += template_messages(path.read_text(encoding="utf-8"), _relative(path))
    return found


def missing_from(po: Any, messages: Iterable[Message]) -> list[str]:
    entries = {(e.msgctxt, e.msgid): e for e in live_entries(po)}
    problems = []
    for m in messages:
        entry = entries.get((m.context, m.msgid))
        if entry is None:
            problems.append(f"{m.where}: {m.msgid!r} is not in the catalogue")
        elif (m.plural or "") != (entry.msgid_plural or ""):
            problems.append(f"{m.where}: {m.msgid!r} has plural {m.plural!r}, the catalogue {entry.msgid_plural!r}")
    return problems


# --- The scanners find what they are meant to find ----------------------------------------------


def test_the_python_scanner_finds_every_kind_of_gettext_call() -> None:
    source = (
        "from django.utils import translation\n"
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext_lazy\n"
        "A = _('Save')\n"
        "B = translation.gettext('Multi' ' part')\n"
        "C = ngettext('%(n)s unit', '%(n)s units', 2)\n"
        "D = pgettext_lazy('month', 'May')\n"
        "E = _(f'{A} skipped')\n"
    )
    assert list(python_messages(source, "x.py")) == [
        Message("Save", where="x.py:3"),
        Message("Multi part", where="x.py:4"),
        Message("%(n)s unit", plural="%(n)s units", where="x.py:5"),
        Message("May", context="month", where="x.py:6"),
    ]


def test_the_template_scanner_finds_translate_and_blocktranslate_as_django_extracts_them() -> None:
    source = (
        '{% load i18n %}<b>{% translate \'Save\' %}</b>{% translate "100% done" context "bar" as label %}\n'
        "{% blocktranslate with n=page.number total=pages %}Page {{ n }} of {{ total }}{% endblocktranslate %}\n"
        "{% blocktranslate count n=c %}{{ n }} unit{% plural %}{{ n }} units{% endblocktranslate %}\n"
        "{% blocktranslate trimmed %}\n  Two\n  lines\n{% endblocktranslate %}"
    )
    assert list(template_messages(source, "t.html")) == [
        Message("Save", where="t.html:1"),
        Message("100%% done", context="bar", where="t.html:1"),
        Message("Page %(n)s of %(total)s", where="t.html:2"),
        Message("%(n)s unit", plural="%(n)s units", where="t.html:3"),
        Message("Two lines", where="t.html:4"),
    ]


def test_the_sources_scanned_include_the_templates_and_the_python_code() -> None:
    found = {m.msgid for m in messages_in_sources()}
    assert {"Log in", "Page %(n)s of %(total)s", "%(n)s unit", "Front work board", "Work programme"} <= found


# --- The catalogue is complete ------------------------------------------------------------------


def test_the_catalogue_header_declares_vietnamese_with_one_plural_form() -> None:
    po = catalogue()
    assert po.metadata["Language"] == "vi"
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not po.metadata_is_fuzzy


def test_every_entry_of_the_catalogue_is_translated() -> None:
    untranslated = []
    for e in live_entries(catalogue()):
        if e.msgid_plural:
            if sorted(e.msgstr_plural) != [0] or not all(e.msgstr_plural.values()):
                untranslated.append(e.msgid)
        elif not e.msgstr:
            untranslated.append(e.msgid)
    assert not untranslated, f"Untranslated ({HOW_TO_FIX}): {untranslated}"


def test_no_entry_of_the_catalogue_is_fuzzy() -> None:
    fuzzy = [e.msgid for e in live_entries(catalogue()) if "fuzzy" in e.flags]
    assert not fuzzy, f"Fuzzy entries are guesses by msgmerge; check each one and remove the flag: {fuzzy}"


def test_the_catalogue_keeps_no_obsolete_entries() -> None:
    assert not [e.msgid for e in catalogue().obsolete_entries()]


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_translation_keeps_the_placeholders_of_its_msgid() -> None:
    wrong = []
    for e in live_entries(catalogue()):
        for flag, pattern in (("python-format", PLACEHOLDER), ("python-brace-format", BRACE_PLACEHOLDER)):
            if flag not in e.flags:
                continue
            if e.msgid_plural:
                pairs = [(e.msgid_plural, text) for text in e.msgstr_plural.values()]
            else:
                pairs = [(e.msgid, e.msgstr)]
            for source, text in pairs:
                if Counter(pattern.findall(source)) != Counter(pattern.findall(text)):
                    wrong.append((source, text))
    assert not wrong


def test_every_string_of_the_python_code_and_the_templates_is_in_the_catalogue() -> None:
    problems = missing_from(catalogue(), messages_in_sources())
    assert not problems, f"{HOW_TO_FIX}:\n" + "\n".join(problems)


# --- The compiled catalogue follows the .po ------------------------------------------------------


def _translations(entries: Iterable[Any]) -> dict[tuple[str | None, str], Any]:
    return {
        (e.msgctxt or None, e.msgid): (
            (e.msgid_plural, {int(k): v for k, v in e.msgstr_plural.items()}) if e.msgid_plural else e.msgstr
        )
        for e in entries
        if e.msgid
    }


def test_the_compiled_catalogue_is_in_sync_with_the_po_file() -> None:
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `make messages` (the .mo is committed)"
    compiled = polib.mofile(str(MO_PATH))
    assert _translations(compiled) == _translations(catalogue().translated_entries()), (
        "django.mo is stale: run `make messages` (or manage.py compilemessages) and commit django.mo"
    )
    assert compiled.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"


# --- Django shows it ----------------------------------------------------------------------------


def test_gettext_gives_vietnamese_by_default_and_the_msgid_in_english() -> None:
    with translation.override("vi"):
        assert gettext("Log in") == "Đăng nhập"
    with translation.override("en"):
        assert gettext("Log in") == "Log in"


def test_a_template_renders_the_translate_tag_in_the_active_language() -> None:
    template = Template("{% load i18n %}{% translate 'Log out' %}")
    with translation.override("vi"):
        assert template.render(Context()) == "Đăng xuất"
    with translation.override("en"):
        assert template.render(Context()) == "Log out"


def test_the_single_vietnamese_plural_form_serves_every_count() -> None:
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} unit{% plural %}{{ n }} units{% endblocktranslate %}"
    )
    with translation.override("vi"):
        assert [template.render(Context({"n": n})) for n in (1, 3)] == ["1 đơn vị", "3 đơn vị"]
        assert ngettext("%(n)s person", "%(n)s people", 2) % {"n": 2} == "2 người"
    with translation.override("en"):
        assert [template.render(Context({"n": n})) for n in (1, 3)] == ["1 unit", "3 units"]


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("Front work board", "Ban công tác Mặt trận"),
        ("Member organisation", "Tổ chức thành viên"),
        ("People's Inspection Board", "Ban thanh tra nhân dân"),
        ("Community Investment Supervision Board", "Ban giám sát đầu tư của cộng đồng"),
        ("Work programme", "Chương trình công tác"),
        ("Petitions", "Phản ánh, kiến nghị"),
        ("Emulation", "Thi đua"),
        ("Supervision", "Giám sát"),
        ("Audit log", "Nhật ký thao tác"),
        ("Two-factor authentication", "Xác thực hai lớp"),
        ("term", "nhiệm kỳ"),
        ("prestigious person", "người có uy tín"),
        ("religious dignitary", "chức sắc tôn giáo"),
        ("Belongs to", "Trực thuộc"),
    ],
)
def test_the_interface_uses_the_terms_of_the_glossary(msgid: str, vietnamese: str) -> None:
    with translation.override("vi"):
        assert gettext(msgid) == vietnamese


@pytest.mark.django_db
def test_the_login_page_speaks_vietnamese_unless_english_is_chosen(client: Client) -> None:
    url = reverse("accounts:login")
    assert "<h1>Đăng nhập</h1>" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>Log in</h1>" in client.get(url).content.decode()
