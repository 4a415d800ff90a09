"""Allocations and disbursements: never more than the fund holds, each with its decision and
evidence, published in the same verifiable log without a household's name."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import translation

from conftest import People, World
from doanket.core.models import AuditEntry
from doanket.funds import houses, ledger, spending
from doanket.funds.models import (
    Allocation,
    Campaign,
    CampaignKind,
    Disbursement,
    EntryKind,
    Evidence,
    Household,
    LedgerEntry,
    PaymentMethod,
    PovertyStatus,
    RecipientKind,
)
from doanket.funds.services import FundError
from doanket.funds.tests.test_ledger import _sql, _verify

DECIDED = dt.date(2024, 9, 10)
HELD = 34_200_000  # what the ``published`` campaign received


@pytest.fixture
def household(world: World, users: People) -> Household:
    return houses.register_household(
        users.province_officer,
        world.bac_ha_village,
        head_name="Giàng Seo Páo",
        status=PovertyStatus.POOR,
        classified_year=2024,
        members=6,
        id_number="010203004005",
        address="thôn Na Hối",
    )


def _allocate(campaign: Campaign, user: Any, **fields: Any) -> Allocation:
    values: dict[str, Any] = {
        "recipient_kind": RecipientKind.PROJECT,
        "project": "Sửa trường tiểu học Bản Phố",
        "amount": 10_000_000,
        "purpose": "Lợp lại mái trường sau bão",
        "decision_number": "15/QĐ-MTTQ",
        "decision_date": DECIDED,
        "decision_signer": "Nguyễn Văn Thắng",
    }
    values.update(fields)
    return spending.allocate(user, campaign, **values)


def _pay(allocation: Allocation, user: Any, **fields: Any) -> Disbursement:
    values: dict[str, Any] = {
        "paid_on": DECIDED + dt.timedelta(days=2),
        "amount": 4_000_000,
        "method": PaymentMethod.CASH,
        "voucher": "PC-001",
        "received_by": "Lò Văn Minh",
    }
    values.update(fields)
    return spending.disburse(user, allocation, **values)


def test_nothing_is_allocated_that_the_fund_does_not_hold(published: Campaign, users: People) -> None:
    officer = users.province_officer
    assert spending.balance(published).available == HELD
    _allocate(published, officer, amount=30_000_000)
    assert spending.balance(published).available == 4_200_000
    with translation.override("en"), pytest.raises(FundError, match=r"holds 4\.200\.000 đồng not yet allocated"):
        _allocate(published, officer, amount=4_200_001, decision_number="16/QĐ-MTTQ")
    assert Allocation.objects.count() == 1  # nothing half-saved
    _allocate(published, officer, amount=4_200_000, decision_number="16/QĐ-MTTQ")
    assert spending.balance(published).available == 0
    assert AuditEntry.objects.filter(model="funds.allocation", action="create").count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"decision_number": ""}, "nothing is allocated without a decision"),
        ({"decision_signer": " "}, "nothing is allocated without a decision"),
        ({"purpose": ""}, "what the money is for"),
        ({"amount": 0}, "above zero"),
        ({"amount": -5}, "above zero"),
        ({"amount": 1.5}, "above zero"),
        ({"project": ""}, "Name the project"),
        ({"recipient_kind": RecipientKind.HOUSEHOLD}, "Choose a household"),
        ({"recipient_kind": RecipientKind.UNIT}, "campaign of the unit that receives"),
        ({"recipient_kind": "friend"}, "who receives the money"),
    ],
)
def test_a_bad_allocation_is_refused_with_its_reason(
    published: Campaign, users: People, fields: dict[str, Any], message: str
) -> None:
    with translation.override("en"), pytest.raises(FundError, match=message):
        _allocate(published, users.province_officer, **fields)
    assert not Allocation.objects.exists()


def test_money_goes_down_to_a_lower_unit_s_campaign_and_counts_there(
    published: Campaign, users: People, world: World
) -> None:
    lower = Campaign.objects.create(
        unit=world.bac_ha, kind=CampaignKind.RELIEF, name="Cứu trợ xã Bắc Hà", starts_on=dt.date(2024, 9, 1)
    )
    elsewhere = Campaign.objects.create(
        unit=world.lang_son, kind=CampaignKind.RELIEF, name="Cứu trợ Lạng Sơn", starts_on=dt.date(2024, 9, 1)
    )
    officer = users.province_officer
    with translation.override("en"), pytest.raises(FundError, match="unit below"):
        _allocate(published, officer, recipient_kind=RecipientKind.UNIT, to_campaign=elsewhere)
    down = _allocate(published, officer, recipient_kind=RecipientKind.UNIT, to_campaign=lower, amount=20_000_000)
    assert spending.balance(lower).held == 0  # allocated, not paid yet
    _pay(down, officer, amount=20_000_000, method=PaymentMethod.TRANSFER, voucher="UNC-01")
    assert spending.balance(lower).incoming == 20_000_000
    assert spending.balance(lower).available == 20_000_000
    assert spending.balance(published).cash == HELD - 20_000_000
    # The commune can send back up only to the campaign it forwards to.
    with translation.override("en"), pytest.raises(FundError, match="unit below"):
        _allocate(lower, users.commune_officer, recipient_kind=RecipientKind.UNIT, to_campaign=published)
    Campaign.objects.filter(pk=lower.pk).update(forwards_to=published)
    lower.refresh_from_db()
    up = _allocate(
        lower, users.commune_officer, recipient_kind=RecipientKind.UNIT, to_campaign=published, amount=1_000_000
    )
    assert up.to_campaign == published


def test_a_household_of_another_province_cannot_receive(published: Campaign, users: People, world: World) -> None:
    stranger = Household.objects.create(
        unit=world.lang_son, head_name="Hoàng Văn A", status=PovertyStatus.POOR, classified_year=2024
    )
    with translation.override("en"), pytest.raises(FundError, match="Choose a household"):
        _allocate(published, users.province_officer, recipient_kind=RecipientKind.HOUSEHOLD, household=stranger)


def test_nothing_is_paid_beyond_the_allocation_nor_twice_on_one_voucher(published: Campaign, users: People) -> None:
    officer = users.province_officer
    allocation = _allocate(published, officer)
    _pay(allocation, officer)
    assert spending.remaining(allocation) == 6_000_000
    with translation.override("en"):
        with pytest.raises(FundError, match=r"Only 6\.000\.000 đồng of this allocation are left"):
            _pay(allocation, officer, amount=6_000_001, voucher="PC-002")
        with pytest.raises(FundError, match="already recorded"):
            _pay(allocation, officer, amount=1)
        with pytest.raises(FundError, match="after the decision"):
            _pay(allocation, officer, voucher="PC-003", paid_on=DECIDED - dt.timedelta(days=1))
        with pytest.raises(FundError, match="voucher"):
            _pay(allocation, officer, voucher=" ")
    assert Disbursement.objects.count() == 1
    _pay(allocation, officer, amount=6_000_000, voucher="PC-002")
    assert spending.remaining(allocation) == 0
    assert spending.balance(published).disbursed == 10_000_000


def test_a_transfer_is_matched_to_the_statement_debit_that_shows_it(published: Campaign, users: People) -> None:
    officer = users.province_officer
    fee = published.accounts.get().statements.get().lines.get(debit__gt=0)
    allocation = _allocate(published, officer)
    before = spending.spending_match(published)
    assert [line.pk for line in before.debits_without_payment] == [fee.pk]
    assert [(a.pk, left) for a, left in before.open_allocations] == [(allocation.pk, 10_000_000)]
    with translation.override("en"), pytest.raises(FundError, match="shows 22000"):
        _pay(allocation, officer, method=PaymentMethod.TRANSFER, voucher="UNC-1", line=fee)
    unmatched = _pay(allocation, officer, method=PaymentMethod.TRANSFER, voucher="UNC-2")
    _pay(allocation, officer, amount=22_000, method=PaymentMethod.TRANSFER, voucher="UNC-3", line=fee)
    after = spending.spending_match(published)
    assert after.debits_without_payment == []
    assert [d.pk for d in after.transfers_without_line] == [unmatched.pk]
    assert [left for _a, left in after.open_allocations] == [10_000_000 - 4_022_000]


def test_evidence_is_a_pdf_or_a_photo_and_nothing_else(published: Campaign, users: People) -> None:
    allocation = _allocate(published, users.province_officer)
    decision = SimpleUploadedFile("quyết định 15.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    kept = spending.add_evidence(users.province_officer, allocation, decision)
    assert (kept.allocation, kept.content_type, kept.name) == (allocation, "application/pdf", "quyết định 15.pdf")
    with kept.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    with translation.override("en"), pytest.raises(FundError, match="is not a photo"):
        spending.add_evidence(users.province_officer, allocation, fake)
    assert Evidence.objects.count() == 1
    assert AuditEntry.objects.filter(model="funds.evidence").count() == 1


def test_spending_is_published_in_the_log_without_the_household_s_name(
    published: Campaign, users: People, household: Household
) -> None:
    officer = users.province_officer
    to_household = _allocate(
        published,
        officer,
        recipient_kind=RecipientKind.HOUSEHOLD,
        household=household,
        amount=3_000_000,
        purpose="Hỗ trợ hộ bị sập nhà, liên hệ 0912 345 678",
    )
    school = _allocate(published, officer, decision_number="16/QĐ-MTTQ")
    _pay(to_household, officer, amount=3_000_000)
    _pay(school, officer, amount=2_500_000, voucher="PC-002")
    size = LedgerEntry.objects.count()
    assert ledger.publish_spending(officer, published) == 4
    assert ledger.publish_spending(officer, published) == 0
    entries = list(LedgerEntry.objects.filter(index__gte=size).order_by("index"))
    assert [e.kind for e in entries] == [EntryKind.ALLOCATION] * 2 + [EntryKind.DISBURSEMENT] * 2
    first = json.loads(entries[0].data)
    assert first["to"] == "Một hộ gia đình ở Ban công tác Mặt trận thôn Na Hối"
    assert (first["ref"], first["signer"], first["amount"]) == ("15/QĐ-MTTQ", "Nguyễn Văn Thắng", 3_000_000)
    assert "0912 345 678" not in entries[0].data
    for entry in entries:
        assert "Giàng Seo Páo" not in entry.data and "010203004005" not in entry.data
        assert "Lò Văn Minh" not in entry.data  # who signed for the money stays with the staff
    payment = json.loads(entries[2].data)
    assert (payment["allocation"], payment["ref"], payment["via"]) == (entries[0].index, "PC-001", "cash")
    totals = ledger.totals(published)
    assert (totals.received, totals.allocated, totals.disbursed) == (HELD, 13_000_000, 5_500_000)
    view = ledger.spending(published)
    assert [(a["fields"]["ref"], a["paid"], len(a["payments"])) for a in view.allocations] == [
        ("15/QĐ-MTTQ", 3_000_000, 1),
        ("16/QĐ-MTTQ", 2_500_000, 1),
    ]
    # Donations searched on the public page are donations only.
    assert not ledger.search(published, words="truong").exists()
    assert _verify() == []
    checkpoint = ledger.latest_checkpoint()
    assert checkpoint is not None and checkpoint.size == LedgerEntry.objects.count()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("UPDATE funds_allocation SET amount = 1", "was changed after it was published"),
        ("UPDATE funds_allocation SET decision_signer = 'Ai đó'", "was changed after it was published"),
        ("UPDATE funds_disbursement SET amount = 2", "was changed after it was published"),
        ("UPDATE funds_campaign SET published_disbursed = 0", "published totals are not what its entries add up to"),
    ],
)
def test_changing_published_spending_makes_the_verification_fail(
    published: Campaign, users: People, change: str, problem: str
) -> None:
    allocation = _allocate(published, users.province_officer)
    _pay(allocation, users.province_officer)
    ledger.publish_spending(users.province_officer, published)
    assert _verify() == []
    _sql(change)
    found = _verify()
    assert any(problem in p for p in found), found


def test_a_unit_renamed_after_publishing_is_no_tampering(
    published: Campaign, users: People, household: Household, world: World
) -> None:
    _allocate(published, users.province_officer, recipient_kind=RecipientKind.HOUSEHOLD, household=household)
    ledger.publish_spending(users.province_officer, published)
    world.bac_ha_village.name = "Ban công tác Mặt trận thôn Na Hối 1"
    world.bac_ha_village.save()
    assert _verify() == []


def test_an_officer_out_of_scope_cannot_allocate(published: Campaign, users: People) -> None:
    from django.core.exceptions import PermissionDenied

    for outsider in (users.commune_officer, users.viewer, users.leader):
        with pytest.raises(PermissionDenied):
            _allocate(published, outsider)
    assert not Allocation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_officers_paying_the_same_money_at_once_pay_it_once(
    published: Campaign, users: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions); the race is PostgreSQL's")
    allocation = _allocate(published, users.province_officer)
    slow = spending.remaining

    def remaining_slowly(allocation: Allocation) -> int:
        left = slow(allocation)
        threading.Event().wait(0.3)  # both officers have read what is left before either pays
        return left

    monkeypatch.setattr(spending, "remaining", remaining_slowly)
    outcomes: list[str] = []

    def pay(voucher: str) -> None:
        try:
            _pay(allocation, users.province_officer, amount=10_000_000, voucher=voucher)
            outcomes.append("paid")
        except FundError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(f"PC-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert spending.balance(published).disbursed == 10_000_000
