"""A donor on a phone finds their transfer on the campaign's public page and checks it in the
browser against the committee's signed checkpoint (WebCrypto SHA-256 and Ed25519, proof.js); an
entry changed in the database behind the page fails the same check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches
from playwright.sync_api import FilePayload, Page, expect

from doanket.funds import keys, ledger, services
from doanket.funds.models import Campaign, CampaignKind, DonorKind, LedgerEntry, ReceiptKind
from doanket.funds.tests.test_statements import ACCOUNT, csv_statement
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser


def test_a_donor_finds_and_verifies_their_transfer(phone_page: Page, live_server: Any, commune: Commune) -> None:
    keys.ensure()
    campaign = Campaign.objects.create(
        unit=commune.province,
        kind=CampaignKind.RELIEF,
        name="Ủng hộ đồng bào bị bão số 3",
        starts_on=dt.date(2024, 9, 1),
    )
    donors = ["Nguyễn Văn An", "Trần Thị Bình", "Công ty TNHH Hoà Bình", "Lê Văn Cường", "Phạm Thị Dung"]
    for n, name in enumerate(donors):
        services.record_receipt(
            None,
            campaign,
            kind=ReceiptKind.CASH,
            received_on=dt.date(2024, 9, 2 + n),
            amount=(n + 1) * 100_000,
            donor_kind=DonorKind.PERSON,
            donor_name=name,
            receipt_number=f"PT-{n}",
            description="ủng hộ đồng bào vùng lũ",
        )
    assert ledger.publish_receipts(None, campaign) == 5
    page = phone_page
    page.goto(f"{live_server.url}/portal/funds/{campaign.pk}/")
    page.fill("#q", "cong ty hoa binh")
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm kiếm").click()
    rows = page.get_by_test_id("entries").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Công ty TNHH Hoà Bình")
    rows.first.get_by_role("button", name="Kiểm tra").click()
    result = rows.first.locator("[data-result]")
    expect(result).to_have_attribute("data-verified", "true")
    expect(result).to_contain_text("5 khoản")  # the size of the signed log
    expect(result).to_contain_text("300.000")  # read from the verified entry itself

    # Someone with the database changes the amount behind the page: the check now fails.
    entry = LedgerEntry.objects.get(donor="Công ty TNHH Hoà Bình")
    forged = entry.data.replace('"amount":300000', '"amount":30000')
    LedgerEntry.objects.filter(pk=entry.pk).update(data=forged, amount=30_000)
    caches["pages"].clear()  # the page is cached for a minute; the forger would wait
    page.reload()
    row = page.get_by_test_id("entries").locator("tbody tr").first
    expect(row).to_contain_text("30.000")
    row.get_by_role("button", name="Kiểm tra").click()
    expect(row.locator("[data-result]")).to_have_attribute("data-verified", "false")
    expect(row.locator("[data-result]")).to_contain_text("✗")


def test_a_campaign_runs_end_to_end_and_a_citizen_checks_its_donation_and_spending(
    page: Page, phone_page: Page, live_server: Any, commune: Commune
) -> None:
    """create → import a statement → reconcile → allocate → pay → publish, all through the pages;
    then a citizen finds the donation and the payment and checks both against the signed log."""
    keys.ensure()
    base = live_server.url
    log_in(page, base, commune.officer.username)
    page.goto(f"{base}/funds/new")
    page.select_option("select[name=unit]", label=commune.bac_ha.name)
    page.select_option("select[name=kind]", value=CampaignKind.RELIEF)
    page.fill("input[name=name]", "Cứu trợ lũ quét xã Bắc Hà")
    page.fill("input[name=starts_on]", "2024-09-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    page.locator("summary", has_text="Thêm tài khoản").click()
    page.fill("input[name=bank]", "Vietcombank")
    page.fill("input[name=number]", ACCOUNT)
    page.fill("input[name=holder]", "UBMTTQ xã Bắc Hà")
    with page.expect_navigation():
        page.get_by_role("button", name="Thêm").click()
    with page.expect_navigation():
        page.get_by_test_id("import-statement").click()
    page.select_option("select[name=account]", index=1)
    page.set_input_files(
        "input[name=file]", files=FilePayload(name="sao-ke.csv", mimeType="text/csv", buffer=csv_statement())
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập").click()
    expect(page.locator("body")).to_contain_text("5 dòng")
    with page.expect_navigation():
        page.get_by_test_id("receive-transfers").click()
    expect(page.get_by_test_id("unmatched-lines")).to_contain_text("0")

    campaign = Campaign.objects.get(name="Cứu trợ lũ quét xã Bắc Hà")
    page.goto(f"{base}/funds/{campaign.pk}/allocations/")
    expect(page.get_by_test_id("available")).to_contain_text("2.200.000")
    page.locator("summary", has_text="Phân bổ theo quyết định").click()
    form = page.get_by_test_id("allocate")
    form.locator("select[name=recipient_kind]").select_option(value="project")
    form.locator("input[name=project]").fill("Sửa lớp học thôn Na Hối")
    form.locator("input[name=amount]").fill("2500000")
    form.locator("textarea[name=purpose]").fill("Lợp lại mái lớp học")
    form.locator("input[name=decision_number]").fill("12/QĐ-MTTQ")
    form.locator("input[name=decision_date]").fill("2024-09-05")
    form.locator("input[name=decision_signer]").fill("Nguyễn Văn Thắng")
    with page.expect_navigation():
        form.get_by_role("button", name="Phân bổ").click()
    expect(page.locator(".errorlist")).to_contain_text("Quỹ chỉ còn 2.200.000 đồng chưa phân bổ")
    form = page.get_by_test_id("allocate")
    form.locator("input[name=amount]").fill("1500000")
    with page.expect_navigation():
        form.get_by_role("button", name="Phân bổ").click()
    page.locator("summary", has_text="Ghi khoản chi").click()
    pay = page.get_by_test_id("pay")
    pay.locator("input[name=paid_on]").fill("2024-09-06")
    pay.locator("input[name=amount]").fill("1500000")
    pay.locator("select[name=method]").select_option(value="cash")
    pay.locator("input[name=voucher]").fill("PC-01")
    with page.expect_navigation():
        pay.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("left")).to_contain_text("0")
    page.goto(f"{base}/funds/{campaign.pk}/allocations/")
    with page.expect_navigation():
        page.get_by_test_id("publishing").get_by_role("button", name="Công khai").click()
    expect(page.get_by_test_id("publishing")).to_contain_text("Mọi khoản đã được công khai")

    citizen = phone_page
    citizen.goto(f"{base}/portal/funds/{campaign.pk}/")
    citizen.fill("#q", "ba con vung lu")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Tìm kiếm").click()
    rows = citizen.get_by_test_id("entries").locator("tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name="Kiểm tra").click()
    expect(rows.first.locator("[data-result]")).to_have_attribute("data-verified", "true")
    expect(rows.first.locator("[data-result]")).to_contain_text("1.000.000")
    spent = citizen.get_by_test_id("spending").locator("tbody tr")
    expect(spent).to_have_count(2)  # the allocation and its payment
    expect(spent.first).to_contain_text("Sửa lớp học thôn Na Hối")
    spent.nth(1).get_by_role("button", name="Kiểm tra").click()
    expect(spent.nth(1).locator("[data-result]")).to_have_attribute("data-verified", "true")
    expect(spent.nth(1).locator("[data-result]")).to_contain_text("1.500.000")


def test_an_officer_finds_a_household_among_many_by_typing_part_of_its_name(
    page: Page, live_server: Any, commune: Commune
) -> None:
    """The allocation form lists fifty households; typing in the box above the list asks the
    server for the matching ones (HTMX), and the one found is allocated to."""
    from doanket.funds import houses
    from doanket.funds.models import Allocation, Household, PovertyStatus

    campaign = Campaign.objects.create(
        unit=commune.bac_ha, kind=CampaignKind.RELIEF, name="Hỗ trợ hộ nghèo xã Bắc Hà", starts_on=dt.date(2024, 9, 1)
    )
    services.record_receipt(
        None, campaign, kind=ReceiptKind.CASH, received_on=dt.date(2024, 9, 2), amount=5_000_000,
        donor_kind=DonorKind.ANONYMOUS, donor_name="", receipt_number="PT-1", description="",
    )  # fmt: skip
    for n in range(60):
        houses.register_household(
            None, commune.bac_ha_village, head_name=f"Hộ thử {n:02d}", status=PovertyStatus.POOR, classified_year=2025
        )
    wanted = houses.register_household(
        None, commune.bac_ha_village, head_name="Giàng Thị Mỷ", status=PovertyStatus.POOR, classified_year=2025
    )
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/funds/{campaign.pk}/allocations/")
    page.locator("summary", has_text="Phân bổ theo quyết định").click()
    form = page.get_by_test_id("allocate")
    form.locator("select[name=recipient_kind]").select_option(value="household")
    options = form.locator("select[name=household] option")
    expect(options).to_have_count(51)
    form.get_by_test_id("household-filter").fill("giang thi")  # typed without accents
    expect(options).to_have_count(2)  # the empty choice and the one found
    form.locator("select[name=household]").select_option(label="Giàng Thị Mỷ — Ban công tác Mặt trận thôn Na Hối")
    form.locator("input[name=amount]").fill("2000000")
    form.locator("textarea[name=purpose]").fill("Hỗ trợ sửa nhà sau lũ")
    form.locator("input[name=decision_number]").fill("20/QĐ-MTTQ")
    form.locator("input[name=decision_date]").fill("2024-09-05")
    form.locator("input[name=decision_signer]").fill("Nguyễn Văn Thắng")
    with page.expect_navigation():
        form.get_by_role("button", name="Phân bổ").click()
    assert Allocation.objects.get().household == Household.objects.get(pk=wanted.pk)
