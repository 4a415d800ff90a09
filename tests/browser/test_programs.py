"""The work-programme flow in a real browser: upload → preview → correct → save → assign →
cascade → update → remind → calendar → export, by a province officer and a commune officer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.documents.parser import parse
from doanket.documents.readers import read_document
from doanket.programs.models import Assignment, Program, Reminder
from tests.browser.conftest import DESKTOP, PASSWORD, Commune, log_in

pytestmark = pytest.mark.browser

SEED = next((Path(__file__).resolve().parents[2] / "demo" / "documents").glob("000_*.txt"))


def _officer(username: str, unit: Any) -> User:
    user = User(username=username, full_name=username)
    user.set_password(PASSWORD)
    user.save()
    grant_role(None, user, unit, Role.OFFICER)
    return user


def test_a_programme_from_upload_to_export(
    page: Page, browser: Browser, live_server: Any, commune: Commune, tmp_path: Path
) -> None:
    base = live_server.url
    _officer("canbo_tinh", commune.province)

    # The province officer uploads the signed programme.
    log_in(page, base, "canbo_tinh")
    page.goto(f"{base}/programs/")
    page.get_by_test_id("import").click()
    page.select_option("select[name=unit]", label=commune.province.name)
    page.set_input_files("input[name=file]", str(SEED))
    with page.expect_navigation():
        page.click("form button[type=submit].primary")

    # The preview shows what was understood; nothing is saved yet.
    expect(page.get_by_test_id("key-tasks").locator("li")).to_have_count(10)
    expect(page.locator("#id_theme")).to_have_value(re.compile("^Đoàn kết, dân chủ; năng động, sáng tạo"))
    expect(page.get_by_test_id("signatory")).to_contain_text("Giàng Seo Vân")
    assert not Program.objects.exists()

    # A misnumbered section is corrected in the text; the preview follows (HTMX).
    text = page.get_by_test_id("text")
    text.fill(text.input_value().replace("V. TỔ CHỨC THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN"))
    expect(page.get_by_test_id("sections")).to_contain_text("IV TỔ CHỨC THỰC HIỆN")
    page.fill("#id_number", "01/CTr-MTTQ-BTT")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    program = Program.objects.get()
    assert program.number == "01/CTr-MTTQ-BTT"
    assert list(program.items.filter(parent=None).values_list("number", flat=True)) == ["I", "II", "III", "IV"]
    expect(page.get_by_test_id("theme")).to_contain_text("Đoàn kết, dân chủ")

    # It assigns item 2.1: Bắc Hà leads, Sa Pa supports.
    page.get_by_role("link", name=re.compile(r"^2\.1 Về công tác thông tin")).click()
    page.select_option("#id_lead", label=f"{commune.bac_ha.name} — {commune.province.name}")
    page.select_option("#id_supports", label=f"{commune.sa_pa.name} — {commune.province.name}")
    page.fill("#id_due_date", "30/06/2099")
    with page.expect_navigation():
        page.get_by_test_id("assign").click()
    expect(page.get_by_test_id(f"assignment-{commune.bac_ha.pk}")).to_contain_text("30/06/2099")
    item_url = page.url

    # The commune officer builds the commune's programme from the province's, and reports progress.
    other = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    commune_page = other.new_page()
    log_in(commune_page, base, commune.officer.username)
    commune_page.goto(f"{base}/programs/{program.pk}/")
    commune_page.get_by_test_id("derive").click()
    commune_page.select_option("#id_unit", label=f"{commune.bac_ha.name} — {commune.province.name}")
    commune_page.get_by_label(re.compile(r"2\.1 Về công tác thông tin")).check()
    with commune_page.expect_navigation():
        commune_page.get_by_test_id("derive-save").click()
    derived = Program.objects.get(unit=commune.bac_ha)
    assert derived.items.filter(upper_item__program=program, number="2.1").exists()
    commune_page.goto(item_url)
    assignment = commune_page.get_by_test_id(f"assignment-{commune.bac_ha.pk}")
    assignment.locator("textarea[name=text]").fill("Đã tuyên truyền tại 12 thôn")
    assignment.locator("input[name=progress]").fill("50")
    with commune_page.expect_navigation():
        assignment.get_by_test_id("post-update").click()
    expect(commune_page.get_by_test_id(f"assignment-{commune.bac_ha.pk}")).to_contain_text(
        "Đã tuyên truyền tại 12 thôn"
    )
    assert Assignment.objects.get(unit=commune.bac_ha).progress == 50

    # The province chases Sa Pa; the reminder is on the item's history.
    page.goto(item_url)
    with page.expect_navigation():
        page.get_by_test_id(f"assignment-{commune.sa_pa.pk}").get_by_test_id("remind").click()
    assert Reminder.objects.filter(assignment__unit=commune.sa_pa).count() == 1
    page.get_by_test_id(f"assignment-{commune.sa_pa.pk}").locator("summary").click()
    expect(page.get_by_test_id("reminders")).to_contain_text("2.1")

    # The commune's calendar shows the anniversaries of the province's programme, lunar dates converted.
    commune_page.goto(f"{base}/calendar/?unit={commune.bac_ha.pk}&year=2022&month=4")
    expect(commune_page.locator("main")).to_contain_text("Giỗ Tổ Hùng Vương")
    expect(commune_page.locator("main")).to_contain_text("Ngày giải phóng miền Nam")
    other.close()

    # The programme exports as a DOCX that reads back with the same structure.
    page.goto(f"{base}/programs/{program.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    target = tmp_path / "export.docx"
    download_info.value.save_as(target)
    again = parse(read_document(target.read_bytes(), "export.docx").text)
    assert [s.number for s in again.sections] == ["I", "II", "III", "IV"]
    assert again.number == "01/CTr-MTTQ-BTT"
    assert len(again.key_tasks) == 10
