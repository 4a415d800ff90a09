"""The people the Front listens to: the registry (staff only), visits with their gifts, hot spots
followed until resolved and read by the province; the figures reach the reporting forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.funds.models import Campaign, CampaignKind
from doanket.organizations.models import Person
from doanket.outreach import services
from doanket.outreach.models import HotSpotState, Occasion, Risk, Visit
from doanket.outreach.services import OutreachError
from doanket.reporting import sources


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def pastor(world: World) -> Person:
    return Person.objects.create(
        unit=world.bac_ha_village, full_name="Mục sư Thào A Lử", ethnicity="Mông", religion="Tin Lành",
        is_religious_dignitary=True, community="Chi hội Tin Lành thôn Na Hối",
    )  # fmt: skip


def test_the_registry_finds_people_by_standing_and_name_without_accents(
    world: World, users: People, pastor: Person
) -> None:
    elder = Person.objects.create(unit=world.bac_ha, full_name="Già làng Lù Văn Sáng", is_elder=True)
    Person.objects.create(unit=world.bac_ha, full_name="Cán bộ thường", is_prestigious_person=False)
    found = list(services.registry(users.commune_officer))
    assert found == [elder, pastor] or set(found) == {elder, pastor}
    assert list(services.registry(users.commune_officer, "dignitary")) == [pastor]
    assert list(services.registry(users.commune_officer, text="thao a lu")) == [pastor]
    assert list(services.registry(users.other_commune_officer)) == []  # another commune's people
    assert list(services.registry(users.viewer)) == []  # a viewer sees no personal data


def test_a_visit_is_recorded_with_its_gift_and_refused_with_its_reason(
    world: World, users: People, pastor: Person
) -> None:
    officer = users.commune_officer
    fund = Campaign.objects.create(unit=world.bac_ha, kind=CampaignKind.FUND_FOR_THE_POOR, name="Quỹ Vì người nghèo xã",
                                   starts_on=dt.date(2026, 1, 1))  # fmt: skip
    visit = services.record_visit(
        officer, world.bac_ha, occasion=Occasion.CHRISTMAS, visited_on=dt.date(2026, 11, 1),
        visitors="Lò Văn Minh\nGiàng Thị Hoa", persons=[pastor], gift="Quà Giáng sinh", gift_value=500_000, fund=fund,
    )  # fmt: skip
    assert list(visit.persons.all()) == [pastor] and visit.gift_value == 500_000
    entry = AuditEntry.objects.get(model="outreach.visit")
    assert entry.changes["persons"] == [None, [pastor.pk]]
    with pytest.raises(OutreachError, match="Say whom the unit visited"):
        services.record_visit(officer, world.bac_ha, occasion=Occasion.TET, visited_on=dt.date(2026, 2, 1),
                              visitors="A")  # fmt: skip
    with pytest.raises(OutreachError, match="in the future"):
        services.record_visit(officer, world.bac_ha, occasion=Occasion.TET, visitors="A", community="Thôn Na Hối",
                              visited_on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    other_fund = Campaign.objects.create(unit=world.sa_pa, kind=CampaignKind.FUND_FOR_THE_POOR, name="Quỹ xã Sa Pa",
                                         starts_on=dt.date(2026, 1, 1))  # fmt: skip
    with pytest.raises(OutreachError, match="is not one of"):
        services.record_visit(officer, world.bac_ha, occasion=Occasion.TET, visited_on=dt.date(2026, 2, 1),
                              visitors="A", community="Thôn Na Hối", fund=other_fund)  # fmt: skip
    with pytest.raises(OutreachError, match="records visits to the people of its own units"):
        services.record_visit(users.other_commune_officer, world.sa_pa, occasion=Occasion.TET, visitors="A",
                              visited_on=dt.date(2026, 2, 1), persons=[pastor])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.record_visit(users.viewer, world.lao_cai, occasion=Occasion.TET, visitors="A", community="X",
                              visited_on=dt.date(2026, 2, 1))  # fmt: skip
    assert Visit.objects.count() == 1
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert sources.get("outreach.visits").fn(world.bac_ha, *year) == 1  # type: ignore[union-attr]
    assert sources.get("outreach.gift_value").fn(world.bac_ha, *year) == 500_000  # type: ignore[union-attr]


def test_a_hot_spot_is_followed_until_resolved_and_read_by_the_province(
    client: Client, world: World, users: People
) -> None:
    officer = users.commune_officer
    spot = services.flag_hot_spot(
        officer, world.bac_ha, place=world.bac_ha_village, title="Tranh chấp đất rừng giữa hai dòng họ",
        description="Hai dòng họ tranh chấp 3 ha rừng; có nguy cơ xô xát.", risk=Risk.HIGH,
        flagged_on=dt.date(2026, 9, 1),
    )  # fmt: skip
    with pytest.raises(OutreachError, match="within its own area"):
        services.flag_hot_spot(officer, world.bac_ha, place=world.sa_pa_village, title="X", description="Y",
                               risk=Risk.LOW, flagged_on=dt.date(2026, 9, 1))  # fmt: skip
    services.act_on(officer, spot, taken_on=dt.date(2026, 9, 3), action="Tổ hòa giải gặp hai dòng họ",
                    by="Ban công tác Mặt trận thôn", risk=Risk.MEDIUM)  # fmt: skip
    with pytest.raises(OutreachError, match="before the hot spot was flagged"):
        services.act_on(officer, spot, taken_on=dt.date(2026, 8, 1), action="X", by="Y", risk=Risk.LOW)
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert sources.get("outreach.hot_spots").fn(world.lao_cai, *year) == 1  # type: ignore[union-attr]
    services.act_on(officer, spot, taken_on=dt.date(2026, 10, 1), action="Hai bên ký biên bản hòa giải",
                    by="UBND xã, Ủy ban MTTQ xã", risk=Risk.LOW, resolved=True)  # fmt: skip
    spot.refresh_from_db()
    assert (spot.state, spot.resolved_on, spot.risk) == (HotSpotState.RESOLVED, dt.date(2026, 10, 1), Risk.LOW)
    with pytest.raises(OutreachError, match="is resolved"):
        services.act_on(officer, spot, taken_on=dt.date(2026, 10, 2), action="X", by="Y", risk=Risk.LOW)
    assert sources.get("outreach.hot_spots").fn(world.lao_cai, dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == 0  # type: ignore[union-attr]

    login(client, users.province_officer)  # the province reads its communes' hot spots
    page = client.get(reverse("outreach:hot_spot", args=[spot.pk])).content.decode()
    assert "Hai bên ký biên bản hòa giải" in page and "Tổ hòa giải gặp hai dòng họ" in page
    assert "Tranh chấp đất rừng" in client.get(reverse("outreach:hot_spots")).content.decode()
    other = Client()
    login(other, users.other_commune_officer)
    assert other.get(reverse("outreach:hot_spot", args=[spot.pk])).status_code == 404


def test_visits_and_the_registry_through_the_pages_keep_personal_data_to_staff(
    client: Client, world: World, users: People, pastor: Person
) -> None:
    login(client, users.commune_officer)
    form = client.get(reverse("outreach:visits")).content.decode()
    assert pastor.full_name in form  # offered in the visit form's list
    options = client.get(reverse("outreach:people_options"), {"person_q": "muc su"}).content.decode()
    assert pastor.full_name in options
    made = client.post(
        reverse("outreach:visit_new"),
        {"unit": world.bac_ha.pk, "occasion": "christmas", "visited_on": "2026-11-01", "visitors": "Lò Văn Minh",
         "person": pastor.pk, "gift": "Quà", "gift_value": "500000"},
    )  # fmt: skip
    assert made.status_code == 302 and Visit.objects.get().persons.get() == pastor
    registry = client.get(reverse("outreach:people"), {"standing": "dignitary"}).content.decode()
    assert pastor.full_name in registry and "Chi hội Tin Lành thôn Na Hối" in registry

    viewer = Client()
    login(viewer, users.viewer)  # reads the visits, not who was visited; never the registry
    listed = viewer.get(reverse("outreach:visits")).content.decode()
    assert "500.000" in listed and pastor.full_name not in listed
    assert viewer.get(reverse("outreach:people")).status_code == 403
    assert viewer.get(reverse("outreach:people_options"), {"person_q": "muc"}).status_code == 403


def test_the_lists_keep_their_number_of_queries(client: Client, world: World, users: People, pastor: Person) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, users.commune_officer)

    def add(n: int) -> None:
        for i in range(n):
            services.record_visit(users.commune_officer, world.bac_ha, occasion=Occasion.TET, visitors="A",
                                  persons=[pastor], visited_on=dt.date(2026, 2, 1 + i % 20))  # fmt: skip
            spot = services.flag_hot_spot(users.commune_officer, world.bac_ha, title=f"Vụ {i}", description="X",
                                          risk=Risk.LOW, flagged_on=dt.date(2026, 3, 1))  # fmt: skip
            services.act_on(users.commune_officer, spot, taken_on=dt.date(2026, 3, 2), action="Y", by="Z",
                            risk=Risk.LOW)  # fmt: skip
            Person.objects.create(unit=world.bac_ha, full_name=f"Người có uy tín {n}-{i}", is_prestigious_person=True)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("outreach:visits"), reverse("outreach:hot_spots"), reverse("outreach:people")]
    add(1)
    before = [count(u) for u in urls]
    add(12)
    assert [count(u) for u in urls] == before
