"""The registry of indicator sources: figures the platform already knows, offered to forms.

A module that knows a number (petitions received, money raised, tasks completed) registers a
source here; an indicator names the source and the report page fills it in for the officer to
check. Modules above ``reporting`` register from their ``AppConfig.ready``; ``reporting`` never
imports them. A source is ``fn(unit, start, end) -> int`` over the unit's own records; a text
source (``register_text``) is ``fn(unit, start, end) -> str``, a draft of a long-text indicator
written on demand (the "issues people raised" from the period's petitions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit

SourceFn = Callable[[Unit, dt.date, dt.date], int]
TextFn = Callable[[Unit, dt.date, dt.date], str]


@dataclass(frozen=True)
class Source:
    name: str
    label: str | Promise
    fn: SourceFn | TextFn
    text: bool = False


_REGISTRY: dict[str, Source] = {}


def register(name: str, label: str | Promise, fn: SourceFn) -> None:
    _REGISTRY[name] = Source(name, label, fn)


def register_text(name: str, label: str | Promise, fn: TextFn) -> None:
    _REGISTRY[name] = Source(name, label, fn, text=True)


def draft(name: str, unit: Unit, start: dt.date, end: dt.date) -> str | None:
    """The draft of a text source, or None when no text source has that name."""
    source = _REGISTRY.get(name)
    if source is None or not source.text:
        return None
    return str(source.fn(unit, start, end))


def get(name: str) -> Source | None:
    return _REGISTRY.get(name)


def choices() -> list[tuple[str, str]]:
    return [(s.name, str(s.label)) for s in sorted(_REGISTRY.values(), key=lambda s: s.name)]


def _tasks_completed(unit: Unit, start: dt.date, end: dt.date) -> int:
    from doanket.programs.models import Assignment, Status

    return Assignment.objects.filter(
        unit=unit, status=Status.DONE, last_update_at__date__gte=start, last_update_at__date__lte=end
    ).count()


def _progress_updates(unit: Unit, start: dt.date, end: dt.date) -> int:
    from doanket.programs.models import ProgressUpdate

    return ProgressUpdate.objects.filter(
        assignment__unit=unit, created_at__date__gte=start, created_at__date__lte=end
    ).count()


def register_builtin() -> None:
    """Sources from the modules below ``reporting`` (the work programme)."""
    register("programs.tasks_completed", _("Programme tasks completed in the period"), _tasks_completed)
    register("programs.progress_updates", _("Progress updates posted in the period"), _progress_updates)


def prefill(indicators: list[tuple[str, str]], unit: Unit, start: dt.date, end: dt.date) -> dict[str, int]:
    """Figures for (code, source name) pairs whose source is registered."""
    found = {}
    for code, name in indicators:
        source = _REGISTRY.get(name)
        if source is not None and not source.text:
            found[code] = int(source.fn(unit, start, end))
    return found
