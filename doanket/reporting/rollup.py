"""Reading the roll-up: the tables, drill-downs and dashboards built from the cells.

Every function here reads a fixed number of rows whatever the number of units: the cell of the
unit, the cells (or reports) of its children, and the cells of the periods compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from doanket.organizations.models import Unit, paths_q
from doanket.reporting import aggregate, periods
from doanket.reporting.models import (
    FormVersion,
    Indicator,
    IndicatorType,
    Report,
    RollupCell,
    Schedule,
    Status,
)
from doanket.reporting.services import REPORT_FIELDS, Tally, period_for


@dataclass
class Figure:
    indicator: Indicator
    value: Any = None
    previous: Any = None
    year_ago: Any = None
    reported: int = 0  # how many approved reports carry it
    choices: dict[str, int] = field(default_factory=dict)

    @property
    def change(self) -> Any:
        if isinstance(self.value, int | float) and isinstance(self.previous, int | float):
            return self.value - self.previous
        return None


@dataclass(frozen=True, slots=True)
class UnitRef:
    """What a table shows of a child unit: a province has 168 communes, and building as many
    full ``Unit`` objects cost a province page 3 ms of its 20."""

    pk: int
    name: str
    path: str


@dataclass
class Part:
    """One child of the unit in the table: its own figures (cell or report) and completeness."""

    unit: UnitRef
    expected: int
    arrived: int
    on_time: int
    approved: int
    data: dict[str, Any]
    report: Report | None = None

    @property
    def missing(self) -> int:
        return self.expected - self.arrived

    @property
    def completeness(self) -> float:
        return self.arrived / self.expected if self.expected else 1.0

    def value(self, indicator: Indicator) -> Any:
        return aggregate.result(self.data.get(indicator.code), indicator.rollup)


@dataclass
class Table:
    schedule: Schedule
    unit: Unit
    period: periods.Period
    version: FormVersion | None
    cell: RollupCell | None
    figures: list[Figure]
    parts: list[Part]
    previous: periods.Period | None
    year_ago: periods.Period | None
    chosen: Figure | None = None  # the figure the children are compared on

    @property
    def expected(self) -> int:
        return self.cell.expected if self.cell else 0

    @property
    def arrived(self) -> int:
        return self.cell.arrived if self.cell else 0

    @property
    def on_time(self) -> int:
        return self.cell.on_time if self.cell else 0

    @property
    def approved(self) -> int:
        return self.cell.approved if self.cell else 0

    @property
    def missing(self) -> int:
        return self.expected - self.arrived


def version_of(schedule: Schedule, period: str) -> FormVersion | None:
    """The form version the period's reports were made with (all of a period share one)."""
    found = list(Report.objects.filter(schedule=schedule, period=period).order_by().values_list("version_id")[:1])
    if not found:
        return schedule.form.current_version()
    return FormVersion.objects.select_related("form").get(pk=found[0][0])


def parts_of(
    schedule: Schedule,
    unit: Unit,
    period: str,
    choices: set[str] | frozenset[str] = frozenset(),
    only: list[str] | None = None,
) -> list[Part]:
    """The children of ``unit`` that report or have reports below them (two queries, a third for
    children without a cell that may have a report of their own). With
    ``only``, the cells' figures of those indicators alone are read: a province page shows one
    figure per commune, and decoding 168 cells of 30 figures each was most of its time."""
    below = Unit.objects.filter(parent=unit).order_by()
    children = {pk: UnitRef(pk, name, path or "") for pk, name, path in below.values_list("pk", "name", "path")}
    counts = ("unit_id", "expected", "arrived", "on_time", "approved")
    # The children's ids as a subquery, not a list: the same plan (a probe of the cell index per
    # child) without binding 168 parameters; a join on the parent would scan the schedule's cells.
    rows = RollupCell.objects.filter(schedule=schedule, period=period, unit_id__in=Subquery(below.values("pk")))
    parts = []
    with_cells = set()
    if only is None:
        for row in rows.values(*counts, "data"):
            with_cells.add(row["unit_id"])
            parts.append(_part(children[row["unit_id"]], row, row["data"]))
    else:
        figures = {f"f_{n}": KeyTransform(code, "data") for n, code in enumerate(only)}
        for row in rows.annotate(**figures).values(*counts, *figures):
            with_cells.add(row["unit_id"])
            data = {code: row[f"f_{n}"] for n, code in enumerate(only) if row[f"f_{n}"] is not None}
            parts.append(_part(children[row["unit_id"]], row, data))
    # A child with a cell is summed there; only the others can carry a report of their own
    # (a province's communes all have cells: no query).
    own = [pk for pk in children if pk not in with_cells]
    reports = Report.objects.filter(schedule=schedule, period=period, unit_id__in=own).order_by() if own else []
    for report in reports:
        child = children[report.unit_id]
        tally = Tally()
        row = {name: child.path if name == "unit__path" else getattr(report, name) for name in REPORT_FIELDS}
        tally.add_report(row, set(choices))
        parts.append(Part(child, 1, tally.arrived, tally.on_time, tally.approved, tally.data, report))
    parts.sort(key=lambda p: p.unit.path)
    return parts


