"""Accessibility: axe-core finds no serious or critical violation on the main pages of the demo, in
Chromium, on a desktop and on a phone, before and after an HTMX swap. Lesser findings (moderate,
minor) are printed, not failed.

axe-core is vendored for the tests only (tests/browser/vendor/, see its README) and never served by
the app. It is put into each page with ``add_init_script``: Playwright hands it to Chromium over the
DevTools protocol (Page.addScriptToEvaluateOnNewDocument), which the page's Content Security Policy
does not govern. ``add_script_tag`` would insert an inline <script> that the app's CSP ('self' only,
no inline script) rightly refuses, and ``bypass_csp`` would switch off the very policy the fixtures
check: the pages are audited as users get them, with the CSP on, and a refusal still fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from doanket.accounts.models import Role, RoleGrant, User
from doanket.demo.loader import DEMO_PASSWORD, LAO_CAI, load_demo
from doanket.emulation.models import Movement, Review
from doanket.funds.models import Campaign
from doanket.news.models import NewsItem
from doanket.organizations.models import Level, Person, Unit
from doanket.petitions.models import Petition
from doanket.programs.models import Item, Program
from doanket.reporting.models import Report, ReportForm, Schedule, Status
from doanket.supervision.models import Draft, Supervision, SupervisionPlan
from doanket.training.models import Course
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
# axe's default rules (WCAG 2.x A and AA, its best practices) and WCAG 2.2's target size (24 px, or
# room around it), which axe leaves off by default and which matters on the officers' phones.
RUN_AXE = """async () => (await axe.run(document, {
    resultTypes: ["violations"], rules: {"target-size": {enabled: true}},
})).violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
}))"""


class Audit:
    """Opens pages, runs axe in each, keeps the blocking violations for one assertion at the end."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.blocking: list[str] = []
        self.pages = 0

    def check(self, page: Page, path: str, label: str = "") -> None:
        if path:
            response = page.goto(f"{self.base}{path}")
            assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        where = f"{label or path} ({page.viewport_size and page.viewport_size['width']}px)"
        self.pages += 1
        for v in page.evaluate(RUN_AXE):
            line = f"{where}: {v['impact']} {v['id']} — {v['help']} — {v['nodes']}"
            print(line)
            if v["impact"] in BLOCKING:
                self.blocking.append(line)


def _totp_log_in(page: Page, base: str, username: str) -> None:
    """A unit administrator: the password, then the second factor from the demo's published key."""
    log_in(page, base, username, DEMO_PASSWORD)
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.fill("input[name='token']", f"{token:0{device.digits}d}")
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận").click()
    assert "/two-factor/" not in page.url


def _first(queryset: Any) -> int:
    found = queryset.order_by("pk").values_list("pk", flat=True).first()
    assert found is not None, f"the demo has a {queryset.model.__name__}"
    return int(found)


