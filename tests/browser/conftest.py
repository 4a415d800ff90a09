"""Headless Chromium (Debian's, /usr/bin/chromium) driven by Playwright against ``live_server``.

Run with ``make test-browser``; ``make test`` leaves these out (``-m "not browser"``). Playwright
never downloads a browser here: the system Chromium is launched by its path.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.organizations.services import create_unit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "mật-khẩu-thử-nghiệm-42"
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the session, each test gets its own context (fresh cookies and storage).

    Playwright's sync API runs an asyncio event loop in the main thread (in a greenlet) for as long
    as it is started. Django sees that running loop and raises SynchronousOnlyOperation for every
    ORM call made from the main thread: the test's own data setup and pytest-django's database
    flushes. Nothing here is actually async (the server runs in its own thread, the test thread
    only blocks on Playwright), so DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as that
    loop exists, and restored after, so other tests keep Django's guard.
    """
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _context(browser: Browser, viewport: ViewportSize) -> Iterator[BrowserContext]:
    # A Vietnamese browser, as the officers' are: LocaleMiddleware honours Accept-Language, so
    # Chromium's default en-US would open the site in English before any language switch.
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    context.set_default_timeout(10_000)
    # Every page of every browser test runs under the Content Security Policy: a script, style or
    # handler it refused is a defect of the page, and fails the test.
    refused: list[str] = []
    context.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield context
    finally:
        context.close()
    assert not refused, f"the Content Security Policy refused: {refused}"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    yield from _context(browser, DESKTOP)


@pytest.fixture
def phone_context(browser: Browser) -> Iterator[BrowserContext]:
    yield from _context(browser, PHONE)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone_page(phone_context: BrowserContext) -> Page:
    return phone_context.new_page()


@dataclass
class Commune:
    """Lào Cai with two communes; Bắc Hà has a village; the officer works at Bắc Hà."""

    province: Unit
    bac_ha: Unit
    bac_ha_village: Unit
    sa_pa: Unit
    officer: User


@pytest.fixture
def commune(live_server: Any) -> Commune:
    """Made with the app's own services, in the live server's (transactional) database."""
    province = create_unit(None, name="Ủy ban MTTQ tỉnh Lào Cai", level=Level.PROVINCE, kind=UnitKind.COMMITTEE)
    bac_ha = create_unit(
        None, parent=province, name="Ủy ban MTTQ xã Bắc Hà", level=Level.COMMUNE, kind=UnitKind.COMMITTEE
    )
    sa_pa = create_unit(
        None, parent=province, name="Ủy ban MTTQ xã Sa Pa", level=Level.COMMUNE, kind=UnitKind.COMMITTEE
    )
    village = create_unit(
        None,
        parent=bac_ha,
        name="Ban công tác Mặt trận thôn Na Hối",
        level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_BOARD,
    )
    officer = User(username="canbo_bacha", full_name="Lò Văn Minh")
    officer.set_password(PASSWORD)
    officer.save()
    grant_role(None, officer, bac_ha, Role.OFFICER)
    return Commune(province=province, bac_ha=bac_ha, bac_ha_village=village, sa_pa=sa_pa, officer=officer)


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Through the real login form (django-axes needs the request, so no force_login here)."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        page.click("form:has(input[name='password']) button[type='submit']")
