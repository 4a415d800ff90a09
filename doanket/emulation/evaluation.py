"""Reviewing a movement (sơ kết, tổng kết) and ranking its units.

A review covers a period. :func:`compute` gives every participating unit its points on every
criterion measured from the data: a report indicator's figure over the period (the unit's roll-up
cells of the criterion's schedule, merged with the reporting module's own algebra) or the average
progress of the unit's programme tasks due in the period. A figure earns the criterion's weight in
proportion to the target — or, without a target, to the best figure among the units — never more.
Criteria scored by hand wait for the launching unit's score; each unit may assess itself, which is
shown beside the score and never counted. The ranking counts the launching unit's score where it
gave one, else the computed points, and each score keeps its figure, what it was measured against,
or the scorer's reason: the ranking explains itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Avg, Count, DecimalField, FloatField, Max, Min, Sum, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from doanket.accounts.authz import require_edit
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc_lines
from doanket.emulation.models import Criterion, Measure, Movement, Review, ReviewState, Score
from doanket.emulation.services import EmulationError, participants
from doanket.organizations.models import Unit
from doanket.programs.models import Assignment
from doanket.reporting import aggregate, periods
from doanket.reporting.models import Indicator, Report, RollupCell

HUNDREDTH = Decimal("0.01")
# The in-place accumulators [n, sum, min, max, latest] read as the reporting aggregate they are.
AGG_KEYS = ("n", "s", "lo", "hi", "l")
ROWS_PER_STATEMENT = 1000  # 8,000 parameters: within SQLite's and PostgreSQL's limits


@transaction.atomic
def open_review(actor: Any, movement: Movement, *, stage: str, period_from: dt.date, period_to: dt.date) -> Review:
    """An interim or final review of ``movement`` over a period; the worker computes its points
    (:func:`request_compute`)."""
    require_edit(actor, movement.unit)
    if period_to < period_from:
        raise EmulationError(_("The review's period ends before it starts."))
    if period_from < movement.starts_on or period_to > movement.ends_on:
        raise EmulationError(_("A review covers a period within the movement's."))
    review = Review.objects.create(
        movement=movement, stage=stage, period_from=period_from, period_to=period_to, created_by=audit.user_of(actor)
    )
    audit.record(actor, AuditAction.CREATE, review)
    return request_compute(actor, review)


def request_compute(actor: Any, review: Review) -> Review:
    """Hand the computation of ``review``'s points to the worker (``emulation.tasks.compute_review``),
    once the transaction asking for it is committed; its page shows the ranking when it is done."""
    from doanket.emulation import tasks  # the task module imports this one

    require_edit(actor, review.movement.unit)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.COMPUTING, error="")
    review.state, review.error = ReviewState.COMPUTING, ""
    pk = review.pk
    transaction.on_commit(lambda: tasks.compute_review.enqueue(pk))
    return review


def failed(review_id: int, error: str) -> None:
    """The computation stopped: the review's page says why and offers to try again."""
    Review.objects.filter(pk=review_id).update(state=ReviewState.FAILED, error=error[:500])


def lost(sender: Any, task_path: str, args: list[Any], **kwargs: Any) -> None:
    """``core.lost.task_lost``: the worker computing a review died (its transaction rolled back);
    the review's page says so and offers to compute again."""
    if task_path == "doanket.emulation.tasks.compute_review" and args:
        Review.objects.filter(pk=args[0], state=ReviewState.COMPUTING).update(
            state=ReviewState.FAILED, error=_("the server stopped during the computation; nothing was changed")
        )


