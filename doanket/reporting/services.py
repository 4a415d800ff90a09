"""The reporting cycle: open a period, fill, submit, return, correct, approve, roll up, chase.

Every write takes the report row with ``select_for_update`` and checks the revision the officer
saw: of two officers submitting the same report at once, the second is told it changed under
them and nothing of theirs is saved. The roll-up cells of the units above are recomputed in the
same transaction, so an approval is in the country's table the moment it commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doanket.accounts import services as account_services
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc_lines
from doanket.organizations.models import SEGMENT, Unit, path_ancestors
from doanket.reporting import aggregate, periods
from doanket.reporting.models import (
    FormVersion,
    Indicator,
    IndicatorType,
    ReminderKind,
    Report,
    ReportForm,
    ReportReminder,
    ReportVersion,
    RollupCell,
    Schedule,
    Section,
    Status,
)
from doanket.reporting.values import Checked, check

logger = logging.getLogger(__name__)


class ReportError(ValueError):
    """A step the report's state does not allow; the message says why, in the user's words."""


class Invalid(ReportError):
    def __init__(self, checked: Checked) -> None:
        super().__init__(_("Some figures are wrong: nothing was saved."))
        self.checked = checked


# --- Forms ---------------------------------------------------------------------------------


def indicators_of(version: FormVersion) -> list[Indicator]:
    return list(version.indicators.select_related("section").order_by("position"))


@transaction.atomic
def create_form(
    actor: Any, unit: Unit, code: str, title: str, sections: list[dict[str, Any]], description: str = ""
) -> FormVersion:
    """A form and its first version from a plain description: a list of sections, each
    {"title", "number", "indicators": [{"code", "label", "type", ...}]}."""
    form = ReportForm.objects.create(unit=unit, code=code, title=title, description=description)
    audit.record(actor, AuditAction.CREATE, form)
    return _fill_version(actor, form, 1, sections, "")


def _fill_version(actor: Any, form: ReportForm, number: int, sections: list[dict[str, Any]], note: str) -> FormVersion:
    version = FormVersion.objects.create(form=form, number=number, note=note)
    position = 0
    for s_index, spec in enumerate(sections):
        section = Section.objects.create(
            version=version, position=s_index, number=spec.get("number", ""), title=spec["title"]
        )
        for ind in spec.get("indicators", []):
            position += 1
            Indicator.objects.create(version=version, section=section, position=position, **ind)
    audit.record(actor, AuditAction.CREATE, version)
    return version


def describe(version: FormVersion) -> list[dict[str, Any]]:
    """A version as the plain description ``create_form`` takes (to copy it into a new version)."""
    fields = [
        "code",
        "label",
        "type",
        "measure",
        "required",
        "min_value",
        "max_value",
        "choices",
        "rollup",
        "sum_of",
        "key",
        "help_text",
        "source",
    ]
    sections = []
    for section in version.sections.prefetch_related("indicators"):
        sections.append(
            {
                "number": section.number,
                "title": section.title,
                "indicators": [{f: getattr(i, f) for f in fields} for i in section.indicators.all()],
            }
        )
    return sections


@transaction.atomic
def new_version(actor: Any, form: ReportForm, sections: list[dict[str, Any]], note: str) -> FormVersion:
    """A new version of ``form``; periods opened from now on use it, earlier ones keep theirs."""
    current = form.current_version()
    return _fill_version(actor, form, (current.number if current else 0) + 1, sections, note)


# --- Schedules and periods -------------------------------------------------------------------


def expected_units(schedule: Schedule, period: periods.Period) -> QuerySet[Unit]:
    """The units that must report for ``period``: those of the schedule's level and kind below its
    unit (and the unit itself when it reports too), existing when the period ends."""
    below = Unit.objects.subtree_of(schedule.unit).active_on(period.end)
    q = Q(level=schedule.level, kind=schedule.kind) & ~Q(pk=schedule.unit_id)
    if schedule.include_self:
        q |= Q(pk=schedule.unit_id)
    return below.filter(q)


def period_for(schedule: Schedule, key: str) -> periods.Period:
    if schedule.frequency == periods.Frequency.ONCE:
        return periods.period_of(schedule.frequency, schedule.starts, schedule.starts, schedule.ends)
    period = periods.parse(key)
    if period.frequency != schedule.frequency:
        raise ValueError(key)
    return period


def due_periods(schedule: Schedule, today: dt.date) -> list[periods.Period]:
    """The periods of ``schedule`` that have begun by ``today``."""
    if schedule.starts > today:
        return []
    if schedule.frequency == periods.Frequency.ONCE:
        return [period_for(schedule, "once")]
    last = min(today, schedule.ends) if schedule.ends else today
    return periods.between(schedule.frequency, schedule.starts, last)


@transaction.atomic
def open_period(schedule: Schedule, period: periods.Period, actor: Any = None) -> int:
    """Make the expected reports of ``period`` (idempotent) and build its roll-up cells."""
    version = schedule.form.current_version()
    if version is None:
        raise ReportError(_("The form has no content yet."))
    due = periods.due_date(period, schedule.due_rule, schedule.due_day)
    existing = set(Report.objects.filter(schedule=schedule, period=period.key).values_list("unit_id", flat=True))
    new = [
        Report(
            schedule=schedule,
            version=version,
            unit_id=unit_id,
            period=period.key,
            period_start=period.start,
            period_end=period.end,
            due_date=due,
        )
        for unit_id in expected_units(schedule, period).values_list("pk", flat=True)
        if unit_id not in existing
    ]
    last_pk = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    Report.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if new:
        # Read back by key range (bulk_create gives no primary keys on every database, and a list
        # of 100,000 unit ids would pass the database's limit on parameters).
        made = Report.objects.filter(schedule=schedule, period=period.key, pk__gt=last_pk)
        audit.record_many(actor, AuditAction.CREATE, made.select_related("unit", "schedule__form"))
    if new or not RollupCell.objects.filter(schedule=schedule, unit=schedule.unit, period=period.key).exists():
        rebuild(schedule, period.key)
    return len(new)


@transaction.atomic
def create_schedule(actor: Any, schedule: Schedule) -> Schedule:
    schedule.created_by = audit.user_of(actor)
    schedule.save()
    audit.record(actor, AuditAction.CREATE, schedule)
    return schedule


def open_due_periods_of(schedule: Schedule, actor: Any = None, today: dt.date | None = None) -> int:
    """Open the periods of ``schedule`` that have begun and are not open yet."""
    today = today or timezone.localdate()
    opened = set(RollupCell.objects.filter(schedule=schedule, unit=schedule.unit).values_list("period", flat=True))
    return sum(open_period(schedule, p, actor) for p in due_periods(schedule, today) if p.key not in opened)


def opening_size(schedule: Schedule, today: dt.date | None = None) -> int:
    """About how many reports opening the schedule's begun periods would make (to decide whether
    a page may do it at once or hands it to the worker)."""
    begun = due_periods(schedule, today or timezone.localdate())
    return expected_units(schedule, begun[-1]).count() * len(begun) if begun else 0


def open_due_periods(today: dt.date | None = None) -> int:
    """The scheduled job: open every period that has begun, for every active schedule."""
    return sum(
        open_due_periods_of(schedule, today=today)
        for schedule in Schedule.objects.filter(active=True).select_related("unit", "form")
    )


# --- Roll-up cells ---------------------------------------------------------------------------


def _choice_codes(version_ids: Iterable[int]) -> set[str]:
    return set(
        Indicator.objects.filter(version_id__in=set(version_ids), type=IndicatorType.CHOICE).values_list(
            "code", flat=True
        )
    )


@dataclass
class Tally:
    expected: int = 0
    arrived: int = 0
    on_time: int = 0
    approved: int = 0

    def __post_init__(self) -> None:
        self.data: dict[str, aggregate.Agg] = {}

    def add_report(self, row: Mapping[str, Any], choices: set[str]) -> None:
        self.expected += 1
        if row["first_submitted_at"] is not None:
            self.arrived += 1
            if timezone.localdate(row["first_submitted_at"]) <= row["due_date"]:
                self.on_time += 1
        if row["approved_values"] is not None:
            self.approved += 1
            when = row["approved_at"].isoformat() if row["approved_at"] else ""
            aggregate.add_values(self.data, row["approved_values"], when, choices)

    def add_cell(self, cell: Mapping[str, Any]) -> None:
        self.expected += cell["expected"]
        self.arrived += cell["arrived"]
        self.on_time += cell["on_time"]
        self.approved += cell["approved"]
        aggregate.merge_data(self.data, cell["data"])

    def fields(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "arrived": self.arrived,
            "on_time": self.on_time,
            "approved": self.approved,
            "data": self.data,
        }


REPORT_FIELDS = (
    "unit_id",
    "unit__path",
    "first_submitted_at",
    "due_date",
    "approved_values",
    "approved_at",
    "version_id",
)


def _recompute(schedule: Schedule, period: str, unit: Unit, choices: set[str]) -> None:
    """``unit``'s cell from its own report and its children's cells (or reports, for children
    with nothing below them): three short queries whatever the size of the subtree."""
    tally = Tally()
    # By the children's ids, so each lookup is a range of the (schedule, unit, period) index: a
    # join on the unit's parent would read every report of the period at the top of the tree.
    children = list(Unit.objects.filter(parent=unit).values_list("pk", flat=True))
    child_cells = list(
        RollupCell.objects.filter(schedule=schedule, period=period, unit_id__in=children).values(
            "unit_id", "expected", "arrived", "on_time", "approved", "data"
        )
    )
    with_cells = {cell["unit_id"] for cell in child_cells}
    for cell in child_cells:
        tally.add_cell(cell)
    rows = Report.objects.filter(schedule=schedule, period=period, unit_id__in=[unit.pk, *children])
    for row in rows.values(*REPORT_FIELDS):
        if row["unit_id"] not in with_cells:
            tally.add_report(row, choices)
    RollupCell.objects.update_or_create(schedule=schedule, unit=unit, period=period, defaults=tally.fields())


def _serialise(schedule: Schedule, period: str) -> None:
    """Take the lock of the period's top cell before recomputing any cell of it. Two approvals
    under one commune, each recomputing the commune's cell from what its own transaction sees,
    would otherwise let the later writer drop the other's figures (PostgreSQL, READ COMMITTED).
    Once the lock is held, every statement reads what the earlier writer committed. (SQLite
    serialises writers itself: transactions begin IMMEDIATE.)"""
    list(
        RollupCell.objects.select_for_update()
        .filter(schedule=schedule, unit_id=schedule.unit_id, period=period)
        .values_list("pk", flat=True)
    )


def refresh_above(report: Report) -> None:
    """Recompute the cells from ``report``'s unit up to the schedule's unit, bottom first."""
    schedule = report.schedule
    _serialise(schedule, report.period)
    top = schedule.unit.path or ""
    unit_path = report.unit.path or ""
    paths = [p for p in path_ancestors(unit_path) if p.startswith(top)]
    chain = list(Unit.objects.filter(path__in=paths).order_by("-depth"))
    if RollupCell.objects.filter(schedule=schedule, period=report.period, unit=report.unit).exists():
        chain.insert(0, report.unit)
    choices = _choice_codes([report.version_id])
    for unit in chain:
        _recompute(schedule, report.period, unit, choices)
    if report.period_end < timezone.localdate():
        _check_closed_period(schedule, report.period)
    transaction.on_commit(partial(_warm_later, schedule, report.period, chain))


def _warm_later(schedule: Schedule, period: str, chain: list[Unit]) -> None:
    """Once the change is committed, ask the worker to render the largest of the tables it
    changed (the page would otherwise render them for their first reader)."""
    from doanket.reporting import pages, tasks

    unit_ids = pages.units_to_warm(schedule, period, chain)
    if unit_ids:
        tasks.warm_rollups.enqueue(schedule.pk, period, unit_ids)


def _check_closed_period(schedule: Schedule, period: str) -> None:
    """A period that ended keeps its cells under the units of its time when a unit moves since
    (``after_unit_moved``), while a recomputation follows today's tree: after such a move, a
    write to one of its reports could count a unit under both places, or under neither. Each
    report counts once in the top cell's ``expected``: if that no longer holds, the write is
    refused (the transaction rolls back) rather than a closed total silently changed."""
    top = RollupCell.objects.filter(schedule=schedule, unit_id=schedule.unit_id, period=period).first()
    reports = Report.objects.filter(schedule=schedule, period=period).count()
    if top is not None and top.expected != reports:
        raise ReportError(
            _(
                "Units have moved since this period closed, and its totals stay as they were then: "
                "changing this report now would count a unit twice or not at all, so it cannot be "
                "changed. Record the correction in the report of a later period."
            )
        )


class _DryRun(Exception):
    pass


def _check_can_change(report: Report) -> None:
    """Before a closed period's report is opened for a correction: would recomputing its cells
    still agree with the period's totals? (The recomputation is rolled back either way.)"""
    if report.period_end >= timezone.localdate():
        return
    try:
        with transaction.atomic():
            refresh_above(report)
            raise _DryRun
    except _DryRun:
        pass


