"""A movement launched from seed 003 (Lạng Sơn's launch, 2022): its numbered contents become
content areas; the units taking part register with their own targets; the launching unit sees who
has and who has not; every write is audited, and nobody acts outside their scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_unit
from doanket.core.models import AuditEntry
from doanket.emulation import services
from doanket.emulation.models import Measure, Movement, Registration
from doanket.emulation.services import EmulationError
from doanket.organizations.models import Level, UnitKind

SEED = next((Path(__file__).resolve().parents[3] / "demo" / "documents").glob("003_*.txt"))
YEAR: dict[str, Any] = {"starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 12, 31)}
COMMUNES: dict[str, Any] = {"level": Level.COMMUNE, "participant_kind": UnitKind.COMMITTEE}


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _launch(world: World, users: People) -> Movement:
    parsed = services.read_launch(SEED.read_bytes(), SEED.name)
    return services.launch(users.province_officer, world.lao_cai, title="", parsed=parsed, **YEAR, **COMMUNES)


def test_the_seed_launch_becomes_a_movement_with_its_six_content_areas(world: World, users: People) -> None:
    movement = _launch(world, users)
    assert movement.title.startswith("Phong trào thi đua yêu nước phấn đấu hoàn thành Chương trình")
    areas = list(movement.areas.all())
    assert [a.number for a in areas] == ["1", "2", "3", "4", "5", "6"]
    assert areas[0].title.startswith("Tổ chức các hoạt động tuyên truyền, vận động Nhân dân")
    assert areas[2].title.startswith("Đổi mới, nâng cao chất lượng hoạt động Phản biện xã hội")
    assert movement.closing.startswith("Ủy ban MTTQ tỉnh Lạng Sơn kêu gọi")
    assert AuditEntry.objects.filter(model="emulation.movement", object_id=str(movement.pk)).count() == 1
    assert AuditEntry.objects.filter(model="emulation.contentarea").count() == 6


def test_a_launch_is_refused_with_its_reason(world: World, users: People, english: None) -> None:
    with pytest.raises(EmulationError, match="ends before it starts"):
        services.launch(
            users.province_officer, world.lao_cai, title="Thi đua", starts_on=dt.date(2026, 5, 1),
            ends_on=dt.date(2026, 1, 1), **COMMUNES,
        )  # fmt: skip
    with pytest.raises(EmulationError, match="of a level below"):
        services.launch(
            users.province_officer, world.lao_cai, title="Thi đua", level=Level.PROVINCE,
            participant_kind=UnitKind.COMMITTEE, **YEAR,
        )  # fmt: skip
    with pytest.raises(EmulationError):
        services.read_launch(b"\x00\x01binary", "phat-dong.docx")
    with pytest.raises(PermissionDenied):
        services.launch(users.commune_officer, world.lao_cai, title="Thi đua", **YEAR, **COMMUNES)
    assert not Movement.objects.exists()


def test_units_register_with_their_targets_and_the_launcher_sees_who_has_not(
    world: World, users: People, english: None
) -> None:
    movement = _launch(world, users)
    assert set(services.participants(movement)) == {world.bac_ha, world.sa_pa}
    assert services.standing(movement).missing == 2
    made = services.register(users.commune_officer, movement, world.bac_ha, "Vận động 20 hộ\n\nXây 2 nhà Đại đoàn kết")
    assert made.targets == "Vận động 20 hộ\n\nXây 2 nhà Đại đoàn kết"
    again = services.register(users.commune_officer, movement, world.bac_ha, "Xây 3 nhà Đại đoàn kết")
    assert again.pk == made.pk and Registration.objects.count() == 1  # registering again replaces the targets
    assert list(services.unregistered(movement)) == [world.sa_pa]
    assert (services.standing(movement).registered, services.standing(movement).expected) == (1, 2)
    assert AuditEntry.objects.filter(model="emulation.registration").count() == 2  # created, then updated
    with pytest.raises(PermissionDenied):  # another commune's officer
        services.register(users.other_commune_officer, movement, world.bac_ha, "x")
    with pytest.raises(EmulationError, match="does not take part"):  # the province itself, a member organisation
        services.register(users.province_officer, movement, world.farmers_union, "x")
    with pytest.raises(EmulationError, match="Write the targets"):
        services.register(users.other_commune_officer, movement, world.sa_pa, "   ")
    with pytest.raises(EmulationError, match="ended on 31/12/2026"):
        services.register(users.other_commune_officer, movement, world.sa_pa, "x", today=dt.date(2027, 1, 1))


def test_criteria_are_weighed_and_say_how_they_are_measured(world: World, users: People, english: None) -> None:
    movement = _launch(world, users)
    area = movement.areas.get(position=3)
    first = services.add_criterion(users.province_officer, movement, name="Số cuộc phản biện xã hội", weight=30,
                                   measure=Measure.MANUAL, area=area)  # fmt: skip
    second = services.add_criterion(users.province_officer, movement, name="Nhiệm vụ", weight=20, measure=Measure.TASKS)
    assert (first.position, second.position) == (1, 2) and (first.area, second.area) == (area, None)
    with pytest.raises(EmulationError, match="from 1 to 100 points"):
        services.add_criterion(users.province_officer, movement, name="X", weight=0)
    with pytest.raises(EmulationError, match="Name the reports and the indicator"):
        services.add_criterion(users.province_officer, movement, name="X", weight=5, measure=Measure.INDICATOR)
    with pytest.raises(PermissionDenied):
        services.add_criterion(users.commune_officer, movement, name="X", weight=5)
    assert movement.criteria.count() == 2


def test_the_movement_is_launched_registered_and_followed_through_the_pages(
    client: Client, world: World, users: People
) -> None:
    login(client, users.province_officer)
    upload = SimpleUploadedFile(SEED.name, SEED.read_bytes(), content_type="text/plain")
    response = client.post(
        reverse("emulation:new"),
        {"unit": world.lao_cai.pk, "document": upload, "title": "", "kind": "emulation", "starts_on": "2026-01-01",
         "ends_on": "2026-12-31", "level": Level.COMMUNE, "participant_kind": UnitKind.COMMITTEE},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    movement = Movement.objects.get()
    assert response["Location"] == reverse("emulation:movement", args=[movement.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Đổi mới, nâng cao chất lượng hoạt động Phản biện xã hội" in page
    assert "0 trên 2 đơn vị tham gia đã đăng ký." in page
    added = client.post(
        reverse("emulation:criterion_add", args=[movement.pk]), {"name": "Phản biện xã hội", "weight": "40",
                                                                 "measure": "manual", "indicator_code": ""},
    )  # fmt: skip
    assert added.status_code == 302 and movement.criteria.get().weight == 40
    refused = client.post(reverse("emulation:new"), {"unit": world.lao_cai.pk, "kind": "emulation",
                          "starts_on": "2026-01-01", "ends_on": "2026-12-31", "level": Level.COMMUNE,
                          "participant_kind": UnitKind.COMMITTEE})  # fmt: skip
    assert refused.status_code == 400 and "Hãy tải lên văn bản phát động" in refused.content.decode()

    commune = Client()
    login(commune, users.commune_officer)
    mine = commune.get(reverse("emulation:movement", args=[movement.pk]))
    assert mine.status_code == 200  # launched above: read by the communes taking part
    assert "đơn vị tham gia đã đăng ký" not in mine.content.decode()  # the launcher's counts are not theirs
    done = commune.post(
        reverse("emulation:register", args=[movement.pk]), {"unit": world.bac_ha.pk, "targets": "Xây 2 nhà"}
    )
    assert done.status_code == 302 and Registration.objects.get().unit == world.bac_ha
    forged = commune.post(
        reverse("emulation:register", args=[movement.pk]), {"unit": world.sa_pa.pk, "targets": "Xây 2 nhà"}
    )
    assert forged.status_code == 403 and Registration.objects.count() == 1
    other = Client()
    login(other, users.other_commune_officer)
    assert "Xây 2 nhà" not in other.get(reverse("emulation:movement", args=[movement.pk])).content.decode()
    assert "1 trên 2 đơn vị tham gia đã đăng ký." in client.get(response["Location"]).content.decode()


def test_the_movement_page_keeps_its_number_of_queries_whatever_the_number_of_units(
    client: Client, world: World, users: People
) -> None:
    movement = _launch(world, users)
    login(client, users.province_officer)
    url = reverse("emulation:movement", args=[movement.pk])

    def count() -> int:
        client.get(url)  # warm the session and caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.register(None, movement, world.bac_ha, "Chỉ tiêu")
    services.add_criterion(None, movement, name="Tiêu chí", weight=5)
    before = count()
    for n in range(12):
        commune = make_unit(world.lao_cai, f"Ủy ban MTTQ xã Thử {n}", Level.COMMUNE)
        services.register(None, movement, commune, f"Chỉ tiêu {n}")
        services.add_criterion(None, movement, name=f"Tiêu chí {n}", weight=5)
    assert count() == before