def _points(weight: int, value: float | None, basis: float | None) -> Decimal:
    if value is None or not basis or basis <= 0:
        return Decimal("0.00")
    share = min(1.0, max(0.0, value / basis))
    return (Decimal(weight) * Decimal(str(share))).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _indicator_figures(review: Review, criteria: list[Criterion], units: Any) -> dict[int, dict[int, float | None]]:
    """Per criterion, per unit: the figure of its indicator over the review's period."""
    figures: dict[int, dict[int, float | None]] = {}
    by_schedule: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.measure == Measure.INDICATOR and criterion.schedule_id:
            by_schedule[criterion.schedule_id].append(criterion)
    for group in by_schedule.values():
        schedule = group[0].schedule
        assert schedule is not None
        keys = [
            p.key
            for p in periods.between(schedule.frequency, review.period_from, review.period_to)
            if review.period_from <= p.start and p.end <= review.period_to
        ]
        version = schedule.form.current_version()
        rollups = dict(
            Indicator.objects.filter(version=version, code__in=[c.indicator_code for c in group]).values_list(
                "code", "rollup"
            )
        )
        codes = {c.indicator_code for c in group}
        # A unit above the reporting level has its subtree's roll-up cells (merged with the
        # reporting module's algebra); a unit that reports itself (a commune on the communes'
        # form) has its approved reports, read in period order and summed in place.
        cell_aggs: dict[str, dict[int, Any]] = {code: {} for code in codes}
        cells = RollupCell.objects.filter(schedule=schedule, period__in=keys, unit__in=units).values_list(
            "unit_id", "data"
        )
        for unit_id, data in cells.iterator(chunk_size=2000):
            for code in codes & data.keys():
                bucket = cell_aggs[code]
                bucket[unit_id] = aggregate.merge(bucket.get(unit_id), data[code])
        with_cells = {unit_id for bucket in cell_aggs.values() for unit_id in bucket}
        sums: dict[str, dict[int, list[Any]]] = {code: {} for code in codes}  # [n, sum, min, max, latest]
        reports = Report.objects.filter(
            schedule=schedule, period__in=keys, unit__in=units, approved_values__isnull=False
        ).order_by()
        in_python = set(codes)
        if connection.vendor == "postgresql":
            # PostgreSQL sums a jsonb figure of 40,000 reports faster than Python reads them;
            # the latest value needs the period order, and stays below.
            in_sql = sorted(code for code in codes if rollups.get(code, "sum") in SQL_AGGREGATES)
            in_python -= set(in_sql)
            if in_sql:
                _aggregate_in_sql(reports.exclude(unit_id__in=with_cells), in_sql, rollups, sums)
        if in_python:
            for unit_id, values in (
                reports.order_by("period").values_list("unit_id", "approved_values").iterator(chunk_size=2000)
            ):
                if unit_id in with_cells or not values:
                    continue
                for code in in_python & values.keys():
                    value = values[code]
                    if not isinstance(value, int | float):
                        continue
                    found = sums[code].get(unit_id)
                    if found is None:
                        sums[code][unit_id] = [1, value, value, value, value]
                    else:
                        found[0] += 1
                        found[1] += value
                        found[2] = min(found[2], value)
                        found[3] = max(found[3], value)
                        found[4] = value
        for criterion in group:
            code = criterion.indicator_code
            method = rollups.get(code, "sum")
            figure = {unit_id: aggregate.result(agg, method) for unit_id, agg in cell_aggs[code].items()}
            for unit_id, kept in sums[code].items():
                figure[unit_id] = aggregate.result(dict(zip(AGG_KEYS, kept, strict=True)), method)
            figures[criterion.pk] = figure
    return figures


SQL_AGGREGATES = {"sum", "avg", "min", "max"}


def _aggregate_in_sql(
    reports: Any, codes: list[str], rollups: dict[str, str], sums: dict[str, dict[int, list[Any]]]
) -> None:
    """Each figure's count and roll-up (sum, average, minimum or maximum) per unit, in the
    database; kept as [n, sum, min, max, latest] with the one the roll-up reads filled in."""
    functions = {"sum": Sum, "avg": Avg, "min": Min, "max": Max}
    fields: dict[str, Any] = {}
    for n, code in enumerate(codes):
        figure = Cast(KT(f"approved_values__{code}"), FloatField())
        fields |= {f"n{n}": Count(figure), f"v{n}": functions[rollups.get(code, "sum")](figure)}
    slot = {"sum": 1, "avg": 1, "min": 2, "max": 3}
    for row in reports.values("unit_id").annotate(**fields).iterator(chunk_size=2000):
        for n, code in enumerate(codes):
            count = row[f"n{n}"]
            if count:
                method = rollups.get(code, "sum")
                # An average is kept as the sum it would be over the count (read back as s / n).
                value = row[f"v{n}"] * count if method == "avg" else row[f"v{n}"]
                kept: list[Any] = [count, None, None, None, None]
                kept[slot[method]] = value
                sums[code][row["unit_id"]] = kept


