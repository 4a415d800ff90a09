"""Supervision (giám sát): a unit's yearly plan, its supervisions, their findings and
recommendations (kiến nghị) chased until answered; the People's Inspection Boards and Community
Investment Supervision Boards of the communes with their inspections and the projects they watch.

A supervision of the ethics of officials and leaders (Quy định 124-QĐ/TW) is sensitive: the persons
supervised, the opinions collected about them and the conclusions are shown only to the officers
assigned to it, each reading logged in ``SensitiveReading``, and kept out of the audit log's values
(the log says that they changed, not what they say).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Unit, UnitKind


class SupervisionPlan(models.Model):
    """A unit's supervision plan for a year (kế hoạch giám sát năm)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_plans", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_supervision_plan_per_year")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Kind(models.TextChoices):
    GENERAL = "general", _("Supervision")
    DEMOCRACY = "democracy", _("Grassroots democracy")
    ETHICS = "ethics", _("Ethics of officials and leaders (Quy định 124-QĐ/TW)")


class Form(models.TextChoices):
    DOCUMENTS = "documents", _("Review of documents and reports")
    TEAM = "team", _("Supervision team visit")
    INSPECTION_BOARD = "inspection_board", _("Through the People's Inspection Board")
    COMMUNITY_BOARD = "community_board", _("Through the Community Investment Supervision Board")
    CONFERENCE = "conference", _("Conference or dialogue")


