"""What officers do with funds, as plain functions the pages, the API and the commands share.

Every write checks the actor's permission on the campaign's unit, runs in one transaction and is
audited. A statement is read and checked against its own totals before anything is stored: a
file that does not add up, or that belongs to another account, leaves no trace; the same file
imported twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.documents import statements
from doanket.funds.models import BankAccount, Campaign, Statement, StatementLine, key_of
from doanket.organizations.models import Unit

BATCH = 5000  # lines written per INSERT


class FundError(ValueError):
    """A step the data does not allow; the message says why, in the user's words."""


def _require(actor: Any, unit: Unit) -> None:
    if actor is not None and not authz.can(actor, Perm.HANDLE_FUND, unit):
        raise PermissionDenied


@transaction.atomic
def create_campaign(
    actor: Any,
    *,
    unit: Unit,
    kind: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    purpose: str = "",
    allocation_rules: str = "",
    forwards_to: Campaign | None = None,
) -> Campaign:
    _require(actor, unit)
    if ends_on is not None and ends_on < starts_on:
        raise FundError(_("The campaign ends before it starts."))
    if forwards_to is not None:
        upper = forwards_to.unit
        if upper == unit or not (unit.path or "").startswith(upper.path or ""):
            raise FundError(_("A campaign forwards what it collects to a campaign of a unit above it."))
    campaign = Campaign.objects.create(
        unit=unit,
        kind=kind,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=nfc(purpose),
        allocation_rules=nfc(allocation_rules),
        forwards_to=forwards_to,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, campaign)
    return campaign


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@transaction.atomic
def add_account(actor: Any, campaign: Campaign, *, bank: str, number: str, holder: str) -> BankAccount:
    _require(actor, campaign.unit)
    number = _digits(number)
    if not 6 <= len(number) <= 20:
        raise FundError(_("An account number has 6 to 20 digits."))
    if campaign.accounts.filter(number=number).exists():
        raise FundError(_("This account is already listed for the campaign."))
    account = BankAccount.objects.create(campaign=campaign, bank=nfc(bank), number=number, holder=nfc(holder))
    audit.record(actor, AuditAction.CREATE, account)
    return account


@dataclass
class Imported:
    statement: Statement
    created: bool  # False: the same file was imported before, nothing was added


def import_statement(actor: Any, account: BankAccount, name: str, data: bytes) -> Imported:
    """Read, check and store a statement file of ``account``, whole or not at all."""
    _require(actor, account.campaign.unit)
    digest = hashlib.sha256(data).hexdigest()
    existing = Statement.objects.filter(account=account, digest=digest).first()
    if existing is not None:
        return Imported(existing, False)
    try:
        read = statements.read(name, data)
    except statements.StatementError as exc:
        raise FundError(str(exc)) from exc  # names the file and the line
    try:
        statements.check(read)
    except statements.StatementError as exc:
        raise FundError(_("%(file)s is refused: %(reason)s") % {"file": name, "reason": exc}) from exc
    if read.account_number and _digits(read.account_number) != account.number:
        raise FundError(
            _("%(file)s is a statement of account %(found)s, not of %(account)s.")
            % {"file": name, "found": read.account_number, "account": account.number}
        )
    try:
        with transaction.atomic():
            statement = Statement(
                account=account,
                name=name[:255],
                digest=digest,
                layout=read.layout,
                period_start=read.period_start,
                period_end=read.period_end,
                opening_balance=read.opening_balance,
                closing_balance=read.closing_balance,
                total_debit=read.total_debit,
                total_credit=read.total_credit,
                line_count=len(read.lines),
                imported_by=audit.user_of(actor),
            )
            statement.file.save(f"{digest[:16]}-{name[-80:]}", ContentFile(data), save=False)
            statement.save()
            StatementLine.objects.bulk_create(
                (
                    StatementLine(
                        statement=statement,
                        position=line.position,
                        page=line.page,
                        row=line.row,
                        date=line.date,
                        reference=line.reference[:100],
                        debit=line.debit,
                        credit=line.credit,
                        balance=line.balance,
                        counterparty=line.counterparty[:300],
                        description=line.description,
                        search_key=key_of(line.counterparty, line.description, line.reference),
                    )
                    for line in read.lines
                ),
                batch_size=BATCH,
            )
            audit.record(actor, AuditAction.CREATE, statement)
    except IntegrityError:  # the same file, imported at the same moment by someone else
        return Imported(Statement.objects.get(account=account, digest=digest), False)
    return Imported(statement, True)
