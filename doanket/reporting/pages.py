"""The roll-up table of a unit and period as the page shows it, rendered once per change.

The table is the same for everyone allowed to open it and changes only when a cell it reads
changes (any write below a unit recomputes its cell), so it is cached under the cells' last change:
``rollup.stamp``. The page renders it on a miss; after an approval or a submission the worker
renders it ahead for the units whose pages are the largest (the country and the provinces), so
the first reader after a change is served from the cache too (``warm``). The default cache is
shared by the app's processes and the worker (settings: a folder under var/, or Redis).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from doanket.organizations.models import Level, Unit
from doanket.reporting import rollup
from doanket.reporting.models import Schedule

CACHE_SECONDS = 3600  # the key changes with the data; this only bounds a renamed unit's old name
PENDING_SECONDS = 60  # a warm-up waiting for the worker: later changes join it
WARMED_LEVELS = (Level.CENTRAL, Level.PROVINCE)  # a commune's table renders in a few ms


Above = list[tuple[int, str, str]]  # (pk, name, path) of the units above, the schedule's unit first


def cache_key(schedule: Schedule, unit: Unit, key: str, indicator: str, stamp: str) -> str:
    language = translation.get_language()
    return f"reporting:rollup:v2:{schedule.pk}:{unit.pk}:{key}:{slugify(indicator)[:40]}:{language}:{stamp}"


def above(schedule: Schedule, unit: Unit) -> Above:
    """The units between the schedule's unit and ``unit`` (the page's breadcrumb, before the
    reader's scope is applied), top first."""
    top = len(schedule.unit.path or "")
    paths = [p for p in unit.ancestor_paths() if len(p) >= top]
    rows = Unit.objects.filter(path__in=paths).order_by("depth").values_list("pk", "name", "path")
    return [(pk, name, path or "") for pk, name, path in rows]


def render(schedule: Schedule, unit: Unit, key: str, indicator: str) -> tuple[str, rollup.Table]:
    """The table's HTML (in the active language) and the table it shows."""
    table = rollup.table(schedule, unit, key, indicator)
    figure = table.chosen
    chart = None
    if figure is not None:
        chart = {
            "label": figure.indicator.label,
            "labels": [p.unit.name for p in table.parts],
            "values": [p.value(figure.indicator) for p in table.parts],
        }
    context = {"schedule": schedule, "unit": unit, "table": table, "figure": figure, "chart": chart}
    return render_to_string("reporting/_rollup_table.html", context), table


def fragment(schedule: Schedule, unit: Unit, key: str, indicator: str = "") -> tuple[str, rollup.Table | None, Above]:
    """The table's HTML from the cache, or rendered and cached; the table when it was rendered;
    the units above (cached with the table: one query less for the page). The stamp comes with
    the unit when it was read through ``rollup.with_stamp``."""
    stamp = rollup.stamp_of(unit)
    if stamp is None:
        stamp = rollup.stamp(schedule, unit, key)
    name = cache_key(schedule, unit, key, indicator, stamp) if stamp else ""
    found = cache.get(name) if name else None
    if found is not None:
        html, crumbs = found
        return html, None, crumbs
    html, table = render(schedule, unit, key, indicator)
    crumbs = above(schedule, unit)
    if name:
        cache.set(name, (html, crumbs), CACHE_SECONDS)
    return html, table, crumbs


def _pending(schedule_id: int, period: str, unit_id: int) -> str:
    return f"reporting:warming:{schedule_id}:{period}:{unit_id}"


def units_to_warm(schedule: Schedule, period: str, units: Iterable[Unit]) -> list[int]:
    """Of the units whose cells just changed, those whose tables the worker should render ahead
    and that no waiting warm-up covers already (at most one waits per unit and period)."""
    return [
        unit.pk
        for unit in units
        if unit.level in WARMED_LEVELS and cache.add(_pending(schedule.pk, period, unit.pk), 1, PENDING_SECONDS)
    ]


def warm(schedule_id: int, period: str, unit_ids: list[int]) -> int:
    """Render the tables of ``unit_ids`` for ``period`` in every language, unless cached: what the
    worker does after a change. Returns the number rendered."""
    cache.delete_many([_pending(schedule_id, period, pk) for pk in unit_ids])  # later changes queue anew
    schedule = Schedule.objects.select_related("unit", "form").filter(pk=schedule_id).first()
    if schedule is None:
        return 0
    rendered = 0
    for unit in Unit.objects.filter(pk__in=unit_ids):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                _html, table, _above = fragment(schedule, unit, period)
                rendered += table is not None
    return rendered
