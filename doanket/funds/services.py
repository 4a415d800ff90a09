"""What officers do with funds, as plain functions the pages, the API and the commands share.

Every write checks the actor's permission on the campaign's unit, runs in one transaction and is
audited. A statement is read and checked against its own totals before anything is stored: a
file that does not add up, or that belongs to another account, leaves no trace; the same file
imported twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import nfc
from doanket.documents import statements
from doanket.funds.models import (
    BankAccount,
    Campaign,
    DonorKind,
    ImportStatus,
    Receipt,
    ReceiptKind,
    Statement,
    StatementImport,
    StatementLine,
    key_of,
)
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


def import_statement(
    actor: Any, account: BankAccount, name: str, data: bytes, progress: statements.Progress | None = None
) -> Imported:
    """Read, check and store a statement file of ``account``, whole or not at all. ``progress`` is
    told the pages read of a PDF (a long import runs in the worker: ``queue_import``)."""
    _require(actor, account.campaign.unit)
    digest = hashlib.sha256(data).hexdigest()
    existing = Statement.objects.filter(account=account, digest=digest).first()
    if existing is not None:
        return Imported(existing, False)
    try:
        read = statements.read(name, data, progress=progress)
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
                # A statement that prints no totals (VietinBank's) is checked by its balances: the
                # totals kept are then the sums of its checked lines.
                total_debit=sum(line.debit for line in read.lines) if read.total_debit is None else read.total_debit,
                total_credit=(
                    sum(line.credit for line in read.lines) if read.total_credit is None else read.total_credit
                ),
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


BACKGROUND_BYTES = 2 * 1024 * 1024  # a larger PDF (about 1,000 pages) is imported by the worker


def imported_before(account: BankAccount, data: bytes) -> Statement | None:
    return Statement.objects.filter(account=account, digest=hashlib.sha256(data).hexdigest()).first()


@transaction.atomic
def queue_import(actor: Any, account: BankAccount, name: str, data: bytes) -> StatementImport:
    """Keep a long statement file and hand it to the worker (``funds.tasks.import_statement_file``)."""
    from doanket.funds import tasks  # the task module imports this one

    _require(actor, account.campaign.unit)
    job = StatementImport(account=account, name=name[:255], requested_by=audit.user_of(actor))
    job.file.save(f"{hashlib.sha256(data).hexdigest()[:16]}-{name[-80:]}", ContentFile(data), save=False)
    job.save()
    audit.record(actor, AuditAction.CREATE, job)
    transaction.on_commit(lambda: tasks.import_statement_file.enqueue(job.pk))
    return job


def run_import(job: StatementImport) -> StatementImport:
    """Do a queued import (in the worker): read the file, reporting the pages read, then check and
    store it as ``import_statement`` does; a refusal is kept on the job with its reason."""
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INTERRUPTED):
        return job  # an interrupted one runs again only when retried (``retry_import``)
    actor = job.requested_by
    StatementImport.objects.filter(pk=job.pk).update(status=ImportStatus.READING)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 1 or done == total:  # at most once a second
            last[0] = now
            StatementImport.objects.filter(pk=job.pk).update(pages_done=done, pages_total=total)

    with job.file.open("rb") as file:
        data = file.read()
    try:
        done = import_statement(actor, job.account, job.name, data, progress=progress)
    except (FundError, PermissionDenied) as error:
        message = str(error) or _("You may no longer import statements for this campaign.")
        StatementImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
    except uploads.DiskFull:  # the statement's transaction and its partial file are gone
        StatementImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.INTERRUPTED,
            error=_(
                "The server ran out of space while storing this statement. Nothing of it was stored; "
                "try again once the administrator has freed space."
            ),
            finished_at=timezone.now(),
        )
    else:
        StatementImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, statement=done.statement, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


IMPORT_TASK = "doanket.funds.tasks.import_statement_file"


def import_interrupted(sender: Any, task_path: str, args: list[Any], **kwargs: Any) -> None:
    """``core.lost.task_lost``: the worker reading a statement died. Its transaction was rolled
    back, so nothing of the statement is stored; the job says so and may be retried."""
    if task_path != IMPORT_TASK or not args:
        return
    StatementImport.objects.filter(pk=args[0], status__in=(ImportStatus.WAITING, ImportStatus.READING)).update(
        status=ImportStatus.INTERRUPTED,
        error=_("The server stopped while reading this statement. Nothing of it was stored; you can try again."),
        finished_at=timezone.now(),
    )


@transaction.atomic
def retry_import(actor: Any, job: StatementImport) -> StatementImport:
    """Hand an interrupted import to the worker again, from the file kept with it. A statement is
    stored once whatever happens (one transaction, unique by its file's digest)."""
    from doanket.funds import tasks  # the task module imports this one

    _require(actor, job.account.campaign.unit)
    job = StatementImport.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.INTERRUPTED:
        raise FundError(_("Only an interrupted import can be tried again."))
    job.status, job.error, job.pages_done, job.pages_total, job.finished_at = ImportStatus.WAITING, "", 0, 0, None
    job.save(update_fields=["status", "error", "pages_done", "pages_total", "finished_at"])
    audit.record(actor, AuditAction.UPDATE, job)
    transaction.on_commit(lambda: tasks.import_statement_file.enqueue(job.pk))
    return job


# --- Receipts and their reconciliation with the statements --------------------------------------

MAX_AMOUNT = 10**15  # đồng: more is a typing error, not a donation
_ORGANISATION = ("cong ty", "cty", "tong cong ty", "ngan hang", "truong", "hoi ", "doan ", "ban ", "so ", "ubnd")


@transaction.atomic
def record_receipt(
    actor: Any,
    campaign: Campaign,
    *,
    kind: str,
    received_on: dt.date,
    amount: int,
    donor_kind: str,
    donor_name: str = "",
    show_donor: bool = True,
    receipt_number: str = "",
    goods: str = "",
    description: str = "",
    line: StatementLine | None = None,
) -> Receipt:
    """Record one donation; a transfer may name the statement line that shows it (same campaign,
    same amount, a credit not matched yet — checked under a lock, so two officers cannot both
    match it)."""
    _require(actor, campaign.unit)
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise FundError(_("The amount must be a whole number of đồng above zero."))
    donor_name = nfc(donor_name)
    if donor_kind == DonorKind.ANONYMOUS:
        donor_name, show_donor = "", False
    elif not donor_name:
        raise FundError(_("Give the donor's name, or record the donation as anonymous."))
    receipt_number = receipt_number.strip()
    if kind == ReceiptKind.CASH and not receipt_number:
        raise FundError(_("A cash donation needs the number of its receipt."))
    if receipt_number and campaign.receipts.filter(receipt_number=receipt_number).exists():
        raise FundError(_("Receipt number %(n)s is already recorded for this campaign.") % {"n": receipt_number})
    if kind == ReceiptKind.IN_KIND and not goods.strip():
        raise FundError(_("List the goods given and how they were valued."))
    if line is not None:
        if kind != ReceiptKind.TRANSFER:
            raise FundError(_("Only a bank transfer is matched to a statement line."))
        line = StatementLine.objects.select_for_update().select_related("statement__account").get(pk=line.pk)
        if line.statement.account.campaign_id != campaign.pk or line.credit <= 0:
            raise FundError(_("That statement line is not a credit to this campaign's accounts."))
        if line.credit != amount:
            raise FundError(
                _("The statement line shows %(line)s đồng, not %(amount)s.") % {"line": line.credit, "amount": amount}
            )
        if Receipt.objects.filter(line=line).exists():
            raise FundError(_("That statement line is already matched to a receipt."))
    receipt = Receipt.objects.create(
        campaign=campaign,
        kind=kind,
        received_on=received_on,
        amount=amount,
        donor_kind=donor_kind,
        donor_name=donor_name,
        show_donor=show_donor,
        receipt_number=receipt_number,
        goods=nfc(goods),
        description=nfc(description),
        line=line,
        recorded_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, receipt)
    return receipt


def _donor_of(line: StatementLine) -> tuple[str, str]:
    """(donor kind, name) as the statement shows the sender: the counterparty when the layout has
    one, else nothing (an unnamed transfer is recorded as anonymous until an officer names it)."""
    name = line.counterparty.removesuffix(" - A/C").strip()
    if not name:
        return DonorKind.ANONYMOUS, ""
    folded = f"{key_of(name)} "
    return (DonorKind.ORGANISATION if folded.startswith(_ORGANISATION) else DonorKind.PERSON), name


@transaction.atomic
def receive_transfers(actor: Any, statement: Statement) -> int:
    """A transfer receipt for every credit line of ``statement`` not matched yet (the bank's
    credits are the donations); returns how many were recorded. Debits (fees, transfers out) are
    never receipts."""
    campaign = statement.account.campaign
    _require(actor, campaign.unit)
    Statement.objects.select_for_update().filter(pk=statement.pk).first()  # one at a time per statement
    lines = statement.lines.filter(credit__gt=0, receipt__isnull=True).order_by("position")
    made = []
    for line in lines.iterator(chunk_size=BATCH):
        donor_kind, name = _donor_of(line)
        made.append(
            Receipt(
                campaign=campaign,
                kind=ReceiptKind.TRANSFER,
                received_on=line.date,
                amount=line.credit,
                donor_kind=donor_kind,
                donor_name=name,
                show_donor=donor_kind != DonorKind.ANONYMOUS,
                description=line.description,
                line=line,
                recorded_by=audit.user_of(actor),
                search_key=key_of(name, line.description),
            )
        )
    created = Receipt.objects.bulk_create(made, batch_size=BATCH)  # with their ids (SQLite 3.35+, PostgreSQL)
    audit.record_many(actor, AuditAction.CREATE, created)
    return len(created)


@dataclass
class Reconciliation:
    credits: int  # đồng credited on the campaign's statements
    receipts: dict[str, int]  # đồng received, by kind
    unmatched_lines: int  # credit lines no receipt stands for
    unmatched_lines_amount: int
    first_unmatched: list[StatementLine]
    transfers_without_line: list[Receipt]


def reconciliation(campaign: Campaign, shown: int = 50) -> Reconciliation:
    """What the officer must still match: credits on the statements without a receipt, transfer
    receipts without the statement line that shows them; and the totals on both sides."""
    lines = StatementLine.objects.filter(statement__account__campaign=campaign, credit__gt=0)
    unmatched = lines.filter(receipt__isnull=True)
    figures = unmatched.aggregate(n=models.Count("pk"), total=models.Sum("credit"))
    by_kind = dict(campaign.receipts.values_list("kind").annotate(total=models.Sum("amount")).order_by())
    return Reconciliation(
        credits=lines.aggregate(total=models.Sum("credit"))["total"] or 0,
        receipts={kind: by_kind.get(kind, 0) for kind in ReceiptKind.values},
        unmatched_lines=figures["n"] or 0,
        unmatched_lines_amount=figures["total"] or 0,
        first_unmatched=list(unmatched.select_related("statement").order_by("date", "pk")[:shown]),
        transfers_without_line=list(
            campaign.receipts.filter(kind=ReceiptKind.TRANSFER, line__isnull=True).order_by("received_on", "pk")[:shown]
        ),
    )
