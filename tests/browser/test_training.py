"""The province records a course, ticks two of a commune's staff found by typing a name without
accents, and sees that commune leave the list of the untrained, in a real browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.organizations.models import Person, Position, PositionKind, Term
from doanket.training.models import Course
from tests.browser.conftest import PASSWORD, Commune, log_in

pytestmark = pytest.mark.browser


def test_a_course_trains_a_communes_staff(page: Page, live_server: Any, commune: Commune) -> None:
    officer = User(username="canbo_tinh", full_name="Hoàng Thị Mai")
    officer.set_password(PASSWORD)
    officer.save()
    grant_role(None, officer, commune.province, Role.OFFICER)
    Term.objects.create(unit=commune.province, name="2024–2029", start_date=dt.date(2024, 10, 1))
    for name, unit, kind in [
        ("Lò Văn Minh", commune.bac_ha, PositionKind.CHAIR),
        ("Lò Thị Lan", commune.bac_ha, PositionKind.FULL_TIME_STAFF),
        ("Giàng Seo Phử", commune.sa_pa, PositionKind.CHAIR),
    ]:
        person = Person.objects.create(unit=unit, full_name=name)
        Position.objects.create(person=person, unit=unit, kind=kind)
    log_in(page, live_server.url, officer.username)

    page.goto(f"{live_server.url}/training/untrained/")
    bac_ha = page.get_by_test_id("commune").filter(has_text=commune.bac_ha.name)
    expect(bac_ha.get_by_test_id("staff-untrained")).to_have_text("2")

    page.get_by_test_id("courses-link").click()
    page.locator("summary", has_text="Ghi lớp bồi dưỡng").click()
    form = page.get_by_test_id("course-form")
    form.locator("select[name=unit]").select_option(label=commune.province.name)
    form.locator("input[name=topic]").fill("Bồi dưỡng nghiệp vụ công tác Mặt trận")
    form.locator("textarea[name=trainers]").fill("Nguyễn Thị Hoà")
    form.locator("input[name=start_date]").fill("2026-04-14")
    form.locator("input[name=end_date]").fill("2026-04-16")
    form.locator("input[name=place]").fill("Hội trường tỉnh")
    with page.expect_navigation():
        form.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.locator("h1")).to_have_text("Bồi dưỡng nghiệp vụ công tác Mặt trận")

    find = page.get_by_test_id("find-form")
    find.locator("input[name=q]").fill("lo van minh")
    with page.expect_navigation():
        find.get_by_role("button", name="Tìm").click()
    add = page.get_by_test_id("attendees-form")
    expect(add.locator("input[type=checkbox]")).to_have_count(1)
    add.get_by_label(f"Lò Văn Minh — {commune.bac_ha.name}").check()
    with page.expect_navigation():
        add.get_by_role("button", name="Thêm những người đã chọn").click()
    expect(page.get_by_test_id("attendee")).to_have_count(1)

    find.locator("input[name=q]").fill("lo thi")
    with page.expect_navigation():
        find.get_by_role("button", name="Tìm").click()
    add.get_by_label(f"Lò Thị Lan — {commune.bac_ha.name}").check()
    with page.expect_navigation():
        add.get_by_role("button", name="Thêm những người đã chọn").click()
    expect(page.get_by_test_id("attendee")).to_have_count(2)
    assert Course.objects.get().attendances.count() == 2

    page.get_by_test_id("untrained-link").click()
    bac_ha = page.get_by_test_id("commune").filter(has_text=commune.bac_ha.name)
    expect(bac_ha.get_by_test_id("staff-untrained")).to_have_text("0")
    sa_pa = page.get_by_test_id("commune").filter(has_text=commune.sa_pa.name)
    expect(sa_pa.get_by_test_id("staff-untrained")).to_have_text("1")
    sa_pa.get_by_role("link").click()
    people = page.get_by_test_id("untrained-person")
    expect(people).to_have_count(1)
    expect(people).to_contain_text("Giàng Seo Phử")
