"""A commune launches an emulation movement for its village boards from the launch document
(seed 003) in the browser, adds a criterion and registers its village with the targets it sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from doanket.emulation.models import Movement, Registration
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser
SEED = next((Path(__file__).resolve().parents[2] / "demo" / "documents").glob("003_*.txt"))


def test_a_launch_document_becomes_a_movement_that_units_register_for(
    page: Page, live_server: Any, commune: Commune
) -> None:
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/")
    with page.expect_navigation():
        page.get_by_test_id("launch").click()
    form = page.get_by_test_id("launch-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("input[name=document]").set_input_files(str(SEED))
    form.locator("input[name=starts_on]").fill("2026-01-01")
    form.locator("input[name=ends_on]").fill("2026-12-31")
    form.locator("select[name=level]").select_option(value="village")
    form.locator("select[name=participant_kind]").select_option(value="village_board")
    with page.expect_navigation():
        form.get_by_role("button", name="Phát động", exact=True).click()
    expect(page.locator("[role=status]").first).to_contain_text("6 nội dung thi đua")
    expect(page.get_by_test_id("areas").locator("li")).to_have_count(6)
    expect(page.get_by_test_id("standing")).to_contain_text("0 trên 1 đơn vị tham gia đã đăng ký")

    page.locator("summary", has_text="Thêm tiêu chí").click()
    criterion = page.get_by_test_id("criterion-form")
    criterion.locator("input[name=name]").fill("Chất lượng giám sát, phản biện xã hội")
    criterion.locator("input[name=weight]").fill("40")
    with page.expect_navigation():
        criterion.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.get_by_test_id("total-weight")).to_have_text("40")

    registration = page.get_by_test_id("registration-form")
    registration.locator("select[name=unit]").select_option(label=commune.bac_ha_village.name)
    registration.locator("textarea[name=targets]").fill("Vận động 100% hộ tham gia\nXây 1 nhà Đại đoàn kết")
    with page.expect_navigation():
        registration.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_test_id("standing")).to_contain_text("1 trên 1 đơn vị tham gia đã đăng ký")
    expect(page.get_by_test_id("registrations")).to_contain_text("Xây 1 nhà Đại đoàn kết")
    assert Registration.objects.get().unit == commune.bac_ha_village
    assert Movement.objects.get().criteria.get().weight == 40