@transaction.atomic
def refresh_chain(schedule: Schedule, period: str, unit: Unit) -> None:
    """Recompute ``unit``'s cell and those above it (after units moved or merged)."""
    _serialise(schedule, period)
    top = schedule.unit.path or ""
    paths = [p for p in [*path_ancestors(unit.path or ""), unit.path or ""] if p.startswith(top)]
    versions = Report.objects.filter(schedule=schedule, period=period).values_list("version_id", flat=True).distinct()
    choices = _choice_codes(versions)
    for member in Unit.objects.filter(path__in=paths).order_by("-depth"):
        _recompute(schedule, period, member, choices)


@transaction.atomic
def rebuild(schedule: Schedule, period: str) -> int:
    """Every cell of one schedule and period, from the reports alone (one pass in Python). Used
    when a period opens and after reorganisations; the incremental updates must agree with it."""
    _serialise(schedule, period)
    top = schedule.unit.path or ""
    rows = list(Report.objects.filter(schedule=schedule, period=period).values(*REPORT_FIELDS))
    choices = _choice_codes({row["version_id"] for row in rows})
    cell_paths = {top}
    for row in rows:
        cell_paths.update(p for p in path_ancestors(row["unit__path"] or "") if p.startswith(top))
    # Bottom-up: each report is added once, to its own unit's cell or else its parent's; then
    # each cell, deepest first, is merged into its parent's (every cell's parent is a cell).
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        path = row["unit__path"] or ""
        tallies[path if path in cell_paths else path[:-SEGMENT]].add_report(row, choices)
    for path in sorted(cell_paths, key=len, reverse=True):
        if path != top:
            tallies[path[:-SEGMENT]].add_cell(tallies[path].fields())
    ids = dict(Unit.objects.filter(path__in=cell_paths).values_list("path", "pk"))
    # The top cell is updated in place, never deleted: it is the lock every writer of the period
    # queues on (_serialise), and a writer woken by a deleted row would hold no lock at all.
    RollupCell.objects.filter(schedule=schedule, period=period).exclude(unit_id=schedule.unit_id).delete()
    RollupCell.objects.update_or_create(
        schedule=schedule, period=period, unit_id=schedule.unit_id, defaults=tallies[top].fields()
    )
    RollupCell.objects.bulk_create(
        [
            RollupCell(schedule=schedule, period=period, unit_id=ids[p], **tallies[p].fields())
            for p in cell_paths
            if p in ids and p != top
        ],
        batch_size=2000,
    )
    return len(cell_paths)


