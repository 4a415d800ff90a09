"""A petition in a real browser: a citizen sends it from a phone (place chosen without accents,
a photo attached) and follows it by its code; the commune officer classifies, forwards, records
the answer and publishes it; the citizen reads the answer and finds it among the published ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def test_a_petition_from_the_portal_to_its_published_answer(
    page: Page, phone_page: Page, live_server: Any, commune: Commune, tmp_path: Path
) -> None:
    base = live_server.url
    citizen = phone_page
    photo = tmp_path / "den-duong.png"
    photo.write_bytes(PNG)

    # The citizen, on a phone: the place chosen province → commune (typed without accents) → village.
    citizen.goto(f"{base}/portal/petitions/new")
    citizen.select_option("#id_province", label=commune.province.name)
    expect(citizen.locator("#id_commune option", has_text=commune.sa_pa.name)).to_have_count(1)
    citizen.get_by_test_id("commune-filter").fill("bac ha")
    expect(citizen.locator("#id_commune option", has_text=commune.sa_pa.name)).to_have_count(0)
    citizen.select_option("#id_commune", label=commune.bac_ha.name)
    expect(citizen.locator("#id_village option", has_text=commune.bac_ha_village.name)).to_have_count(1)
    citizen.select_option("#id_village", label=commune.bac_ha_village.name)
    citizen.fill("#id_title", "Đèn đường thôn Na Hối hỏng")
    citizen.fill("#id_content", "Tôi là Vàng Seo Lử, số 0912 345 678. Đèn đường hỏng cả tháng nay.")
    citizen.fill("#id_sender_name", "Vàng Seo Lử")
    citizen.fill("#id_sender_phone", "0912 345 678")
    citizen.set_input_files("#id_attachments", str(photo))
    citizen.check("#id_consent")
    with citizen.expect_navigation():
        citizen.get_by_test_id("submit").click()
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"PA-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    citizen.goto(f"{base}/portal/petitions/track")
    citizen.fill("#id_code", code.lower().replace("-", " "))
    citizen.get_by_test_id("track").click()
    expect(citizen.get_by_test_id("tracked")).to_contain_text(commune.bac_ha.name)
    expect(citizen.get_by_test_id("tracked")).to_contain_text("Đã tiếp nhận")

    # The commune officer: an agency to forward to, then the petition through to publication.
    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/petitions/agencies/new")
    page.select_option("#id_unit", label=commune.bac_ha.name)
    page.fill("#id_name", "UBND xã Bắc Hà")
    page.select_option("#id_level", value="commune")
    with page.expect_navigation():
        page.locator("form.card button[type='submit']").click()
    page.goto(f"{base}/petitions/")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_test_id("content")).to_contain_text("Đèn đường hỏng")
    page.select_option("#id_urgency", value="urgent")
    with page.expect_navigation():
        page.get_by_test_id("do-classify").click()
    page.locator("summary", has_text="Chuyển cơ quan có thẩm quyền").click()
    page.select_option("#id_agency", label="UBND xã Bắc Hà")
    with page.expect_navigation():
        page.get_by_test_id("do-forward").click()
    page.locator("summary", has_text="Ghi nhận trả lời").click()
    page.fill("#id_answer", "UBND xã đã thay bóng đèn ngày 20/11/2026.")
    with page.expect_navigation():
        page.get_by_test_id("do-answer").click()
    question = page.locator("#id_question").input_value()
    assert "Vàng Seo Lử" not in question and "0912" not in question and "Đèn đường hỏng" in question
    with page.expect_navigation():
        page.get_by_test_id("do-publish").click()
    expect(page.get_by_test_id("history")).to_contain_text("Đã công khai")

    # The citizen reads the answer, and anyone finds it among the published ones.
    citizen.goto(f"{base}/portal/petitions/track?code={code}")
    expect(citizen.get_by_test_id("answer")).to_contain_text("thay bóng đèn")
    citizen.goto(f"{base}/portal/answers/?q=den+duong")
    citizen.get_by_role("link", name="Đèn đường thôn Na Hối hỏng").click()
    expect(citizen.get_by_test_id("public-answer")).to_contain_text("thay bóng đèn")
    expect(citizen.locator("main")).not_to_contain_text("Vàng Seo Lử")
