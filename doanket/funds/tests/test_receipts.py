"""Donations received — cash, transfers, goods — and what is left to match against the statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, login
from doanket.core.models import AuditEntry
from doanket.funds import services
from doanket.funds.models import BankAccount, DonorKind, Receipt, ReceiptKind, StatementLine
from doanket.funds.services import FundError
from doanket.funds.tests.test_statements import account, csv_statement  # noqa: F401 - the fixture

DAY = dt.date(2024, 9, 2)


def test_the_credits_of_a_statement_become_donations_once_and_the_fee_never(
    account: BankAccount,  # noqa: F811 - the fixture
    users: People,
) -> None:
    statement = services.import_statement(users.province_officer, account, "s.csv", csv_statement()).statement
    before = services.reconciliation(account.campaign)
    assert (before.unmatched_lines, before.unmatched_lines_amount, before.credits) == (4, 2_200_000, 2_200_000)
    assert services.receive_transfers(users.province_officer, statement) == 4
    assert services.receive_transfers(users.province_officer, statement) == 0  # again: nothing more
    receipts = Receipt.objects.order_by("line__position")
    assert [r.amount for r in receipts] == [500_000, 500_000, 1_000_000, 200_000]
    assert all(r.kind == ReceiptKind.TRANSFER and r.line is not None for r in receipts)
    assert not Receipt.objects.filter(line__debit__gt=0).exists()  # the bank's fee is no donation
    assert AuditEntry.objects.filter(model="funds.receipt", action="create").count() == 4
    after = services.reconciliation(account.campaign)
    assert (after.unmatched_lines, after.receipts[ReceiptKind.TRANSFER]) == (0, 2_200_000)


def test_a_donation_is_refused_with_its_reason_and_nothing_is_half_recorded(
    account: BankAccount,  # noqa: F811 - the fixture
    users: People,
) -> None:
    campaign = account.campaign
    statement = services.import_statement(users.province_officer, account, "s.csv", csv_statement()).statement
    first, _second, _third, fee, _fifth = statement.lines.order_by("position")
    officer = users.province_officer

    def record(**fields: object) -> Receipt:
        values: dict[str, object] = {
            "kind": ReceiptKind.CASH,
            "received_on": DAY,
            "amount": 300_000,
            "donor_kind": DonorKind.PERSON,
            "donor_name": "Trần Thị Bình",
            "receipt_number": "PT-0001",
        }
        values.update(fields)
        return services.record_receipt(officer, campaign, **values)  # type: ignore[arg-type]

    cash = record()
    assert cash.search_key.startswith("tran thi binh")
    refusals: list[tuple[dict[str, object], str]] = [
        ({"receipt_number": ""}, "receipt"),  # cash without its receipt
        ({}, "PT-0001"),  # the same receipt number twice
        ({"amount": 0, "receipt_number": "PT-2"}, "above zero"),
        ({"amount": 10**16, "receipt_number": "PT-3"}, "above zero"),
        ({"donor_name": "", "receipt_number": "PT-4"}, "anonymous"),
        ({"kind": ReceiptKind.IN_KIND, "receipt_number": ""}, "goods"),
        ({"kind": ReceiptKind.TRANSFER, "receipt_number": "", "amount": 400_000, "line": first}, "500"),
        ({"kind": ReceiptKind.TRANSFER, "receipt_number": "", "amount": 22_000, "line": fee}, "credit"),
        ({"kind": ReceiptKind.CASH, "receipt_number": "PT-5", "line": first}, "transfer"),
    ]
    for fields, named in refusals:
        with translation.override("en"), pytest.raises(FundError) as refused:  # the reason, in English
            record(**fields)
        assert named in str(refused.value) or named.lower() in str(refused.value).lower(), (fields, refused.value)
    assert Receipt.objects.count() == 1
    matched = record(kind=ReceiptKind.TRANSFER, receipt_number="", amount=500_000, line=first)
    assert matched.line == first
    with pytest.raises(FundError):
        record(kind=ReceiptKind.TRANSFER, receipt_number="", amount=500_000, line=first)  # matched already
    anonymous = record(donor_kind=DonorKind.ANONYMOUS, donor_name="Ai đó", receipt_number="PT-6", show_donor=True)
    assert (anonymous.donor_name, anonymous.show_donor) == ("", False)
    goods = record(kind=ReceiptKind.IN_KIND, receipt_number="", goods="200 thùng mì tôm, theo giá hoá đơn")
    assert goods.amount == 300_000
    loose = record(kind=ReceiptKind.TRANSFER, receipt_number="", amount=123_000)
    balance = services.reconciliation(campaign)
    assert loose in balance.transfers_without_line and balance.unmatched_lines == 3
    assert StatementLine.objects.filter(receipt__isnull=False).count() == 1


def test_an_officer_records_a_cash_donation_and_a_viewer_cannot(
    client: Client,
    account: BankAccount,  # noqa: F811 - the fixture
    users: People,
) -> None:
    url = reverse("funds:receipts", args=[account.campaign.pk])
    data = {
        "kind": ReceiptKind.CASH,
        "received_on": "2024-09-03",
        "amount": "1500000",
        "donor_kind": DonorKind.ORGANISATION,
        "donor_name": "Công ty TNHH Thử",
        "show_donor": "on",
        "receipt_number": "PT-0099",
    }
    login(client, users.province_officer)
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "Công ty TNHH Thử" in page and "1.500.000" in page
    again = client.post(url, data)
    assert again.status_code == 400 and "PT-0099" in again.content.decode()
    login(client, users.viewer)
    assert client.get(url).status_code == 200
    assert client.post(url, {**data, "receipt_number": "PT-1000"}).status_code == 403
    assert Receipt.objects.count() == 1