# --- The report's life -------------------------------------------------------------------------


def _locked(report: Report, revision: int | None) -> Report:
    fresh = (
        Report.objects.select_for_update(of=("self",))
        .select_related("schedule__unit", "schedule__form", "unit", "version")
        .get(pk=report.pk)
    )
    if revision is not None and fresh.revision != revision:
        raise ReportError(
            _("Someone else changed this report while you were working on it. Reload it to see their changes.")
        )
    return fresh


def _write(actor: Any, report: Report, changes: dict[str, Any], fields: list[str]) -> Report:
    before = audit.snapshot(report)
    for name, value in changes.items():
        setattr(report, name, value)
    report.revision += 1
    report.save(update_fields=[*fields, "revision", "updated_at"])
    audit.record(actor, AuditAction.UPDATE, report, before)
    return report


@transaction.atomic
def save_draft(actor: Any, report: Report, raw: Mapping[str, Any], revision: int | None) -> Report:
    """Keep what was typed (a draft may be incomplete, never mistyped)."""
    report = _locked(report, revision)
    if not report.editable:
        raise ReportError(_("This report is no longer being edited."))
    checked = check(indicators_of(report.version), raw, complete=False)
    if not checked.ok:
        raise Invalid(checked)
    return _write(actor, report, {"values": checked.values, "status": Status.DRAFT}, ["values", "status"])