def _task_figures(review: Review, units: Any) -> dict[int, float | None]:
    """Per unit: the average progress (%) of its programme tasks due in the review's period."""
    rows = (
        Assignment.objects.filter(unit__in=units, due_date__range=(review.period_from, review.period_to))
        .values("unit_id")
        .annotate(progress=Avg("progress"))
    )
    return {row["unit_id"]: float(row["progress"]) for row in rows}


@transaction.atomic
def compute(review: Review) -> int:
    """Write every unit's computed points on every criterion (scores by hand are kept as given);
    returns the number of scores written. One pass over the period's cells per schedule."""
    movement = review.movement
    criteria = list(movement.criteria.select_related("schedule__form"))
    units = participants(movement)
    unit_ids = list(units.values_list("pk", flat=True))
    figures = _indicator_figures(review, criteria, units.values("pk"))
    if any(c.measure == Measure.TASKS for c in criteria):
        tasks = _task_figures(review, units.values("pk"))
    rows: list[tuple[int, int, float | None, float | None, Decimal | None]] = []
    for criterion in criteria:
        if criterion.measure == Measure.MANUAL:
            rows += [(u, criterion.pk, None, None, None) for u in unit_ids]
            continue
        if criterion.measure == Measure.TASKS:
            values: dict[int, float | None] = tasks
            best: float | None = 100.0
        else:
            values = figures.get(criterion.pk, {})
            reported = [v for v in values.values() if v is not None]
            best = float(criterion.target) if criterion.target else (max(reported) if reported else None)
        for unit_id in unit_ids:
            value = values.get(unit_id)
            rows.append((unit_id, criterion.pk, value, best, _points(criterion.weight, value, best)))
    _write_computed(review.pk, rows)
    review.computed_at, review.state, review.error = timezone.now(), ReviewState.READY, ""
    review.save(update_fields=["computed_at", "state", "error"])
    return len(rows)


def _write_computed(review_id: int, rows: list[tuple[int, int, float | None, float | None, Decimal | None]]) -> None:
    """Insert or update the computed part of each score — never the scorer's or the unit's own
    points — 1,000 rows a statement (derived data, like the roll-up cells: the review's opening
    and every score by hand are what the audit log records). Model instances for the 66,000
    scores of a national review cost more than the computation itself, and ``executemany`` on
    PostgreSQL still sends one statement per row."""
    qn = connection.ops.quote_name
    columns = ["review_id", "unit_id", "criterion_id", "value", "basis", "computed", "self_reason", "reason"]
    computed = [qn(c) for c in ("value", "basis", "computed")]
    # Only rows whose computed part changed are written again: recomputing an unchanged review
    # rewrites nothing.
    updated = (
        ", ".join(f"{c} = excluded.{c}" for c in computed)
        + f" WHERE ({', '.join(f'{qn(Score._meta.db_table)}.{c}' for c in computed)}) IS DISTINCT FROM "
        + f"({', '.join(f'excluded.{c}' for c in computed)})"
    )
    row = f"({', '.join(['%s'] * len(columns))})"
    adapt = connection.ops.adapt_decimalfield_value
    table, target = qn(Score._meta.db_table), ", ".join(qn(c) for c in columns)
    conflict = f"ON CONFLICT ({qn('review_id')}, {qn('unit_id')}, {qn('criterion_id')}) DO UPDATE SET {updated}"
    if connection.vendor == "postgresql":
        # Five arrays per statement, whatever the number of rows: the driver does not rewrite a
        # query of 8,000 placeholders, nor the server plan one.
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 20_000):
                chunk = rows[start : start + 20_000]
                cursor.execute(
                    f"INSERT INTO {table} ({target}) "  # noqa: S608 - our names; the values are parameters
                    "SELECT %s, u, c, v, b, p, '', '' FROM unnest(%s::int[], %s::int[], %s::float8[], "
                    f"%s::float8[], %s::numeric[]) AS t(u, c, v, b, p) {conflict}",
                    [
                        review_id,
                        [r[0] for r in chunk],
                        [r[1] for r in chunk],
                        [None if r[2] is None else float(r[2]) for r in chunk],  # one type per array
                        [None if r[3] is None else float(r[3]) for r in chunk],
                        [r[4] for r in chunk],
                    ],
                )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start : start + ROWS_PER_STATEMENT]
            params: list[Any] = []
            for unit_id, criterion_id, value, basis, points in chunk:
                params += [review_id, unit_id, criterion_id, value, basis, adapt(points, 6, 2), "", ""]
            cursor.execute(
                f"INSERT INTO {table} ({target}) VALUES {', '.join([row] * len(chunk))} {conflict}",  # noqa: S608
                params,
            )


