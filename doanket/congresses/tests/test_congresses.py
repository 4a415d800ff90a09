"""Congresses: planning, preparation, results, the resolution through the programme importer,
the roll-up the upper unit reads, and the reviews of the term against the report indicators."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login, make_unit, quarterly_schedule
from doanket.congresses import report, services
from doanket.congresses.models import Congress, State, Step, StepKind, Target
from doanket.congresses.services import CongressError, ReviewKind
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Person, Position, PositionKind, Term
from doanket.programs.models import Item, Program
from doanket.reporting import services as reporting_services
from doanket.reporting.models import Report
from doanket.reporting.periods import parse

TODAY = dt.date(2026, 11, 24)

RESOLUTION = """ỦY BAN MTTQ VIỆT NAM XÃ BẮC HÀ
ĐẠI HỘI ĐẠI BIỂU MTTQ VIỆT NAM XÃ BẮC HÀ LẦN THỨ I
Số: 01/NQ-ĐH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bắc Hà, ngày 20 tháng 10 năm 2026
NGHỊ QUYẾT
Đại hội đại biểu Mặt trận Tổ quốc Việt Nam xã Bắc Hà lần thứ I, nhiệm kỳ 2026 - 2031
I. MỤC TIÊU
Tăng cường khối đại đoàn kết toàn dân tộc, phát huy quyền làm chủ của Nhân dân.
II. CÁC CHỈ TIÊU CHỦ YẾU
1. Vận động xây dựng mới 40 nhà Đại đoàn kết cho hộ nghèo.
2. Tổ chức ít nhất 20 cuộc giám sát.
III. NHIỆM VỤ VÀ GIẢI PHÁP
1. Đổi mới nội dung, phương thức hoạt động.
2. Tổ chức sơ kết giữa nhiệm kỳ thực hiện Nghị quyết.
"""


def plan(actor: Any, unit: Any, planned_on: dt.date, term: str = "2026–2031", **extra: Any) -> Congress:
    return services.plan_congress(
        actor,
        unit,
        name=f"Đại hội MTTQ {unit.name}",
        term_name=term,
        term_start=dt.date(2026, 10, 1),
        term_end=dt.date(2031, 9, 30),
        planned_on=planned_on,
        **extra,
    )


def held(congress: Congress, on: dt.date = dt.date(2026, 10, 20)) -> Congress:
    return services.update_congress(None, congress, today=TODAY, held_on=on)


# --- Services ---------------------------------------------------------------------------------


def test_a_planned_congress_has_its_term_and_the_usual_steps_due_before_it(world: World, users: People) -> None:
    congress = plan(users.commune_officer, world.bac_ha, dt.date(2026, 12, 15))
    assert congress.term.unit == world.bac_ha and congress.term.name == "2026–2031"
    steps = list(congress.steps.order_by("due_on"))
    assert [s.kind for s in steps] == [StepKind.DOCUMENTS, StepKind.CONSULTATION, StepKind.DELEGATES]
    assert steps[-1].due_on == dt.date(2026, 11, 30)
    assert congress.state(TODAY) == State.PLANNED
    models = set(AuditEntry.objects.values_list("model", flat=True))
    assert {"congresses.congress", "congresses.step", "organizations.term"} <= models


def test_a_second_congress_for_the_same_term_is_refused(world: World) -> None:
    plan(None, world.bac_ha, dt.date(2026, 12, 15))
    with pytest.raises(CongressError, match="đã có đại hội của nhiệm kỳ 2026–2031"):
        plan(None, world.bac_ha, dt.date(2026, 12, 20))


def test_every_text_of_a_congress_is_stored_in_nfc(world: World, users: People) -> None:
    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    congress = plan(users.province_officer, world.lao_cai, dt.date(2026, 12, 1), place=nfd("Hội trường Ủy ban"))
    services.update_congress(users.province_officer, congress, TODAY, note=nfd("Đã hoàn thiện văn kiện"))
    step = services.add_step(users.province_officer, congress, StepKind.DOCUMENTS, nfd("Dự thảo báo cáo chính trị"))
    services.record_step(users.province_officer, step, TODAY, nfd("Đã gửi xin ý kiến"), TODAY)
    target = services.add_target(users.province_officer, congress, nfd("Kết nạp hội viên"), 10, nfd("người"))
    congress.refresh_from_db()
    step.refresh_from_db()
    target.refresh_from_db()
    texts = [congress.place, congress.note, step.title, step.note, target.text, target.measure]
    assert texts == ["Hội trường Ủy ban", "Đã hoàn thiện văn kiện", "Dự thảo báo cáo chính trị", "Đã gửi xin ý kiến",
                     "Kết nạp hội viên", "người"]  # fmt: skip
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_an_officer_cannot_plan_the_congress_of_another_commune(world: World, users: People) -> None:
    with pytest.raises(PermissionDenied):
        plan(users.commune_officer, world.sa_pa, dt.date(2026, 12, 15))


def test_the_state_moves_from_planned_to_preparing_to_held_and_late_when_the_date_passes(world: World) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 12, 15))
    step = congress.steps.first()
    assert step is not None
    services.record_step(None, step, dt.date(2026, 11, 1), today=TODAY)
    assert congress.state(TODAY) == State.PREPARING
    assert congress.state(dt.date(2026, 12, 16)) == State.LATE
    held(congress, dt.date(2026, 11, 20))
    assert congress.state(dt.date(2026, 12, 16)) == State.HELD


def test_a_step_or_a_congress_cannot_be_recorded_done_in_the_future(world: World) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 12, 15))
    step = congress.steps.first()
    assert step is not None
    with pytest.raises(CongressError, match="ngày chưa tới"):
        services.record_step(None, step, dt.date(2026, 12, 1), today=TODAY)
    with pytest.raises(CongressError, match="ngày chưa tới"):
        services.update_congress(None, congress, today=TODAY, held_on=dt.date(2026, 12, 1))


def test_the_new_committee_is_recorded_as_positions_of_the_new_term(world: World) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 10, 20))
    with pytest.raises(CongressError, match="ghi ngày tổ chức đại hội trước"):
        services.elect(None, congress, PositionKind.CHAIR, person=world.person_bac_ha)
    held(congress)
    services.elect(None, congress, PositionKind.CHAIR, person=world.person_bac_ha, title="Chủ tịch")
    services.elect(None, congress, PositionKind.STANDING_COMMITTEE, full_name="Sùng Văn Dơ")
    positions = Position.objects.filter(term=congress.term).order_by("kind")
    assert [(p.person.full_name, p.kind, p.unit) for p in positions] == [
        ("Vàng Thị Hoà", PositionKind.CHAIR, world.bac_ha),
        ("Sùng Văn Dơ", PositionKind.STANDING_COMMITTEE, world.bac_ha),
    ]
    assert positions[0].start_date == dt.date(2026, 10, 20)
    with pytest.raises(CongressError, match="đã được ghi ở chức danh này"):
        services.elect(None, congress, PositionKind.CHAIR, person=world.person_bac_ha)
    with pytest.raises(CongressError, match="không thuộc đơn vị này quản lý"):
        services.elect(None, congress, PositionKind.COMMITTEE_MEMBER, person=world.person_sa_pa)
    with pytest.raises(CongressError):
        services.elect(None, congress, PositionKind.FULL_TIME_STAFF, person=world.person_bac_ha)


def test_the_resolution_is_read_by_the_programme_importer_and_linked(world: World, users: People) -> None:
    congress = held(plan(None, world.bac_ha, dt.date(2026, 10, 20)))
    program = services.import_resolution(users.commune_officer, congress, RESOLUTION.encode(), "nghi-quyet.txt")
    congress.refresh_from_db()
    assert congress.resolution == program and program.unit == world.bac_ha
    assert program.number == "01/NQ-ĐH"
    titles = list(Item.objects.filter(program=program, depth=0).values_list("title", flat=True))
    assert titles == ["MỤC TIÊU", "CÁC CHỈ TIÊU CHỦ YẾU", "NHIỆM VỤ VÀ GIẢI PHÁP"]
    assert (program.source_file.name or "").endswith(".txt")
    with pytest.raises(CongressError, match="đã có nghị quyết"):
        services.import_resolution(None, congress, RESOLUTION.encode(), "nghi-quyet.txt")


def test_the_resolution_is_imported_from_a_word_document(world: World) -> None:
    document = docx.Document()
    for line in RESOLUTION.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    congress = held(plan(None, world.bac_ha, dt.date(2026, 10, 20)))
    program = services.import_resolution(None, congress, buffer.getvalue(), "nghi-quyet.docx")
    assert program.source_format == "docx"
    assert Item.objects.filter(program=program, title__startswith="Vận động xây dựng mới 40").exists()


# --- The roll-up of the upper unit ------------------------------------------------------------


def test_the_overview_counts_each_state_per_unit_below_and_per_level(world: World) -> None:
    plan(None, world.lao_cai, dt.date(2026, 12, 1), term="2026–2031 (tỉnh)")
    late = plan(None, world.bac_ha, dt.date(2026, 11, 1))
    held(plan(None, world.sa_pa, dt.date(2026, 10, 20)))
    step = plan(None, world.sa_pa_village, dt.date(2026, 12, 20)).steps.first()
    assert step is not None
    services.record_step(None, step, dt.date(2026, 11, 2), today=TODAY)
    plan(None, world.bac_ha_village, dt.date(2027, 1, 10))
    summary = services.overview(world.lao_cai, TODAY)
    assert [c.name for c in summary.own] == ["Đại hội MTTQ Ủy ban MTTQ tỉnh Lào Cai"]
    rows = {b.name: (b.counts.planned, b.counts.preparing, b.counts.held, b.counts.late) for b in summary.branches}
    assert rows["Ủy ban MTTQ xã Bắc Hà"] == (1, 0, 0, 1)
    assert rows["Ủy ban MTTQ phường Sa Pa"] == (0, 1, 1, 0)
    levels = dict(summary.by_level)
    assert (levels[Level.COMMUNE].held, levels[Level.COMMUNE].late) == (1, 1)
    assert (levels[Level.VILLAGE].planned, levels[Level.VILLAGE].preparing) == (1, 1)
    assert summary.total.total == 4
    assert list(services.listing(world.lao_cai, State.LATE, TODAY)) == [late]
    # The list's filter of each state, the database's CASE and Python's ``state`` agree.
    everything = list(services.listing(world.lao_cai, "", TODAY))
    assert all(getattr(c, "state_now") == c.state(TODAY) for c in everything)  # noqa: B009 - annotation
    for state in State.values:
        chosen = {c.pk for c in services.listing(world.lao_cai, state, TODAY)}
        assert chosen == {c.pk for c in everything if c.state(TODAY) == state}, state
    # A congress of a term already over is history, not the current round.
    Term.objects.filter(pk=late.term_id).update(end_date=dt.date(2026, 1, 1))
    assert services.overview(world.lao_cai, TODAY).total.late == 0


@pytest.mark.parametrize("communes", [2, 12])
def test_the_overview_reads_a_fixed_number_of_queries_whatever_the_number_of_units(
    world: World, communes: int, django_assert_num_queries: Any
) -> None:
    for n in range(communes):
        commune = make_unit(world.lao_cai, f"Ủy ban MTTQ xã Thử {n}", Level.COMMUNE)
        plan(None, commune, dt.date(2026, 11, 1) + dt.timedelta(days=n * 5))
        village = make_unit(commune, f"Ban công tác Mặt trận thôn {n}", Level.VILLAGE)
        plan(None, village, dt.date(2026, 12, 1))
    with django_assert_num_queries(3):
        summary = services.overview(world.lao_cai, TODAY)
    assert summary.total.total == 2 * communes


# --- Targets and reviews ----------------------------------------------------------------------

SECTIONS: list[dict[str, Any]] = [
    {
        "number": "I",
        "title": "Kết quả",
        "indicators": [
            {"code": "moi", "label": "Nhà Đại đoàn kết xây mới", "type": "integer", "measure": "căn", "key": True},
            {"code": "ty_le", "label": "Tỷ lệ khu dân cư văn hóa", "type": "percent", "rollup": "avg"},
            {"code": "ghi_chu", "label": "Ghi chú", "type": "long_text", "required": False},
        ],
    }
]


def _report(schedule: Any, period: str, unit: Any, moi: str, ty_le: str) -> None:
    report = Report.objects.get(schedule=schedule, period=period, unit=unit)
    report = reporting_services.submit(None, report, {"moi": moi, "ty_le": ty_le}, report.revision)
    reporting_services.approve(None, report, report.revision)


@pytest.fixture
def reviewed(world: World) -> tuple[Congress, Any]:
    """The province's congress of 2026–2031 and two quarters of its communes' reports."""
    schedule = quarterly_schedule(world.lao_cai, "cong-tac", "Báo cáo công tác quý", SECTIONS)
    for key in ("2026-Q1", "2026-Q2", "2026-Q3"):
        reporting_services.open_period(schedule, parse(key))
    _report(schedule, "2026-Q1", world.bac_ha, "3", "80")
    _report(schedule, "2026-Q2", world.bac_ha, "4", "90")
    _report(schedule, "2026-Q2", world.sa_pa, "5", "70")
    congress = services.plan_congress(
        None,
        world.lao_cai,
        name="Đại hội đại biểu MTTQ Việt Nam tỉnh Lào Cai lần thứ XVI",
        term_name="2026–2031",
        term_start=dt.date(2026, 1, 1),
        term_end=dt.date(2030, 12, 31),
        planned_on=dt.date(2026, 1, 10),
    )
    return held(congress, dt.date(2026, 1, 10)), schedule


def test_a_target_bound_to_an_indicator_shows_the_rolled_up_actual_and_its_source(
    reviewed: tuple[Congress, Any],
) -> None:
    congress, schedule = reviewed
    houses = services.add_target(None, congress, "Xây mới 40 nhà Đại đoàn kết", 40, schedule=schedule, indicator="moi")
    services.add_target(None, congress, "Khu dân cư văn hóa đạt 90%", 90, "%", schedule=schedule, indicator="ty_le")
    services.add_target(None, congress, "Kết nạp hội viên mới", 1000, "người")
    assert houses.measure == "căn"  # taken from the indicator when not given
    result = services.review(congress, ReviewKind.MID, TODAY)
    assert result.until == TODAY  # the middle of the term is still ahead: up to today
    lines = {line.target.text: line for line in result.lines}
    assert lines["Xây mới 40 nhà Đại đoàn kết"].actual == 12  # 3 + 4 + 5 over two quarters
    assert lines["Xây mới 40 nhà Đại đoàn kết"].percent == 30
    assert lines["Xây mới 40 nhà Đại đoàn kết"].periods == 2
    assert lines["Khu dân cư văn hóa đạt 90%"].actual == 80  # the average of every report
    assert lines["Kết nạp hội viên mới"].actual is None and lines["Kết nạp hội viên mới"].source_url == ""
    url = lines["Xây mới 40 nhà Đại đoàn kết"].source_url
    assert url.startswith(reverse("reporting:rollup", args=[schedule.pk]))
    assert f"unit={congress.unit.pk}" in url and "indicator=moi" in url
    # The window stops at the middle of the term when it is past.
    early = services.review(congress, ReviewKind.MID, dt.date(2031, 3, 1))
    assert early.until == dt.date(2028, 7, 1)


def test_a_target_is_bound_only_to_a_figure_of_a_report_that_reaches_the_unit(
    world: World, reviewed: tuple[Congress, Any]
) -> None:
    congress, schedule = reviewed
    with pytest.raises(CongressError, match="không có chỉ tiêu “khong-co”"):
        services.add_target(None, congress, "X", 1, schedule=schedule, indicator="khong-co")
    with pytest.raises(CongressError, match="Chỉ so sánh được chỉ tiêu bằng số"):
        services.add_target(None, congress, "X", 1, schedule=schedule, indicator="ghi_chu")
    with pytest.raises(CongressError, match="cả báo cáo và mã chỉ tiêu"):
        services.add_target(None, congress, "X", 1, schedule=schedule)
    other = plan(None, world.lang_son, dt.date(2026, 12, 1))
    with pytest.raises(CongressError, match="không tổng hợp tới đơn vị này"):
        services.add_target(None, other, "X", 1, schedule=schedule, indicator="moi")


def test_the_target_form_offers_the_figures_of_the_reports_reaching_the_unit(
    client: Client, users: People, reviewed: tuple[Congress, Any]
) -> None:
    congress, schedule = reviewed
    login(client, users.province_officer)
    form = client.get(reverse("congresses:detail", args=[congress.pk])).context["target_form"]
    offered = dict(form.fields["figure"].choices)
    # The numeric figures only, named as the officer knows them; the text field is not offered.
    assert offered == {
        "": "—",
        f"{schedule.pk}:moi": "Báo cáo quý của các xã — Nhà Đại đoàn kết xây mới (moi)",
        f"{schedule.pk}:ty_le": "Báo cáo quý của các xã — Tỷ lệ khu dân cư văn hóa (ty_le)",
    }
    url = reverse("congresses:target_add", args=[congress.pk])
    client.post(url, {"text": "Xây mới 40 nhà Đại đoàn kết", "value": "40", "figure": f"{schedule.pk}:moi"})
    target = Target.objects.get(congress=congress)
    assert (target.schedule_id, target.indicator, target.measure) == (schedule.pk, "moi", "căn")
    # A figure that is not offered (the text field, or a report of elsewhere) records nothing.
    client.post(url, {"text": "Ghi chú", "value": "1", "figure": f"{schedule.pk}:ghi_chu"})
    client.post(url, {"text": "Khác", "value": "1", "figure": "999999:moi"})
    assert Target.objects.filter(congress=congress).count() == 1
    # Without a figure: a target followed by hand.
    client.post(url, {"text": "Kết nạp hội viên mới", "value": "1000", "measure": "người", "figure": ""})
    assert Target.objects.get(congress=congress, text="Kết nạp hội viên mới").schedule_id is None


def test_the_committee_is_chosen_among_the_people_of_the_unit_and_below_found_without_accents(
    client: Client, world: World, users: People
) -> None:
    congress = held(plan(None, world.lao_cai, dt.date(2026, 10, 1)), dt.date(2026, 10, 1))
    below = Person.objects.create(unit=world.bac_ha, full_name="Vàng Thị Huế")  # a commune's chair, below
    elsewhere = Person.objects.create(unit=world.lang_son, full_name="Vàng Thị Hương")
    login(client, users.province_officer)
    options = client.get(reverse("congresses:people", args=[congress.pk]), {"person_q": "vang thi hu"})
    assert options.status_code == 200
    body = options.content.decode()
    assert f'value="{below.pk}"' in body and f'value="{elsewhere.pk}"' not in body
    client.post(reverse("congresses:elect", args=[congress.pk]), {"kind": PositionKind.CHAIR, "person": below.pk})
    assert Position.objects.filter(person=below, unit=world.lao_cai, term=congress.term).exists()
    # Someone of another province cannot be slipped into the form.
    client.post(reverse("congresses:elect", args=[congress.pk]), {"kind": PositionKind.CHAIR, "person": elsewhere.pk})
    assert not Position.objects.filter(person=elsewhere).exists()
    # A commune officer does not reach the province's congress, nor its people.
    login(client, users.commune_officer)
    assert client.get(reverse("congresses:people", args=[congress.pk])).status_code == 404


def test_the_review_exports_to_word_with_each_target_and_its_figure(reviewed: tuple[Congress, Any]) -> None:
    congress, schedule = reviewed
    services.add_target(None, congress, "Xây mới 40 nhà Đại đoàn kết", 40, schedule=schedule, indicator="moi")
    data = report.review_docx(services.review(congress, ReviewKind.MID, TODAY))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "Xây mới 40 nhà Đại đoàn kết" in text
    assert "Chỉ tiêu: 40 căn. Thực hiện đến 24/11/2026: 12 căn (30%), chưa đạt." in text


# --- Pages ------------------------------------------------------------------------------------


def test_the_province_sees_a_late_commune_congress_and_opens_it(client: Client, world: World, users: People) -> None:
    late = plan(None, world.bac_ha, dt.date(2026, 11, 1))
    login(client, users.province_officer)
    page = client.get(reverse("congresses:overview"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đại hội" in body and late.name in body and "Trễ hạn" in body
    detail = client.get(reverse("congresses:detail", args=[late.pk]))
    assert detail.status_code == 200
    assert "dự thảo văn kiện" in detail.content.decode()


def test_a_commune_officer_records_a_step_and_another_commune_gets_a_404(
    client: Client, world: World, users: People
) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 12, 15))
    step = congress.steps.get(kind=StepKind.CONSULTATION)
    login(client, users.other_commune_officer)
    assert client.get(reverse("congresses:detail", args=[congress.pk])).status_code == 404
    assert client.post(reverse("congresses:step", args=[step.pk]), {"done_on": "2026-11-10"}).status_code == 404
    login(client, users.commune_officer)
    answer = client.post(
        reverse("congresses:step", args=[step.pk]), {"done_on": "10/11/2026", "note": "Đã hiệp thương"}
    )
    assert answer.status_code == 302
    step.refresh_from_db()
    assert step.done_on == dt.date(2026, 11, 10) and step.note == "Đã hiệp thương"


def test_a_viewer_reads_but_cannot_record(client: Client, world: World, users: People) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 12, 15))
    step = congress.steps.first()
    assert step is not None
    login(client, users.viewer)
    page = client.get(reverse("congresses:detail", args=[congress.pk]))
    assert page.status_code == 200 and 'data-testid="step-form"' not in page.content.decode()
    assert client.post(reverse("congresses:step", args=[step.pk]), {"done_on": "2026-11-10"}).status_code == 403
    assert Step.objects.filter(done_on__isnull=False).count() == 0


def test_planning_through_the_form_tells_a_clear_error(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    data = {
        "unit": world.bac_ha.pk,
        "name": "Đại hội đại biểu MTTQ Việt Nam xã Bắc Hà lần thứ I",
        "term_name": "2026–2031",
        "term_start": "01/10/2026",
        "term_end": "01/01/2026",
        "planned_on": "15/12/2026",
    }
    refused = client.post(reverse("congresses:new"), data)
    assert refused.status_code == 400
    assert "Nhiệm kỳ phải kết thúc sau khi bắt đầu" in refused.content.decode()
    data["term_end"] = "30/09/2031"
    made = client.post(reverse("congresses:new"), data)
    congress = Congress.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("congresses:detail", args=[congress.pk])
    assert congress.planned_on == dt.date(2026, 12, 15)


def test_the_resolution_and_the_committee_are_recorded_through_the_page(
    client: Client, world: World, users: People
) -> None:
    congress = plan(None, world.bac_ha, dt.date(2026, 10, 20))
    login(client, users.commune_officer)
    edit = client.post(
        reverse("congresses:edit", args=[congress.pk]),
        {"name": congress.name, "planned_on": "2026-10-20", "held_on": "2026-10-20", "delegates": "95"},
    )
    assert edit.status_code == 302
    upload = SimpleUploadedFile("nghi-quyet.txt", RESOLUTION.encode(), content_type="text/plain")
    assert client.post(reverse("congresses:resolution", args=[congress.pk]), {"file": upload}).status_code == 302
    client.post(reverse("congresses:elect", args=[congress.pk]), {"kind": "chair", "person": world.person_bac_ha.pk})
    page = client.get(reverse("congresses:detail", args=[congress.pk])).content.decode()
    assert "Vàng Thị Hoà" in page
    assert Program.objects.get().title in page
    bad = SimpleUploadedFile("nghi-quyet.exe", b"MZ\x00\x01", content_type="application/octet-stream")
    congress.resolution = None
    congress.save()
    answer = client.post(reverse("congresses:resolution", args=[congress.pk]), {"file": bad}, follow=True)
    assert Program.objects.count() == 1
    assert "messages" in answer.context and list(answer.context["messages"])


def test_the_review_page_and_its_word_file(client: Client, users: People, reviewed: tuple[Congress, Any]) -> None:
    congress, schedule = reviewed
    Target.objects.create(congress=congress, text="Xây mới 40 nhà", value=40, schedule=schedule, indicator="moi")
    login(client, users.viewer)
    page = client.get(reverse("congresses:review", args=[congress.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sơ kết giữa nhiệm kỳ" in body and "30%" in body and reverse("reporting:rollup", args=[schedule.pk]) in body
    word = client.get(reverse("congresses:review_docx", args=[congress.pk]) + "?kind=final")
    assert word.status_code == 200 and word["Content-Disposition"].startswith('attachment; filename="tong-ket-')