@transaction.atomic
def submit(actor: Any, report: Report, raw: Mapping[str, Any], revision: int | None) -> Report:
    report = _locked(report, revision)
    if report.status == Status.SUBMITTED:
        raise ReportError(_("This report has already been submitted."))
    if not report.editable:
        raise ReportError(_("This report is no longer being edited."))
    checked = check(indicators_of(report.version), raw, complete=True)
    if not checked.ok:
        raise Invalid(checked)
    now = timezone.now()
    changes = {
        "values": checked.values,
        "status": Status.SUBMITTED,
        "submitted_at": now,
        "submitted_by": audit.user_of(actor),
        "first_submitted_at": report.first_submitted_at or now,
    }
    report = _write(actor, report, changes, list(changes))
    refresh_above(report)
    return report


@transaction.atomic
def approve(actor: Any, report: Report, revision: int | None, comment: str = "") -> Report:
    """Lock the report and count its figures (a correction replaces the earlier approved ones)."""
    report = _locked(report, revision)
    if report.status != Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be approved."))
    reviewer = audit.user_of(actor)
    if reviewer is not None and report.submitted_by_id == reviewer.pk:
        raise ReportError(_("You submitted this report: another officer of the unit above approves it."))
    now = timezone.now()
    number = report.approved_number + 1
    history = ReportVersion.objects.create(
        report=report,
        number=number,
        values=report.values,
        reason=report.correction_reason,
        submitted_by=report.submitted_by,
        approved_by=audit.user_of(actor),
        approved_at=now,
    )
    audit.record(actor, AuditAction.CREATE, history)
    changes = {
        "status": Status.APPROVED,
        "approved_values": report.values,
        "approved_number": number,
        "approved_at": now,
        "reviewed_at": now,
        "reviewed_by": audit.user_of(actor),
        "review_comment": nfc_lines(comment),
        "correction_reason": "",
    }
    report = _write(actor, report, changes, list(changes))
    refresh_above(report)
    return report


