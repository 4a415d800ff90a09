"""Pages the modules above keep about a person (their training history, …), linked from the
person's page. The modules register them from their ``AppConfig.ready``, like the sections of
:mod:`doanket.organizations.personal_data`, so this module never imports them. A registered page
must ask for no more than the person's page does (``view_people`` on the person's unit)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doanket.organizations.models import Person

_PAGES: dict[str, Any] = {}  # URL name (taking the person's pk) → label


def register(url_name: str, label: Any) -> None:
    _PAGES[url_name] = label


def links(person: Person) -> list[tuple[str, str]]:
    """(label, address) of each registered page about ``person``, in the order registered."""
    return [(str(label), reverse(url_name, args=[person.pk])) for url_name, label in _PAGES.items()]
