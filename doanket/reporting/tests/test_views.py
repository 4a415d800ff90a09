"""The reporting cycle through real HTTP: fill, check, upload, submit, return, correct, approve,
roll up, drill down, export, dashboard."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World, login, make_unit, make_user
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Unit
from doanket.programs.models import Assignment, Item, Program, ProgressUpdate
from doanket.reporting import pages, rollup, services, sources
from doanket.reporting.models import Indicator, Report, ReportReminder, RollupCell, Schedule, Status
from doanket.reporting.periods import DueRule, Frequency, parse
from doanket.reporting.tests.conftest import GOOD, SECTIONS, Setup


def post(client: Client, report: Report, data: dict[str, str], action: str = "submit") -> Any:
    report.refresh_from_db()
    return client.post(
        reverse("reporting:report", args=[report.pk]), {**data, "action": action, "revision": report.revision}
    )


def cell(schedule: Schedule, unit: Unit, period: str = "2026-Q2") -> RollupCell:
    return RollupCell.objects.get(schedule=schedule, unit=unit, period=period)


def test_a_commune_fills_and_submits_and_the_province_approves(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    login(client, users.commune_officer)
    page = client.get(reverse("reporting:report", args=[setup.bac_ha.pk]))
    assert page.status_code == 200
    assert 'name="v_tien"' in page.content.decode()
    response = post(client, setup.bac_ha, GOOD)
    assert response.status_code == 302
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.SUBMITTED
    assert setup.bac_ha.values["tien"] == 1_250_000_000
    assert setup.bac_ha.values["ty_le"] == 87.5
    assert cell(setup.schedule, world.lao_cai).arrived == 1
    assert cell(setup.schedule, world.lao_cai).approved == 0

    # The commune cannot approve its own report.
    assert client.post(reverse("reporting:review", args=[setup.bac_ha.pk]), {"action": "approve"}).status_code == 403

    login(client, users.province_officer)
    inbox = client.get(reverse("reporting:inbox") + "?tab=review").content.decode()
    assert "Ủy ban MTTQ xã Bắc Hà" in inbox
    response = client.post(
        reverse("reporting:review", args=[setup.bac_ha.pk]), {"action": "approve", "revision": setup.bac_ha.revision}
    )
    assert response.status_code == 302
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.APPROVED
    province = cell(setup.schedule, world.lao_cai)
    assert province.approved == 1
    assert province.data["tien"]["s"] == 1_250_000_000
    assert AuditEntry.objects.filter(object_id=str(setup.bac_ha.pk)).count() >= 2

    # Locked: the commune can no longer change it.
    login(client, users.commune_officer)
    before = setup.bac_ha.values
    post(client, setup.bac_ha, {**GOOD, "v_tien": "1"}, "save")
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.values == before


def test_wrong_figures_are_named_and_nothing_is_saved(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    bad = {**GOOD, "v_moi": "ba", "v_nha": "9", "v_ty_le": "120", "v_danh_gia": "Tốt"}
    response = post(client, setup.bac_ha, bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "“ba”" in body  # names the value that is not a number
    assert "100" in body  # the percentage range
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.NOT_STARTED
    assert setup.bac_ha.values == {}
    # The sum rule: 3 + 2 is not 9.
    response = post(client, setup.bac_ha, {**GOOD, "v_nha": "9"})
    errors = {row["indicator"].code: row["error"] for s in response.context["sections"] for row in s["rows"]}
    assert [code for code, error in errors.items() if error] == ["nha"]
    assert "5" in errors["nha"] and "9" in errors["nha"]
    assert "Nhà Đại đoàn kết xây mới" in errors["nha"]
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.NOT_STARTED


def test_figures_are_checked_as_typed(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    response = client.post(
        reverse("reporting:check", args=[setup.bac_ha.pk]), {"v_moi": "3", "v_sua": "2", "v_nha": "6"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="err-nha"' in body and 'hx-swap-oob="true"' in body
    assert "6" in body and "5" in body
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.values == {}  # checking saves nothing


def test_a_draft_may_be_incomplete(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    assert post(client, setup.bac_ha, {"v_moi": "3"}, "save").status_code == 302
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.DRAFT
    assert setup.bac_ha.values == {"moi": 3}
    response = post(client, setup.bac_ha, {"v_moi": "3"}, "submit")
    assert response.status_code == 200  # required figures missing: shown, not submitted
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.DRAFT


def test_two_officers_submitting_at_once(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    setup.bac_ha.refresh_from_db()
    seen = setup.bac_ha.revision
    url = reverse("reporting:report", args=[setup.bac_ha.pk])
    first = client.post(url, {**GOOD, "action": "submit", "revision": seen})
    second = client.post(url, {**GOOD, "v_tien": "7", "action": "submit", "revision": seen}, follow=True)
    assert first.status_code == 302
    assert "Someone else" in second.content.decode() or "người khác" in second.content.decode()
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.values["tien"] == 1_250_000_000
    assert Report.objects.filter(schedule=setup.schedule, unit=setup.bac_ha.unit, period="2026-Q2").count() == 1


def test_return_with_comment_then_correct_and_approve(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    login(client, users.commune_officer)
    post(client, setup.bac_ha, GOOD)
    login(client, users.province_officer)
    setup.bac_ha.refresh_from_db()
    url = reverse("reporting:review", args=[setup.bac_ha.pk])
    client.post(url, {"action": "return", "comment": "", "revision": setup.bac_ha.revision})
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.SUBMITTED  # returning needs a comment
    client.post(url, {"action": "return", "comment": "Bổ sung số liệu nhà", "revision": setup.bac_ha.revision})
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.RETURNED

    login(client, users.commune_officer)
    assert "Bổ sung số liệu nhà" in client.get(reverse("reporting:report", args=[setup.bac_ha.pk])).content.decode()
    post(client, setup.bac_ha, {**GOOD, "v_moi": "4", "v_nha": "6"})
    login(client, users.province_officer)
    setup.bac_ha.refresh_from_db()
    client.post(url, {"action": "approve", "revision": setup.bac_ha.revision})
    assert cell(setup.schedule, world.lao_cai).data["moi"]["s"] == 4

    # A correction of the approved report: a new version with its reason.
    login(client, users.commune_officer)
    setup.bac_ha.refresh_from_db()
    correct = reverse("reporting:correct", args=[setup.bac_ha.pk])
    client.post(correct, {"reason": "", "revision": setup.bac_ha.revision})
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.APPROVED  # no reason, no correction
    client.post(correct, {"reason": "Nhầm số nhà xây mới", "revision": setup.bac_ha.revision})
    post(client, setup.bac_ha, {**GOOD, "v_moi": "5", "v_nha": "7"})
    assert cell(setup.schedule, world.lao_cai).data["moi"]["s"] == 4  # still the approved figure
    login(client, users.province_officer)
    setup.bac_ha.refresh_from_db()
    client.post(url, {"action": "approve", "revision": setup.bac_ha.revision})
    assert cell(setup.schedule, world.lao_cai).data["moi"]["s"] == 5
    assert cell(setup.schedule, world.lao_cai).approved == 1  # counted once
    page = client.get(reverse("reporting:report", args=[setup.bac_ha.pk])).content.decode()
    assert "Nhầm số nhà xây mới" in page


def excel(data: bytes, changes: dict[str, object]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=6):
        code = row[0].value
        if code in changes:
            row[3].value = changes[code]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_form_filled_offline(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    template = client.get(reverse("reporting:xlsx", args=[setup.bac_ha.pk])).content
    upload = reverse("reporting:upload", args=[setup.bac_ha.pk])

    wrong = excel(template, {"moi": "ba", "nha": 9, "sua": 2, "ty_le": 40, "danh_gia": "Ổn định", "tien": 5})
    response = client.post(upload, {"file": SimpleUploadedFile("bac-ha.xlsx", wrong)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "bac-ha.xlsx" in body and "D" in body and "“ba”" in body
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.values == {}

    right = excel(template, {"moi": 3, "sua": 2, "nha": 5, "tien": 1_000_000, "ty_le": 40, "danh_gia": "on dinh"})
    assert client.post(upload, {"file": SimpleUploadedFile("bac-ha.xlsx", right)}).status_code == 302
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.DRAFT
    assert setup.bac_ha.values["tien"] == 1_000_000
    assert setup.bac_ha.values["danh_gia"] == "Ổn định"  # matched without accents


def test_an_excel_file_of_another_period_or_unit_is_refused(client: Client, users: People, setup: Setup) -> None:
    login(client, users.province_officer)
    q1 = Report.objects.get(schedule=setup.schedule, unit=setup.bac_ha.unit, period="2026-Q1")
    other = client.get(reverse("reporting:xlsx", args=[q1.pk])).content
    sa_pa = client.get(reverse("reporting:xlsx", args=[setup.sa_pa.pk])).content
    login(client, users.commune_officer)
    upload = reverse("reporting:upload", args=[setup.bac_ha.pk])
    response = client.post(upload, {"file": SimpleUploadedFile("quy1.xlsx", other)})
    assert response.status_code == 400 and "2026-Q1" in response.content.decode()
    response = client.post(upload, {"file": SimpleUploadedFile("sapa.xlsx", sa_pa)})
    assert response.status_code == 400
    response = client.post(upload, {"file": SimpleUploadedFile("thu.xlsx", b"not a workbook")})
    assert response.status_code == 400 and "thu.xlsx" in response.content.decode()
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.values == {}


def _approve(report: Report, data: dict[str, str], actor: object = None) -> None:
    raw = {k.removeprefix("v_"): v for k, v in data.items()}
    report.refresh_from_db()
    services.submit(actor, report, raw, report.revision)
    report.refresh_from_db()
    services.approve(actor, report, report.revision)


def test_rollup_page_drill_down_and_missing(client: Client, world: World, users: People, setup: Setup) -> None:
    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    url = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1.250.000.000" in body
    assert response.context["table"].expected == 2
    assert response.context["table"].arrived == 1
    missing = client.get(
        reverse("reporting:missing", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    )
    assert "Ủy ban MTTQ phường Sa Pa" in missing.content.decode()
    assert "Ủy ban MTTQ xã Bắc Hà" not in missing.content.decode()
    # A commune reading the province's schedule sees its own unit only.
    login(client, users.commune_officer)
    own = client.get(reverse("reporting:rollup", args=[setup.schedule.pk]) + "?period=2026-Q2")
    assert own.status_code == 200 and own.context["unit"] == world.bac_ha
    refused = client.get(reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}")
    assert refused.status_code == 404


def test_rollup_and_dashboard_queries_do_not_grow_with_units(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    url = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    dash = reverse("reporting:dashboard") + f"?unit={world.lao_cai.pk}"

    def count(target: str) -> int:
        client.get(target)  # warm the per-request caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target).status_code == 200
        return len(queries)

    small = count(url), count(dash)
    for n in range(6):
        commune = make_unit(world.lao_cai, f"Ủy ban MTTQ xã Thử {n}", Level.COMMUNE)
        for v in range(3):
            make_unit(commune, f"Thôn {v}", Level.VILLAGE, "village_board")
    services.open_period(setup.schedule, parse("2026-Q2"))
    for report in Report.objects.filter(schedule=setup.schedule, period="2026-Q2", status=Status.NOT_STARTED)[:4]:
        _approve(report, GOOD)
    assert (count(url), count(dash)) == small


def test_the_served_rollup_page_reads_six_things_and_its_breadcrumb_follows_the_readers_scope(
    client: Client, world: World, users: People, setup: Setup, monkeypatch: Any
) -> None:
    _approve(setup.bac_ha, GOOD)
    province = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    login(client, users.province_officer)
    client.get(province)  # renders the table and caches it
    with CaptureQueriesContext(connection) as queries:
        served = client.get(province)
    assert served.context["table"] is None  # from the cache
    # The session, the user, their verified second factor, the reader's grants, the schedule, the
    # unit with its cells' last change.
    assert len(queries) == 6, [q["sql"][:70] for q in queries]

    # The stamp read with the unit is the stamp read on its own (and moves with an approval).
    def both(unit: Unit, key: str) -> tuple[str | None, str]:
        read = rollup.with_stamp(Unit.objects.filter(pk=unit.pk), setup.schedule, key).get()
        return rollup.stamp_of(read), rollup.stamp(setup.schedule, unit, key)

    before, alone = both(world.lao_cai, "2026-Q2")
    assert before == alone != ""
    assert both(world.lao_cai, "1999-Q9") == (None, "")
    _approve(setup.sa_pa, GOOD)
    after, alone = both(world.lao_cai, "2026-Q2")
    assert after == alone != before
    # A commune's page (its table cached like a province's here): the units above come with the
    # table, and each reader sees those within their scope.
    monkeypatch.setattr(pages.rollup, "stamp_of", lambda *args: "fixed")
    commune = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.bac_ha.pk}&period=2026-Q2"
    first = client.get(commune)
    assert first.context["table"] is not None and [a["name"] for a in first.context["ancestors"]] == [
        world.lao_cai.name
    ]
    again = client.get(commune)
    assert again.context["table"] is None and [a["name"] for a in again.context["ancestors"]] == [world.lao_cai.name]
    login(client, users.commune_officer)
    own = client.get(commune)
    assert own.context["table"] is None and own.context["ancestors"] == []  # the province is above their scope
    assert f"?unit={world.lao_cai.pk}&" not in own.content.decode()


def test_exports(client: Client, world: World, users: People, setup: Setup) -> None:
    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    query = f"?unit={world.lao_cai.pk}&period=2026-Q2"
    xlsx = client.get(reverse("reporting:rollup_xlsx", args=[setup.schedule.pk]) + query)
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Tiền vận động"][3] == 1_250_000_000
    word = client.get(reverse("reporting:rollup_docx", args=[setup.schedule.pk]) + query)
    assert word.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả công tác" in text
    assert "1.250.000.000" in text
    assert "Nhân dân phấn khởi." in text  # the commune's narrative, gathered under its section
    assert "Ủy ban MTTQ xã Bắc Hà" in text


def test_narrative_drafted_from_task_updates(client: Client, world: World, users: People, setup: Setup) -> None:
    program = Program.objects.create(unit=world.lao_cai, title="Chương trình công tác năm 2026")
    item = Item.objects.create(program=program, number="2.1", title="Xây nhà Đại đoàn kết", position=1)
    assignment = Assignment.objects.create(item=item, program=program, unit=world.bac_ha)
    update = ProgressUpdate.objects.create(assignment=assignment, text="Khởi công 3 căn nhà", progress=40)
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=dt.datetime(2026, 5, 10, 9, tzinfo=dt.UTC))
    login(client, users.commune_officer)
    response = client.get(reverse("reporting:narrative", args=[setup.bac_ha.pk, "tinh_hinh"]))
    assert response.status_code == 200
    assert "Khởi công 3 căn nhà" in response.content.decode()
    assert "2.1" in response.content.decode()
    # Only text indicators are drafted.
    assert client.get(reverse("reporting:narrative", args=[setup.bac_ha.pk, "moi"])).status_code == 404


def test_a_text_indicator_with_a_text_source_is_drafted_from_it(
    monkeypatch: pytest.MonkeyPatch, client: Client, world: World, users: People, setup: Setup
) -> None:
    monkeypatch.setattr(sources, "_REGISTRY", dict(sources._REGISTRY))
    seen: list[tuple[Unit, dt.date, dt.date]] = []

    def issues(unit: Unit, start: dt.date, end: dt.date) -> str:
        seen.append((unit, start, end))
        return f"- Đường liên thôn xuống cấp ({unit.name})."

    sources.register_text("test.issues", "Những vấn đề Nhân dân quan tâm", issues)
    Indicator.objects.filter(code="tinh_hinh").update(source="test.issues")
    login(client, users.commune_officer)
    page = client.get(reverse("reporting:report", args=[setup.bac_ha.pk])).content.decode()
    assert not seen, "a text is drafted on demand, not when the page opens"
    assert "Đường liên thôn" not in page
    response = client.get(
        reverse("reporting:narrative", args=[setup.bac_ha.pk, "tinh_hinh"]), {"v_tinh_hinh": "Ổn định."}
    )
    text = response.content.decode()
    assert "Ổn định.\n- Đường liên thôn xuống cấp (Ủy ban MTTQ xã Bắc Hà)." in text, "appended to what was typed"
    report = Report.objects.get(pk=setup.bac_ha.pk)
    assert seen == [(world.bac_ha, report.period_start, report.period_end)]
    assert sources.prefill([("tinh_hinh", "test.issues")], world.bac_ha, report.period_start, report.period_end) == {}


def test_the_province_chases_a_missing_report(client: Client, users: People, setup: Setup) -> None:
    login(client, users.province_officer)
    response = client.post(reverse("reporting:remind", args=[setup.sa_pa.pk]), {"message": ""})
    assert response.status_code == 302
    reminder = ReportReminder.objects.get(report=setup.sa_pa)
    assert "Báo cáo công tác Mặt trận quý" in reminder.message


def test_a_schedule_made_on_the_page_opens_its_periods(client: Client, world: World, users: People) -> None:
    version = services.create_form(None, world.lao_cai, "thang", "Báo cáo tháng", SECTIONS)
    login(client, users.province_officer)
    response = client.post(
        reverse("reporting:schedule_new"),
        {
            "unit": world.lao_cai.pk,
            "form": version.form.pk,
            "name": "Báo cáo tháng của các xã",
            "level": "commune",
            "kind": "committee",
            "frequency": "monthly",
            "due_rule": "next_month",
            "due_day": "5",
            "starts": "2026-01-01",
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(name="Báo cáo tháng của các xã")
    assert Report.objects.filter(schedule=schedule, period="2026-01", unit=world.bac_ha).exists()
    assert Report.objects.get(schedule=schedule, period="2026-01", unit=world.bac_ha).due_date == dt.date(2026, 2, 5)
    # A commune officer cannot make a schedule for the province.
    login(client, users.commune_officer)
    response = client.post(
        reverse("reporting:schedule_new"),
        {
            "unit": world.lao_cai.pk,
            "form": version.form.pk,
            "name": "X",
            "level": "village",
            "kind": "village_board",
            "frequency": "weekly",
            "due_rule": "after_end",
            "due_day": "1",
            "starts": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not Schedule.objects.filter(name="X").exists()


@pytest.mark.django_db(transaction=True)
def test_reminding_every_missing_unit_is_done_by_the_worker(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    query = f"?unit={world.lao_cai.pk}&period=2026-Q2"
    response = client.post(reverse("reporting:remind_missing", args=[setup.schedule.pk]) + query, {"message": ""})
    assert response.status_code == 302
    assert not ReportReminder.objects.exists()  # the page did not wait
    assert DBTaskResult.objects.filter(task_path="doanket.reporting.tasks.remind_missing").count() == 1
    call_command("worker", batch=True, verbosity=0)
    manual = ReportReminder.objects.filter(kind="manual")  # the worker's hourly job chases overdue ones too
    assert list(manual.values_list("report__unit", "report__period")) == [(world.sa_pa.pk, "2026-Q2")]
    # The commune sees it in its reports inbox.
    login(client, users.other_commune_officer)
    assert "Báo cáo công tác Mặt trận quý" in client.get(reverse("reporting:inbox")).content.decode()


def test_the_cached_rollup_follows_every_approval(client: Client, world: World, users: People, setup: Setup) -> None:
    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    url = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    first = client.get(url)
    assert first.context["table"] is not None  # computed
    again = client.get(url)
    assert again.context["table"] is None  # from the cache, the same page
    assert again.context["fragment"] == first.context["fragment"]  # (the page differs by its CSRF token)
    assert "1.250.000.000" in again.content.decode()
    _approve(setup.sa_pa, {**GOOD, "v_tien": "750.000.000"})
    after = client.get(url)
    assert after.context["table"] is not None  # the province's cell changed: computed again
    assert "2.000.000.000" in after.content.decode()
    # Another indicator compared, or another language, is another page.
    other = client.get(url + "&indicator=nha")
    assert other.context["table"] is not None and other.context["table"].chosen.indicator.code == "nha"


def test_the_rollup_tables_written_in_python_escape_and_link_every_row(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    """The figures and units-below rows are written by template tags in Python (for speed): the
    names are escaped, each row links to its report or to the unit's own roll-up, and counts and
    figures read the Vietnamese way."""
    from doanket.organizations.services import update_unit

    update_unit(None, world.sa_pa, name='Ủy ban MTTQ phường <b>"Sa & Pa"</b>')
    _approve(setup.bac_ha, GOOD)
    login(client, users.province_officer)
    url = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    response = client.get(url)
    body = response.content.decode()
    assert '<b>"Sa' not in body
    assert "Ủy ban MTTQ phường &lt;b&gt;&quot;Sa &amp; Pa&quot;&lt;/b&gt;" in body
    bac_ha = reverse("reporting:report", args=[setup.bac_ha.pk])
    assert f'<tr><td><a href="{bac_ha}">Ủy ban MTTQ xã Bắc Hà</a></td><td>1/1</td>' in body
    assert '<td>0/1 <span class="st st-late">1 chưa gửi</span></td>' in body  # Sa Pa owes its report
    assert 'data-testid="value-tien">1.250.000.000</td>' in body
    version = setup.schedule.form.current_version()
    assert version is not None
    assert body.count('<tr><th colspan="5">') == version.sections.count()

    # A schedule of the village boards at the central unit: each province links to its own
    # roll-up, compared on the same figure.
    village_form = services.create_form(
        None,
        world.central,
        "thon-quy",
        "Báo cáo quý của Ban công tác Mặt trận",
        [{"title": "Số liệu", "indicators": [{"code": "ho", "label": "Hộ <được> giúp", "type": "integer"}]}],
    )
    villages = Schedule.objects.create(
        unit=world.central,
        form=village_form.form,
        name="Báo cáo quý của các thôn",
        level=Level.VILLAGE,
        kind="village_board",
        frequency=Frequency.QUARTERLY,
        due_rule=DueRule.DAY_OF_LAST_MONTH,
        due_day=20,
        starts=dt.date(2026, 1, 1),
    )
    services.open_period(villages, parse("2026-Q2"))
    report = Report.objects.get(schedule=villages, unit=world.bac_ha_village)
    _approve(report, {"v_ho": "1234"})
    user = make_user("trunguong", world.central)
    login(client, user)
    country = client.get(reverse("reporting:rollup", args=[villages.pk]) + f"?unit={world.central.pk}&period=2026-Q2")
    page = country.content.decode()
    row = (
        f'<tr><td><a href="?unit={world.lao_cai.pk}&amp;period=2026-Q2&amp;indicator=ho">'
        f"{world.lao_cai.name}</a></td><td>1/"
    )
    assert row in page
    assert "Hộ &lt;được&gt; giúp" in page and "Hộ <được> giúp" not in page
    assert 'data-testid="value-ho">1.234</td>' in page