def test_the_main_pages_have_no_serious_accessibility_violation(page: Page, phone_page: Page, live_server: Any) -> None:
    load_demo()
    base = live_server.url
    for p in (page, phone_page):
        p.context.add_init_script(path=AXE)
    audit = Audit(base)

    province = Unit.objects.get(level=Level.PROVINCE, official_code=f"{LAO_CAI:02d}")
    commune = RoleGrant.objects.get(user__username="xa.laocai", role=Role.OFFICER).unit
    program = _first(Program.objects.filter(unit=province))
    schedule = _first(Schedule.objects.filter(unit=province))
    campaign = _first(Campaign.objects.all())
    movement = _first(Movement.objects.filter(unit=province))
    report = _first(
        Report.objects.filter(
            unit=commune, status__in=[Status.NOT_STARTED, Status.DRAFT], version__indicators__type="integer"
        )
    )

    # The citizens' portal and the login page, no one logged in.
    public = ["/portal/", "/portal/petitions/new", "/portal/petitions/track", "/portal/answers/"]
    public += [f"/portal/answers/{_first(Petition.objects.filter(published=True))}", "/portal/meetings/"]
    public += ["/portal/recognition/", "/portal/funds/", f"/portal/funds/{campaign}/", "/accounts/login/"]
    news = _first(NewsItem.objects.filter(state="published").exclude(photo=""))
    public += ["/portal/news/", f"/portal/news/{news}/", f"/portal/news/unit/{province.pk}/"]
    for path in public:
        audit.check(page, path)

    # The province officer: every module of the menu, its lists, a record of each, the forms.
    log_in(page, base, "tinh.laocai", DEMO_PASSWORD)
    officer = ["/", "/units/", f"/units/{province.pk}/", "/units/new/", "/people/", "/people/new/"]
    officer += [f"/people/{_first(Person.objects.filter(unit=province))}/"]
    officer += ["/programs/", f"/programs/{program}/", f"/programs/{program}/board/", "/programs/tasks/"]
    officer += [f"/programs/items/{_first(Item.objects.filter(program_id=program))}/", "/library/", "/calendar/"]
    officer += ["/reports/", "/reports/schedules/", f"/reports/schedules/{schedule}/"]
    officer += [f"/reports/schedules/{schedule}/rollup", "/reports/dashboard/"]
    officer += [f"/reports/forms/{_first(ReportForm.objects.filter(unit=province))}/"]
    officer += ["/petitions/", f"/petitions/{_first(Petition.objects.filter(unit__in=[province, commune]))}/"]
    officer += ["/petitions/new", "/petitions/meetings/", "/petitions/receptions/", "/petitions/syntheses/"]
    officer += ["/funds/", f"/funds/{campaign}/", f"/funds/{campaign}/receipts/", f"/funds/{campaign}/allocations/"]
    officer += ["/funds/households/", "/funds/houses/"]
    officer += ["/emulation/", f"/emulation/{movement}/", "/emulation/awards/", "/emulation/models/"]
    officer += [f"/emulation/reviews/{_first(Review.objects.filter(movement_id=movement))}/"]
    officer += ["/supervision/", f"/supervision/plans/{_first(SupervisionPlan.objects.filter(unit=province))}/"]
    officer += [f"/supervision/{_first(Supervision.objects.filter(plan__unit=province))}/"]
    officer += ["/supervision/recommendations/", "/supervision/boards/", "/supervision/criticism/"]
    officer += [f"/supervision/criticism/{_first(Draft.objects.filter(unit=province))}/"]
    officer += ["/outreach/visits/", "/outreach/people/", "/outreach/hot-spots/"]
    officer += ["/news/", "/news/new", f"/news/{news}/", "/news/diplomacy/"]
    officer += ["/training/", f"/training/{_first(Course.objects.filter(unit=province))}/", "/training/untrained/"]
    for path in officer:
        audit.check(page, path)

    # The commune officer's report entry form, then again after HTMX swapped in the check of a
    # figure typed wrong: the error shown is tied to its field.
    page.context.clear_cookies()
    log_in(page, base, "xa.laocai", DEMO_PASSWORD)
    audit.check(page, f"/reports/{report}/")
    field = page.locator("#report-form input[inputmode='numeric']").first
    code = str(field.get_attribute("id")).removeprefix("id_v_")
    field.fill("mười")
    expect(page.locator(f"#err-{code}")).to_contain_text("mười")
    assert f"err-{code}" in str(field.get_attribute("aria-describedby"))
    audit.check(page, "", label=f"/reports/{report}/ after the check swapped in")

    # The unit administrator's pages (second factor included).
    page.context.clear_cookies()
    _totp_log_in(page, base, "quantri.laocai")
    user = _first(User.objects.filter(username="xa.laocai"))
    for path in ["/accounts/users/", f"/accounts/users/{user}/", "/accounts/users/new/", "/accounts/audit/"]:
        audit.check(page, path)

    # A phone: the portal, the login, the commune officer's home, report form and dashboard.
    phone = ["/portal/", "/portal/petitions/new", f"/portal/funds/{campaign}/", f"/portal/news/{news}/"]
    for path in [*phone, "/accounts/login/"]:
        audit.check(phone_page, path)
    log_in(phone_page, base, "xa.laocai", DEMO_PASSWORD)
    for path in ["/", f"/reports/{report}/", "/reports/dashboard/", "/petitions/", "/funds/"]:
        audit.check(phone_page, path)

    print(f"axe-core ran on {audit.pages} pages")
    assert not audit.blocking, "serious or critical accessibility violations:\n" + "\n".join(audit.blocking)
