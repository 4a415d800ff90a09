"""The Front's hierarchy: units of any depth, their history, people and their positions.

Subtree questions are answered with an indexed range on ``Unit.path`` (a materialized path of
fixed-width digit segments): the units under X are those whose path starts with X's path, i.e.
``X.path <= path < next(X.path)``. No tree walking in Python.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc
from doanket.organizations.signals import unit_moved

SEGMENT = 8  # digits per path segment: room for 99,999,999 units


def path_segment(pk: int) -> str:
    return f"{pk:0{SEGMENT}d}"


def path_ancestors(path: str) -> list[str]:
    """The paths of the units above ``path``, top first (one per segment)."""
    return [path[:end] for end in range(SEGMENT, len(path), SEGMENT)]


def path_upper_bound(path: str) -> str:
    """The smallest path greater than every path that starts with ``path``."""
    return f"{int(path) + 1:0{len(path)}d}"


class Level(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


class UnitKind(models.TextChoices):
    COMMITTEE = "committee", _("Front committee")
    VILLAGE_BOARD = "village_board", _("Front work board")
    MEMBER_ORGANIZATION = "member_organization", _("Member organisation")
    OFFICE = "office", _("Office")
    DEPARTMENT = "department", _("Department")
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council")
    PEOPLES_INSPECTION_BOARD = "peoples_inspection_board", _("People's Inspection Board")
    COMMUNITY_INVESTMENT_BOARD = "community_investment_board", _("Community Investment Supervision Board")


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """``unit`` and every unit below it, by an index range on path."""
        path = unit.path or ""
        return self.filter(path__gte=path, path__lt=path_upper_bound(path))

    def count_below_by_level(self, unit: Unit) -> dict[str, int]:
        """How many units of each level lie below ``unit``: one covering index range per level
        (a GROUP BY over the subtree sorts every row and was 4x slower at national scale)."""
        counts = {level: self.subtree_of(unit).filter(level=level).count() for level in Level.values}
        counts[unit.level] -= 1  # the unit itself
        return {level: n for level, n in counts.items() if n}

    def within_paths(self, paths: list[str], field: str = "path") -> UnitQuerySet:
        return self.filter(paths_q(paths, field))

    def active_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def search(self, text: str) -> UnitQuerySet:
        key = fold(text)
        return self.filter(name_key__contains=key) if key else self


def paths_q(paths: list[str], field: str = "path") -> Q:
    """A filter for records whose ``field`` path lies inside any of ``paths`` (no paths: none)."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__gte": p, f"{field}__lt": path_upper_bound(p)})
    return q


class Unit(models.Model):
    """A node of the hierarchy: a Front committee, a village board, a member organisation ..."""

    parent = models.ForeignKey(
        "self", verbose_name=_("belongs to"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(_("name"), max_length=255)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    # The administrative division this committee serves ("tỉnh", "xã", "phường", "thôn" ...).
    division_type = models.CharField(_("division type"), max_length=40, blank=True)
    official_code = models.CharField(_("official code"), max_length=20, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample data"), default=False)
    path = models.CharField(max_length=255, editable=False, unique=True, null=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "official_code"],
                condition=~Q(official_code=""),
                name="unit_official_code_unique_per_level",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "kind"]),
            # Covers "how many units of level L below X": one index range per level.
            models.Index(fields=["level", "path"], name="unit_level_path_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)
        prefix = (self.parent.path or "") if self.parent_id and self.parent else ""
        expected = prefix + path_segment(self.pk)
        if self.path != expected:
            old = self.path
            self.path = expected
            self.depth = len(expected) // SEGMENT - 1
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            if old:  # moved: carry the whole subtree along in one UPDATE
                Unit.objects.filter(path__gt=old, path__lt=path_upper_bound(old)).update(
                    path=Concat(Value(expected), Substr("path", len(old) + 1)),
                    depth=F("depth") + (len(expected) - len(old)) // SEGMENT,
                )
                unit_moved.send(sender=Unit, unit=self, old_path=old)

    def is_within(self, top: Unit) -> bool:
        """Whether this unit is ``top`` or below it."""
        return (self.path or "").startswith(top.path or "")

    def clean(self) -> None:
        if self.parent_id and self.path and self.parent and (self.parent.path or "").startswith(self.path):
            raise ValidationError({"parent": _("A unit cannot belong to itself or to a unit below it.")})

    @property
    def audit_unit_path(self) -> str:
        return self.path or ""

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    @property
    def has_ended(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    def ancestor_paths(self) -> list[str]:
        return path_ancestors(self.path or "")

    def lineage_paths(self) -> list[str]:
        """The paths of the units above this one and of this one."""
        return [*self.ancestor_paths(), self.path or ""]


class SuccessionKind(models.TextChoices):
    MERGER = "merger", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed to")
    TRANSFER = "transfer", _("Transferred to")


class UnitSuccession(models.Model):
    """History of the 2025 reform and every other reorganisation: which unit became which."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("former unit"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("new unit"), on_delete=models.PROTECT, related_name="predecessions"
    )
    kind = models.CharField(_("change"), max_length=16, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "kind"], name="succession_unique"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"

    @property
    def audit_unit_path(self) -> str:
        return self.successor.path or ""


class Term(models.Model):
    """A term of office (nhiệm kỳ) of a unit's committee, e.g. 2019–2024."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("term"), max_length=40)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        ordering = ["unit", "-start_date"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="term_unique_per_unit")]

    def __str__(self) -> str:
        return f"{self.name} – {self.unit}"

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSTATED = "", _("Not stated")


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, text: str) -> PersonQuerySet:
        key = fold(text)
        return self.filter(name_key__contains=key) if key else self


class Person(models.Model):
    """Committee members, staff, prestigious persons, religious dignitaries.

    Ethnicity, religion, birth date and contacts are personal data (Law 91/2025/QH15): only
    roles with the ``view_personal_data`` permission on the person's unit see them.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("managed by"), on_delete=models.PROTECT, related_name="people")
    full_name = models.CharField(_("full name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True)
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_prestigious_person = models.BooleanField(_("prestigious person"), default=False)
    is_elder = models.BooleanField(_("village elder / head"), default=False)
    is_religious_dignitary = models.BooleanField(_("religious dignitary"), default=False)
    is_advisory_member = models.BooleanField(_("advisory council member"), default=False)
    community = models.CharField(
        _("community"),
        max_length=200,
        blank=True,
        help_text=_("The ethnic or religious community the person belongs to or speaks for (a parish, a pagoda…)."),
    )
    is_sample = models.BooleanField(_("sample data"), default=False)

    objects = PersonQuerySet.as_manager()

    PERSONAL_FIELDS = (
        "birth_date",
        "ethnicity",
        "religion",
        "phone",
        "email",
        "is_religious_dignitary",
        "community",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.name_key = fold(self.full_name)
        super().save(*args, **kwargs)

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class PositionKind(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    STANDING_COMMITTEE = "standing_committee", _("Standing committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    FULL_TIME_STAFF = "full_time_staff", _("Full-time staff")
    PART_TIME_STAFF = "part_time_staff", _("Part-time staff")
    BOARD_HEAD = "board_head", _("Head of board")
    BOARD_MEMBER = "board_member", _("Board member")


class Position(models.Model):
    """A person's position in a unit, during a term of office or between dates."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    kind = models.CharField(_("position"), max_length=32, choices=PositionKind.choices)
    title = models.CharField(_("title as written"), max_length=200, blank=True)
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.person} – {self.title or self.get_kind_display()} – {self.unit}"

    @property
    def audit_unit_path(self) -> str:
        return self.unit.path or ""
