"""What a campaign does with what it received: allocations by decision, the disbursements that pay
them, the evidence behind both, and the balance they may never exceed.

A campaign holds what it received (its receipts) and what other campaigns paid it (an upper
unit's allocation coming down, a lower unit's collection forwarded up). An allocation commits
part of what it holds and not yet committed; a disbursement pays part of an allocation not yet
paid. Both checks run with the campaign's row locked (PostgreSQL) or the database's write lock
(SQLite's IMMEDIATE transactions), so two officers acting at the same moment cannot both spend
the same money: the second is refused with what is left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import grouped, nfc
from doanket.funds.models import (
    Allocation,
    Campaign,
    Disbursement,
    Evidence,
    House,
    Household,
    PaymentMethod,
    RecipientKind,
    StatementLine,
)
from doanket.funds.services import MAX_AMOUNT, FundError, _require
from doanket.organizations.models import Unit


@dataclass(frozen=True)
class Balance:
    received: int  # the campaign's receipts
    incoming: int  # paid to it by other campaigns' allocations
    allocated: int  # committed by its allocations
    disbursed: int  # paid out of them

    @property
    def held(self) -> int:
        return self.received + self.incoming

    @property
    def available(self) -> int:
        """What may still be allocated."""
        return self.held - self.allocated

    @property
    def cash(self) -> int:
        """What the campaign still has in hand (allocated but not yet paid included)."""
        return self.held - self.disbursed


def _sum(rows: models.QuerySet[Any], field: str = "amount") -> int:
    return int(rows.aggregate(total=Coalesce(models.Sum(field), 0))["total"])


def balance(campaign: Campaign) -> Balance:
    return Balance(
        received=_sum(campaign.receipts.all()),
        incoming=_sum(Disbursement.objects.filter(allocation__to_campaign=campaign)),
        allocated=_sum(campaign.allocations.all()),
        disbursed=_sum(Disbursement.objects.filter(allocation__campaign=campaign)),
    )


def _lock(campaign: Campaign) -> Campaign:
    """The campaign's row, locked until the transaction ends: spending is decided one at a time."""
    return Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)


def _within(unit: Unit, campaign: Campaign) -> bool:
    return (unit.path or "").startswith(campaign.unit.path or "")


