"""The registry of poor and near-poor households and the Great Solidarity houses built or repaired
for them, from approval to hand-over, and the counts a province reads commune by commune."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.funds.models import Campaign, House, Household, HouseStage, HouseWork, PovertyStatus
from doanket.funds.services import MAX_AMOUNT, FundError, _require
from doanket.organizations.models import Level, Unit


def _may_keep_personal_data(actor: Any, unit: Unit) -> None:
    _require(actor, unit)
    if actor is not None and not authz.can(actor, Perm.VIEW_PERSONAL_DATA, unit):
        raise PermissionDenied


def commune_of(unit: Unit) -> Unit | None:
    """The commune ``unit`` is (or lies in): a village board's commune."""
    while unit is not None and unit.level != Level.COMMUNE:
        unit = unit.parent  # type: ignore[assignment]
    return unit


@transaction.atomic
def register_household(
    actor: Any,
    unit: Unit,
    *,
    head_name: str,
    status: str,
    classified_year: int,
    members: int = 1,
    id_number: str = "",
    address: str = "",
    phone: str = "",
    notes: str = "",
) -> Household:
    _may_keep_personal_data(actor, unit)
    head_name, id_number = nfc(head_name).strip(), id_number.strip()
    if not head_name:
        raise FundError(_("Give the name of the head of the household."))
    if commune_of(unit) is None:
        raise FundError(_("A household is registered in a commune or a village."))
    if status not in PovertyStatus.values:
        raise FundError(_("Say whether the household is poor, near-poor or out of poverty."))
    if id_number and not (id_number.isdigit() and len(id_number) == 12):
        raise FundError(_("A citizen ID number has 12 digits."))
    if id_number and Household.objects.filter(id_number=id_number).exists():
        raise FundError(_("A household with ID number %(n)s is already registered.") % {"n": id_number})
    if not 1 <= members <= 99:
        raise FundError(_("A household has between 1 and 99 members."))
    if not 2000 <= classified_year <= dt.date.today().year + 1:
        raise FundError(_("Give the year the household was classified, such as 2026."))
    household = Household.objects.create(
        unit=unit,
        head_name=head_name,
        status=status,
        classified_year=classified_year,
        members=members,
        id_number=id_number,
        address=address,
        phone=phone.strip(),
        notes=nfc(notes),
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, household)
    return household


@transaction.atomic
def approve_house(
    actor: Any,
    household: Household,
    *,
    work: str,
    decision_number: str,
    approved_on: dt.date,
    from_fund: int = 0,
    from_budget: int = 0,
    from_family: int = 0,
    from_sponsors: int = 0,
    sponsors: str = "",
    campaign: Campaign | None = None,
) -> House:
    """A house approved for ``household``, with its cost split by where the money comes from."""
    commune = commune_of(household.unit)
    assert commune is not None  # register_household saw to it
    _require(actor, commune)
    if work not in HouseWork.values:
        raise FundError(_("Say whether the house is built new or repaired."))
    decision_number = nfc(decision_number).strip()
    if not decision_number:
        raise FundError(_("Give the number of the decision that approves the house."))
    parts = (from_fund, from_budget, from_family, from_sponsors)
    if any(not isinstance(p, int) or p < 0 or p > MAX_AMOUNT for p in parts) or not sum(parts):
        raise FundError(_("Give what the house costs, in whole đồng, by where the money comes from."))
    if from_fund and campaign is None:
        raise FundError(_("Choose the fund the house draws on."))
    if campaign is not None and not (commune.path or "").startswith(campaign.unit.path or ""):
        raise FundError(_("Choose a fund of the commune or of a unit above it."))
    house = House.objects.create(
        household=household,
        unit=commune,
        work=work,
        decision_number=decision_number,
        approved_on=approved_on,
        from_fund=from_fund,
        from_budget=from_budget,
        from_family=from_family,
        from_sponsors=from_sponsors,
        sponsors=nfc(sponsors).strip(),
        campaign=campaign,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, house)
    return house


NEXT_STAGE = {HouseStage.APPROVED: HouseStage.BUILDING, HouseStage.BUILDING: HouseStage.HANDED_OVER}


@transaction.atomic
def advance_house(actor: Any, house: House, on: dt.date) -> House:
    """The house's next stage: building started, then handed over, each with its date."""
    _require(actor, house.unit)
    house = House.objects.select_for_update().get(pk=house.pk)
    stage = NEXT_STAGE.get(HouseStage(house.stage))
    if stage is None:
        raise FundError(_("The house is already handed over."))
    before = audit.snapshot(house)
    if stage == HouseStage.BUILDING:
        if on < house.approved_on:
            raise FundError(_("Building starts after the approval, not before."))
        house.started_on = on
    else:
        if house.started_on and on < house.started_on:
            raise FundError(_("A house is handed over after its building started, not before."))
        house.handed_over_on = on
    house.stage = stage
    house.save()
    audit.record(actor, AuditAction.UPDATE, house, before=before)
    return house


@dataclass
class CommuneHouses:
    unit_id: int
    name: str
    approved: int  # every house approved, whatever its stage now
    building: int
    handed_over: int
    cost: int


def houses_by_commune(unit: Unit) -> list[CommuneHouses]:
    """For each commune under ``unit`` with houses: how many were approved, are being built and
    were handed over, and what they cost. One grouped query, whatever the number of houses."""
    path = unit.path or ""
    rows = (
        House.objects.filter(unit__path__startswith=path)
        .values("unit_id", "unit__name")
        .annotate(
            approved=models.Count("pk"),
            building=models.Count("pk", filter=models.Q(stage=HouseStage.BUILDING)),
            handed_over=models.Count("pk", filter=models.Q(stage=HouseStage.HANDED_OVER)),
            total_cost=models.Sum(
                models.F("from_fund") + models.F("from_budget") + models.F("from_family") + models.F("from_sponsors")
            ),
        )
        .order_by("unit__name")
    )
    return [
        CommuneHouses(
            r["unit_id"], r["unit__name"], r["approved"], r["building"], r["handed_over"], r["total_cost"] or 0
        )
        for r in rows
    ]
