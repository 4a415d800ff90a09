"""The people the Front listens to: visits to prestigious persons, elders, religious dignitaries and
communities (Tết, 18/11, Christmas, Buddha's birthday, funerals, illness) with their gifts, and the
hot spots — places where a dispute risks escalating — with the history of what was done.

The registry of those persons is the organisation's ``Person`` (its flags and community); the
dialogues and periodic opinion gatherings are recorded as meetings of the petitions module, so
their opinions flow into its synthesis.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Person, Unit


class Occasion(models.TextChoices):
    TET = "tet", _("Lunar New Year (Tết)")
    SOLIDARITY_DAY = "solidarity_day", _("Great National Solidarity Day (18/11)")
    CHRISTMAS = "christmas", _("Christmas")
    BUDDHA = "buddha", _("Buddha's birthday")
    FUNERAL = "funeral", _("Funeral")
    ILLNESS = "illness", _("Illness")
    OTHER = "other", _("Other")


class Visit(models.Model):
    """Who of the unit visited whom, when, on what occasion, with what gift (its value in đồng,
    and the fund it came from where it did)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits", verbose_name=_("unit"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    visited_on = models.DateField(_("date"))
    visitors = models.TextField(_("visitors"), help_text=_("One name per line."))
    persons = models.ManyToManyField(Person, blank=True, related_name="visits", verbose_name=_("persons visited"))
    community = models.CharField(
        _("community or family visited"), max_length=300, blank=True, help_text=_("A parish, a pagoda, a family…")
    )
    gift = models.CharField(_("gift"), max_length=300, blank=True)
    gift_value = models.BigIntegerField(_("value of the gift (đồng)"), default=0)
    fund = models.ForeignKey(
        "funds.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("paid from the fund"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visited_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(gift_value__gte=0), name="visit_gift_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.visited_on:%d/%m/%Y}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.visitors, self.notes = nfc_lines(self.visitors), nfc_lines(self.notes)
        self.community, self.gift = nfc(self.community), nfc(self.gift)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class HotSpotState(models.TextChoices):
    OPEN = "open", _("Being followed")
    RESOLVED = "resolved", _("Resolved")


class HotSpot(models.Model):
    """A place where a dispute risks escalating (điểm nóng): flagged by the unit, followed until
    resolved, read by the units above it — the province sees all of its communes'."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="hot_spots", verbose_name=_("flagged by"))
    place = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    title = models.CharField(_("what is at stake"), max_length=300)
    description = models.TextField(_("situation"))
    risk = models.CharField(_("risk"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    state = models.CharField(_("status"), max_length=10, choices=HotSpotState.choices, default=HotSpotState.OPEN)
    flagged_on = models.DateField(_("flagged on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["state", "-flagged_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.description = nfc(self.title), nfc_lines(self.description)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class HotSpotAction(models.Model):
    """A step in a hot spot's history: what was done, by whom, and how the situation stood after."""

    hot_spot = models.ForeignKey(HotSpot, on_delete=models.CASCADE, related_name="actions")
    taken_on = models.DateField(_("date"))
    action = models.TextField(_("action taken"))
    by = models.CharField(_("by"), max_length=300)
    risk = models.CharField(_("risk afterwards"), max_length=8, choices=Risk.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["hot_spot", "taken_on", "pk"]

    def __str__(self) -> str:
        return self.action[:60]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.action, self.by = nfc_lines(self.action), nfc(self.by)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.hot_spot.unit.path or ""