class Progress(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


class Supervision(models.Model):
    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="supervisions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    topic = models.CharField(_("topic"), max_length=500)
    content = models.TextField(_("content"), blank=True)
    subject = models.CharField(
        _("supervised"), max_length=300, blank=True, help_text=_("The body, organisation or office supervised.")
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.TEAM)
    team = models.TextField(_("team members"), blank=True, help_text=_("One name per line."))
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    progress = models.CharField(_("progress"), max_length=10, choices=Progress.choices, default=Progress.PLANNED)
    findings = models.TextField(_("findings"), blank=True)  # for an ethics supervision: the conclusions (sensitive)
    assigned = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervisions_assigned", verbose_name=_("officers assigned")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    SENSITIVE_FIELDS = ("findings",)  # of an ethics supervision

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.topic

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.topic, self.subject = nfc(self.topic), nfc(self.subject)
        self.content, self.team, self.findings = nfc_lines(self.content), nfc_lines(self.team), nfc_lines(self.findings)
        super().save(*args, **kwargs)

    @property
    def sensitive(self) -> bool:
        return self.kind == Kind.ETHICS

    def audit_unit_path(self) -> str:
        return self.plan.unit.path or ""


class SupervisedPerson(models.Model):
    """A person whose ethics are supervised (sensitive)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="persons")
    full_name = models.CharField(_("full name"), max_length=150)
    office = models.CharField(_("office held"), max_length=300, blank=True)

    SENSITIVE_FIELDS = ("full_name", "office")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name, self.office = nfc(self.full_name), nfc(self.office)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.supervision.plan.unit.path or ""


class Opinion(models.Model):
    """An opinion collected about a supervised person (residents, the workplace, the party cell)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="opinions")
    person = models.ForeignKey(SupervisedPerson, on_delete=models.CASCADE, related_name="opinions")
    source = models.CharField(_("from"), max_length=300)
    text = models.TextField(_("opinion"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    SENSITIVE_FIELDS = ("source", "text")

    class Meta:
        ordering = ["person", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source}: {self.text[:40]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.source, self.text = nfc(self.source), nfc_lines(self.text)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.supervision.plan.unit.path or ""


class SensitiveReading(models.Model):
    """Each time an ethics supervision's persons, opinions or conclusions were shown, and to whom."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="readings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    purpose = models.CharField(max_length=100)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.supervision_id} {self.user_id} {self.at:%d/%m/%Y %H:%M}"


class Answer(models.TextChoices):
    NONE = "none", _("Not answered")
    PARTLY = "partly", _("Partly answered")
    ANSWERED = "answered", _("Answered")


class State(models.TextChoices):
    """What the list shows: the answer, or "overdue" when the deadline passed without one."""

    ANSWERED = "answered", _("Answered")
    PARTLY = "partly", _("Partly answered")
    WAITING = "waiting", _("Not answered")
    OVERDUE = "overdue", _("Overdue")


class Recommendation(models.Model):
    """A recommendation (kiến nghị) of a supervision to its addressee, with a deadline; the answer
    is recorded, and until then it is chased (``services.send_due_reminders``)."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("recommendation"))
    addressee = models.CharField(_("addressed to"), max_length=300)
    addressee_email = models.EmailField(_("addressee's e-mail"), blank=True)
    due_on = models.DateField(_("answer due by"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.NONE)
    answer_text = models.TextField(_("what the addressee answered"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["supervision", "position", "pk"]
        indexes = [models.Index(fields=["answer", "due_on"], name="recommendation_chase")]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text, self.answer_text, self.addressee = (
            nfc_lines(self.text),
            nfc_lines(self.answer_text),
            nfc(self.addressee),
        )
        super().save(*args, **kwargs)

    def state(self, today: dt.date | None = None) -> str:
        if self.answer == Answer.ANSWERED:
            return State.ANSWERED
        if self.answer == Answer.PARTLY:
            return State.PARTLY
        return State.OVERDUE if self.due_on < (today or timezone.localdate()) else State.WAITING

    def get_state_display(self) -> str:
        return str(State(self.state()).label)

    def audit_unit_path(self) -> str:
        return self.supervision.plan.unit.path or ""


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MANUAL = "manual", _("Chased by hand")


class RecommendationReminder(models.Model):
    """A chase of an unanswered recommendation: to the addressee (by e-mail where known) and to the
    supervising unit's officers; once per due date for the automatic ones."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due_on = models.DateField()
    message = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    emailed_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "kind", "due_on"],
                condition=~models.Q(kind="manual"),
                name="one_automatic_chase_per_due_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.recommendation}"

    def audit_unit_path(self) -> str:
        return self.recommendation.supervision.plan.unit.path or ""


# --- The commune's boards -------------------------------------------------------------------------
# A commune's People's Inspection Board (Ban Thanh tra nhân dân) and Community Investment Supervision
# Board (Ban Giám sát đầu tư của cộng đồng) are units of the organisation tree under the commune
# (their members are its people, their accounts its grants); here are what they record.


BOARD_KINDS = (UnitKind.PEOPLES_INSPECTION_BOARD, UnitKind.COMMUNITY_INVESTMENT_BOARD)


class Inspection(models.Model):
    """An inspection by a People's Inspection Board: what it looked at, when, what it found and
    recommended."""

    board = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    subject = models.CharField(_("inspected"), max_length=300)
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.subject = nfc(self.subject)
        self.findings, self.recommendations = nfc_lines(self.findings), nfc_lines(self.recommendations)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.board.path or ""


class Project(models.Model):
    """An investment project a Community Investment Supervision Board watches."""

    board = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="watched_projects")
    name = models.CharField(_("project"), max_length=300)
    owner = models.CharField(_("investor"), max_length=300)
    budget = models.BigIntegerField(_("budget (đồng)"))
    starts_on = models.DateField(_("started on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    issues = models.TextField(_("issues found"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["board", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="project_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="project_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name, self.owner, self.issues = nfc(self.name), nfc(self.owner), nfc_lines(self.issues)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.board.path or ""


# --- Social criticism (phản biện xã hội, Quyết định 217-QĐ/TW) -------------------------------------


class DraftState(models.TextChoices):
    GATHERING = "gathering", _("Gathering opinions")
    ISSUED = "issued", _("Criticism sent")
    ANSWERED = "answered", _("Answered by the drafting body")


class Draft(models.Model):
    """A draft policy a state body sent for social criticism: its text (in parts), deadline, the
    opinions gathered, the criticism the unit sends (number, date, signer) and the answer."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("unit"))
    title = models.CharField(_("draft"), max_length=500)
    drafting_body = models.CharField(_("drafting body"), max_length=300)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("criticism due by"))
    text = models.TextField(_("text of the draft"), blank=True)
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=DraftState.choices, default=DraftState.GATHERING)
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("sent on"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.drafting_body = nfc(self.title), nfc(self.drafting_body)
        self.text, self.number = nfc_lines(self.text), nfc(self.number)
        self.signer, self.signer_title = nfc(self.signer), nfc(self.signer_title)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class DraftPart(models.Model):
    """A part of the draft as it is numbered (Điều 3, Chương II): what an opinion addresses."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=40)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["draft", "position"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class SourceKind(models.TextChoices):
    EXPERT = "expert", _("Expert")
    COUNCIL = "council", _("Advisory council")
    MEMBER = "member", _("Member organisation")
    CONFERENCE = "conference", _("Criticism conference")
    OTHER = "other", _("Other")


class CriticismOpinion(models.Model):
    """An opinion gathered on the draft, against the part it addresses (none: the draft as a whole)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="opinions")
    part = models.ForeignKey(DraftPart, on_delete=models.SET_NULL, null=True, blank=True, related_name="opinions")
    source_kind = models.CharField(_("from"), max_length=12, choices=SourceKind.choices)
    author = models.CharField(_("who"), max_length=300)
    text = models.TextField(_("opinion"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["draft", "part__position", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.author, self.text = nfc(self.author), nfc_lines(self.text)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.draft.unit.path or ""


class Reception(models.TextChoices):
    NONE = "none", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Not accepted, with reasons")


class CriticismPoint(models.Model):
    """A point of the criticism the unit sends, drafted from the opinions on one part; the
    drafting body's answer is recorded against it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveIntegerField()
    part = models.ForeignKey(DraftPart, on_delete=models.SET_NULL, null=True, blank=True, related_name="points")
    text = models.TextField(_("criticism"))
    reception = models.CharField(_("answer"), max_length=10, choices=Reception.choices, default=Reception.NONE)
    answer_text = models.TextField(_("what the drafting body answered"), blank=True)

    class Meta:
        ordering = ["draft", "position"]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text, self.answer_text = nfc_lines(self.text), nfc_lines(self.answer_text)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.draft.unit.path or ""
