"""The API over the modules: each resource scoped like its pages, filtered and paged, never a
petition's sender nor a complaint's words, and the OpenAPI schema describing exactly what the
views answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve

from conftest import People, World, login
from doanket.api import resources, schema
from doanket.funds.models import Campaign, CampaignKind
from doanket.organizations.models import Level
from doanket.petitions import services as petitions
from doanket.petitions.models import Kind
from doanket.petitions.services import Sender
from doanket.programs.models import Program

TYPES = {"string": str, "integer": int, "object": dict, "boolean": bool}


def _matches(obj: dict[str, Any], item: dict[str, Any]) -> None:
    """``obj`` is what the schema's ``item`` says: every required field, of its type."""
    assert set(obj) == set(item["properties"]), "the fields are the schema's"
    for name, spec in item["properties"].items():
        value = obj[name]
        if value is None:
            assert spec.get("nullable"), f"{name} is null but not nullable"
        else:
            assert isinstance(value, TYPES[spec["type"]]), f"{name}: {value!r} is not {spec['type']}"


@pytest.fixture
def records(world: World, users: People) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for unit in (world.bac_ha, world.sa_pa):
        made[f"program-{unit.pk}"] = Program.objects.create(unit=unit, title=f"Chương trình {unit.name}", year=2026)
        made[f"campaign-{unit.pk}"] = Campaign.objects.create(
            unit=unit, kind=CampaignKind.FUND_FOR_THE_POOR, name=f"Quỹ {unit.name}", starts_on=dt.date(2026, 1, 1)
        )
        made[f"petition-{unit.pk}"] = petitions.receive(
            None, place=unit, level=Level.COMMUNE, channel="phone", title="Đường liên thôn hỏng",
            content="Đề nghị sửa đường.", sender=Sender(name="Người gửi kín", phone="0900000000"),
        )  # fmt: skip
    made["denunciation"] = petitions.receive(
        None, place=world.bac_ha, level=Level.COMMUNE, channel="letter", kind=Kind.DENUNCIATION,
        title="Tố cáo cán bộ thôn", content="Ông X nhận tiền", sender=Sender(name="Người tố cáo"),
    )  # fmt: skip
    return made


def test_each_resource_answers_within_the_callers_units_as_the_schema_says(
    client: Client, world: World, users: People, records: dict[str, Any]
) -> None:
    built = schema.build()
    login(client, users.commune_officer)
    for resource in resources.RESOURCES:
        item = built["components"]["schemas"][resource.name.title()]
        body = client.get(f"/api/v1/{resource.name}/").json()
        assert body["next"] is None
        for row in body["results"]:
            _matches(row, item)
            if "unit_id" in row:
                assert row["unit_id"] in {world.bac_ha.pk, world.bac_ha_village.pk, world.lao_cai.pk}, resource.name
        if resource.name in ("programs", "petitions", "campaigns"):
            outside = records[f"{resource.name[:-1]}-{world.sa_pa.pk}"]
            inside = records[f"{resource.name[:-1]}-{world.bac_ha.pk}"]
            assert {r["id"] for r in body["results"]} >= {inside.pk} and outside.pk not in {
                r["id"] for r in body["results"]
            }
            assert client.get(f"/api/v1/{resource.name}/{outside.pk}/").status_code == 404
            one = client.get(f"/api/v1/{resource.name}/{inside.pk}/").json()
            _matches(one, item)


def test_petitions_never_carry_the_sender_nor_a_denunciations_words(
    client: Client, world: World, users: People, records: dict[str, Any]
) -> None:
    login(client, users.commune_officer)
    text = client.get("/api/v1/petitions/").content.decode()
    assert "Người gửi kín" not in text and "0900000000" not in text and "Người tố cáo" not in text
    denunciation = client.get(f"/api/v1/petitions/{records['denunciation'].pk}/").json()
    assert denunciation["kind"] == "denunciation" and denunciation["title"] is None and denunciation["content"] is None


def test_filters_pages_and_bad_input_are_answered_clearly(
    client: Client, world: World, users: People, records: dict[str, Any]
) -> None:
    login(client, users.province_officer)
    mine = client.get("/api/v1/programs/", {"unit": world.sa_pa.pk}).json()["results"]
    assert [p["id"] for p in mine] == [records[f"program-{world.sa_pa.pk}"].pk]
    bad = client.get("/api/v1/petitions/", {"status": "nonsense"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_filter" and bad["X-Bad-Parameter"] == "status"
    assert client.get("/api/v1/programs/", {"after": "x"}).status_code == 400
    assert client.get("/api/v1/nothing/").status_code == 404
    Program.objects.bulk_create(Program(unit=world.lao_cai, title=f"CT {n}", year=2025) for n in range(120))
    first = client.get("/api/v1/programs/").json()
    assert len(first["results"]) == 100 and first["next"] is not None
    second = client.get("/api/v1/programs/", {"after": first["next"]}).json()
    assert len(second["results"]) == 122 - 100 and second["next"] is None  # 120 and the two communes'
    assert not {p["id"] for p in first["results"]} & {p["id"] for p in second["results"]}


def test_the_schema_is_served_and_every_path_in_it_is_answered(client: Client, users: People) -> None:
    assert client.get("/api/v1/schema.json").status_code == 401
    login(client, users.viewer)
    served = client.get("/api/v1/schema.json").json()
    assert served["openapi"].startswith("3.") and served == schema.build()
    names = {f"/api/v1/{r.name}/" for r in resources.RESOURCES} | {"/api/v1/units/"}
    assert names <= set(served["paths"])
    for path in served["paths"]:
        resolve(path.replace("{id}", "1"))  # every path is one the API answers
    page = client.get("/api/v1/docs/").content.decode()
    assert page.count('data-testid="operation"') == sum(len(item) for item in served["paths"].values())
    assert "POST /api/v1/petitions/" in page and "GET /api/v1/ledger/" in page
    assert page.count('data-testid="body"') == 4  # each write's request body


def test_every_list_keeps_its_number_of_queries(client: Client, world: World, users: People, records: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, users.province_officer)

    def counts() -> list[int]:
        found = []
        for resource in resources.RESOURCES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/{resource.name}/").status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    Program.objects.bulk_create(Program(unit=world.sa_pa, title=f"CT {n}", year=2026) for n in range(30))
    for n in range(10):
        petitions.receive(None, place=world.sa_pa, level=Level.COMMUNE, channel="phone", title=f"Kiến nghị {n}",
                          content="Nội dung", sender=Sender())  # fmt: skip
    assert counts() == before


def test_numbers_too_long_for_the_database_are_refused_not_a_server_error(client: Client, users: People) -> None:
    huge = "9" * 25  # found by the fuzzer: SQLite cannot hold it, and the answer was a 500
    login(client, users.province_officer)
    assert client.get("/api/v1/programs/", {"unit": huge}).status_code == 400
    assert client.get("/api/v1/programs/", {"after": huge}).status_code == 400
    assert client.get(f"/api/v1/programs/{huge}/").status_code == 404
    assert client.get(f"/api/v1/units/{huge}/").status_code == 404
    assert client.get("/api/v1/units/", {"after": "１２"}).status_code == 400  # digits, but not ASCII ones