@transaction.atomic
def return_report(actor: Any, report: Report, revision: int | None, comment: str) -> Report:
    comment = nfc_lines(comment)
    if not comment:
        raise ReportError(_("Say what must be corrected when returning a report."))
    report = _locked(report, revision)
    if report.status != Status.SUBMITTED:
        raise ReportError(_("Only a submitted report can be returned."))
    now = timezone.now()
    changes = {
        "status": Status.RETURNED,
        "reviewed_at": now,
        "reviewed_by": audit.user_of(actor),
        "review_comment": comment,
    }
    return _write(actor, report, changes, list(changes))


@transaction.atomic
def start_correction(actor: Any, report: Report, revision: int | None, reason: str) -> Report:
    """Open an approved report for a correction: the approved figures stay counted until the
    corrected version is approved in turn."""
    reason = nfc_lines(reason)
    if not reason:
        raise ReportError(_("Give the reason for the correction."))
    report = _locked(report, revision)
    if report.status != Status.APPROVED:
        raise ReportError(_("Only an approved report is corrected; this one can still be edited."))
    _check_can_change(report)
    return _write(actor, report, {"status": Status.DRAFT, "correction_reason": reason}, ["status", "correction_reason"])


# --- Narrative from the work programme ------------------------------------------------------------


def narrative_from_updates(report: Report) -> str:
    """A draft of the narrative: what the unit reported on its tasks during the period."""
    from doanket.programs.models import ProgressUpdate

    start = dt.datetime.combine(report.period_start, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = dt.datetime.combine(
        report.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    updates = (
        ProgressUpdate.objects.filter(assignment__unit=report.unit, created_at__gte=start, created_at__lt=end)
        .select_related("assignment__item")
        .order_by("assignment__item__position", "created_at")
    )
    lines = []
    for update in updates:
        item = update.assignment.item
        title = f"{item.number} {item.title}".strip()
        lines.append(f"- {title[:200]}: {update.text.strip()} ({update.progress}%)")
    return "\n".join(lines)


# --- Reminders ----------------------------------------------------------------------------------


def send_reminder(
    actor: Any, report: Report, kind: str = ReminderKind.MANUAL, message: str = ""
) -> ReportReminder | None:
    """Chase the unit that owes ``report``: automatic reminders once per report and kind."""
    with translation.override(settings.LANGUAGE_CODE):
        if not message:
            values = {
                "form": report.schedule.form.title[:150],
                "period": report.period_label,
                "due": report.due_date.strftime("%d/%m/%Y"),
            }
            templates = {
                ReminderKind.BEFORE_DUE: _("Report due on %(due)s: %(form)s, %(period)s."),
                ReminderKind.OVERDUE: _("Report overdue since %(due)s: %(form)s, %(period)s."),
                ReminderKind.MANUAL: _("Please submit the report %(form)s, %(period)s (due %(due)s)."),
            }
            message = templates[ReminderKind(kind)] % values
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    report=report, kind=kind, message=message, sent_by=audit.user_of(actor)
                )
                audit.record(actor, AuditAction.CREATE, reminder)
        except IntegrityError:
            return None
        emails = account_services.unit_emails(report.unit)
        if emails:
            try:
                send_mail(
                    subject=_("[Đoàn Kết] Report reminder: %(form)s") % {"form": report.schedule.form.title[:120]},
                    message=message,
                    from_email=None,
                    recipient_list=emails,
                )
                reminder.emailed_to = emails
                reminder.save(update_fields=["emailed_to"])
            except OSError:
                logger.exception("report reminder e-mail could not be sent")
    return reminder


def send_due_reminders(today: dt.date | None = None, days_before: int = 3) -> int:
    """The scheduled job: chase reports due within ``days_before`` days and those overdue."""
    today = today or timezone.localdate()
    waiting = Report.objects.filter(first_submitted_at__isnull=True, schedule__active=True)
    soon = waiting.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days_before))
    # Periods that closed before the schedule was made were never asked for: not chased.
    late = waiting.filter(due_date__lt=today, due_date__gte=TruncDate("schedule__created_at"))
    sent = 0
    for kind, queryset in ((ReminderKind.BEFORE_DUE, soon), (ReminderKind.OVERDUE, late)):
        pending = queryset.exclude(reminders__kind=kind).select_related("schedule__form", "unit")
        for report in pending.iterator(chunk_size=500):
            if send_reminder(None, report, kind):
                sent += 1
    return sent


