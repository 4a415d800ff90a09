"""The commune records a Christmas visit to a pastor found by typing his name without accents, and
flags a hot spot it then follows, in a real browser."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from doanket.organizations.models import Person
from doanket.outreach.models import HotSpot, Visit
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser


def test_a_visit_and_a_hot_spot(page: Page, live_server: Any, commune: Commune) -> None:
    Person.objects.bulk_create(
        [Person(unit=commune.bac_ha, full_name=f"Già làng {n:02}", name_key=f"gia lang {n:02}", is_elder=True)
         for n in range(60)]
    )  # fmt: skip
    Person(unit=commune.bac_ha_village, full_name="Mục sư Thào A Lử", is_religious_dignitary=True).save()
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/outreach/visits/")
    page.locator("summary", has_text="Ghi chuyến thăm").click()
    form = page.get_by_test_id("visit-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("select[name=occasion]").select_option(value="christmas")
    form.locator("input[name=visited_on]").fill("2025-12-24")
    form.locator("textarea[name=visitors]").fill("Lò Văn Minh")
    form.get_by_test_id("person-filter").fill("muc su thao")
    person = form.locator("select[name=person]")
    expect(person.locator("option", has_text="Mục sư Thào A Lử")).to_have_count(1)
    person.select_option(label=f"Mục sư Thào A Lử — {commune.bac_ha_village.name}")
    form.locator("input[name=gift]").fill("Lẵng hoa")
    form.locator("input[name=gift_value]").fill("300000")
    with page.expect_navigation():
        form.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("visit")).to_contain_text("Mục sư Thào A Lử")
    expect(page.get_by_test_id("visit")).to_contain_text("300.000")
    assert Visit.objects.get().persons.get().full_name == "Mục sư Thào A Lử"

    page.goto(f"{live_server.url}/outreach/hot-spots/")
    page.locator("summary", has_text="Báo cáo điểm nóng").click()
    spot = page.get_by_test_id("hot-spot-form")
    spot.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    spot.locator("select[name=place]").select_option(label=commune.bac_ha_village.name)
    spot.locator("input[name=title]").fill("Tranh chấp nguồn nước tưới")
    spot.locator("textarea[name=description]").fill("Hai nhóm hộ tranh chấp nguồn nước")
    spot.locator("select[name=risk]").select_option(value="high")
    with page.expect_navigation():
        spot.get_by_role("button", name="Báo cáo").click()
    page.locator("summary", has_text="Ghi biện pháp đã thực hiện").click()
    action = page.get_by_test_id("action-form")
    action.locator("textarea[name=action]").fill("Hòa giải thành, chia lịch lấy nước")
    action.locator("input[name=by]").fill("Tổ hòa giải thôn")
    action.locator("select[name=risk]").select_option(value="low")
    action.locator("input[name=resolved]").check()
    with page.expect_navigation():
        action.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("hot-spot-state")).to_contain_text("Đã giải quyết")
    expect(page.get_by_test_id("actions")).to_contain_text("chia lịch lấy nước")
    assert HotSpot.objects.get().state == "resolved"
