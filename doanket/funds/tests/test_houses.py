"""The registry of poor households and Great Solidarity houses, from approval to hand-over, and
the province's counts commune by commune."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from conftest import People, World, make_unit
from doanket.core.models import AuditEntry
from doanket.funds import houses
from doanket.funds.models import Campaign, CampaignKind, House, Household, HouseStage, HouseWork, PovertyStatus
from doanket.funds.services import FundError
from doanket.organizations.models import Level, UnitKind

APPROVED = dt.date(2026, 3, 2)


def _household(user: Any, unit: Any, **fields: Any) -> Household:
    values: dict[str, Any] = {"head_name": "Vàng Thị Mai", "status": PovertyStatus.POOR, "classified_year": 2025}
    values.update(fields)
    return houses.register_household(user, unit, **values)


def _house(user: Any, household: Household, **fields: Any) -> House:
    values: dict[str, Any] = {
        "work": HouseWork.NEW,
        "decision_number": "08/QĐ-UBND",
        "approved_on": APPROVED,
        "from_budget": 40_000_000,
        "from_family": 20_000_000,
    }
    values.update(fields)
    return houses.approve_house(user, household, **values)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"head_name": " "}, "name of the head"),
        ({"id_number": "12345"}, "12 digits"),
        ({"status": "rich"}, "poor, near-poor"),
        ({"members": 0}, "between 1 and 99"),
        ({"classified_year": 1990}, "year the household was classified"),
    ],
)
def test_a_household_is_refused_with_its_reason(
    world: World, users: People, fields: dict[str, Any], message: str
) -> None:
    with translation.override("en"), pytest.raises(FundError, match=message):
        _household(users.commune_officer, world.bac_ha_village, **fields)
    assert not Household.objects.exists()


def test_households_are_registered_once_by_id_number_within_the_officer_s_scope(world: World, users: People) -> None:
    first = _household(users.commune_officer, world.bac_ha_village, id_number="001122334455")
    assert first.search_key.startswith("vang thi mai")
    with translation.override("en"), pytest.raises(FundError, match="already registered"):
        _household(users.commune_officer, world.bac_ha, id_number="001122334455")
    with translation.override("en"), pytest.raises(FundError, match="commune or a village"):
        _household(users.province_officer, world.lao_cai)
    for outsider in (users.other_commune_officer, users.viewer, users.leader):
        with pytest.raises(PermissionDenied):
            _household(outsider, world.bac_ha_village)
    assert Household.objects.count() == 1
    assert AuditEntry.objects.filter(model="funds.household", action="create").count() == 1


def test_a_house_goes_from_approval_to_hand_over_with_its_dates(world: World, users: People) -> None:
    officer = users.commune_officer
    house = _house(officer, _household(officer, world.bac_ha_village))
    assert (house.unit, house.stage, house.cost) == (world.bac_ha, HouseStage.APPROVED, 60_000_000)
    with translation.override("en"), pytest.raises(FundError, match="after the approval"):
        houses.advance_house(officer, house, APPROVED - dt.timedelta(days=1))
    house = houses.advance_house(officer, house, dt.date(2026, 4, 1))
    with translation.override("en"), pytest.raises(FundError, match="after its building started"):
        houses.advance_house(officer, house, dt.date(2026, 3, 30))
    house = houses.advance_house(officer, house, dt.date(2026, 6, 15))
    assert (house.stage, house.started_on, house.handed_over_on) == (
        HouseStage.HANDED_OVER,
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 15),
    )
    with translation.override("en"), pytest.raises(FundError, match="already handed over"):
        houses.advance_house(officer, house, dt.date(2026, 7, 1))
    assert AuditEntry.objects.filter(model="funds.house", action="update").count() == 2
    with pytest.raises(PermissionDenied):
        houses.advance_house(users.other_commune_officer, house, dt.date(2026, 7, 1))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from_budget": 0, "from_family": 0}, "what the house costs"),
        ({"from_family": -1}, "what the house costs"),
        ({"decision_number": ""}, "decision that approves"),
        ({"work": "palace"}, "built new or repaired"),
        ({"from_fund": 5_000_000}, "Choose the fund"),
    ],
)
def test_a_house_is_refused_with_its_reason(world: World, users: People, fields: dict[str, Any], message: str) -> None:
    household = _household(users.commune_officer, world.bac_ha_village)
    with translation.override("en"), pytest.raises(FundError, match=message):
        _house(users.commune_officer, household, **fields)
    assert not House.objects.exists()


def test_a_house_draws_on_a_fund_of_its_commune_or_above(world: World, users: People) -> None:
    household = _household(users.commune_officer, world.bac_ha_village)
    other = Campaign.objects.create(
        unit=world.sa_pa, kind=CampaignKind.SOLIDARITY_HOUSES, name="Quỹ Sa Pa", starts_on=APPROVED
    )
    with translation.override("en"), pytest.raises(FundError, match="fund of the commune or of a unit above"):
        _house(users.province_officer, household, from_fund=10_000_000, campaign=other)
    fund = Campaign.objects.create(
        unit=world.lao_cai, kind=CampaignKind.FUND_FOR_THE_POOR, name="Quỹ Vì người nghèo tỉnh", starts_on=APPROVED
    )
    assert _house(users.province_officer, household, from_fund=10_000_000, campaign=fund).cost == 70_000_000


def test_the_province_counts_houses_commune_by_commune_in_one_query(world: World, users: People) -> None:
    officer = users.province_officer
    sa_pa_village = make_unit(world.sa_pa, "Tổ dân phố 3", Level.VILLAGE, UnitKind.VILLAGE_BOARD)
    built = [
        _house(officer, _household(officer, unit, head_name=f"Hộ {n}"))
        for n, unit in enumerate([world.bac_ha_village] * 3 + [sa_pa_village] * 2)
    ]
    houses.advance_house(officer, built[0], dt.date(2026, 4, 1))
    houses.advance_house(officer, built[1], dt.date(2026, 4, 1))
    houses.advance_house(officer, built[1], dt.date(2026, 5, 1))
    houses.advance_house(officer, built[3], dt.date(2026, 4, 1))
    with CaptureQueriesContext(connection) as queries:
        counts = houses.houses_by_commune(world.lao_cai)
    assert len(queries) == 1
    assert [(c.name, c.approved, c.building, c.handed_over, c.cost) for c in counts] == [
        ("Ủy ban MTTQ phường Sa Pa", 2, 1, 0, 120_000_000),
        ("Ủy ban MTTQ xã Bắc Hà", 3, 1, 1, 180_000_000),
    ]
    assert [c.name for c in houses.houses_by_commune(world.bac_ha)] == ["Ủy ban MTTQ xã Bắc Hà"]
    assert houses.houses_by_commune(world.lang_son) == []
