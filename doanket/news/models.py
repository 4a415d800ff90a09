"""News, announcements and public notices a unit publishes on the portal, and the people's
diplomacy activities it records (border friendship exchanges, coordination with the Border Guard,
the border festival), each of which can become a news item.

An item is written as a draft, published, and may be withdrawn (it then disappears from the portal
and the feeds). What the public reads is the title, summary, body and photo the officer wrote —
nothing else of the record (not who wrote it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Unit


class Kind(models.TextChoices):
    NEWS = "news", _("News")
    NOTICE = "notice", _("Announcement")
    DISCLOSURE = "disclosure", _("Public disclosure")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ActivityKind(models.TextChoices):
    FRIENDSHIP = "friendship", _("Border friendship exchange")
    BORDER_GUARD = "border_guard", _("Coordination with the Border Guard")
    FESTIVAL = "festival", _("Border festival")
    OTHER = "other", _("Other people's diplomacy activity")


class Activity(models.Model):
    """A people's diplomacy activity of the unit: with whom (a neighbouring commune across the
    border, a Border Guard post), where, how many took part, and what was done."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="diplomacy", verbose_name=_("unit"))
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    partner = models.CharField(
        _("partner"), max_length=300, help_text=_("A neighbouring commune across the border, a Border Guard post…")
    )
    place = models.CharField(_("place"), max_length=300)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("people's diplomacy activity")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.partner} ({self.held_on:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.partner, self.place, self.summary = nfc(self.partner), nfc(self.place), nfc_lines(self.summary)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


def photo_path(item: NewsItem, filename: str) -> str:
    return f"news/{timezone.now():%Y/%m}/{filename}"


class NewsItem(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="news", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=500, help_text=_("One or two sentences: the preview."))
    body = models.TextField(_("text"), help_text=_("Plain text; a blank line starts a new paragraph."))
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True)
    photo_type = models.CharField(max_length=20, blank=True)
    photo_size = models.PositiveIntegerField(default=0)
    photo_caption = models.CharField(_("photo caption"), max_length=300, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="news", verbose_name=_("activity")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        indexes = [models.Index(fields=["state", "-published_at"], name="news_public")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="published") | models.Q(published_at__isnull=False),
                name="news_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title, self.summary = nfc(self.title), nfc(self.summary)
        self.body, self.photo_caption = nfc_lines(self.body), nfc(self.photo_caption)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""

    @property
    def is_public(self) -> bool:
        return self.state == State.PUBLISHED
