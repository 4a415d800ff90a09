"""Training (bồi dưỡng, tập huấn): the courses a unit organises for its staff, the village board
heads and the committee members, their materials, and who attended with what result.

Who is trained is the organisation's ``Person``; "staff" and "village board heads" are read from
their ``Position`` (see ``services.untrained``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Person, Unit


class Course(models.Model):
    """A course or training session organised by a unit: its topic, trainers, dates and place,
    and for whom it is meant."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="courses", verbose_name=_("organised by"))
    topic = models.CharField(_("topic"), max_length=300)
    trainers = models.TextField(_("trainers"), help_text=_("One name per line."))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    place = models.CharField(_("place"), max_length=300)
    for_staff = models.BooleanField(_("for Front staff"), default=True)
    for_village_heads = models.BooleanField(_("for village board heads"), default=False)
    for_committee = models.BooleanField(_("for committee members"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="course_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["start_date"], name="course_start_idx")]

    def __str__(self) -> str:
        return self.topic

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.topic, self.place = nfc(self.topic).strip(), nfc(self.place).strip()
        self.trainers, self.notes = nfc_lines(self.trainers), nfc_lines(self.notes)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Material(models.Model):
    """A document of the course (the programme, the slides, the handout) kept as a PDF or photo."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to="training/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.course.unit.path or ""


class Attendance(models.Model):
    """A person at a course, with the result and the certificate when there is one. Only a
    completed course counts as trained."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("person"))
    completed = models.BooleanField(_("completed the course"), default=True)
    result = models.CharField(_("result"), max_length=100, blank=True)
    certificate = models.CharField(_("certificate number"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["course", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="attendance_once_per_course")]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.result, self.certificate = nfc(self.result).strip(), nfc(self.certificate).strip()
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.course.unit.path or ""
