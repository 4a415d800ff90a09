"""The roll-up through reorganisations, and what the exports say of it."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from conftest import People, World, login, make_unit
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.organizations.services import merge_units, update_unit
from doanket.reporting import services
from doanket.reporting.models import Report, RollupCell, Schedule
from doanket.reporting.periods import DueRule, Frequency, parse
from doanket.reporting.tests.conftest import GOOD, Setup
from doanket.reporting.tests.review.helpers import post, review


def _village_schedule(world: World, unit: Unit) -> Schedule:
    version = services.create_form(
        None,
        world.central,
        "thon-quy",
        "Báo cáo quý của Ban công tác Mặt trận",
        [{"title": "Số liệu", "indicators": [{"code": "ho", "label": "Hộ được giúp", "type": "integer"}]}],
    )
    return Schedule.objects.create(
        unit=unit,
        form=version.form,
        name="Báo cáo quý của các thôn",
        level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_BOARD,
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.DAY_OF_LAST_MONTH,
        due_day=20,
        starts=dt.date(2026, 1, 1),
    )


def test_the_successor_of_a_merger_is_expected_for_the_period_in_progress(world: World, setup: Setup) -> None:
    services.open_period(setup.schedule, parse("2026-Q4"))
    successor = make_unit(world.lao_cai, "Ủy ban MTTQ xã Bắc Hà – Sa Pa", Level.COMMUNE)
    merge_units(None, [world.bac_ha, world.sa_pa], successor, dt.date(2026, 11, 15))
    assert not Report.objects.filter(schedule=setup.schedule, period="2026-Q4", unit=world.bac_ha).exists()
    services.open_due_periods(today=dt.date(2026, 11, 23))  # the hourly job
    assert Report.objects.filter(schedule=setup.schedule, period="2026-Q4", unit=successor).exists()


def test_moving_one_village_does_not_rewrite_the_cells_of_another_province(world: World) -> None:
    commune = make_unit(world.lang_son, "Ủy ban MTTQ xã Chi Lăng", Level.COMMUNE)
    make_unit(commune, "Ban công tác Mặt trận thôn Bản Lải", Level.VILLAGE, UnitKind.VILLAGE_BOARD)
    schedule = _village_schedule(world, world.central)
    for key in ("2026-Q1", "2026-Q2", "2026-Q3"):
        services.open_period(schedule, parse(key))
    before = set(RollupCell.objects.filter(schedule=schedule, unit=world.lang_son).values_list("pk", flat=True))
    update_unit(None, world.bac_ha_village, parent=world.sa_pa)
    after = set(RollupCell.objects.filter(schedule=schedule, unit=world.lang_son).values_list("pk", flat=True))
    assert before == after, "Lạng Sơn's cells were deleted and made again for a move inside Lào Cai"


def test_a_move_does_not_rewrite_the_approved_figures_of_a_closed_period(
    client: Client, world: World, users: People
) -> None:
    schedule = _village_schedule(world, world.lao_cai)
    services.open_period(schedule, parse("2026-Q1"))
    report = Report.objects.get(schedule=schedule, unit=world.bac_ha_village)
    services.submit(None, report, {"ho": "12"}, None)
    services.approve(None, report, None)
    assert RollupCell.objects.get(schedule=schedule, unit=world.lao_cai, period="2026-Q1").approved == 1
    commune = make_unit(world.lang_son, "Ủy ban MTTQ xã Chi Lăng", Level.COMMUNE)
    update_unit(None, world.bac_ha_village, parent=commune)  # in 2026-Q4
    cell = RollupCell.objects.get(schedule=schedule, unit=world.lao_cai, period="2026-Q1")
    assert (cell.approved, cell.data.get("ho", {}).get("s")) == (1, 12)


def _cells(schedule: Schedule, period: str) -> dict[int, tuple[int, int, object]]:
    rows = RollupCell.objects.filter(schedule=schedule, period=period)
    return {c.unit_id: (c.expected, c.approved, c.data.get("ho", {}).get("s")) for c in rows}


def test_a_closed_period_is_corrected_while_no_unit_moved(world: World, users: People) -> None:
    schedule = _village_schedule(world, world.central)
    services.open_period(schedule, parse("2026-Q1"))
    report = Report.objects.get(schedule=schedule, unit=world.bac_ha_village)
    report = services.submit(None, report, {"ho": "12"}, None)
    report = services.approve(None, report, None)
    report = services.start_correction(None, report, None, "Nhầm số hộ")
    report = services.submit(None, report, {"ho": "15"}, None)
    services.approve(None, report, None)
    top = RollupCell.objects.get(schedule=schedule, unit=world.central, period="2026-Q1")
    assert (top.approved, top.data["ho"]["s"]) == (1, 15)


def test_a_correction_after_a_move_out_of_a_closed_period_is_refused_not_counted_twice(
    world: World, users: People
) -> None:
    schedule = _village_schedule(world, world.central)
    services.open_period(schedule, parse("2026-Q1"))
    report = Report.objects.get(schedule=schedule, unit=world.bac_ha_village)
    report = services.submit(None, report, {"ho": "12"}, None)
    report = services.approve(None, report, None)
    commune = make_unit(world.lang_son, "Ủy ban MTTQ xã Chi Lăng", Level.COMMUNE)
    update_unit(None, world.bac_ha_village, parent=commune)  # Q1 ended: its totals stay under Lào Cai
    closed = _cells(schedule, "2026-Q1")
    # A correction would recompute the cells along today's tree (Lạng Sơn) and count the village
    # under both provinces: it is refused before it starts, with the reason.
    with pytest.raises(services.ReportError, match=r"moved since this period closed|chuyển nơi trực thuộc"):
        services.start_correction(None, Report.objects.get(pk=report.pk), None, "Nhầm số hộ")
    assert _cells(schedule, "2026-Q1") == closed
    assert closed[world.central.pk] == (Report.objects.filter(schedule=schedule, period="2026-Q1").count(), 1, 12)
    report.refresh_from_db()
    assert (report.status, report.values, report.approved_values) == ("approved", {"ho": 12}, {"ho": 12})
    # Had a correction been open already (started before the move), its submission is refused too.
    Report.objects.filter(pk=report.pk).update(status="draft", correction_reason="Nhầm số hộ")
    report.refresh_from_db()
    with pytest.raises(services.ReportError, match=r"moved since this period closed|chuyển nơi trực thuộc"):
        services.submit(None, report, {"ho": "15"}, None)
    assert _cells(schedule, "2026-Q1") == closed


def test_the_word_report_gives_the_number_of_units_answering_yes(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    login(client, users.commune_officer)
    post(client, setup.bac_ha, {**GOOD, "v_diem_nong": "yes"})
    login(client, users.other_commune_officer)
    post(client, setup.sa_pa, {**GOOD, "v_diem_nong": "yes"})
    login(client, users.province_officer)
    review(client, setup.bac_ha)
    review(client, setup.sa_pa)
    query = f"?unit={world.lao_cai.pk}&period=2026-Q2"
    page = client.get(reverse("reporting:rollup", args=[setup.schedule.pk]) + query)
    assert page.content.decode().count('data-testid="value-diem_nong">2<') == 1
    word = client.get(reverse("reporting:rollup_docx", args=[setup.schedule.pk]) + query)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Có điểm nóng: 2" in text, [line for line in text.splitlines() if "điểm nóng" in line]


def test_a_percentage_without_a_roll_up_is_not_summed() -> None:
    import openpyxl

    from doanket.reporting import definitions
    from doanket.reporting.tests.review.helpers import as_bytes

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([str(label) for _key, label in definitions.COLUMNS])
    sheet.append(["I", "Số liệu", "ty_le", "Tỷ lệ khu dân cư văn hóa", "percent"])
    found = definitions.read_definition(as_bytes(book), "m.xlsx")
    assert found.errors or found.sections[0]["indicators"][0]["rollup"] != "sum"
