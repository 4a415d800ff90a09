"""Congresses: plan one, record its preparation and its results, import its resolution, set the
resolution's targets, and read the roll-up of the units below and the reviews of the term.

Plain functions called by the views, the demo loader and the tests. Each write is one transaction,
checks the actor's right on the congress's unit (``authz.require_edit``; ``None`` is the system)
and leaves an audit entry for every record it changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.congresses.models import Congress, State, Step, StepKind, Target
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.organizations.models import (
    SEGMENT,
    Level,
    Person,
    PersonQuerySet,
    Position,
    PositionKind,
    Term,
    Unit,
    paths_q,
)
from doanket.programs import services as program_services
from doanket.programs.models import Program
from doanket.reporting import aggregate, periods
from doanket.reporting.models import TEXT_TYPES, Indicator, IndicatorType, RollupCell, Schedule

# The positions a congress elects (the committee, its standing committee and their chairs).
ELECTED = [
    PositionKind.CHAIR,
    PositionKind.VICE_CHAIR,
    PositionKind.STANDING_COMMITTEE,
    PositionKind.COMMITTEE_MEMBER,
]
# The usual preparation, and how many days before the congress each step is due.
STANDARD_STEPS = [(StepKind.DOCUMENTS, 60), (StepKind.CONSULTATION, 30), (StepKind.DELEGATES, 15)]


class CongressError(ValueError):
    """A refused change, with the message the officer reads."""


# --- Reading ---------------------------------------------------------------------------------


def readable(user: Any) -> QuerySet[Congress]:
    """The congresses ``user`` may read: those of units in their scope."""
    return Congress.objects.filter(authz.scope_q(user, Perm.VIEW_PROGRAM, "unit__path"))


def state_expression(today: dt.date) -> Case:
    """The state of a congress (``Congress.state``) computed by the database, to count by it."""
    done = Step.objects.filter(congress=OuterRef("pk"), done_on__isnull=False)
    return Case(
        When(held_on__isnull=False, then=Value(State.HELD.value)),
        When(planned_on__lt=today, then=Value(State.LATE.value)),
        When(Exists(done), then=Value(State.PREPARING.value)),
        default=Value(State.PLANNED.value),
        output_field=CharField(),
    )


def current_q(today: dt.date) -> Q:
    """Congresses of a term not yet over: the round the upper unit follows (the congress that
    opened a term now ended is history)."""
    return Q(term__end_date__isnull=True) | Q(term__end_date__gte=today)


def with_state(queryset: QuerySet[Congress], today: dt.date) -> QuerySet[Congress]:
    return queryset.annotate(state_now=state_expression(today))


@dataclass
class Counts:
    planned: int = 0
    preparing: int = 0
    held: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.planned + self.preparing + self.held + self.late

    @property
    def held_share(self) -> int:
        return round(100 * self.held / self.total) if self.total else 0

    def add(self, state: str, n: int) -> None:
        setattr(self, state, getattr(self, state) + n)


@dataclass
class Branch:
    """A unit directly below the one looked at, with the congresses of its whole subtree."""

    pk: int
    name: str
    level: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class Overview:
    unit: Unit
    own: list[Congress]  # the unit's own congresses (of the current round)
    branches: list[Branch]
    by_level: list[tuple[str, Counts]]
    total: Counts


def overview(unit: Unit, today: dt.date | None = None) -> Overview:
    """The roll-up of the congresses of the current round below ``unit``: counts by state for each
    unit directly below (their whole subtree) and for each level. Three queries, whatever the
    number of units: the unit's own congresses, the units directly below, and one grouped count
    over the subtree keyed by the branch's path prefix."""
    today = today or timezone.localdate()
    path = unit.path or ""
    own = list(
        with_state(Congress.objects.filter(unit=unit).filter(current_q(today)), today)
        .select_related("term")
        .order_by("-planned_on")
    )
    children = Unit.objects.filter(parent=unit).order_by("path").values_list("pk", "name", "level", "path")
    branches: dict[str, Branch] = {p or "": Branch(pk, name, level) for pk, name, level, p in children}
    rows = (
        with_state(
            Congress.objects.filter(paths_q([path], "unit__path")).exclude(unit=unit).filter(current_q(today)),
            today,
        )
        .annotate(branch=Substr("unit__path", 1, len(path) + SEGMENT))
        .order_by()
        .values("branch", "unit__level", "state_now")
        .annotate(n=Count("pk"))
    )
    total = Counts()
    levels: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        branch = branches.get(row["branch"])
        if branch is not None:
            branch.counts.add(row["state_now"], row["n"])
        levels[row["unit__level"]].add(row["state_now"], row["n"])
        total.add(row["state_now"], row["n"])
    order = list(Level.values)
    by_level = sorted(levels.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return Overview(unit, own, list(branches.values()), by_level, total)


def listing(unit: Unit, state: str, today: dt.date | None = None) -> QuerySet[Congress]:
    """The congresses of the current round below ``unit`` (and its own) in ``state`` ("" for all)."""
    today = today or timezone.localdate()
    found = with_state(
        Congress.objects.filter(paths_q([unit.path or ""], "unit__path")).filter(current_q(today)), today
    ).select_related("unit", "term")
    if state:
        found = found.filter(state_q(state, today))
    return found.order_by("planned_on", "unit__path")


def state_q(state: str, today: dt.date) -> Q:
    """The congresses in ``state`` as a plain filter (``state_expression`` compared to a value
    computes the CASE for every row of the subtree; this lets the dates' conditions go first, and
    the list's count skips the unused annotation)."""
    done = Exists(Step.objects.filter(congress=OuterRef("pk"), done_on__isnull=False))
    waiting = Q(held_on__isnull=True, planned_on__gte=today)
    done_q = Q(done)
    filters: dict[str, Q] = {
        State.HELD: Q(held_on__isnull=False),
        State.LATE: Q(held_on__isnull=True, planned_on__lt=today),
        State.PREPARING: waiting & done_q,
        State.PLANNED: waiting & ~done_q,
    }
    return filters[state]


def committee(congress: Congress) -> list[Position]:
    """The committee the congress elected: the positions of its term in its unit."""
    return list(
        Position.objects.filter(unit=congress.unit, term=congress.term, kind__in=ELECTED)
        .select_related("person")
        .order_by("kind", "pk")
    )


# --- Writing ---------------------------------------------------------------------------------


def _term(actor: Any, unit: Unit, name: str, start: dt.date, end: dt.date | None) -> Term:
    name = nfc(name).strip()
    if end is not None and end <= start:
        raise CongressError(_("The term must end after it starts."))
    term = Term.objects.filter(unit=unit, name=name).first()
    if term is None:
        term = Term.objects.create(unit=unit, name=name, start_date=start, end_date=end)
        audit.record(actor, AuditAction.CREATE, term)
    return term


@transaction.atomic
def plan_congress(
    actor: Any,
    unit: Unit,
    *,
    name: str,
    term_name: str,
    term_start: dt.date,
    term_end: dt.date | None,
    planned_on: dt.date,
    place: str = "",
    standard_steps: bool = True,
) -> Congress:
    """A congress of ``unit`` opening the term ``term_name`` (made when the unit has none of that
    name), with the usual preparation steps due before the planned date."""
    authz.require_edit(actor, unit)
    term = _term(actor, unit, term_name, term_start, term_end)
    if Congress.objects.filter(unit=unit, term=term).exists():
        raise CongressError(
            _("%(unit)s already has a congress for the term %(term)s.") % {"unit": unit.name, "term": term.name}
        )
    congress = Congress.objects.create(
        unit=unit,
        term=term,
        name=name.strip(),
        planned_on=planned_on,
        place=place.strip(),
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, congress)
    if standard_steps:
        steps = Step.objects.bulk_create(
            Step(congress=congress, kind=kind, due_on=planned_on - dt.timedelta(days=before))
            for kind, before in STANDARD_STEPS
        )
        audit.record_many(actor, AuditAction.CREATE, steps)
    return congress


def _not_future(day: dt.date | None, today: dt.date, message: str) -> None:
    if day is not None and day > today:
        raise CongressError(message)


@transaction.atomic
def update_congress(actor: Any, congress: Congress, today: dt.date | None = None, **fields: Any) -> Congress:
    """Change the congress's name, dates, place, delegates or note; a held date cannot lie ahead."""
    authz.require_edit(actor, congress.unit)
    today = today or timezone.localdate()
    _not_future(fields.get("held_on"), today, _("A congress cannot be recorded as held on a date still to come."))
    allowed = {"name", "planned_on", "held_on", "place", "delegates", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = audit.snapshot(congress)
    for name, value in fields.items():
        setattr(congress, name, value.strip() if isinstance(value, str) else value)
    congress.save()
    after = audit.snapshot(congress)
    if before != after:
        audit.record(actor, AuditAction.UPDATE, congress, before, after)
    return congress


@transaction.atomic
def add_step(
    actor: Any, congress: Congress, kind: str, title: str = "", due_on: dt.date | None = None, note: str = ""
) -> Step:
    authz.require_edit(actor, congress.unit)
    if kind == StepKind.OTHER and not title.strip():
        raise CongressError(_("Describe the step."))
    step = Step.objects.create(congress=congress, kind=kind, title=nfc(title).strip(), due_on=due_on, note=note)
    audit.record(actor, AuditAction.CREATE, step)
    return step


@transaction.atomic
def record_step(
    actor: Any, step: Step, done_on: dt.date | None, note: str | None = None, today: dt.date | None = None
) -> Step:
    """Record a step done (on ``done_on``) or not done after all (``None``)."""
    authz.require_edit(actor, step.congress.unit)
    today = today or timezone.localdate()
    _not_future(done_on, today, _("A step cannot be recorded as done on a date still to come."))
    before = audit.snapshot(step)
    step.done_on = done_on
    if note is not None:
        step.note = note.strip()
    step.save()
    audit.record(actor, AuditAction.UPDATE, step, before, audit.snapshot(step))
    return step


def candidates(congress: Congress) -> PersonQuerySet:
    """Who can be elected to the congress's committee on the platform: the people managed by the
    unit or a unit below it (the heads of its member organisations and village boards)."""
    rows = Person.objects.filter(unit__path__startswith=congress.unit.path or "").select_related("unit")
    return cast(PersonQuerySet, rows.order_by("name_key", "pk"))


@transaction.atomic
def elect(
    actor: Any,
    congress: Congress,
    kind: str,
    *,
    person: Person | None = None,
    full_name: str = "",
    title: str = "",
) -> Position:
    """Record a member of the committee the congress elected, as a position of the new term in the
    unit; ``full_name`` adds a person managed by the unit when they are not yet on the platform."""
    authz.require_edit(actor, congress.unit)
    if not congress.held_on:
        raise CongressError(_("Record the date the congress was held before its results."))
    if kind not in ELECTED:
        raise CongressError(_("A congress elects a chair, vice chairs, the standing committee and the committee."))
    if person is None:
        name = nfc(full_name).strip()
        if not name:
            raise CongressError(_("Choose a person or type the name of a new one."))
        person = Person(unit=congress.unit, full_name=name)
        person.save()
        audit.record(actor, AuditAction.CREATE, person)
    elif not person.unit.is_within(congress.unit):
        raise CongressError(_("%(name)s is not managed by this unit.") % {"name": person.full_name})
    if Position.objects.filter(person=person, unit=congress.unit, term=congress.term, kind=kind).exists():
        raise CongressError(_("%(name)s is already recorded in this position.") % {"name": person.full_name})
    position = Position.objects.create(
        person=person,
        unit=congress.unit,
        kind=kind,
        title=nfc(title).strip(),
        term=congress.term,
        start_date=congress.held_on,
        end_date=congress.term.end_date,
    )
    audit.record(actor, AuditAction.CREATE, position)
    return position


@transaction.atomic
def import_resolution(actor: Any, congress: Congress, data: bytes, filename: str) -> Program:
    """The resolution the congress adopted, read by the work-programme importer (``programs``):
    stored as the unit's programme (items, events, library links, version 1) and linked here.
    Raises ``DocumentError`` with the importer's own message when the file cannot be read."""
    authz.require_edit(actor, congress.unit)
    if congress.resolution_id:
        raise CongressError(_("This congress already has its resolution."))
    parsed, _text, fmt = program_services.understand(data, filename)
    program = program_services.save_program(actor, congress.unit, parsed, source=(data, filename), source_format=fmt)
    before = audit.snapshot(congress)
    congress.resolution = program
    congress.save(update_fields=["resolution"])
    audit.record(actor, AuditAction.UPDATE, congress, before, audit.snapshot(congress))
    return program


def indicator_of(schedule: Schedule, code: str) -> Indicator | None:
    """The indicator ``code`` of the schedule's form, as its latest version defines it."""
    return (
        Indicator.objects.filter(version__form_id=schedule.form_id, code=code)
        .select_related("version")
        .order_by("-version__number")
        .first()
    )


def figures(schedules: list[Schedule]) -> list[tuple[Schedule, Indicator]]:
    """The numeric indicators of each schedule's form as its latest version defines them — what a
    target can be compared with — in one query whatever the number of schedules."""
    rows = (
        Indicator.objects.filter(version__form_id__in={s.form_id for s in schedules})
        .exclude(type__in=[*TEXT_TYPES, IndicatorType.CHOICE])
        .select_related("version")
        .order_by("version__form_id", "-version__number", "section__position", "position")
    )
    latest: dict[int, int] = {}
    by_form: dict[int, list[Indicator]] = {}
    for indicator in rows:
        form_id = indicator.version.form_id
        number = latest.setdefault(form_id, indicator.version.number)
        if indicator.version.number == number:
            by_form.setdefault(form_id, []).append(indicator)
    return [(schedule, indicator) for schedule in schedules for indicator in by_form.get(schedule.form_id, [])]


def schedules_for(congress: Congress) -> QuerySet[Schedule]:
    """The schedules whose roll-up reaches the congress's unit: those of the unit or above it."""
    return Schedule.objects.filter(unit__path__in=congress.unit.lineage_paths()).select_related("form")


@transaction.atomic
def add_target(
    actor: Any,
    congress: Congress,
    text: str,
    value: int,
    measure: str = "",
    schedule: Schedule | None = None,
    indicator: str = "",
) -> Target:
    """A target of the resolution, bound (optionally) to a numeric indicator of a report whose
    roll-up reaches the unit."""
    authz.require_edit(actor, congress.unit)
    if not text.strip():
        raise CongressError(_("Write the target."))
    if value < 0:
        raise CongressError(_("A target value cannot be negative."))
    if bool(schedule) != bool(indicator):
        raise CongressError(_("Choose both the report and its indicator, or neither."))
    if schedule is not None:
        if not congress.unit.is_within(schedule.unit):
            raise CongressError(_("That report does not reach this unit."))
        found = indicator_of(schedule, indicator)
        if found is None:
            raise CongressError(_("The report has no indicator “%(code)s”.") % {"code": indicator})
        if found.is_text or found.type == IndicatorType.CHOICE:
            raise CongressError(_("Only a figure can be compared with a target."))
        measure = measure or found.measure
    position = (congress.targets.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    target = Target.objects.create(
        congress=congress,
        position=position,
        text=text.strip(),
        value=value,
        measure=measure.strip(),
        schedule=schedule,
        indicator=indicator,
    )
    audit.record(actor, AuditAction.CREATE, target)
    return target


@transaction.atomic
def delete_target(actor: Any, target: Target) -> None:
    authz.require_edit(actor, target.congress.unit)
    audit.record(actor, AuditAction.DELETE, target)
    target.delete()


# --- Reviews of the term ---------------------------------------------------------------------


class ReviewKind:
    MID = "mid"
    FINAL = "final"


@dataclass
class Line:
    target: Target
    indicator: Indicator | None = None
    actual: Any = None
    periods: int = 0  # how many periods of the roll-up carried a figure
    source_url: str = ""
    source_label: str = ""

    @property
    def percent(self) -> int | None:
        if not isinstance(self.actual, int | float) or not self.target.value:
            return None
        return round(100 * self.actual / self.target.value)

    @property
    def reached(self) -> bool:
        return isinstance(self.actual, int | float) and self.actual >= self.target.value


@dataclass
class Review:
    congress: Congress
    kind: str
    start: dt.date
    until: dt.date
    lines: list[Line]

    @property
    def title(self) -> str:
        if self.kind == ReviewKind.MID:
            return _("Mid-term review")
        return _("Final review of the term")


def review_window(congress: Congress, kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the start of the term to its middle (sơ kết) or its end (tổng kết), never past today."""
    term = congress.term
    start = term.start_date
    end = term.end_date or today
    until = start + (end - start) / 2 if kind == ReviewKind.MID else end
    return start, min(until, today)


def review(congress: Congress, kind: str, today: dt.date | None = None) -> Review:
    """Each target against the roll-up of its indicator over the review's window, for the
    congress's unit: every period of the schedule in the window, merged as the indicator rolls up
    (a sum adds the months, an average averages every report). Three queries: the targets, their
    indicators, the cells."""
    today = today or timezone.localdate()
    start, until = review_window(congress, kind, today)
    targets = list(congress.targets.select_related("schedule__form").order_by("position", "pk"))
    bound = [t for t in targets if t.schedule_id and t.indicator]
    indicators: dict[tuple[int, str], Indicator] = {}
    if bound:
        q = Q(pk__in=[])
        for t in bound:
            assert t.schedule is not None
            q |= Q(version__form_id=t.schedule.form_id, code=t.indicator)
        for found_ind in Indicator.objects.filter(q).select_related("version").order_by("version__number"):
            indicators[(found_ind.version.form_id, found_ind.code)] = found_ind  # the latest version wins
    keys: dict[int, list[periods.Period]] = {}
    for t in bound:
        assert t.schedule is not None
        if t.schedule_id not in keys:
            keys[t.schedule.pk] = periods.between(t.schedule.frequency, start, until) if until >= start else []
    cells: dict[int, list[RollupCell]] = defaultdict(list)
    if bound:
        wanted = Q(pk__in=[])
        for pk, found in keys.items():
            wanted |= Q(schedule_id=pk, period__in=[p.key for p in found])
        for cell in RollupCell.objects.filter(wanted, unit=congress.unit).only("schedule_id", "period", "data"):
            cells[cell.schedule_id].append(cell)
    lines = []
    for t in targets:
        line = Line(t)
        if t.schedule is not None and t.indicator:
            ind: Indicator | None = indicators.get((t.schedule.form_id, t.indicator))
            line.indicator = ind
            merged = None
            for cell in cells.get(t.schedule.pk, []):
                agg = cell.data.get(t.indicator)
                if agg:
                    line.periods += 1
                    merged = aggregate.merge(merged, agg)
            line.actual = aggregate.result(merged, ind.rollup) if ind is not None else None
            last = keys.get(t.schedule.pk) or []
            query = f"?unit={congress.unit.pk}&indicator={t.indicator}"
            if last:
                query += f"&period={last[-1].key}"
            line.source_url = reverse("reporting:rollup", args=[t.schedule.pk]) + query
            line.source_label = t.schedule.name
        lines.append(line)
    return Review(congress, kind, start, until, lines)
