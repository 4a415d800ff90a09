"""A commune's People's Inspection Board and Community Investment Supervision Board: their
inspections and the projects they watch, through the pages, within the commune's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_unit
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Person, Unit, UnitKind
from doanket.supervision import services
from doanket.supervision.models import Inspection, Project
from doanket.supervision.services import SupervisionError


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _boards(world: World) -> tuple[Unit, Unit]:
    """Bắc Hà's two boards, units under the commune as the Organisation pages make them."""
    return (
        make_unit(world.bac_ha, "Ban Thanh tra nhân dân xã Bắc Hà", Level.COMMUNE, UnitKind.PEOPLES_INSPECTION_BOARD),
        make_unit(
            world.bac_ha, "Ban Giám sát đầu tư của cộng đồng xã Bắc Hà", Level.COMMUNE,
            UnitKind.COMMUNITY_INVESTMENT_BOARD,
        ),
    )  # fmt: skip


def test_each_board_records_what_it_is_for(world: World, users: People) -> None:
    inspection, investment = _boards(world)
    with pytest.raises(SupervisionError, match="is not a people's inspection board"):
        services.add_inspection(
            users.commune_officer, investment, subject="X", held_on=dt.date(2026, 1, 1), findings="Y"
        )
    with pytest.raises(SupervisionError, match="is not a community investment supervision board"):
        services.add_project(users.commune_officer, inspection, name="Đường", owner="UBND xã", budget=1)
    with pytest.raises(SupervisionError, match="percentage from 0 to 100"):
        services.add_project(users.commune_officer, investment, name="Đường", owner="UBND xã", budget=1, progress=120)
    with pytest.raises(SupervisionError, match="percentage from 0 to 100"):
        services.add_project(users.commune_officer, investment, name="Đường", owner="UBND xã", budget=-5)
    assert not Project.objects.exists() and not Inspection.objects.exists()


def test_inspections_and_projects_are_recorded_through_the_pages(client: Client, world: World, users: People) -> None:
    inspection_board, board = _boards(world)
    Person.objects.create(unit=board, full_name="Lò Văn Minh")
    login(client, users.commune_officer)
    listed = client.get(reverse("supervision:boards")).content.decode()
    assert inspection_board.name in listed and board.name in listed
    board_url = reverse("supervision:board", args=[board.pk])
    added = client.post(
        reverse("supervision:project_add", args=[board.pk]),
        {"name": "Đường bê tông thôn Na Hối", "owner": "UBND xã Bắc Hà", "budget": "1250000000",
         "starts_on": "2026-03-01", "progress": "40", "issues": ""},
    )  # fmt: skip
    project = Project.objects.get()
    assert added.status_code == 302 and project.budget == 1_250_000_000
    page = client.get(board_url).content.decode()
    assert "Đường bê tông thôn Na Hối" in page and "1.250.000.000" in page and "Lò Văn Minh" in page
    updated = client.post(
        reverse("supervision:project_update", args=[project.pk]),
        {"progress": "70", "issues": "Đoạn cuối thiếu độ dày bê tông"},
    )
    project.refresh_from_db()
    assert updated.status_code == 302 and (project.progress, project.issues) == (70, "Đoạn cuối thiếu độ dày bê tông")
    bad = client.post(reverse("supervision:project_update", args=[project.pk]), {"progress": "150"})
    project.refresh_from_db()
    assert bad.status_code == 302 and project.progress == 70
    assert AuditEntry.objects.filter(model="supervision.project", action="update").count() == 1

    recorded = client.post(
        reverse("supervision:inspection_add", args=[inspection_board.pk]),
        {"subject": "Chi trả trợ cấp người có công", "held_on": "2026-05-12", "findings": "Đúng, đủ, kịp thời"},
    )
    assert recorded.status_code == 302 and Inspection.objects.get().held_on == dt.date(2026, 5, 12)

    # The province reads its communes' boards; another commune does not; nor does it record there.
    province = Client()
    login(province, users.province_officer)
    assert "Đường bê tông thôn Na Hối" in province.get(board_url).content.decode()
    assert client.get(reverse("supervision:board", args=[world.bac_ha.pk])).status_code == 404  # not a board
    other = Client()
    login(other, users.other_commune_officer)
    assert other.get(board_url).status_code == 404
    assert other.post(reverse("supervision:project_update", args=[project.pk]), {"progress": "1"}).status_code == 404
    assert board.name not in other.get(reverse("supervision:boards")).content.decode()
