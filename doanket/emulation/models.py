"""Campaigns and emulation movements: who launched them and by which document, their content
areas (the launch's numbered contents), the units taking part, the criteria they are judged by,
and the registrations of those units with their own targets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc, nfc_lines
from doanket.organizations.models import Level, Unit, UnitKind


class MovementKind(models.TextChoices):
    EMULATION = "emulation", _("Emulation movement")
    CAMPAIGN = "campaign", _("Campaign")


class Measure(models.TextChoices):
    INDICATOR = "indicator", _("From a report indicator")
    TASKS = "tasks", _("From the progress of the programme's tasks")
    MANUAL = "manual", _("Scored by hand")


class Movement(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="movements", verbose_name=_("launched by"))
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices, default=MovementKind.EMULATION)
    title = models.CharField(_("title"), max_length=500)
    title_key = models.CharField(max_length=500, editable=False, db_index=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    level = models.CharField(_("taking part: units of level"), max_length=16, choices=Level.choices)
    participant_kind = models.CharField(_("and of kind"), max_length=32, choices=UnitKind.choices)
    # The launch document as imported (the work-programme importer's reading of it).
    number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    document_date = models.DateField(_("date of the launch"), null=True, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing appeal"), blank=True)
    source_file = models.FileField(_("launch document"), upload_to="emulation/%Y/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.title_key = fold(self.title)[:500]
        self.preamble, self.closing = nfc_lines(self.preamble), nfc_lines(self.closing)
        super().save(*args, **kwargs)


class ContentArea(models.Model):
    """One numbered content of the launch ("1. Tổ chức các hoạt động tuyên truyền ...")."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=20, blank=True)
    title = models.TextField(_("content"))
    text = models.TextField(_("details"), blank=True)

    class Meta:
        ordering = ["movement", "position"]
        constraints = [models.UniqueConstraint(fields=["movement", "position"], name="area_position_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class Criterion(models.Model):
    """What the units are judged by, with its weight in points and how it is measured."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField()
    name = models.CharField(_("criterion"), max_length=300)
    weight = models.PositiveIntegerField(_("weight (points)"))
    measure = models.CharField(_("measured"), max_length=16, choices=Measure.choices, default=Measure.MANUAL)
    indicator_code = models.CharField(_("indicator code"), max_length=50, blank=True)
    schedule = models.ForeignKey(
        "reporting.Schedule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("reports of"),
    )
    target = models.BigIntegerField(_("figure that earns full points"), null=True, blank=True)
    area = models.ForeignKey(
        ContentArea, on_delete=models.SET_NULL, null=True, blank=True, related_name="criteria", verbose_name=_("area")
    )

    class Meta:
        ordering = ["movement", "position"]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A participating unit's registration (đăng ký thi đua) with the targets it sets itself."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registrations")
    targets = models.TextField(_("targets the unit sets itself"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["movement", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["movement", "unit"], name="registration_unique")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.movement}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.targets = nfc_lines(self.targets)
        super().save(*args, **kwargs)


class Stage(models.TextChoices):
    INTERIM = "interim", _("Interim review")
    FINAL = "final", _("Final review")


class ReviewState(models.TextChoices):
    COMPUTING = "computing", _("Computing")
    READY = "ready", _("Computed")
    FAILED = "failed", _("Computation failed")


class Review(models.Model):
    """An interim or final review (sơ kết, tổng kết) of a movement over a period: the units
    assess themselves, the launching unit scores, the data scores the rest, and the ranking follows."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("review"), max_length=10, choices=Stage.choices)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    computed_at = models.DateTimeField(null=True, blank=True)
    # The points the data gives are computed by the worker (a province's communes take a second or two).
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.READY)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["movement", "period_to", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y}"


class Score(models.Model):
    """One unit's points on one criterion in a review: computed from the data (with the figure
    and what it was measured against), assessed by the unit itself, scored by the launching unit
    (with its reason). The ranking counts the launching unit's score, else the computed one."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.FloatField(_("figure"), null=True, blank=True)
    basis = models.FloatField(_("measured against"), null=True, blank=True)  # the target, or the best figure
    computed = models.DecimalField(_("computed points"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_points = models.DecimalField(_("self-assessment"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_reason = models.TextField(_("why (self-assessment)"), blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("why"), blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        # Also the index of a unit's scores in a review (its first two columns).
        constraints = [models.UniqueConstraint(fields=["review", "unit", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.criterion_id} · {self.counted}"

    @property
    def counted(self) -> Any:
        """The points the ranking counts."""
        return self.points if self.points is not None else self.computed


class AwardKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate of merit (Giấy khen)")
    MERIT = "merit", _("Letter of commendation (Bằng khen)")
    FLAG = "flag", _("Emulation flag (Cờ thi đua)")
    RECOGNITION = "recognition", _("Certificate of Recognition (Bằng ghi công)")
    UPPER = "upper", _("Award of an upper body")


class NominationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Reviewed: for decision")
    RETURNED = "returned", _("Returned")
    DECIDED = "decided", _("Decided")


class AwardDecision(models.Model):
    """A decision awarding one or more nominations, with its number, date and signer; written out
    in the official layout (``awards.decision_docx``)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_decisions", verbose_name=_("by"))
    number = models.CharField(_("number and symbol"), max_length=100)
    decided_on = models.DateField(_("date"))
    signer = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=200)
    public = models.BooleanField(_("shown on the portal"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="award_decision_number_unique")]

    def __str__(self) -> str:
        return self.number


