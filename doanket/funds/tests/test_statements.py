"""Importing bank statements into a campaign: whole or not at all, once per file, every line
traced to where it stood, checked against the statement's own totals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.funds import services
from doanket.funds.models import BankAccount, Campaign, CampaignKind, Statement, StatementLine
from doanket.funds.services import FundError

ACCOUNT = "0071001234567"
LINES = [
    # date, reference, debit, credit, memo
    ("01/09/2024", "5213.45946", "", "500.000", "MBVCB.6986253876.NGUYỄN VĂN AN chuyen tien ung ho dong bao bi bao lu"),
    ("01/09/2024", "5213.45946", "", "500.000", "MBVCB.6986253876.NGUYỄN VĂN AN chuyen tien ung ho dong bao bi bao lu"),
    ("02/09/2024", "5078.12001", "", "1.000.000", 'Ủng hộ "bà con" vùng lũ, Lào Cai\nchuyển khoản'),
    ("02/09/2024", "5078.12002", "22.000", "", "Phí dịch vụ SMS Banking"),
    ("03/09/2024", "5099.00001", "", "200.000", "<script>alert('x')</script> ung ho"),
]


def csv_statement(lines: list[tuple[str, str, str, str, str]] = LINES, closing: int | None = None) -> bytes:
    """A statement as a bank exports it to CSV: account details, the table, the totals."""
    credit = sum(int(cr.replace(".", "")) for _d, _r, _db, cr, _m in lines if cr)
    debit = sum(int(db.replace(".", "")) for _d, _r, db, _c, _m in lines if db)
    opening = 1_000_000
    closing = opening + credit - debit if closing is None else closing

    def amount(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = [
        quote("NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"),
        quote("SAO KÊ TÀI KHOẢN"),
        f"{quote('Số tài khoản:')},{quote(ACCOUNT)}",
        f"{quote('Tên tài khoản:')},{quote('UY BAN MTTQ TINH LAO CAI')}",
        quote("Từ ngày 01/09/2024 đến ngày 10/09/2024"),
        f"{quote('Số dư đầu kỳ:')},{quote(amount(opening))}",
        ",".join(quote(h) for h in ("STT", "Ngày giao dịch", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Nội dung")),
    ]
    for n, (date, ref, db, cr, memo) in enumerate(lines, start=1):
        rows.append(",".join([str(n), date, quote(ref), quote(db), quote(cr), '""', quote(memo)]))
    rows.append(",".join([quote("Tổng cộng"), "", "", quote(amount(debit)), quote(amount(credit)), "", ""]))
    rows.append(f"{quote('Số dư cuối kỳ:')},{quote(amount(closing))}")
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()


@pytest.fixture
def account(world: World) -> BankAccount:
    campaign = Campaign.objects.create(
        unit=world.lao_cai, kind=CampaignKind.RELIEF, name="Ủng hộ đồng bào bị bão lũ", starts_on=dt.date(2024, 9, 1)
    )
    return BankAccount.objects.create(campaign=campaign, bank="Vietcombank", number=ACCOUNT, holder="UBMTTQ tỉnh")


def test_a_statement_lands_whole_traced_line_by_line_and_only_once(account: BankAccount, users: People) -> None:
    done = services.import_statement(users.province_officer, account, "sao-ke-0109.csv", csv_statement())
    assert done.created
    statement = done.statement
    assert (statement.line_count, statement.total_credit, statement.total_debit) == (5, 2_200_000, 22_000)
    assert (statement.opening_balance, statement.closing_balance) == (1_000_000, 3_178_000)
    lines = list(statement.lines.order_by("position"))
    assert [line.position for line in lines] == [1, 2, 3, 4, 5]
    # Two donations with the same date, reference, amount and memo are two donations.
    assert lines[0].reference == lines[1].reference and lines[0].credit == lines[1].credit == 500_000
    assert lines[0].row + 1 == lines[1].row and lines[0].page is None  # where each stood in the file
    assert lines[3].debit == 22_000 and lines[3].credit == 0  # the bank's fee is not a donation
    assert "<script>" in lines[4].description  # kept as the sender wrote it; the page escapes it
    assert "nguyen van an" in lines[0].search_key
    assert AuditEntry.objects.filter(model="funds.statement", object_id=str(statement.pk)).count() == 1
    # The same file again adds nothing.
    again = services.import_statement(users.province_officer, account, "copy.csv", csv_statement())
    assert not again.created and again.statement == statement
    assert StatementLine.objects.count() == 5 and Statement.objects.count() == 1


def test_a_vietinbank_pdf_lands_with_its_offset_names_and_balances(world: World, users: People) -> None:
    pytest.importorskip("fpdf", reason="fpdf2 makes the test PDF")
    from doanket.demo import statements as generated

    made = generated.statement(60, seed=5)
    campaign = Campaign.objects.create(
        unit=world.lao_cai, kind=CampaignKind.RELIEF, name="Ủng hộ đồng bào bị bão lũ", starts_on=dt.date(2024, 9, 1)
    )
    account = BankAccount.objects.create(
        campaign=campaign, bank="VietinBank", number=generated.ACCOUNT_NUMBER, holder="UBMTTQ tỉnh"
    )
    data = generated.to_vietinbank_pdf(made)
    statement = services.import_statement(users.province_officer, account, "sao-ke-vietinbank.pdf", data).statement
    assert statement.layout == "vietinbank-pdf" and statement.line_count == 60
    assert (statement.opening_balance, statement.closing_balance) == (made.opening_balance, made.closing_balance)
    lines = list(statement.lines.order_by("position"))
    assert [line.counterparty for line in lines] == [entry.counterparty for entry in made.entries]
    assert [line.balance for line in lines] == [entry.balance for entry in made.entries]
    assert lines[0].page == 1 and lines[0].row == 1
    assert not services.import_statement(users.province_officer, account, "lai.pdf", data).created


def test_a_statement_that_does_not_add_up_is_refused_with_the_difference(account: BankAccount, users: People) -> None:
    with pytest.raises(FundError) as refused:
        services.import_statement(users.province_officer, account, "sai.csv", csv_statement(closing=3_000_000))
    message = str(refused.value)
    assert "sai.csv" in message and "178.000" in message
    assert not Statement.objects.exists() and not StatementLine.objects.exists()


def test_another_accounts_statement_or_another_communes_campaign_is_refused(
    account: BankAccount, users: People
) -> None:
    other = BankAccount.objects.create(campaign=account.campaign, bank="BIDV", number="12345678901", holder="UBMTTQ")
    with pytest.raises(FundError) as refused:
        services.import_statement(users.province_officer, other, "sao-ke.csv", csv_statement())
    assert ACCOUNT in str(refused.value)
    with pytest.raises(PermissionDenied):
        services.import_statement(users.commune_officer, account, "sao-ke.csv", csv_statement())
    assert not Statement.objects.exists()


def test_an_officer_imports_a_statement_in_the_browser_and_finds_a_donation(
    client: Client, account: BankAccount, users: People
) -> None:
    login(client, users.province_officer)
    campaign = account.campaign
    page = client.get(reverse("funds:campaign", args=[campaign.pk]))
    assert page.status_code == 200 and ACCOUNT in page.content.decode()
    upload = SimpleUploadedFile("sao-ke.csv", csv_statement(), content_type="text/csv")
    response = client.post(
        reverse("funds:statement_import", args=[campaign.pk]), {"account": account.pk, "file": upload}
    )
    statement = Statement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funds:statement", args=[statement.pk])
    found = client.get(reverse("funds:statement", args=[statement.pk]), {"q": "nguyen van an"}).content.decode()
    assert found.count("5213.45946") == 2 and "Phí dịch vụ" not in found
    shown = client.get(reverse("funds:statement", args=[statement.pk])).content.decode()
    assert "<script>alert" not in shown and "&lt;script&gt;" in shown
    assert "2.200.000" in client.get(reverse("funds:campaign", args=[campaign.pk])).content.decode()
    # A file that does not add up: the form says why, nothing is added.
    bad = SimpleUploadedFile("sai.csv", csv_statement(closing=1), content_type="text/csv")
    refused = client.post(reverse("funds:statement_import", args=[campaign.pk]), {"account": account.pk, "file": bad})
    assert refused.status_code == 400 and "sai.csv" in refused.content.decode()
    assert Statement.objects.count() == 1


def test_a_campaign_is_created_for_a_unit_in_scope_and_forwards_only_upward(
    client: Client, world: World, users: People
) -> None:
    province = services.create_campaign(
        users.province_officer,
        unit=world.lao_cai,
        kind=CampaignKind.FUND_FOR_THE_POOR,
        name="Quỹ Vì người nghèo năm 2026",
        starts_on=dt.date(2026, 1, 1),
    )
    login(client, users.commune_officer)
    data = {
        "unit": world.bac_ha.pk,
        "kind": CampaignKind.FUND_FOR_THE_POOR,
        "name": "Quỹ Vì người nghèo xã Bắc Hà 2026",
        "starts_on": "2026-01-01",
        "forwards_to": province.pk,
    }
    response = client.post(reverse("funds:campaign_new"), data)
    commune = Campaign.objects.get(unit=world.bac_ha)
    assert response.status_code == 302 and commune.forwards_to == province
    assert AuditEntry.objects.filter(model="funds.campaign", object_id=str(commune.pk)).exists()
    # Another commune's unit is not offered; a province cannot forward to a commune's campaign.
    refused = client.post(reverse("funds:campaign_new"), {**data, "unit": world.sa_pa.pk})
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    with pytest.raises(FundError):
        services.create_campaign(
            users.province_officer,
            unit=world.lao_cai,
            kind=CampaignKind.RELIEF,
            name="Sai chiều",
            starts_on=dt.date(2026, 1, 1),
            forwards_to=commune,
        )
