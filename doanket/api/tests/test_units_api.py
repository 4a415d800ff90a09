"""The units API: scoped like the pages, paged by cursor, errors in Vietnamese and English."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import People, World, login
from doanket.organizations.tests.factories import UnitFactory


def test_a_commune_officer_lists_only_their_commune_and_villages(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    body = client.get("/api/v1/units/").json()
    assert {u["name"] for u in body["results"]} == {world.bac_ha.name, world.bac_ha_village.name}
    assert body["next"] is None


def test_another_communes_unit_is_a_404_that_names_nothing(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    response = client.get(f"/api/v1/units/{world.sa_pa.pk}/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Không có bản ghi này trong các đơn vị của bạn.",
            "message_en": "No such record within your units.",
        }
    }
    assert "Sa Pa" not in response.content.decode()


def test_the_list_is_searched_without_accents_and_filtered(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    body = client.get("/api/v1/units/", {"q": "bac ha", "level": "commune"}).json()
    assert [u["name"] for u in body["results"]] == [world.bac_ha.name]
    assert body["results"][0]["official_code"] == "02839"


def test_pages_follow_the_cursor_without_repeats_and_in_fixed_queries(
    client: Client, world: World, users: People
) -> None:
    UnitFactory.create_batch(230, parent=world.bac_ha)
    login(client, users.commune_officer)
    seen: list[int] = []
    url = "/api/v1/units/"
    counts = []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).json()
        counts.append(len(ctx.captured_queries))
        seen += [u["id"] for u in body["results"]]
        url = f"/api/v1/units/?after={body['next']}" if body["next"] else ""
    assert len(seen) == len(set(seen)) == 232
    assert len(set(counts)) == 1


def test_a_bad_cursor_and_a_write_are_refused_clearly(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    bad = client.get("/api/v1/units/", {"after": "abc"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "bad_cursor"
    assert client.post("/api/v1/units/").status_code == 405