class Nomination(models.Model):
    """A proposal to award a unit or a person, from the proposing unit to the unit that decides
    (the same or one above), through review to decision."""

    movement = models.ForeignKey(
        Movement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("movement"),
    )
    proposed_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations_made")
    decided_by = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations_received")
    kind = models.CharField(_("award"), max_length=16, choices=AwardKind.choices)
    recipient_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="awards", verbose_name=_("unit awarded")
    )
    recipient_person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    achievement = models.TextField(_("achievement"))
    status = models.CharField(_("status"), max_length=10, choices=NominationStatus.choices, default="proposed")
    review_comment = models.TextField(_("review comment"), blank=True)
    decision = models.ForeignKey(
        AwardDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient_unit__isnull=False, recipient_person__isnull=True)
                | models.Q(recipient_unit__isnull=True, recipient_person__isnull=False),
                name="nomination_one_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.recipient_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.achievement, self.review_comment = nfc_lines(self.achievement), nfc_lines(self.review_comment)
        super().save(*args, **kwargs)

    @property
    def recipient_name(self) -> str:
        if self.recipient_unit_id:
            return str(self.recipient_unit.name)  # type: ignore[union-attr]
        return str(self.recipient_person.full_name)  # type: ignore[union-attr]


class ExemplarKind(models.TextChoices):
    MODEL = "model", _("Pilot model (mô hình điểm)")
    EXEMPLAR = "exemplar", _("Exemplary example (điển hình tiên tiến)")
    INITIATIVE = "initiative", _("Initiative (sáng kiến)")


class Exemplar(models.Model):
    """An exemplary model, example or initiative of a unit, with its evidence; nominated upward,
    and adopted by other units whose results are followed."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="exemplars", verbose_name=_("unit"))
    movement = models.ForeignKey(
        Movement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exemplars",
        verbose_name=_("movement"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ExemplarKind.choices)
    title = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("what it is and how it works"))
    results = models.TextField(_("results"), blank=True)
    started_on = models.DateField(_("since"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="emulation/evidence/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=50, blank=True)
    nominated_to = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="exemplars_nominated"
    )
    public = models.BooleanField(_("shown on the portal"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.description, self.results = nfc_lines(self.description), nfc_lines(self.results)
        super().save(*args, **kwargs)


class Adoption(models.Model):
    """A unit replicating an exemplary model, with the results it reports."""

    exemplar = models.ForeignKey(Exemplar, on_delete=models.CASCADE, related_name="adoptions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("unit"))
    adopted_on = models.DateField(_("adopted on"))
    results = models.TextField(_("results so far"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exemplar", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["exemplar", "unit"], name="adoption_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.exemplar_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.results = nfc_lines(self.results)
        super().save(*args, **kwargs)
