"""Periodic reporting: forms and their versions, schedules, the reports units make, and the
materialised roll-up cells that make a country-wide table a read of a few rows.

A report is one row per (schedule, unit, period), made when the period opens for every unit that
must report: the expected reports *are* the rows, so completeness is a count. Its working values
and the values of its last approved version are kept apart: the roll-up counts only the
approved ones, and a correction under review leaves the approved figures in place until it is
approved itself. One row per slot, so no figure can be counted twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import nfc
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.reporting.periods import DueRule, Frequency


class ReportForm(models.Model):
    """A report form (mẫu báo cáo) issued by a unit; its content lives in its versions."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_forms", verbose_name=_("unit"))
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("name of the form"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="report_form_code_unique")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.description = nfc(self.description)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    def current_version(self) -> FormVersion | None:
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One version of a form. A version reports were made with is never edited: changes make a
    new version, and each period keeps the version it opened with."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"), default=1)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["form", "number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique")]

    def __str__(self) -> str:
        return f"{self.form} (v{self.number})"

    @property
    def audit_unit_path(self) -> str:
        return self.form.unit.path or ""


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        """ "I. Công tác vận động" — the number written as official documents write it."""
        if not self.number:
            return self.title
        number = self.number if self.number.endswith((".", ")")) else f"{self.number}."
        return f"{number} {self.title}"


class IndicatorType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    MONEY = "money", _("Amount (đồng)")
    PERCENT = "percent", _("Percentage")
    BOOLEAN = "boolean", _("Yes/no")
    CHOICE = "choice", _("Choice")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")


NUMERIC_TYPES = {IndicatorType.INTEGER, IndicatorType.MONEY, IndicatorType.PERCENT}
TEXT_TYPES = {IndicatorType.SHORT_TEXT, IndicatorType.LONG_TEXT}


class Rollup(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "avg", _("Average")
    MIN = "min", _("Minimum")
    MAX = "max", _("Maximum")
    LATEST = "latest", _("Latest")


class Indicator(models.Model):
    """A chỉ tiêu. ``sum_of`` names the indicators whose values must add up to this one."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="indicators")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("indicator"), max_length=300)
    type = models.CharField(
        _("answer type"), max_length=12, choices=IndicatorType.choices, default=IndicatorType.INTEGER
    )
    measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.BigIntegerField(_("minimum"), null=True, blank=True)
    max_value = models.BigIntegerField(_("maximum"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    rollup = models.CharField(_("roll-up"), max_length=8, choices=Rollup.choices, default=Rollup.SUM)
    sum_of = models.JSONField(_("must equal the sum of"), default=list, blank=True)
    key = models.BooleanField(_("key indicator"), default=False, help_text=_("Shown with its trend on dashboards."))
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    # A figure the platform knows (reporting.sources), filled in for the officer to check.
    source = models.CharField(_("filled in from"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES


class Schedule(models.Model):
    """Who reports on a form to ``unit``, how often and by when."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_schedules", verbose_name=_("unit"))
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="schedules", verbose_name=_("form"))
    name = models.CharField(_("name"), max_length=300)
    level = models.CharField(_("units of level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("and of kind"), max_length=32, choices=UnitKind.choices)
    include_self = models.BooleanField(_("the unit reports too"), default=False)
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices)
    due_rule = models.CharField(_("due"), max_length=12, choices=DueRule.choices, default=DueRule.DAY_OF_LAST_MONTH)
    due_day = models.SmallIntegerField(_("day"), default=20)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


ARRIVED = [Status.SUBMITTED, Status.APPROVED]


class Report(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="reports")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("unit"))
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    values = models.JSONField(default=dict, blank=True)
    # Bumped by every write: a form sent with an older number was overtaken by someone else's.
    revision = models.PositiveIntegerField(default=0)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment"), blank=True)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    approved_values = models.JSONField(null=True, blank=True)
    approved_number = models.PositiveIntegerField(default=0)  # how many versions were approved
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "unit", "period"], name="report_one_per_unit_and_period"),
        ]
        indexes = [
            models.Index(fields=["schedule", "period", "status"]),
            models.Index(fields=["unit", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.schedule.form} – {self.unit} – {self.period}"

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.due_date

    @property
    def editable(self) -> bool:
        return self.status in (Status.NOT_STARTED, Status.DRAFT, Status.RETURNED)

    def is_late(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.first_submitted_at is None and self.due_date < today

    @property
    def period_label(self) -> str:
        from doanket.reporting.periods import label

        return label(self.period)


class ReportVersion(models.Model):
    """An approved version of a report, kept: the first, and every correction with its reason."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    number = models.PositiveIntegerField()
    values = models.JSONField()
    reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} (v{self.number})"

    @property
    def audit_unit_path(self) -> str:
        return self.report.unit.path or ""


class RollupCell(models.Model):
    """The roll-up of one schedule and period over a unit's whole subtree, kept current by the
    services whenever a report below changes state (and rebuilt when units move or merge).

    ``data`` holds per indicator code the mergeable aggregates {n, s, lo, hi, l, t} (count, sum,
    min, max, latest value and when), or {c: {choice: count}} for choices."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="cells")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="report_cells")
    period = models.CharField(max_length=10)
    expected = models.PositiveIntegerField(default=0)
    arrived = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["schedule", "unit", "period"], name="rollup_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} – {self.unit_id} – {self.period}"


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MANUAL = "manual", _("Reminder")


class ReportReminder(models.Model):
    """A chase of a late or missing report (automatic ones once per report and kind)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    message = models.TextField(blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"], condition=~Q(kind="manual"), name="report_reminder_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.report}"

    @property
    def audit_unit_path(self) -> str:
        return self.report.unit.path or ""
