"""Writes to the hierarchy: each function is one transaction with its audit entries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils.translation import gettext as _

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import fold, nfc
from doanket.organizations.models import (
    SEGMENT,
    Level,
    Person,
    Position,
    SuccessionKind,
    Unit,
    UnitKind,
    UnitSuccession,
)
from doanket.organizations.signals import units_merged


@transaction.atomic
def create_unit(actor: Any, **fields: Any) -> Unit:
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    audit.record(actor, AuditAction.CREATE, unit)
    return unit


@transaction.atomic
def update_unit(actor: Any, unit: Unit, **fields: Any) -> Unit:
    # The stored state, not ``unit``'s: a bound ModelForm has already changed the instance.
    before = audit.snapshot(Unit.objects.get(pk=unit.pk))
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    after = audit.snapshot(unit)
    if before != after:
        audit.record(actor, AuditAction.UPDATE, unit, before, after)
    return unit


@transaction.atomic
def save_person(actor: Any, person: Person) -> Person:
    """Create or change a person from a bound form's instance (already validated)."""
    creating = person.pk is None
    before = {} if creating else audit.snapshot(Person.objects.get(pk=person.pk))
    person.save()
    after = audit.snapshot(person)
    if creating:
        audit.record(actor, AuditAction.CREATE, person)
    elif before != after:
        audit.record(actor, AuditAction.UPDATE, person, before, after)
    return person


@transaction.atomic
def save_position(actor: Any, position: Position) -> Position:
    creating = position.pk is None
    before = {} if creating else audit.snapshot(Position.objects.get(pk=position.pk))
    position.full_clean()
    position.save()
    if creating:
        audit.record(actor, AuditAction.CREATE, position)
    else:
        audit.record(actor, AuditAction.UPDATE, position, before, audit.snapshot(position))
    return position


@transaction.atomic
def merge_units(
    actor: Any, sources: Iterable[Unit], into: Unit, effective: datetime.date, legal_basis: str = ""
) -> list[UnitSuccession]:
    """Record that ``sources`` merged into ``into`` from ``effective``: history is kept, nothing deleted.

    The former units stay, valid until the day before; their children are not moved (a
    reorganisation of the units below is recorded by its own successions).
    """
    made = []
    for source in sources:
        if source.pk == into.pk:
            raise ValidationError(_("A unit cannot be merged into itself."))
        update_unit(actor, source, valid_to=effective - datetime.timedelta(days=1))
        succession, created = UnitSuccession.objects.get_or_create(
            predecessor=source,
            successor=into,
            kind=SuccessionKind.MERGER,
            defaults={"effective_date": effective, "legal_basis": nfc(legal_basis)},
        )
        if created:
            audit.record(actor, AuditAction.CREATE, succession)
        made.append(succession)
    if into.valid_from is None or into.valid_from > effective:
        update_unit(actor, into, valid_from=effective)
    units_merged.send(sender=Unit, sources=[s.predecessor for s in made], into=into, effective=effective)
    return made


# --- Loading the official administrative units -------------------------------------------------

REFORM_DATE = datetime.date(2025, 7, 1)
CENTRAL_CODE = "VN"


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"


def central_unit(actor: Any = None) -> Unit:
    unit = Unit.objects.filter(level=Level.CENTRAL, official_code=CENTRAL_CODE).first()
    if unit is None:
        unit = create_unit(
            actor,
            name="Ủy ban Trung ương MTTQ Việt Nam",
            level=Level.CENTRAL,
            kind=UnitKind.COMMITTEE,
            official_code=CENTRAL_CODE,
        )
    return unit


def committee_name(division_name: str, division_type: str) -> str:
    """("Lào Cai", "tỉnh") -> "Ủy ban MTTQ tỉnh Lào Cai"; "Phường Cửa Nam" -> "Ủy ban MTTQ phường Cửa Nam"."""
    if division_type == "tỉnh":
        return f"Ủy ban MTTQ tỉnh {division_name}"
    return f"Ủy ban MTTQ {division_name[:1].lower()}{division_name[1:]}"


@transaction.atomic
def load_administrative_units(actor: Any = None, province_codes: set[int] | None = None) -> LoadResult:
    """Create or refresh the 34 provinces and 3,321 communes from ``vietnam-provinces``.

    Keyed by official code: running it again changes nothing; a renamed division is updated
    (and audited). ``province_codes`` limits the load (the demo loads two provinces).
    """
    from vietnam_provinces import Province, Ward

    result = LoadResult()
    central = central_unit(actor)
    existing = {
        (u.level, u.official_code): u
        for u in Unit.objects.filter(level__in=[Level.PROVINCE, Level.COMMUNE]).exclude(official_code="")
    }

    def refresh(unit: Unit, name: str, division: str, parent: Unit) -> None:
        if unit.name != nfc(name) or unit.division_type != division or unit.parent_id != parent.pk:
            update_unit(actor, unit, name=name, division_type=division, parent=parent)
            result.updated += 1
        else:
            result.unchanged += 1

    def new(level: str, code: str, name: str, division: str, parent: Unit) -> Unit:
        return Unit(
            parent=parent,
            name=name,
            level=level,
            kind=UnitKind.COMMITTEE,
            division_type=division,
            official_code=code,
            valid_from=REFORM_DATE,
        )

    provinces: dict[int, Unit] = {}
    created: list[Unit] = []
    for p in Province.iter_all():
        if province_codes and int(p.code) not in province_codes:
            continue
        code, division = f"{int(p.code):02d}", p.division_type.value
        name = committee_name(p.name, division)
        unit = existing.get((Level.PROVINCE, code))
        if unit is None:
            unit = new(Level.PROVINCE, code, name, division, central)
            created.append(unit)
        else:
            refresh(unit, name, division, central)
        provinces[int(p.code)] = unit
    bulk_create_units(created)

    communes: list[Unit] = []
    for w in Ward.iter_all():
        province = provinces.get(int(w.province_code))
        if province is None:
            continue
        code, division = f"{int(w.code):05d}", w.division_type.value
        name = committee_name(w.name, division)
        unit = existing.get((Level.COMMUNE, code))
        if unit is None:
            communes.append(new(Level.COMMUNE, code, name, division, province))
        else:
            refresh(unit, name, division, province)
    bulk_create_units(communes)
    created += communes
    audit.record_many(actor, AuditAction.CREATE, created)
    result.created = len(created)
    return result


def bulk_create_units(units: list[Unit], batch_size: int = 2000) -> list[Unit]:
    """Create many units whose parents already have paths: three statements per batch.

    The paths are written by one UPDATE that reads each parent's path in SQL (a per-row
    ``bulk_update`` builds a CASE of thousands of branches and was the bottleneck).
    """
    for u in units:
        u.name = nfc(u.name)
        u.name_key = fold(u.name)
    parent = Unit.objects.filter(pk=OuterRef("parent_id"))
    for start in range(0, len(units), batch_size):
        batch = units[start : start + batch_size]
        Unit.objects.bulk_create(batch)
        ids = [u.pk for u in batch]
        Unit.objects.filter(pk__in=ids).update(
            path=Concat(
                Subquery(parent.values("path")),
                LPad(Cast("id", output_field=CharField()), SEGMENT, Value("0")),
                output_field=CharField(),
            ),
            depth=Subquery(parent.values("depth")) + 1,
        )
        stored = {
            pk: (path, depth) for pk, path, depth in Unit.objects.filter(pk__in=ids).values_list("pk", "path", "depth")
        }
        for u in batch:
            u.path, u.depth = stored[u.pk]
    return units
