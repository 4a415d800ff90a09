"""The reporting cycle in a real browser: form → schedule → reminder → fill (checked as typed) →
Excel upload → submit → return → correct → approve → roll-up → dashboard → exports, by a
province officer on a desktop and a commune officer on a phone."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.reporting import definitions
from doanket.reporting.models import Report, ReportReminder, RollupCell, Schedule, Status
from tests.browser.conftest import PASSWORD, PHONE, Commune, log_in

pytestmark = pytest.mark.browser

SECTION = "I. Kết quả công tác tháng"
ROWS = [
    ["I", SECTION, "moi", "Nhà Đại đoàn kết xây mới", "integer", "căn", "Có", "", "", "", "sum", "", "Có"],
    ["I", SECTION, "sua", "Nhà Đại đoàn kết sửa chữa", "integer", "căn", "Có", "", "", "", "sum", "", ""],
    ["I", SECTION, "nha", "Tổng số nhà", "integer", "căn", "Có", "", "", "", "sum", "moi + sua", "Có"],
    ["I", SECTION, "tien", "Tiền vận động Quỹ Vì người nghèo", "money", "đồng", "Có", "", "", "", "sum", "", "Có"],
    ["II", "II. Tình hình Nhân dân", "tinh_hinh", "Tư tưởng, tâm trạng", "long_text", "", "Không"],
]


def _sheet(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append([str(label) for _key, label in definitions.COLUMNS])
    for row in ROWS:
        ws.append(row)
    target = tmp_path / "mau-bao-cao.xlsx"
    book.save(target)
    return target


def _fill_download(path: Path, values: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    for row in book.worksheets[0].iter_rows(min_row=6):
        if row[0].value in values:
            row[3].value = values[row[0].value]
    book.save(path)


def test_a_quarter_reported_from_schedule_to_export(
    page: Page, browser: Browser, live_server: Any, commune: Commune, tmp_path: Path
) -> None:
    base = live_server.url
    province_officer = User(username="canbo_tinh", full_name="Hoàng Thị Mai")
    province_officer.set_password(PASSWORD)
    province_officer.save()
    grant_role(None, province_officer, commune.province, Role.OFFICER)

    # The province lays out the form in a spreadsheet and makes the schedule.
    log_in(page, base, "canbo_tinh")
    page.goto(f"{base}/reports/schedules/")
    page.get_by_test_id("new-form").click()
    page.select_option("#id_unit", label=commune.province.name)
    page.fill("#id_title", "Báo cáo công tác Mặt trận quý")
    page.fill("#id_code", "cong-tac-quy")
    page.set_input_files("#id_file", str(_sheet(tmp_path)))
    with page.expect_navigation():
        page.get_by_test_id("save-form").click()
    expect(page.get_by_test_id("indicators")).to_contain_text("Tổng số nhà")

    page.goto(f"{base}/reports/schedules/new")
    page.select_option("#id_unit", label=commune.province.name)
    page.select_option("#id_form", label="Báo cáo công tác Mặt trận quý")
    page.fill("#id_name", "Báo cáo quý của các xã")
    page.select_option("#id_level", "commune")
    page.select_option("#id_kind", "committee")
    page.select_option("#id_frequency", "quarterly")
    page.select_option("#id_due_rule", "last_month")
    page.fill("#id_due_day", "20")
    page.fill("#id_starts", "2026-01-01")
    with page.expect_navigation():
        page.get_by_test_id("save-schedule").click()
    schedule = Schedule.objects.get(name="Báo cáo quý của các xã")
    q3 = Report.objects.get(schedule=schedule, unit=commune.bac_ha, period="2026-Q3")
    assert Report.objects.filter(schedule=schedule, period="2026-Q3").count() == 2  # both communes

    # Bắc Hà is late for the third quarter: the province chases it.
    page.goto(f"{base}/reports/{q3.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("remind").click()
    assert ReportReminder.objects.filter(report=q3).count() == 1

    # The commune officer, on a phone, sees the reminder and opens the report.
    phone = browser.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    mobile = phone.new_page()
    log_in(mobile, base, commune.officer.username)
    mobile.goto(f"{base}/reports/")
    expect(mobile.get_by_test_id("inbox-reminders")).to_contain_text("Báo cáo công tác Mặt trận quý")
    mobile.get_by_test_id("reports").get_by_role("link", name=re.compile(r"(Quý|Quarter) III.2026")).click()

    # Figures are checked as they are typed: 3 + 2 is not 6.
    mobile.fill("#id_v_moi", "3")
    mobile.fill("#id_v_sua", "2")
    mobile.fill("#id_v_nha", "6")
    expect(mobile.locator("#err-nha")).to_contain_text("6")
    mobile.fill("#id_v_tien", "một triệu")
    expect(mobile.locator("#err-tien")).to_contain_text("“một triệu”")
    mobile.fill("#id_v_nha", "5")
    mobile.fill("#id_v_tien", "")
    expect(mobile.locator("#err-nha")).to_have_text("")
    with mobile.expect_navigation():
        mobile.get_by_test_id("save-draft").click()
    q3.refresh_from_db()
    assert q3.status == Status.DRAFT and q3.values == {"moi": 3, "sua": 2, "nha": 5}

    # The amount comes from the commune's Excel sheet, filled offline.
    with mobile.expect_download() as download_info:
        mobile.get_by_test_id("download-xlsx").click()
    sheet = tmp_path / "bac-ha-q3.xlsx"
    download_info.value.save_as(sheet)
    _fill_download(sheet, {"moi": 3, "sua": 2, "nha": 5, "tien": 120_000_000})
    mobile.set_input_files("#id_file", str(sheet))
    with mobile.expect_navigation():
        mobile.get_by_test_id("upload-xlsx").click()
    expect(mobile.locator("#id_v_tien")).to_have_value("120.000.000")
    with mobile.expect_navigation():
        mobile.get_by_test_id("submit-report").click()
    q3.refresh_from_db()
    assert q3.status == Status.SUBMITTED

    # The province returns it: the narrative is missing.
    page.goto(f"{base}/reports/?tab=review")
    page.get_by_test_id("reports").get_by_role("link", name=re.compile(r"(Quý|Quarter) III.2026")).click()
    page.fill("#id_comment", "Đề nghị bổ sung tình hình Nhân dân")
    with page.expect_navigation():
        page.get_by_test_id("return").click()
    q3.refresh_from_db()
    assert q3.status == Status.RETURNED

    # The commune corrects and submits again; the province approves.
    mobile.goto(f"{base}/reports/{q3.pk}/")
    expect(mobile.get_by_test_id("returned-comment")).to_contain_text("bổ sung tình hình Nhân dân")
    mobile.fill("#id_v_tinh_hinh", "Nhân dân đồng thuận với chủ trương xây nhà Đại đoàn kết.")
    with mobile.expect_navigation():
        mobile.get_by_test_id("submit-report").click()
    page.goto(f"{base}/reports/{q3.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()
    q3.refresh_from_db()
    assert q3.status == Status.APPROVED
    assert RollupCell.objects.get(schedule=schedule, unit=commune.province, period="2026-Q3").data["tien"]["s"] == (
        120_000_000
    )

    # A correction of the approved report is a new version with its reason.
    mobile.goto(f"{base}/reports/{q3.pk}/")
    mobile.fill("#id_reason", "Nhầm số nhà sửa chữa")
    with mobile.expect_navigation():
        mobile.get_by_test_id("correct").click()
    mobile.fill("#id_v_sua", "4")
    mobile.fill("#id_v_nha", "7")
    with mobile.expect_navigation():
        mobile.get_by_test_id("submit-report").click()
    page.goto(f"{base}/reports/{q3.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("history")).to_contain_text("Nhầm số nhà sửa chữa")
    phone.close()

    # The roll-up of the province: Bắc Hà's figures, Sa Pa missing, drill-down to Sa Pa.
    page.goto(f"{base}/reports/schedules/{schedule.pk}/rollup?unit={commune.province.pk}&period=2026-Q3")
    expect(page.get_by_test_id("value-nha")).to_have_text("7")
    expect(page.get_by_test_id("value-tien")).to_have_text("120.000.000")
    expect(page.get_by_test_id("arrived")).to_have_text("1")
    page.get_by_test_id("missing-link").click()
    expect(page.get_by_test_id("missing")).to_contain_text(commune.sa_pa.name)

    # The dashboard of the province names Sa Pa as needing attention.
    page.goto(f"{base}/reports/dashboard/?unit={commune.province.pk}")
    expect(page.get_by_test_id("dashboard-reporting")).to_contain_text("Báo cáo quý của các xã")
    expect(page.get_by_test_id("attention")).to_contain_text(commune.sa_pa.name)

    # Exports: the table as XLSX, the province's report as DOCX with Bắc Hà's narrative.
    page.goto(f"{base}/reports/schedules/{schedule.pk}/rollup?unit={commune.province.pk}&period=2026-Q3")
    with page.expect_download() as xlsx_info:
        page.get_by_test_id("export-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(xlsx_info.value.path()).read_bytes()))
    rows = {r[0]: r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    assert rows["Tổng số nhà"][3] == 7
    with page.expect_download() as docx_info:
        page.get_by_test_id("export-docx").click()
    text = "\n".join(p.text for p in docx.Document(str(docx_info.value.path())).paragraphs)
    assert "BÁO CÁO" in text and "Tổng số nhà: 7 căn." in text
    assert "Nhân dân đồng thuận với chủ trương xây nhà Đại đoàn kết." in text
