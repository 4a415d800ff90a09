"""The unit and people pages: search, personal data, edits with audit, fixed query counts."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World, login, make_unit
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Person, UnitKind
from doanket.organizations.services import bulk_create_units
from doanket.organizations.tests.factories import PersonFactory, UnitFactory


def test_unit_search_finds_lao_cai_without_accents(client: Client, world: World, users: People) -> None:
    login(client, users.system_admin)
    body = client.get(reverse("organizations:unit_list"), {"q": "lao cai"}).content.decode()
    assert "Ủy ban MTTQ tỉnh Lào Cai" in body
    assert "Lạng Sơn" not in body


def test_the_htmx_search_returns_only_the_rows(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    response = client.get(reverse("organizations:unit_list"), {"q": "bac ha"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Ủy ban MTTQ xã Bắc Hà" in body


def test_people_search_ignores_tone_placement(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    body = client.get(reverse("organizations:person_list"), {"q": "vang thi hòa"}).content.decode()
    assert "Vàng Thị Hoà" in body


def test_personal_data_is_hidden_from_viewers(client: Client, world: World, users: People) -> None:
    url = reverse("organizations:person_detail", args=[world.person_bac_ha.pk])
    login(client, users.viewer)
    body = client.get(url).content.decode()
    assert "Vàng Thị Hoà" in body
    assert "0912345678" not in body
    assert "Tin Lành" not in body
    login(client, users.commune_officer)
    body = client.get(url).content.decode()
    assert "0912345678" in body
    assert "Tin Lành" in body


def test_dates_show_as_day_month_year(client: Client, world: World, users: People) -> None:
    import datetime

    world.bac_ha.valid_from = datetime.date(2025, 7, 1)
    world.bac_ha.save()
    login(client, users.commune_officer)
    body = client.get(reverse("organizations:unit_detail", args=[world.bac_ha.pk])).content.decode()
    assert "01/07/2025" in body


def test_editing_a_unit_saves_and_audits_the_change(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    url = reverse("organizations:unit_edit", args=[world.bac_ha_village.pk])
    response = client.post(
        url,
        {
            "name": "Ban công tác Mặt trận thôn Na Hối  mới",
            "parent": world.bac_ha.pk,
            "level": Level.VILLAGE,
            "kind": UnitKind.VILLAGE_BOARD,
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 302
    world.bac_ha_village.refresh_from_db()
    assert world.bac_ha_village.name == "Ban công tác Mặt trận thôn Na Hối mới"
    entry = AuditEntry.objects.get(model="organizations.unit", object_id=str(world.bac_ha_village.pk), action="update")
    assert entry.actor == users.commune_officer
    assert entry.changes["name"] == ["Ban công tác Mặt trận thôn Na Hối", "Ban công tác Mặt trận thôn Na Hối mới"]
    assert entry.changes["valid_from"] == [None, "2025-07-01"]


def test_a_bad_date_gets_a_clear_message_and_nothing_is_saved(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    url = reverse("organizations:unit_edit", args=[world.bac_ha_village.pk])
    response = client.post(
        url,
        {
            "name": "X",
            "parent": world.bac_ha.pk,
            "level": "village",
            "kind": "village_board",
            "valid_from": "31/02/2025",
        },
    )
    assert response.status_code == 200
    assert "valid_from" in response.context["form"].errors
    world.bac_ha_village.refresh_from_db()
    assert world.bac_ha_village.name == "Ban công tác Mặt trận thôn Na Hối"


def test_creating_a_person_stores_nfc_and_audits(client: Client, world: World, users: People) -> None:
    import unicodedata

    login(client, users.commune_officer)
    response = client.post(
        reverse("organizations:person_create"),
        {"full_name": unicodedata.normalize("NFD", "Lý Thị Khoá"), "unit": world.bac_ha.pk, "gender": "female"},
    )
    assert response.status_code == 302
    person = Person.objects.get(name_key="ly thi khoa")
    assert person.full_name == unicodedata.normalize("NFC", "Lý Thị Khoá")
    assert AuditEntry.objects.filter(model="organizations.person", object_id=str(person.pk), action="create").exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_unit_pages_keep_the_same_number_of_queries_as_the_tree_grows(
    client: Client, world: World, users: People
) -> None:
    login(client, users.province_officer)
    urls = [
        reverse("organizations:unit_list"),
        reverse("organizations:unit_list") + "?q=ban",
        reverse("organizations:unit_detail", args=[world.bac_ha.pk]),
        reverse("organizations:person_list"),
        reverse("home"),
    ]
    small = [_queries(client, u) for u in urls]
    UnitFactory.create_batch(300, parent=world.bac_ha)
    PersonFactory.create_batch(60, unit=world.bac_ha)
    make_unit(world.bac_ha, "Ban thanh tra nhân dân xã Bắc Hà", Level.COMMUNE, UnitKind.PEOPLES_INSPECTION_BOARD)
    large = [_queries(client, u) for u in urls]
    assert small == large
    assert max(large) <= 16


def test_a_commune_officer_can_edit_their_own_commune(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.post(
        reverse("organizations:unit_edit", args=[world.bac_ha.pk]),
        {
            "name": "Ủy ban MTTQ xã Bắc Hà",
            "parent": world.lao_cai.pk,
            "level": "commune",
            "kind": "committee",
            "official_code": "02839",
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 302
    world.bac_ha.refresh_from_db()
    assert str(world.bac_ha.valid_from) == "2025-07-01"


def test_a_religious_role_is_personal_data(client: Client, world: World, users: People) -> None:
    world.person_bac_ha.is_religious_dignitary = True
    world.person_bac_ha.save()
    url = reverse("organizations:person_detail", args=[world.person_bac_ha.pk])
    login(client, users.viewer)
    assert "chức sắc tôn giáo" not in client.get(url).content.decode().lower()
    login(client, users.commune_officer)
    assert "chức sắc tôn giáo" in client.get(url).content.decode().lower()


def test_a_persons_community_is_personal_data(client: Client, world: World, users: People) -> None:
    world.person_bac_ha.community = "Chi hội Tin Lành thôn Na Hối"
    world.person_bac_ha.is_advisory_member = True
    world.person_bac_ha.save()
    url = reverse("organizations:person_detail", args=[world.person_bac_ha.pk])
    login(client, users.viewer)
    body = client.get(url).content.decode()
    assert "Chi hội Tin Lành" not in body and "thành viên Hội đồng tư vấn" in body
    login(client, users.commune_officer)
    assert "Chi hội Tin Lành thôn Na Hối" in client.get(url).content.decode()


def test_the_unit_list_pages_forward_and_back_by_path_with_filters_kept(
    client: Client, world: World, users: People
) -> None:
    import re

    from doanket.organizations.models import Unit

    bulk_create_units(
        [
            Unit(parent=world.bac_ha, name=f"Thôn mẫu {i:03d}", level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
            for i in range(120)
        ]
    )
    login(client, users.commune_officer)
    url = reverse("organizations:unit_list")
    seen: list[str] = []
    pages: list[list[str]] = []
    response = client.get(url, {"level": "village"})
    while True:
        rows = [u.name for u in response.context["page"].rows]
        pages.append(rows)
        seen += rows
        match = re.search(r'href="(\?[^"]*after=\d+[^"]*)" data-testid="next-page"', response.content.decode())
        if not match:
            break
        assert "level=village" in match.group(1)
        response = client.get(url + match.group(1).replace("&amp;", "&"))
    assert len(seen) == len(set(seen)) == 121  # 120 + the village of the fixture
    assert [len(p) for p in pages] == [50, 50, 21]
    back = re.search(r'href="(\?[^"]*before=\d+[^"]*)" data-testid="previous-page"', response.content.decode())
    assert back is not None
    previous = client.get(url + back.group(1).replace("&amp;", "&"))
    assert [u.name for u in previous.context["page"].rows] == pages[1]
    assert previous.context["page"].count == 121


def test_a_deep_unit_list_page_costs_the_same_queries_as_the_first(client: Client, world: World, users: People) -> None:
    from doanket.organizations.models import Unit

    bulk_create_units(
        [
            Unit(parent=world.bac_ha, name=f"Thôn {i}", level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
            for i in range(130)
        ]
    )
    login(client, users.province_officer)
    last = Unit.objects.subtree_of(world.lao_cai).order_by("-path")[60].path
    assert _queries(client, reverse("organizations:unit_list")) == _queries(
        client, reverse("organizations:unit_list") + f"?after={last}"
    )
