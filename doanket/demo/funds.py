"""The demo's funds: Lào Cai's relief campaign for the victims of Typhoon Yagi (September 2024)
with its Vietcombank account and two statements imported (a CSV export and the bank's PDF, both
generated: names, memos and amounts are invented), and the Fund for the Poor of 2026 of the
province, to which the demo commune's fund forwards what it collects. Made through the services
(audit included); loading twice adds nothing (a statement file is imported once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from doanket.demo import statements as generated
from doanket.funds import keys, ledger, services
from doanket.funds.models import BankAccount, Campaign, CampaignKind
from doanket.organizations.models import Level, Unit

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
YAGI = "Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi) năm 2024 (mẫu)"
POOR = "Quỹ Vì người nghèo năm 2026 (mẫu)"
PDF_STATEMENT = "sao-ke-vietcombank-mau.pdf"  # made by ``statements()`` (``python -m doanket.demo.funds``)
ACCOUNT_NUMBER = "0381000562018"
ACCOUNT_NAME = "UY BAN MTTQ VIET NAM TINH LAO CAI"


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


if __name__ == "__main__":  # writes the demo's PDF statement (needs fpdf2, a development tool)
    (DOCUMENTS / PDF_STATEMENT).write_bytes(generated.to_vietcombank_pdf(statements()[1]))