def remind_missing(actor: Any, schedule: Schedule, unit: Unit, period: str, message: str = "") -> int:
    """Chase every report of ``unit``'s subtree not yet submitted for ``period`` (run by the worker:
    a province has hundreds, the country a hundred thousand)."""
    missing = (
        Report.objects.filter(schedule=schedule, period=period, first_submitted_at__isnull=True)
        .filter(unit__in=Unit.objects.subtree_of(unit))
        .select_related("schedule__form", "unit")
    )
    return sum(1 for report in missing.iterator(chunk_size=500) if send_reminder(actor, report, message=message))


# --- Reorganisations ------------------------------------------------------------------------------


@transaction.atomic
def after_unit_moved(unit: Unit, old_path: str, today: dt.date | None = None) -> int:
    """A unit moved with its subtree: the cells above its old place lose its figures and those
    above its new place gain them — the two chains only, for each period its subtree reported on
    that has not ended (the cells of the subtree itself are unchanged). A period that ended before
    the move keeps the figures it was closed with, under the units that received its reports."""
    today = today or timezone.localdate()
    keys = sorted(
        set(
            Report.objects.filter(unit__in=Unit.objects.subtree_of(unit), period_end__gte=today).values_list(
                "schedule_id", "period"
            )
        )
    )
    old_parent = Unit.objects.filter(path=old_path[:-SEGMENT]).first() if len(old_path) > SEGMENT else None
    for schedule_id, period in keys:
        schedule = Schedule.objects.select_related("unit").get(pk=schedule_id)
        top = schedule.unit.path or ""
        if not (unit.path or "").startswith(top):
            # Out of the schedule's tree: its own cells of this schedule go too.
            RollupCell.objects.filter(schedule=schedule, period=period, unit__in=Unit.objects.subtree_of(unit)).delete()
        for parent in (old_parent, unit.parent):
            if parent is not None and (parent.path or "").startswith(top):
                refresh_chain(schedule, period, parent)
    return len(keys)


@transaction.atomic
def after_units_merged(sources: list[Unit], effective: dt.date) -> int:
    """Units merged from ``effective``: their reports of periods that end after it, not yet
    started, are no longer expected (the successor reports instead); the cells are rebuilt."""
    gone = Report.objects.filter(unit__in=sources, period_end__gte=effective, status=Status.NOT_STARTED)
    keys = set(gone.values_list("schedule_id", "period"))
    count = gone.count()
    gone.delete()
    for schedule_id, period in sorted(keys):
        schedule = Schedule.objects.select_related("unit", "form").get(pk=schedule_id)
        # The successor reports for those periods instead (open_period adds what is missing).
        if not open_period(schedule, period_for(schedule, period)):
            rebuild(schedule, period)  # open_period rebuilt the period already when it made reports
    return count
