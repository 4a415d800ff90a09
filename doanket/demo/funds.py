"""The demo's funds: Lào Cai's relief campaign for the victims of Typhoon Yagi (September 2024)
with its Vietcombank account and two statements imported (a CSV export and the bank's PDF, both
generated: names, memos and amounts are invented) and a VietinBank account whose sample PDF
statement waits in ``demo/documents`` for an officer to import, and the Fund for the Poor of 2026 of the
province, to which the demo commune's fund forwards what it collects. Made through the services
(audit included); loading twice adds nothing (a statement file is imported once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from doanket.demo import statements as generated
from doanket.funds import houses, keys, ledger, services, spending
from doanket.funds.models import BankAccount, Campaign, CampaignKind, HouseWork, PaymentMethod, PovertyStatus
from doanket.funds.models import RecipientKind as To
from doanket.organizations.models import Level, Unit, UnitKind

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
YAGI = "Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi) năm 2024 (mẫu)"
POOR = "Quỹ Vì người nghèo năm 2026 (mẫu)"
PDF_STATEMENT = "sao-ke-vietcombank-mau.pdf"  # made by ``statements()`` (``python -m doanket.demo.funds``)
ACCOUNT_NUMBER = "0381000562018"
ACCOUNT_NAME = "UY BAN MTTQ VIET NAM TINH LAO CAI"
# The campaign's second account, at VietinBank: its sample statement is shipped, not imported, for
# an officer trying the demo to import it (``vietinbank_statement()``).
VTB_PDF_STATEMENT = "sao-ke-vietinbank-mau.pdf"
VTB_ACCOUNT_NUMBER = "108002345678"


def vietinbank_statement() -> generated.DemoStatement:
    """The sample VietinBank statement of the demo's second account: 1–10 September 2024."""
    made = generated.statement(150, seed=13, opening_balance=0)
    return dataclasses.replace(made, account_number=VTB_ACCOUNT_NUMBER, account_name=ACCOUNT_NAME)


def statements() -> tuple[generated.DemoStatement, generated.DemoStatement]:
    """The two statements of the demo account: 1–10 and 11–20 September 2024, the second opening
    with the first's closing balance."""
    first = dataclasses.replace(
        generated.statement(300, seed=7, opening_balance=0), account_number=ACCOUNT_NUMBER, account_name=ACCOUNT_NAME
    )
    second = generated.statement(
        600, seed=11, start_date=first.period_end + dt.timedelta(days=1), opening_balance=first.closing_balance
    )
    return first, dataclasses.replace(second, account_number=ACCOUNT_NUMBER, account_name=ACCOUNT_NAME)


def _campaign(unit: Unit, name: str, **fields: object) -> Campaign:
    found = Campaign.objects.filter(unit=unit, name=name).first()
    return found or services.create_campaign(None, unit=unit, name=name, **fields)  # type: ignore[arg-type]


def load_funds(province: Unit, commune: Unit) -> None:
    yagi = _campaign(
        province,
        YAGI,
        kind=CampaignKind.RELIEF,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2024, 9, 30),
        purpose="Tiếp nhận tiền ủng hộ của tổ chức, cá nhân để hỗ trợ đồng bào bị thiệt hại do bão số 3 "
        "và mưa lũ sau bão, theo Nghị định 93/2021/NĐ-CP.",
        allocation_rules="Ưu tiên hộ có người chết, mất tích; hộ có nhà bị sập, trôi; hộ nghèo, cận nghèo.",
    )
    account = BankAccount.objects.filter(campaign=yagi, number=ACCOUNT_NUMBER).first()
    if account is None:
        account = services.add_account(None, yagi, bank="Vietcombank", number=ACCOUNT_NUMBER, holder=ACCOUNT_NAME)
    if not BankAccount.objects.filter(campaign=yagi, number=VTB_ACCOUNT_NUMBER).exists():
        services.add_account(None, yagi, bank="VietinBank", number=VTB_ACCOUNT_NUMBER, holder=ACCOUNT_NAME)
    first, _second = statements()
    csv_statement = services.import_statement(None, account, "sao-ke-01-10-09-2024.csv", generated.to_csv(first))
    services.import_statement(None, account, PDF_STATEMENT, (DOCUMENTS / PDF_STATEMENT).read_bytes())
    # The first statement's credits are recorded and published (the public page has something to
    # search and check); the PDF's are left for the officer to receive and publish.
    services.receive_transfers(None, csv_statement.statement)
    keys.ensure()
    ledger.publish_receipts(None, yagi)
    poor = _campaign(province, POOR, kind=CampaignKind.FUND_FOR_THE_POOR, starts_on=dt.date(2026, 1, 1))
    if commune.level == Level.COMMUNE:
        _campaign(
            commune,
            f"Quỹ Vì người nghèo {commune.name.removeprefix('Ủy ban MTTQ ')} năm 2026 (mẫu)",
            kind=CampaignKind.FUND_FOR_THE_POOR,
            starts_on=dt.date(2026, 1, 1),
            forwards_to=poor,
        )
        if not yagi.allocations.exists():
            _spend(yagi, commune)


