"""Weak connections: the main pages stay usable on an emulated slow 3G line, and their forms work
with JavaScript switched off (what a page shows before its scripts arrive, or if they never do).

Chrome DevTools' "Slow 3G" preset, as Chromium's DevTools front end defines it
(``Slow3GConditions`` in front_end/core/sdk/NetworkManager.ts, the same numbers as Puppeteer's
``PredefinedNetworkConditions.Slow3G``): 500 kbit/s × 0.8 down and up (50,000 bytes/s) and a
latency of 400 ms × 5 = 2,000 ms per request (DevTools throttles per request, so the 400 ms round
trip of a real 3G line is multiplied to give the same page times). Set through the DevTools
protocol (``Network.emulateNetworkConditions``), so it holds for every request of the page,
HTMX's included.

Nothing here is timed: the test asserts that each step *works* within a generous minute. The times
themselves are measured by ``bench/slow3g.py`` and written in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import quarterly_schedule
from doanket.reporting import services
from doanket.reporting.models import Report, Status
from doanket.reporting.periods import parse
from tests.browser.conftest import PHONE, Commune, log_in

pytestmark = pytest.mark.browser

SLOW_3G = {"offline": False, "latency": 400 * 5, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
PATIENCE = 60_000  # ms: a generous bound for one step, not a measurement
TRACKING = re.compile(r"PA-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")
SECTIONS: list[dict[str, Any]] = [
    {
        "number": "I",
        "title": "Kết quả công tác",
        "indicators": [
            {"code": "moi", "label": "Nhà Đại đoàn kết xây mới", "type": "integer", "measure": "căn", "key": True},
            {"code": "tien", "label": "Tiền vận động", "type": "money", "measure": "đồng", "key": True},
        ],
    }
]


def _quarterly_report(commune: Commune) -> Report:
    """The province's quarterly form, its schedule and the second quarter's report of Bắc Hà."""
    schedule = quarterly_schedule(commune.province, "cong-tac", "Báo cáo công tác Mặt trận quý", SECTIONS)
    services.open_period(schedule, parse("2026-Q2"))
    return Report.objects.get(schedule=schedule, period="2026-Q2", unit=commune.bac_ha)


def _slow_3g(page: Page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions", SLOW_3G)


def _send_petition(page: Page, commune: Commune, *, script: bool = True) -> str:
    """Through the portal's form: the place, what, and the tracking code shown at the end. Without
    JavaScript, choosing the province lists its communes after one round trip (the form comes back
    with the communes of the province sent, the commune asked for), as HTMX does in place."""
    page.select_option("#id_province", label=commune.province.name)
    page.fill("#id_title", "Đèn đường thôn Na Hối hỏng")
    page.fill("#id_content", "Đèn đường hỏng cả tháng nay, đề nghị sửa.")
    if not script:
        with page.expect_navigation():
            page.get_by_test_id("submit").click()
        expect(page.locator(".field.has-error #id_commune")).to_be_visible()
    expect(page.locator("#id_commune option", has_text=commune.bac_ha.name)).to_have_count(1, timeout=PATIENCE)
    page.select_option("#id_commune", label=commune.bac_ha.name)
    page.check("#id_consent")  # the citizen agrees to the use of the data (Luật 91/2025/QH15)
    with page.expect_navigation():
        page.get_by_test_id("submit").click()
    code = page.get_by_test_id("tracking-code")
    expect(code).to_have_text(TRACKING, timeout=PATIENCE)
    return code.inner_text().strip()


def test_the_main_pages_work_on_slow_3g(phone_page: Page, live_server: Any, commune: Commune) -> None:
    base = live_server.url
    report = _quarterly_report(commune)
    page = phone_page
    page.context.set_default_timeout(PATIENCE)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    _slow_3g(page)

    # A citizen on a phone: the portal, then a petition sent through the form.
    page.goto(f"{base}/portal/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{base}/portal/petitions/new")
    _send_petition(page, commune)

    # The commune officer: the login form, the dashboard, the quarter's report saved as a draft.
    log_in(page, base, commune.officer.username)
    assert page.url == f"{base}/"
    page.goto(f"{base}/reports/dashboard/")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{base}/reports/{report.pk}/")
    page.fill("#id_v_moi", "3")
    page.fill("#id_v_tien", "1.250.000")
    with page.expect_navigation():
        page.get_by_test_id("save-draft").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu nháp.")
    report.refresh_from_db()
    assert report.status == Status.DRAFT and report.values == {"moi": 3, "tien": 1_250_000}

    # Everything came from the app's own server: no CDN, no font or script from elsewhere.
    assert hosts == {urlsplit(base).netloc}


def test_the_forms_work_without_javascript(browser: Browser, live_server: Any, commune: Commune) -> None:
    """The portal's petition, the login and a report: plain HTML forms, HTMX only adds to them."""
    base = live_server.url
    report = _quarterly_report(commune)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{base}/portal/petitions/new")
        _send_petition(page, commune, script=False)

        log_in(page, base, commune.officer.username)
        assert page.url == f"{base}/"
        page.goto(f"{base}/reports/{report.pk}/")
        page.fill("#id_v_moi", "mười")
        with page.expect_navigation():
            page.get_by_test_id("save-draft").click()
        expect(page.locator("#err-moi")).not_to_be_empty()  # checked by the server, shown by its field
        page.fill("#id_v_moi", "10")
        with page.expect_navigation():
            page.get_by_test_id("save-draft").click()
        expect(page.get_by_role("status")).to_contain_text("Đã lưu nháp.")
        report.refresh_from_db()
        assert report.values == {"moi": 10}
    finally:
        context.close()