def _part(unit: UnitRef, row: dict[str, Any], data: dict[str, Any]) -> Part:
    return Part(unit, row["expected"], row["arrived"], row["on_time"], row["approved"], data)


def table(schedule: Schedule, unit: Unit, period_key: str, indicator: str | None = "") -> Table:
    """The roll-up of ``unit`` for a period, with the period before and the same period a year
    ago, and its children. ``indicator``: the code of the one figure the children are compared
    on ("" for the first key indicator); None reads every figure of the children (exports)."""
    period = period_for(schedule, period_key)
    previous = periods.previous(period)
    year_ago = periods.year_before(period)
    keys = [p.key for p in (period, previous, year_ago) if p is not None]
    cells = {cell.period: cell for cell in RollupCell.objects.filter(schedule=schedule, unit=unit, period__in=keys)}
    # The indicators of the version the period's reports were made with, in one query; a period
    # without reports falls back to the form's current version.
    made_with = Report.objects.filter(schedule=schedule, period=period.key).order_by().values("version_id")[:1]
    indicators = list(
        Indicator.objects.filter(version_id=Subquery(made_with))
        .select_related("section", "version__form")
        .order_by("position")
    )
    if indicators:
        version: FormVersion | None = indicators[0].version
    else:
        version = version_of(schedule, period.key)
        indicators = list(version.indicators.select_related("section").order_by("position")) if version else []
    cell = cells.get(period.key)
    figures = []
    for ind in indicators:
        figure = Figure(ind)
        if cell:
            agg = cell.data.get(ind.code)
            figure.value = aggregate.result(agg, ind.rollup)
            figure.reported = agg.get("n", 0) if agg else 0
            if ind.type == IndicatorType.CHOICE and agg:
                figure.choices = agg.get("c", {})
        for other, attr in ((previous, "previous"), (year_ago, "year_ago")):
            if other and other.key in cells:
                setattr(figure, attr, aggregate.result(cells[other.key].data.get(ind.code), ind.rollup))
        figures.append(figure)
    choices = {i.code for i in indicators if i.type == IndicatorType.CHOICE}
    numeric = [f for f in figures if not f.indicator.is_text]
    chosen = next((f for f in numeric if f.indicator.code == indicator), None) if indicator else None
    if chosen is None and indicator is not None:
        chosen = next((f for f in numeric if f.indicator.key), numeric[0] if numeric else None)
    only = None if indicator is None else ([chosen.indicator.code] if chosen else [])
    parts = parts_of(schedule, unit, period.key, choices, only)
    return Table(schedule, unit, period, version, cell, figures, parts, previous, year_ago, chosen)


def _stamp_keys(schedule: Schedule, period_key: str) -> list[str]:
    try:
        period = period_for(schedule, period_key)
    except ValueError:
        return []
    return [p.key for p in (period, periods.previous(period), periods.year_before(period)) if p is not None]


def _stamp_text(last: dt.datetime | None, cells: int | None) -> str:
    return f"{last.timestamp():.6f}-{cells}" if last else ""


def stamp(schedule: Schedule, unit: Unit, period_key: str) -> str:
    """When the cells a table of ``unit`` reads last changed (its own, and those of the period
    before and a year before); "" when it has none. A child's change recomputes the unit's cell,
    so this moves whenever any figure of the table does."""
    keys = _stamp_keys(schedule, period_key)
    if not keys:
        return ""
    changed = RollupCell.objects.filter(schedule=schedule, unit=unit, period__in=keys).aggregate(
        last=Max("updated_at"), cells=Count("pk")
    )
    return _stamp_text(changed["last"], changed["cells"])


def with_stamp(units: QuerySet[Unit], schedule: Schedule, period_key: str) -> QuerySet[Unit]:
    """``units`` each annotated with its ``stamp`` parts, read in the same query as the unit (a
    round trip less for the roll-up page); ``stamp_of`` reads them."""
    keys = _stamp_keys(schedule, period_key)
    if not keys:
        return units  # no such period: ``stamp`` says "" without a query
    cells = RollupCell.objects.filter(schedule=schedule, unit=OuterRef("pk"), period__in=keys).order_by().values("unit")
    return units.annotate(
        stamp_last=Subquery(cells.annotate(last=Max("updated_at")).values("last")[:1]),
        stamp_cells=Subquery(cells.annotate(n=Count("pk")).values("n")[:1]),
    )


def stamp_of(unit: Unit) -> str | None:
    """The stamp of a unit read through ``with_stamp`` (None when it was read without)."""
    if not hasattr(unit, "stamp_last"):
        return None
    return _stamp_text(getattr(unit, "stamp_last"), getattr(unit, "stamp_cells"))  # noqa: B009 - annotations


