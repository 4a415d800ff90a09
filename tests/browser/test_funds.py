"""A donor on a phone finds their transfer on the campaign's public page and checks it in the
browser against the committee's signed checkpoint (WebCrypto SHA-256 and Ed25519, proof.js); an
entry changed in the database behind the page fails the same check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from doanket.funds import keys, ledger, services
from doanket.funds.models import Campaign, CampaignKind, DonorKind, LedgerEntry, ReceiptKind
from tests.browser.conftest import Commune

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
    cache.clear()  # the page is cached for a minute; the forger would wait
    page.reload()
    row = page.get_by_test_id("entries").locator("tbody tr").first
    expect(row).to_contain_text("30.000")
    row.get_by_role("button", name="Kiểm tra").click()
    expect(row.locator("[data-result]")).to_have_attribute("data-verified", "false")
    expect(row.locator("[data-result]")).to_contain_text("✗")
