"""Everything the platform holds about a person, for a data-subject request (Luật 91/2025/QH15,
Nghị định 356/2025/NĐ-CP: the right to obtain one's data). The organisation module gives the
person's record and positions; the modules above register what they hold about a person
(visits, awards …) from their ``AppConfig.ready``; this module never imports them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from doanket.organizations.models import Person

Section = Callable[[Person], list[dict[str, Any]]]
_SECTIONS: dict[str, Section] = {}


def register(name: str, section: Section) -> None:
    _SECTIONS[name] = section


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def export(person: Person) -> dict[str, Any]:
    """The person's data as one JSON-ready document."""
    record = {
        field.name: _plain(getattr(person, field.attname))
        for field in Person._meta.concrete_fields
        if field.name not in ("id", "name_key")
    }
    record["unit"] = str(person.unit.name)
    positions = [
        {
            "unit": str(p.unit.name),
            "kind": p.get_kind_display(),
            "title": p.title,
            "term": str(p.term.name) if p.term else None,
            "start_date": _plain(p.start_date),
            "end_date": _plain(p.end_date),
        }
        for p in person.positions.select_related("unit", "term")
    ]
    return {
        "exported_at": timezone.now().isoformat(),
        "person": record,
        "positions": positions,
        **{name: section(person) for name, section in sorted(_SECTIONS.items())},
    }
