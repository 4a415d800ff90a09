"""Launching a movement from its document, who takes part, the criteria, and registration.

Plain functions the pages (and later the API and the commands) call; each write is one
transaction with its audit entries. The scope rule: a movement is launched and edited by those
who edit the programme of its unit (``edit_program``); a participating unit registers itself;
the units below read the movements launched above them (as they read an upper unit's programme).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from doanket.accounts.authz import require_edit
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.documents.parser import parse
from doanket.documents.readers import DocumentError, read_document
from doanket.documents.structure import ParsedDocument, Section
from doanket.emulation.models import ContentArea, Criterion, Measure, Movement, Registration
from doanket.organizations.models import Level, Unit
from doanket.reporting.models import NUMERIC_TYPES, Indicator, Schedule

# From the top of the tree down: participants are of a level below the launching unit's.
LEVEL_DEPTH: dict[str, int] = {
    Level.CENTRAL: 0,
    Level.PROVINCE: 1,
    Level.DISTRICT: 2,
    Level.COMMUNE: 3,
    Level.VILLAGE: 4,
}


class EmulationError(ValueError):
    """A movement, criterion or registration refused, with the reason for the user."""


def read_launch(data: bytes, filename: str) -> ParsedDocument:
    """The launch document read by the work-programme importer (DOCX, PDF with text, TXT)."""
    try:
        return parse(read_document(data, filename).text)
    except DocumentError as exc:
        raise EmulationError(str(exc)) from exc


def _full_text(section: Section) -> str:
    parts = [section.text] + [
        f"{child.number}. {child.title} {child.text}".strip() if child.number else f"{child.title} {child.text}"
        for child in section.children
    ]
    return nfc_lines("\n".join(part for part in parts if part.strip()))


@transaction.atomic
def launch(
    actor: Any,
    unit: Unit,
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    level: str,
    participant_kind: str,
    kind: str = "emulation",
    parsed: ParsedDocument | None = None,
    source: tuple[str, bytes] | None = None,
) -> Movement:
    """A movement of ``unit`` for the units of ``level`` and ``participant_kind`` below it; its
    content areas are the numbered contents of the launch document ``parsed``, when given."""
    require_edit(actor, unit)
    title = nfc(title) or nfc(parsed.title if parsed else "")
    if not title:
        raise EmulationError(_("Give the movement's title."))
    if ends_on < starts_on:
        raise EmulationError(_("The movement ends before it starts."))
    if LEVEL_DEPTH.get(level, -1) <= LEVEL_DEPTH.get(unit.level, 99):
        raise EmulationError(
            _("The units taking part must be of a level below %(unit)s.") % {"unit": unit.name},
        )
    movement = Movement(
        unit=unit,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        level=level,
        participant_kind=participant_kind,
        number=(parsed.number or "") if parsed else "",
        document_date=parsed.date if parsed else None,
        preamble=parsed.preamble if parsed else "",
        closing=parsed.closing if parsed else "",
        created_by=audit.user_of(actor),
    )
    if source is not None:
        name, data = source
        movement.source_file.save(name[-100:], ContentFile(data), save=False)
    movement.save()
    audit.record(actor, AuditAction.CREATE, movement)
    sections = parsed.sections if parsed else []
    areas = ContentArea.objects.bulk_create(
        ContentArea(
            movement=movement,
            position=position,
            number=section.number,
            title=nfc(section.title),
            text=_full_text(section),
        )
        for position, section in enumerate(sections, 1)
    )
    for area in areas:
        audit.record(actor, AuditAction.CREATE, area)
    return movement


@transaction.atomic
def add_criterion(
    actor: Any,
    movement: Movement,
    *,
    name: str,
    weight: int,
    measure: str = Measure.MANUAL,
    indicator_code: str = "",
    schedule: Schedule | None = None,
    target: int | None = None,
    area: ContentArea | None = None,
) -> Criterion:
    """A criterion of ``movement``, weighed in points; one measured from a report indicator names
    the reports (``schedule``) and the numeric indicator's code, and may set the figure that
    earns full points (``target``; without it, the best unit's figure does)."""
    require_edit(actor, movement.unit)
    name, indicator_code = nfc(name), indicator_code.strip()
    if not name:
        raise EmulationError(_("Give the criterion's name."))
    if not 1 <= weight <= 100:
        raise EmulationError(_("A criterion weighs from 1 to 100 points."))
    if measure == Measure.INDICATOR:
        if schedule is None or not indicator_code:
            raise EmulationError(_("Name the reports and the indicator this criterion is measured from."))
        version = schedule.form.current_version()
        numeric = Indicator.objects.filter(version=version, code=indicator_code, type__in=NUMERIC_TYPES).exists()
        if not numeric:
            raise EmulationError(
                _("The form %(form)s has no figure with the code “%(code)s”.")
                % {"form": schedule.form.title, "code": indicator_code}
            )
    if target is not None and target <= 0:
        raise EmulationError(_("The figure that earns full points must be above zero."))
    if area is not None and area.movement_id != movement.pk:
        raise EmulationError(_("The content area is not one of this movement's."))
    position = (movement.criteria.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    criterion = Criterion.objects.create(
        movement=movement,
        position=position,
        name=name,
        weight=weight,
        measure=measure,
        indicator_code=indicator_code if measure == Measure.INDICATOR else "",
        schedule=schedule if measure == Measure.INDICATOR else None,
        target=target if measure == Measure.INDICATOR else None,
        area=area,
    )
    audit.record(actor, AuditAction.CREATE, criterion)
    return criterion


def participants(movement: Movement) -> QuerySet[Unit]:
    """The units that take part: those of the movement's level and kind below its unit, existing
    during the movement."""
    return (
        Unit.objects.subtree_of(movement.unit)
        .active_on(movement.starts_on)
        .filter(level=movement.level, kind=movement.participant_kind)
        .exclude(pk=movement.unit_id)
    )


def takes_part(movement: Movement, unit: Unit) -> bool:
    return participants(movement).filter(pk=unit.pk).exists()


def register(actor: Any, movement: Movement, unit: Unit, targets: str, today: dt.date | None = None) -> Registration:
    """``unit`` registers for ``movement`` with its own targets; registering again replaces them."""
    require_edit(actor, unit)
    targets = nfc_lines(targets)
    if not targets:
        raise EmulationError(_("Write the targets the unit sets itself."))
    if not takes_part(movement, unit):
        raise EmulationError(_("%(unit)s does not take part in this movement.") % {"unit": unit.name})
    if (today or dt.date.today()) > movement.ends_on:
        raise EmulationError(_("The movement ended on %(day)s.") % {"day": f"{movement.ends_on:%d/%m/%Y}"})
    try:
        with transaction.atomic():
            found = Registration.objects.select_for_update().filter(movement=movement, unit=unit).first()
            if found is not None:
                before = audit.snapshot(found)
                found.targets = targets
                found.registered_by = audit.user_of(actor)
                found.save()
                audit.record(actor, AuditAction.UPDATE, found, before=before)
                return found
            made = Registration.objects.create(
                movement=movement, unit=unit, targets=targets, registered_by=audit.user_of(actor)
            )
            audit.record(actor, AuditAction.CREATE, made)
            return made
    except IntegrityError as exc:  # two officers of the unit at once: the other one's stands
        raise EmulationError(_("%(unit)s has just been registered by someone else.") % {"unit": unit.name}) from exc


@dataclass
class Standing:
    expected: int
    registered: int

    @property
    def missing(self) -> int:
        return self.expected - self.registered


def standing(movement: Movement) -> Standing:
    """How many participating units there are and how many have registered (two counts)."""
    expected = participants(movement).count()
    registered = Registration.objects.filter(movement=movement, unit__in=participants(movement)).count()
    return Standing(expected, registered)


def unregistered(movement: Movement) -> QuerySet[Unit]:
    """The participating units that have not registered, in the tree's order."""
    done = Registration.objects.filter(movement=movement).values("unit_id")
    return participants(movement).exclude(pk__in=done).order_by("path")
