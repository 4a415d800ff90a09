"""Numbers that are names, not quantities — ids, years, months — must never be grouped.

The Vietnamese format groups thousands with a dot (settings.USE_THOUSAND_SEPARATOR), so a bare
``{{ unit.pk }}`` renders 6711 as "6.711": a link ``?unit=6.711`` or an ``<option value="6.711">``
then names nothing (found by CI on PostgreSQL, whose ids had passed 1,000). Templates write them
through ``stringformat`` (or ``{% url %}``, which does not localise)."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

import doanket

ROOT = Path(doanket.__file__).parent
BARE = re.compile(r"\{\{ *((?:[a-z_][a-z0-9_.]*?(?:\.pk|_id|\.id|\.year|\.month))|year|month) *\}\}")
STRINGS = ("auto_id", "object_id", "attrs.id")  # text, never grouped


def test_no_template_prints_an_id_or_a_year_through_the_grouping_of_numbers() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {{{{ {m.group(1)} }}}}"
        for path in sorted(ROOT.rglob("*.html"))
        for m in BARE.finditer(path.read_text(encoding="utf-8"))
        if not m.group(1).endswith(STRINGS)
    ]
    assert found == []


def test_the_guard_matches_what_vietnamese_formatting_would_break() -> None:
    with translation.override("vi"):
        bare = Template("{{ unit.pk }} {{ year }}").render(Context({"unit": {"pk": 6711}, "year": 2026}))
        kept = Template('{{ unit.pk|stringformat:"d" }} {{ year|stringformat:"s" }}').render(
            Context({"unit": {"pk": 6711}, "year": 2026})
        )
    assert bare == "6.711 2.026"  # what the guard above keeps out of the templates
    assert kept == "6711 2026"
    assert BARE.search("{{ unit.pk }}") and BARE.search("{{ year }}") and not BARE.search("{{ title }}")
    text_id = BARE.search("{{ field.auto_id }}")
    assert text_id is not None and text_id.group(1).endswith(STRINGS)  # a string: left alone