# (head of household, status, members, village number, house stage reached: 0 approved, 1 building, 2 handed over)
HOUSEHOLDS = [
    ("Giàng Seo Páo", PovertyStatus.POOR, 6, 1, 2),
    ("Vàng Thị Mai", PovertyStatus.POOR, 4, 2, 1),
    ("Lù Văn Dìn", PovertyStatus.NEAR_POOR, 5, 3, 0),
]


def _spend(yagi: Campaign, commune: Unit) -> None:
    """Households of the commune with their Great Solidarity houses at each stage, the relief
    campaign's allocations to them and to a school, the payments made, all published."""
    villages = list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE_BOARD).order_by("name"))
    approved = dt.date(2024, 9, 20)
    for n, (name, status, members, village, stage) in enumerate(HOUSEHOLDS):
        household = houses.register_household(
            None,
            villages[(village - 1) % len(villages)] if villages else commune,
            head_name=f"{name} (mẫu)",
            status=status,
            classified_year=2024,
            members=members,
        )
        house = houses.approve_house(
            None,
            household,
            work=HouseWork.NEW if n != 2 else HouseWork.REPAIR,
            decision_number=f"{n + 21}/QĐ-UBND",
            approved_on=approved,
            from_fund=40_000_000 if n != 2 else 20_000_000,
            from_family=20_000_000,
            from_budget=0 if n != 2 else 10_000_000,
            campaign=yagi,
        )
        allocation = spending.allocate(
            None,
            yagi,
            recipient_kind=To.HOUSEHOLD,
            house=house,
            amount=house.from_fund,
            purpose="Hỗ trợ xây dựng nhà Đại đoàn kết cho hộ có nhà bị sập do bão số 3",
            decision_number=f"{n + 31}/QĐ-MTTQ",
            decision_date=approved,
            decision_signer="Chủ tịch Ủy ban MTTQ tỉnh (mẫu)",
        )
        for step in range(stage):
            houses.advance_house(None, house, approved + dt.timedelta(days=30 * (step + 1)))
        if stage:
            spending.disburse(
                None,
                allocation,
                paid_on=approved + dt.timedelta(days=30),
                amount=allocation.amount // (1 if stage == 2 else 2),
                method=PaymentMethod.CASH,
                voucher=f"PC-{n + 1:03d}",
                received_by=f"{name} (mẫu)",
            )
    school = spending.allocate(
        None,
        yagi,
        recipient_kind=To.PROJECT,
        project=f"Sửa chữa điểm trường tiểu học thôn 1, {commune.name.removeprefix('Ủy ban MTTQ ')} (mẫu)",
        amount=15_000_000,
        purpose="Lợp lại mái, thay cửa các phòng học bị bão làm hư hỏng",
        decision_number="35/QĐ-MTTQ",
        decision_date=approved,
        decision_signer="Chủ tịch Ủy ban MTTQ tỉnh (mẫu)",
    )
    spending.disburse(
        None,
        school,
        paid_on=approved + dt.timedelta(days=5),
        amount=15_000_000,
        method=PaymentMethod.TRANSFER,
        voucher="UNC-001",
    )
    ledger.publish_spending(None, yagi)


if __name__ == "__main__":  # writes the demo's PDF statements (needs fpdf2, a development tool)
    (DOCUMENTS / PDF_STATEMENT).write_bytes(generated.to_vietcombank_pdf(statements()[1]))
    (DOCUMENTS / VTB_PDF_STATEMENT).write_bytes(generated.to_vietinbank_pdf(vietinbank_statement()))
