"""Work programmes: the document a committee signed, as a tree of items that units are
assigned, update and get chased on; the library of documents it cites; its dated events.

Every record hangs off a unit, and authorisation filters on that unit's path (``unit__path``
or ``program__unit__path``), as everywhere else.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc
from doanket.organizations.models import Unit


class Kind(models.TextChoices):
    WORK_PROGRAM = "work_program", _("Work programme")
    COORDINATION_PROGRAM = "coordination_program", _("Programme of coordination and unified action")
    PLAN = "plan", _("Plan")
    EMULATION_LAUNCH = "emulation_launch", _("Emulation launch")
    REPORT = "report", _("Report")
    GUIDANCE = "guidance", _("Guidance")
    DECISION = "decision", _("Decision")
    CIRCULAR_LETTER = "circular_letter", _("Circular letter")
    NOTICE = "notice", _("Notice")
    OTHER = "other", _("Other document")


class Program(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="programs", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.WORK_PROGRAM)
    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(max_length=500, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    theme = models.TextField(_("theme"), blank=True)
    key_tasks = models.JSONField(_("key tasks"), default=list, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    signatory = models.JSONField(_("signatory"), null=True, blank=True)
    source_file = models.FileField(_("source document"), upload_to="programs/%Y/", blank=True)
    source_format = models.CharField(max_length=10, blank=True)
    import_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("built from"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.title_key = fold(self.title)[:500]
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Item(models.Model):
    """A numbered section or item of a programme, numbered as written ("III", "2.1", "-")."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)  # document order within the whole programme
    depth = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(_("number"), max_length=40, blank=True)
    title = models.TextField(_("title"))
    text = models.TextField(_("text"), blank=True)
    search_key = models.TextField(editable=False, blank=True)
    upper_item = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_items",
        verbose_name=_("item of the upper programme"),
    )

    class Meta:
        ordering = ["program", "position"]
        indexes = [models.Index(fields=["program", "position"])]

    def __str__(self) -> str:
        label = f"{self.number}. " if self.number and self.number not in "-+•" else ""
        return f"{label}{self.title[:120]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.search_key = fold(f"{self.title} {self.text}")
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.program.unit.path or ""


class Role(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")


class Assignment(models.Model):
    """An item given to a unit, as lead (chủ trì) or in support (phối hợp)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEAD)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_update_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="one_assignment_per_item_and_unit")]
        indexes = [
            models.Index(fields=["program", "status", "due_date"]),
            models.Index(fields=["unit", "status", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.item} → {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    def effective_status(self, today: datetime.date | None = None) -> str:
        """Late when the due date has passed and it is not done."""
        today = today or timezone.localdate()
        if self.status != Status.DONE and self.due_date and self.due_date < today:
            return Status.LATE
        return self.status


class ProgressUpdate(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField(_("what was done"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    attachment = models.FileField(_("attachment"), upload_to="progress/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.progress}% — {self.text[:80]}"

    def audit_unit_path(self) -> str:
        return self.assignment.unit.path or ""


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MANUAL = "manual", _("Chased by hand")


class Reminder(models.Model):
    """A chase (đôn đốc) sent to the unit responsible for an assignment; shown in the app."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due_date = models.DateField(null=True, blank=True)  # the due date it was about (one automatic reminder each)
    message = models.TextField(blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.JSONField(default=list, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "due_date"],
                condition=~models.Q(kind="manual"),
                name="one_automatic_reminder_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.assignment}"

    def audit_unit_path(self) -> str:
        return self.assignment.unit.path or ""


class Revision(models.Model):
    """A kept version of a programme (điều chỉnh, bổ sung): its whole structure as JSON."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "-version"]
        constraints = [models.UniqueConstraint(fields=["program", "version"], name="one_revision_per_version")]

    def __str__(self) -> str:
        return f"{self.program} v{self.version}"


class Directive(models.Model):
    """An entry of a unit's library: a document cited by its programmes (or uploaded)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="directives", verbose_name=_("unit"))
    code = models.CharField(_("number and symbol"), max_length=120)
    code_key = models.CharField(max_length=120, editable=False)
    type = models.CharField(_("type"), max_length=40, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=300, blank=True)
    title = models.TextField(_("title"), blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    file = models.FileField(_("file"), upload_to="library/%Y/", blank=True)
    search_key = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code_key"], name="one_directive_per_code_per_unit")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = fold(f"{self.code} {self.issuer} {self.title} {self.full_text[:20000]}")
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Citation(models.Model):
    """Where a library entry is cited: a programme, and the item when known."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="citations")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="citations")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["directive", "program", "item"], name="one_citation_per_place")]

    def __str__(self) -> str:
        return f"{self.directive_id} ← {self.program_id}/{self.item_id or '-'}"


class Event(models.Model):
    """A dated event or anniversary from a programme, on the unit's calendar."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(_("event"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    origin_date = models.DateField(_("first held"), null=True, blank=True)
    anniversary = models.PositiveSmallIntegerField(_("anniversary"), null=True, blank=True)
    lunar = models.BooleanField(_("lunar date"), default=False)
    lunar_day = models.PositiveSmallIntegerField(null=True, blank=True)
    lunar_month = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.program.unit.path or ""


class FeedToken(models.Model):
    """The secret in a user's iCalendar feed address (a phone cannot log in to subscribe)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"  # never the token itself