def missing_reports(schedule: Schedule, unit: Unit, period: str, offset: int, limit: int) -> list[Report]:
    """Reports of ``unit``'s subtree not yet submitted, a page at a time (the total is in the cell)."""
    # Owed reports are those not started or in a first draft: the (schedule, period, status) index
    # finds them, and a range on the unit's path keeps the subtree (no probe per unit below).
    return list(
        Report.objects.filter(
            schedule=schedule,
            period=period,
            status__in=[Status.NOT_STARTED, Status.DRAFT],
            first_submitted_at__isnull=True,
        )
        .filter(paths_q([unit.path or ""], "unit__path"))
        .select_related("unit__parent")
        .order_by("unit__path")[offset : offset + limit]
    )


def texts(schedule: Schedule, unit: Unit, period: str, code: str, limit: int = 200) -> list[tuple[Unit, str]]:
    """What the units below wrote under a text indicator (approved reports), for gathering."""
    rows = (
        Report.objects.filter(schedule=schedule, period=period, approved_values__isnull=False)
        .filter(unit__in=Unit.objects.subtree_of(unit))
        .select_related("unit")
        .order_by("unit__path")[:limit]
    )
    found = []
    for report in rows:
        text = str((report.approved_values or {}).get(code) or "").strip()
        if text:
            found.append((report.unit, text))
    return found


@dataclass
class Trend:
    schedule: Schedule
    keys: list[str]
    cells: dict[str, RollupCell]
    indicators: list[Indicator]
    own: dict[str, Report] = field(default_factory=dict)  # the unit's own reports, by period

    @property
    def own_latest(self) -> Report | None:
        for key in reversed(self.keys):
            if key in self.own:
                return self.own[key]
        return None

    def series(self, indicator: Indicator) -> list[Any]:
        return [
            aggregate.result(self.cells[k].data.get(indicator.code), indicator.rollup) if k in self.cells else None
            for k in self.keys
        ]

    @property
    def latest(self) -> RollupCell | None:
        for key in reversed(self.keys):
            if key in self.cells:
                return self.cells[key]
        return None

    @property
    def latest_key(self) -> str | None:
        cell = self.latest
        return cell.period if cell else None


def recent_keys(schedule: Schedule, today: dt.date, count: int) -> list[str]:
    if schedule.frequency == periods.Frequency.ONCE:
        return ["once"]
    current: periods.Period | None = periods.period_of(schedule.frequency, min(today, schedule.ends or today))
    keys: list[str] = []
    while current is not None and len(keys) < count and current.end >= schedule.starts:
        keys.append(current.key)
        current = periods.previous(current)
    return list(reversed(keys))


def trends(unit: Unit, schedules: list[Schedule], count: int = 6) -> list[Trend]:
    """For each schedule, ``unit``'s cells of the last ``count`` periods and the key indicators
    (two queries per schedule)."""
    today = timezone.localdate()
    found = []
    for schedule in schedules:
        keys = recent_keys(schedule, today, count)
        cells = {c.period: c for c in RollupCell.objects.filter(schedule=schedule, unit=unit, period__in=keys)}
        own = {r.period: r for r in Report.objects.filter(schedule=schedule, unit=unit, period__in=keys)}
        version = schedule.form.current_version()
        indicators = [i for i in version.indicators.order_by("position") if i.key] if version else []
        found.append(Trend(schedule, keys, cells, indicators, own))
    return found


def schedules_for(unit: Unit) -> list[Schedule]:
    """The schedules whose reporting covers ``unit``: issued by it or by a unit above it."""
    paths = unit.lineage_paths()
    return list(
        Schedule.objects.filter(active=True, unit__path__in=paths).select_related("form", "unit").order_by("name")
    )


def attention(unit: Unit, trends_: list[Trend], limit: int = 8) -> list[tuple[Unit, int, int]]:
    """The units directly below ``unit`` with the largest share of reports missing in the latest
    periods: (unit, missing, expected), worst first (two queries per schedule)."""
    children = {u.pk: u for u in Unit.objects.filter(parent=unit)}
    missing: dict[int, list[int]] = {}
    for trend in trends_:
        key = trend.latest_key
        if key is None:
            continue
        cells = RollupCell.objects.filter(schedule=trend.schedule, period=key, unit_id__in=list(children))
        with_cells = set()
        for cell in cells:
            with_cells.add(cell.unit_id)
            entry = missing.setdefault(cell.unit_id, [0, 0])
            entry[0] += cell.expected - cell.arrived
            entry[1] += cell.expected
        reports = Report.objects.filter(schedule=trend.schedule, period=key, unit_id__in=list(children))
        for unit_id, submitted in reports.values_list("unit_id", "first_submitted_at"):
            if unit_id in with_cells:
                continue
            entry = missing.setdefault(unit_id, [0, 0])
            entry[0] += 0 if submitted else 1
            entry[1] += 1
    ranked = sorted(
        ((children[pk], m, e) for pk, (m, e) in missing.items() if m),
        key=lambda t: (-t[1] / max(t[2], 1), -t[1], t[0].path or ""),
    )
    return ranked[:limit]