def _amount(amount: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT:
        raise FundError(_("The amount must be a whole number of đồng above zero."))
    return amount


@transaction.atomic
def allocate(
    actor: Any,
    campaign: Campaign,
    *,
    recipient_kind: str,
    amount: int,
    purpose: str,
    decision_number: str,
    decision_date: dt.date,
    decision_signer: str,
    household: Household | None = None,
    house: House | None = None,
    to_campaign: Campaign | None = None,
    project: str = "",
) -> Allocation:
    """Commit ``amount`` of the campaign by a decision; refused when the campaign does not hold it."""
    _require(actor, campaign.unit)
    _amount(amount)
    purpose, project = nfc(purpose).strip(), nfc(project).strip()
    decision_number, decision_signer = nfc(decision_number).strip(), nfc(decision_signer).strip()
    if not (decision_number and decision_signer):
        raise FundError(_("Give the decision's number, date and signer: nothing is allocated without a decision."))
    if not purpose:
        raise FundError(_("Say what the money is for."))
    if recipient_kind == RecipientKind.HOUSEHOLD:
        if house is not None:
            household = house.household
        if household is None or not _within(household.unit, campaign):
            raise FundError(_("Choose a household of the campaign's unit or of a unit below it."))
        to_campaign, project = None, ""
    elif recipient_kind == RecipientKind.UNIT:
        if to_campaign is None or to_campaign.pk == campaign.pk:
            raise FundError(_("Choose the campaign of the unit that receives the money."))
        below = _within(to_campaign.unit, campaign) and to_campaign.unit_id != campaign.unit_id
        if not (below or to_campaign.pk == campaign.forwards_to_id):
            raise FundError(_("Money goes to a campaign of a unit below, or up to the campaign this one forwards to."))
        household, house, project = None, None, ""
    elif recipient_kind == RecipientKind.PROJECT:
        if house is not None:
            household = house.household
            project = project or str(_("Great Solidarity house"))
        if not project:
            raise FundError(_("Name the project (a house, a school ...)."))
        to_campaign = None
    else:
        raise FundError(_("Choose who receives the money."))
    if house is not None and not _within(house.unit, campaign):
        raise FundError(_("Choose a house of the campaign's unit or of a unit below it."))
    locked = _lock(campaign)
    available = balance(locked).available
    if amount > available:
        raise FundError(
            _("The fund holds %(available)s đồng not yet allocated: %(amount)s đồng cannot be allocated.")
            % {"available": grouped(available), "amount": grouped(amount)}
        )
    allocation = Allocation.objects.create(
        campaign=locked,
        recipient_kind=recipient_kind,
        household=household,
        house=house,
        to_campaign=to_campaign,
        project=project,
        amount=amount,
        purpose=purpose,
        decision_number=decision_number,
        decision_date=decision_date,
        decision_signer=decision_signer,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, allocation)
    return allocation


def remaining(allocation: Allocation) -> int:
    """What of ``allocation`` is not paid yet."""
    return allocation.amount - _sum(allocation.disbursements.all())


@transaction.atomic
def disburse(
    actor: Any,
    allocation: Allocation,
    *,
    paid_on: dt.date,
    amount: int,
    method: str,
    voucher: str,
    received_by: str = "",
    line: StatementLine | None = None,
) -> Disbursement:
    """Pay part of an allocation; refused beyond what is left of it. A transfer may name the
    statement debit line that shows it."""
    campaign = allocation.campaign
    _require(actor, campaign.unit)
    _amount(amount)
    voucher = nfc(voucher).strip()
    if not voucher:
        raise FundError(_("Give the number of the payment voucher (or of the transfer order)."))
    if method not in PaymentMethod.values:
        raise FundError(_("Say how the money was paid."))
    if paid_on < allocation.decision_date:
        raise FundError(_("Money is paid after the decision that allocates it, not before."))
    _lock(campaign)
    if Disbursement.objects.filter(allocation__campaign=campaign, voucher=voucher).exists():
        raise FundError(_("Voucher %(n)s is already recorded for this campaign.") % {"n": voucher})
    left = remaining(allocation)
    if amount > left:
        raise FundError(
            _("Only %(left)s đồng of this allocation are left to pay: %(amount)s đồng cannot be paid.")
            % {"left": grouped(left), "amount": grouped(amount)}
        )
    if line is not None:
        if method != PaymentMethod.TRANSFER:
            raise FundError(_("Only a bank transfer is matched to a statement line."))
        line = StatementLine.objects.select_related("statement__account").get(pk=line.pk)
        if line.statement.account.campaign_id != campaign.pk or line.debit <= 0:
            raise FundError(_("That statement line is not a debit of this campaign's accounts."))
        if line.debit != amount:
            raise FundError(
                _("The statement line shows %(line)s đồng, not %(amount)s.") % {"line": line.debit, "amount": amount}
            )
        if Disbursement.objects.filter(line=line).exists():
            raise FundError(_("That statement line is already matched to a disbursement."))
    payment = Disbursement.objects.create(
        allocation=allocation,
        paid_on=paid_on,
        amount=amount,
        method=method,
        voucher=voucher,
        received_by=nfc(received_by).strip(),
        line=line,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, payment)
    return payment


def _owner(target: Allocation | Disbursement | House) -> Unit:
    if isinstance(target, Allocation):
        return target.campaign.unit
    if isinstance(target, Disbursement):
        return target.allocation.campaign.unit
    return target.unit


@transaction.atomic
def add_evidence(actor: Any, target: Allocation | Disbursement | House, upload: UploadedFile) -> Evidence:
    """Keep a decision, a signed list, an invoice or a photo as evidence of ``target``."""
    unit = _owner(target)
    _require(actor, unit)
    try:
        name, content_type, extension = uploads.evidence(upload)
    except uploads.Refused as exc:
        raise FundError(str(exc)) from exc
    evidence = Evidence(
        unit=unit,
        name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=audit.user_of(actor),
        **{type(target).__name__.lower(): target},
    )
    evidence.file.save(f"chung-tu{extension}", upload, save=False)
    evidence.save()
    audit.record(actor, AuditAction.CREATE, evidence)
    return evidence


@dataclass
class SpendingMatch:
    open_allocations: list[tuple[Allocation, int]]  # (allocation, what is left to pay)
    debits_without_payment: list[StatementLine]  # money out of the accounts no disbursement explains
    transfers_without_line: list[Disbursement]  # transfers paid, not found on a statement yet


def spending_match(campaign: Campaign, shown: int = 50) -> SpendingMatch:
    """Allocations against disbursements, and disbursements against the statements' debits."""
    allocations = (
        campaign.allocations.annotate(paid=Coalesce(models.Sum("disbursements__amount"), 0))
        .filter(paid__lt=models.F("amount"))
        .order_by("decision_date", "pk")[:shown]
    )
    debits = StatementLine.objects.filter(
        statement__account__campaign=campaign, debit__gt=0, disbursement__isnull=True
    ).order_by("date", "pk")
    transfers = Disbursement.objects.filter(
        allocation__campaign=campaign, method=PaymentMethod.TRANSFER, line__isnull=True
    ).order_by("paid_on", "pk")
    return SpendingMatch(
        open_allocations=[(a, a.amount - a.paid) for a in allocations],
        debits_without_payment=list(debits.select_related("statement")[:shown]),
        transfers_without_line=list(transfers.select_related("allocation")[:shown]),
    )
