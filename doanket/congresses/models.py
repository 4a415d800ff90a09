"""Congresses (Đại hội) of the units for a term of office: their preparation, their results (the
new committee as ``organizations.Position`` rows of the new term, the resolution as a
``programs.Program``) and the resolution's targets, bound to report indicators for the reviews.

Every record hangs off the congress's unit, and authorisation filters on ``unit__path`` (or
``congress__unit__path``), as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Term, Unit
from doanket.programs.models import Program
from doanket.reporting.models import Schedule


class State(models.TextChoices):
    """Where a congress stands; computed from its dates and steps, never stored."""

    PLANNED = "planned", pgettext_lazy("congress", "Planned")
    PREPARING = "preparing", _("In preparation")
    HELD = "held", _("Held")
    LATE = "late", _("Late")


class Congress(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="congresses", verbose_name=_("unit"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="congresses", verbose_name=_("term"))
    name = models.CharField(_("name of the congress"), max_length=300)
    planned_on = models.DateField(_("planned date"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    delegates = models.PositiveIntegerField(_("delegates"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    resolution = models.OneToOneField(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="congress",
        verbose_name=_("resolution adopted"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit__path", "-planned_on"]
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        constraints = [models.UniqueConstraint(fields=["unit", "term"], name="one_congress_per_unit_and_term")]
        indexes = [models.Index(fields=["planned_on"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name, self.place, self.note = nfc(self.name), nfc(self.place), nfc_lines(self.note)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    def state(self, today: dt.date | None = None, steps_done: int | None = None) -> str:
        """Held once it has a date it was held; late when the planned date has passed without;
        in preparation once a step is done; planned before that."""
        today = today or timezone.localdate()
        if self.held_on:
            return State.HELD
        if self.planned_on < today:
            return State.LATE
        if steps_done is None:
            steps_done = self.steps.filter(done_on__isnull=False).count()
        return State.PREPARING if steps_done else State.PLANNED


class StepKind(models.TextChoices):
    DOCUMENTS = "documents", _("Documents drafted")
    CONSULTATION = "consultation", _("Personnel consultation (hiệp thương)")
    DELEGATES = "delegates", _("Delegates elected")
    OTHER = "other", _("Other step")


class Step(models.Model):
    """A preparation step: its deadline and the day it was done."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    title = models.CharField(_("description"), max_length=300, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["congress", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title or str(self.get_kind_display())

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.note = nfc(self.title), nfc_lines(self.note)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.congress.unit.path or ""

    @property
    def label(self) -> str:
        return self.title or str(self.get_kind_display())


class Target(models.Model):
    """A target (chỉ tiêu) of the term's resolution; bound to a report indicator, the reviews
    show the rolled-up actual value against it."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("target"), max_length=500)
    value = models.BigIntegerField(_("target value"))
    measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report schedule"),
    )
    indicator = models.CharField(_("indicator code"), max_length=40, blank=True)

    class Meta:
        ordering = ["congress", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:120]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text, self.measure = nfc(self.text), nfc(self.measure)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.congress.unit.path or ""
