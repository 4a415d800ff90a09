"""The shell as a commune officer sees it: log in, switch language, open the own unit, be refused another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, Commune, log_in

pytestmark = pytest.mark.browser


def html_lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def test_commune_officer_walks_through_the_shell(page: Page, live_server: Any, commune: Commune) -> None:
    base = live_server.url

    # Logging in through the form lands on the home page, in Vietnamese.
    log_in(page, base, commune.officer.username)
    assert page.url == f"{base}/"
    assert html_lang(page) == "vi"
    switch = page.get_by_test_id("switch-language")
    expect(switch).to_have_text("English")

    # Switching to English and back, on the same page.
    with page.expect_navigation():
        switch.click()
    assert page.url == f"{base}/"
    assert html_lang(page) == "en"
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_test_id("switch-language")).to_have_text("Tiếng Việt")
    with page.expect_navigation():
        page.get_by_test_id("switch-language").click()
    assert html_lang(page) == "vi"
    expect(page.get_by_test_id("switch-language")).to_have_text("English")

    # The home page lists the officer's unit (and only it); its link opens the unit with its village.
    main = page.locator("main")
    expect(main.get_by_role("link", name=commune.bac_ha.name)).to_be_visible()
    expect(main).not_to_contain_text("Sa Pa")
    with page.expect_navigation():
        main.get_by_role("link", name=commune.bac_ha.name).click()
    assert page.url == f"{base}/units/{commune.bac_ha.pk}/"
    expect(page.locator("h1")).to_have_text(commune.bac_ha.name)
    expect(main.get_by_role("link", name=commune.bac_ha_village.name)).to_be_visible()

    # The units list shows the officer's commune and village, not the other commune.
    page.goto(f"{base}/units/")
    expect(main.get_by_role("link", name=commune.bac_ha.name)).to_be_visible()
    expect(main.get_by_role("link", name=commune.bac_ha_village.name)).to_be_visible()
    expect(main).not_to_contain_text("Sa Pa")

    # Another commune's unit by its URL: a 404 page that does not tell the unit's name.
    response = page.goto(f"{base}/units/{commune.sa_pa.pk}/")
    assert response is not None
    assert response.status == 404
    assert html_lang(page) == "vi"
    body = page.locator("body").inner_text()
    assert "Sa Pa" not in body
    assert "Sa Pa" not in page.title()
    assert "Sa Pa" not in page.content()


def test_wrong_password_stays_on_the_login_form(page: Page, live_server: Any, commune: Commune) -> None:
    log_in(page, live_server.url, commune.officer.username, password="not the password at all")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.locator("input[name='password']")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(commune.bac_ha.name)


STYLESHEET_APPLIED = """() => [...document.styleSheets].some(
    (s) => s.href && s.href.includes("/static/css/") && s.cssRules.length > 0
)"""


def test_pages_load_their_stylesheet_and_htmx(page: Page, live_server: Any, commune: Commune) -> None:
    failed: list[str] = []
    page.on(
        "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and "/static/" in r.url else None
    )
    log_in(page, live_server.url, commune.officer.username)
    for path in ["/", "/units/", f"/units/{commune.bac_ha.pk}/", f"/units/{commune.sa_pa.pk}/"]:
        page.goto(f"{live_server.url}{path}", wait_until="load")
        assert page.evaluate(STYLESHEET_APPLIED), f"{path}: the stylesheet did not load"
        assert page.evaluate("typeof window.htmx") == "object", f"{path}: htmx did not load"
    assert failed == []


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_units_list_fits_a_phone(phone_page: Page, live_server: Any, commune: Commune, tmp_path: Path) -> None:
    log_in(phone_page, live_server.url, commune.officer.username)
    phone_page.goto(f"{live_server.url}/units/")
    expect(phone_page.locator("h1")).to_be_visible()
    expect(phone_page.locator("main").get_by_role("link", name=commune.bac_ha.name)).to_be_visible()
    phone_page.screenshot(path=str(tmp_path / "units-360.png"), full_page=True)
    assert page_width(phone_page) <= PHONE["width"] + 1


def test_unit_page_on_a_phone(phone_page: Page, live_server: Any, commune: Commune, tmp_path: Path) -> None:
    """No sideways scrolling on the unit page either; the screenshot is kept in tmp_path to look at."""
    log_in(phone_page, live_server.url, commune.officer.username)
    phone_page.goto(f"{live_server.url}/units/{commune.bac_ha.pk}/")
    expect(phone_page.locator("h1")).to_have_text(commune.bac_ha.name)
    shot = tmp_path / "unit-360.png"
    phone_page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    print(f"screenshot: {shot}")
    assert page_width(phone_page) <= PHONE["width"] + 1