def _score_of(review: Review, unit: Unit, criterion: Criterion) -> Score:
    if criterion.movement_id != review.movement_id:
        raise EmulationError(_("The criterion is not one of this movement's."))
    if not participants(review.movement).filter(pk=unit.pk).exists():
        raise EmulationError(_("%(unit)s does not take part in this movement.") % {"unit": unit.name})
    return Score.objects.select_for_update().get_or_create(review=review, unit=unit, criterion=criterion)[0]


def _checked(criterion: Criterion, points: Decimal, reason: str) -> tuple[Decimal, str]:
    reason = nfc_lines(reason)
    if not Decimal(0) <= points <= criterion.weight:
        raise EmulationError(
            _("“%(criterion)s” is worth from 0 to %(weight)s points.")
            % {"criterion": criterion.name, "weight": criterion.weight}
        )
    if not reason:
        raise EmulationError(_("Give the reason for the points."))
    return points.quantize(HUNDREDTH, rounding=ROUND_HALF_UP), reason


@transaction.atomic
def score(actor: Any, review: Review, unit: Unit, criterion: Criterion, points: Decimal, reason: str) -> Score:
    """The launching unit's points for ``unit`` on ``criterion``, with the reason; they count in
    the ranking instead of the computed ones."""
    require_edit(actor, review.movement.unit)
    points, reason = _checked(criterion, points, reason)
    found = _score_of(review, unit, criterion)
    before = audit.snapshot(found)
    found.points, found.reason, found.scored_by = points, reason, audit.user_of(actor)
    found.save(update_fields=["points", "reason", "scored_by"])
    audit.record(actor, AuditAction.UPDATE, found, before=before)
    return found


@transaction.atomic
def self_assess(actor: Any, review: Review, unit: Unit, criterion: Criterion, points: Decimal, reason: str) -> Score:
    """``unit``'s own assessment on ``criterion``: shown to the scorer, never counted."""
    require_edit(actor, unit)
    points, reason = _checked(criterion, points, reason)
    found = _score_of(review, unit, criterion)
    before = audit.snapshot(found)
    found.self_points, found.self_reason = points, reason
    found.save(update_fields=["self_points", "self_reason"])
    audit.record(actor, AuditAction.UPDATE, found, before=before)
    return found


@dataclass
class Ranked:
    rank: int
    unit_id: int
    total: Decimal


def _counted() -> Coalesce:
    """A score as the ranking counts it: the scorer's points, else the computed ones."""
    return Coalesce("points", "computed", Value(Decimal(0)), output_field=DecimalField())


def ranking(review: Review) -> list[Ranked]:
    """Every participating unit's total, highest first; equal totals share a rank (1, 2, 2, 4),
    the tree's order between them. One query."""
    rows = (
        Score.objects.filter(review=review)
        .values("unit_id")
        .annotate(total=Sum(_counted()))
        .order_by("-total", "unit__path")
        .values_list("unit_id", "total")
    )
    ranked: list[Ranked] = []
    for position, (unit_id, total) in enumerate(rows, 1):
        total = Decimal(total or 0).quantize(HUNDREDTH)
        rank = ranked[-1].rank if ranked and ranked[-1].total == total else position
        ranked.append(Ranked(rank, unit_id, total))
    return ranked


def rank_of(review: Review, unit_id: int) -> Ranked | None:
    """One unit's line of :func:`ranking` without ranking them all: its total, and one more than
    the number of units with a higher one (None: the unit has no score in the review)."""
    mine = Score.objects.filter(review=review, unit_id=unit_id).aggregate(total=Sum(_counted()), n=Count("pk"))
    if not mine["n"]:
        return None
    total = Decimal(mine["total"] or 0).quantize(HUNDREDTH)
    # Totals are in hundredths; half a hundredth above keeps SQLite's float sums from splitting a tie.
    above = (
        Score.objects.filter(review=review)
        .values("unit_id")
        .annotate(total=Sum(_counted()))
        .filter(total__gt=total + Decimal("0.005"))
        .count()
    )
    return Ranked(above + 1, unit_id, total)
