"""The province follows its communes' congresses in a real browser: the overview shows a late
congress, a drill-down to the commune, the congress opened and a preparation step recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.congresses import services
from doanket.congresses.models import StepKind
from tests.browser.conftest import PASSWORD, Commune, log_in
from tests.browser.test_accessibility import AXE, Audit

pytestmark = pytest.mark.browser


def test_the_province_opens_a_late_congress_and_records_a_step(page: Page, live_server: Any, commune: Commune) -> None:
    today = timezone.localdate()

    def plan(unit: Any, days: int) -> Any:
        return services.plan_congress(
            None,
            unit,
            name=f"Đại hội đại biểu MTTQ Việt Nam {unit.name.removeprefix('Ủy ban MTTQ ')} lần thứ I",
            term_name="2026–2031",
            term_start=today + dt.timedelta(days=days),
            term_end=today + dt.timedelta(days=days + 5 * 365),
            planned_on=today + dt.timedelta(days=days),
        )

    late = plan(commune.bac_ha, -3)
    plan(commune.sa_pa, 30)
    officer = User(username="canbo_tinh", full_name="Nguyễn Thị Hoà")
    officer.set_password(PASSWORD)
    officer.save()
    grant_role(None, officer, commune.province, Role.OFFICER)

    page.context.add_init_script(path=AXE)
    audit = Audit(live_server.url)  # axe-core on each page: no serious or critical violation
    log_in(page, live_server.url, officer.username)
    audit.check(page, "/congresses/new")
    audit.check(page, "/congresses/")
    expect(page.get_by_test_id("total-late")).to_have_text("1")
    expect(page.get_by_test_id("branch")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_test_id("branches").get_by_role("link", name=commune.bac_ha.name).click()
    row = page.get_by_test_id("congress-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("state")).to_have_text("Trễ hạn")
    with page.expect_navigation():
        row.get_by_role("link", name=late.name).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(late.name)
    audit.check(page, "", label="the congress")
    consultation = page.get_by_test_id("step-row").filter(has_text="Hiệp thương nhân sự")
    done = today - dt.timedelta(days=2)
    consultation.locator("input[name=done_on]").fill(done.isoformat())
    consultation.locator("input[name=note]").fill("Đã hiệp thương với các tổ chức thành viên")
    with page.expect_navigation():
        consultation.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.msg").first).to_contain_text("Đã ghi bước chuẩn bị")
    expect(consultation.get_by_test_id("step-done")).to_have_text(done.strftime("%d/%m/%Y"))
    step = late.steps.get(kind=StepKind.CONSULTATION)
    assert step.done_on == done and step.note == "Đã hiệp thương với các tổ chức thành viên"
    audit.check(page, f"/congresses/{late.pk}/review?kind=mid")
    assert not audit.blocking, "serious or critical accessibility violations:\n" + "\n".join(audit.blocking)
