"""Funds and campaigns, their bank accounts and the bank statements imported into them.

A campaign (relief for a named disaster, the Fund for the Poor of a year, Tết for the Poor ...)
belongs to a unit. What its accounts received is read from the statements the bank hands over
(``documents.statements``): each statement file is kept as it came, once per account (its digest
makes a second import of the same file add nothing), and every line keeps where it stood in the
file (page and line) so any figure can be traced back to the paper. Money is whole đồng.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doanket.core.text import fold, nfc
from doanket.organizations.models import Unit


class CampaignKind(models.TextChoices):
    RELIEF = "relief", _("Relief (disaster, epidemic)")
    FUND_FOR_THE_POOR = "fund_for_the_poor", _("Fund for the Poor")
    TET_FOR_THE_POOR = "tet_for_the_poor", _("Tết for the Poor")
    PEAK_MONTH = "peak_month", _("Peak Month for the Poor")
    SOLIDARITY_HOUSES = "solidarity_houses", _("Great Solidarity houses")
    OTHER = "other", _("Other campaign")


class Campaign(models.Model):
    """A fund or a campaign of a unit: what it mobilises, for what, over which period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=30, choices=CampaignKind.choices)
    name = models.CharField(_("name"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    allocation_rules = models.TextField(_("rules for allocation"), blank=True)
    # A lower unit's campaign forwards what it collects to the upper one's.
    forwards_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_from",
        verbose_name=_("forwards to the campaign of"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # What its standing published entries add up to, kept by funds.ledger as entries are appended
    # (the public page reads two numbers instead of summing millions of rows; verify_ledger checks).
    published_amount = models.BigIntegerField(default=0, editable=False)
    published_count = models.PositiveIntegerField(default=0, editable=False)
    published_allocated = models.BigIntegerField(default=0, editable=False)
    published_disbursed = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class BankAccount(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="accounts")
    bank = models.CharField(_("bank"), max_length=100)
    number = models.CharField(_("account number"), max_length=40)
    holder = models.CharField(_("account name"), max_length=200)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["bank", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="fund_account_once")]

    def __str__(self) -> str:
        return f"{self.bank} {self.number}"

    def audit_unit_path(self) -> str:
        return self.campaign.unit.path or ""


class Statement(models.Model):
    """One statement file of one account, as imported: the file itself, the figures it declares
    about itself, and its lines (``StatementLine``)."""

    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements")
    file = models.FileField(upload_to="funds/statements/%Y/%m/")
    name = models.CharField(_("file"), max_length=255)
    digest = models.CharField(max_length=64)  # SHA-256 of the file: the same file twice adds nothing
    layout = models.CharField(_("layout"), max_length=40)
    period_start = models.DateField(_("from"), null=True)
    period_end = models.DateField(_("until"), null=True)
    opening_balance = models.BigIntegerField(_("opening balance"), null=True)
    closing_balance = models.BigIntegerField(_("closing balance"), null=True)
    total_debit = models.BigIntegerField(_("total debit"), null=True)
    total_credit = models.BigIntegerField(_("total credit"), null=True)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-period_end", "-pk"]
        constraints = [models.UniqueConstraint(fields=["account", "digest"], name="statement_file_once")]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.account.campaign.unit.path or ""


class ImportStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading the pages")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Refused")
    INTERRUPTED = "interrupted", _("Interrupted")  # the worker stopped mid-way (core.lost): may be retried


class StatementImport(models.Model):
    """A long statement file handed to the worker: the officer sees how far it has got, and then
    the statement, or why it was refused (nothing is stored in that case)."""

    account = models.ForeignKey(BankAccount, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="funds/imports/%Y/%m/")
    name = models.CharField(_("file"), max_length=255)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.WAITING)
    pages_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    statement = models.ForeignKey(Statement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.account.campaign.unit.path or ""


class StatementLine(models.Model):
    """A line of a statement where it stood in the file. The bank's reference repeats (never a
    key); the memo is written by the sender: untrusted text, shown escaped, never interpreted."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()  # order in the statement, from 1
    page = models.PositiveIntegerField(null=True)  # PDF page; None for a spreadsheet
    row = models.PositiveIntegerField()  # the row in the spreadsheet, or the line on the page
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    debit = models.BigIntegerField(_("debit"), default=0)
    credit = models.BigIntegerField(_("credit"), default=0)
    balance = models.BigIntegerField(_("balance"), null=True)
    counterparty = models.CharField(_("counterparty"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["statement", "position"]
        constraints = [models.UniqueConstraint(fields=["statement", "position"], name="statement_line_once")]

    def __str__(self) -> str:
        return f"{self.statement_id}#{self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = key_of(self.counterparty, self.description, self.reference)
        super().save(*args, **kwargs)


def key_of(*parts: str) -> str:
    """The folded text a line is searched by ("nguyen van an" finds "NGUYỄN VĂN AN"; đ → d)."""
    return fold(" ".join(p for p in parts if p))


class ReceiptKind(models.TextChoices):
    CASH = "cash", _("Cash (with a receipt number)")
    TRANSFER = "transfer", _("Bank transfer")
    IN_KIND = "in_kind", _("In kind (at its valuation)")


class DonorKind(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("An organisation")
    ANONYMOUS = "anonymous", _("Anonymous")


class Receipt(models.Model):
    """A donation the campaign received: cash against a numbered receipt, a transfer (matched to
    the statement line that shows it), or goods at their valuation. The donor is shown publicly
    only as they chose (``show_donor``); an anonymous donor has no name at all."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(_("kind"), max_length=20, choices=ReceiptKind.choices)
    received_on = models.DateField(_("received on"))
    amount = models.BigIntegerField(_("amount (đồng)"))  # for goods, their valuation
    donor_kind = models.CharField(_("donor"), max_length=20, choices=DonorKind.choices)
    donor_name = models.CharField(_("donor's name"), max_length=300, blank=True)
    show_donor = models.BooleanField(_("the donor's name may be published"), default=True)
    receipt_number = models.CharField(_("receipt number"), max_length=50, blank=True)
    goods = models.TextField(_("goods and their valuation"), blank=True)
    description = models.TextField(_("description"), blank=True)
    line = models.OneToOneField(
        StatementLine, on_delete=models.PROTECT, null=True, blank=True, related_name="receipt"
    )  # the statement line of a transfer
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "receipt_number"],
                condition=~models.Q(receipt_number=""),
                name="receipt_number_once",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.donor_name = nfc(self.donor_name)
        self.search_key = key_of(self.donor_name, self.description, self.receipt_number, self.goods)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.campaign.unit.path or ""


# --- Poor households and Great Solidarity houses ------------------------------------------------


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    ESCAPED = "escaped", _("Out of poverty")


class Household(models.Model):
    """A poor or near-poor household of the registry. Personal data (Law 91/2025/QH15): shown to
    staff with the right to personal data in the household's unit and above, never published —
    the public ledger names only the place ("a household in village X")."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="households", verbose_name=_("unit"))
    head_name = models.CharField(_("head of household"), max_length=200)
    id_number = models.CharField(_("citizen ID number"), max_length=12, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=PovertyStatus.choices)
    classified_year = models.PositiveSmallIntegerField(_("classified in"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    search_key = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["head_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="household_id_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.head_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.head_name, self.address = nfc(self.head_name), nfc(self.address)
        self.search_key = key_of(self.head_name, self.address, self.id_number)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


class HouseWork(models.TextChoices):
    NEW = "new", _("New house")
    REPAIR = "repair", _("Repair")


class HouseStage(models.TextChoices):
    APPROVED = "approved", _("Approved")
    BUILDING = "building", _("Being built")
    HANDED_OVER = "handed_over", _("Handed over")


class House(models.Model):
    """A Great Solidarity house built or repaired for a household: where the money came from and
    how far it has got. ``unit`` is the commune it stands in, which the province's counts group by."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="houses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="houses", verbose_name=_("commune"))
    work = models.CharField(_("work"), max_length=10, choices=HouseWork.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=HouseStage.choices, default=HouseStage.APPROVED)
    decision_number = models.CharField(_("decision number"), max_length=50)
    approved_on = models.DateField(_("approved on"))
    started_on = models.DateField(_("building started on"), null=True, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    from_fund = models.BigIntegerField(_("from the fund (đồng)"), default=0)
    from_budget = models.BigIntegerField(_("from the budget (đồng)"), default=0)
    from_family = models.BigIntegerField(_("from the family (đồng)"), default=0)
    from_sponsors = models.BigIntegerField(_("from sponsors (đồng)"), default=0)
    sponsors = models.CharField(_("sponsors"), max_length=300, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="houses", verbose_name=_("fund")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Great Solidarity house")
        verbose_name_plural = _("Great Solidarity houses")
        ordering = ["-approved_on", "pk"]
        indexes = [models.Index(fields=["unit", "stage"], name="house_unit_stage")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_fund__gte=0, from_budget__gte=0, from_family__gte=0, from_sponsors__gte=0),
                name="house_sources_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_work_display()} {self.decision_number}"

    @property
    def cost(self) -> int:
        return self.from_fund + self.from_budget + self.from_family + self.from_sponsors

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


# --- Allocations and disbursements --------------------------------------------------------------


class RecipientKind(models.TextChoices):
    HOUSEHOLD = "household", _("A household")
    UNIT = "unit", _("Another unit's campaign")
    PROJECT = "project", _("A project (a house, a school ...)")


class Allocation(models.Model):
    """Money of a campaign committed by a decision (number, date, signer) to a household, to
    another unit's campaign (a lower unit's, or the upper one it forwards to) or to a project.
    Never more than the campaign holds; paid out by ``Disbursement``s, never more than allocated."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="allocations")
    recipient_kind = models.CharField(_("to"), max_length=20, choices=RecipientKind.choices)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    house = models.ForeignKey(House, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    to_campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="incoming_allocations"
    )
    project = models.CharField(_("project"), max_length=300, blank=True)
    amount = models.BigIntegerField(_("amount (đồng)"))
    purpose = models.TextField(_("purpose"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["decision_date", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_amount_positive")]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.amount}"

    def audit_unit_path(self) -> str:
        return self.campaign.unit.path or ""


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash (with a payment voucher)")
    TRANSFER = "transfer", _("Bank transfer")
    IN_KIND = "in_kind", _("In kind (at its valuation)")


class Disbursement(models.Model):
    """A payment of an allocation: when, how much, the voucher, who received it (personal data,
    staff only) and, for a transfer, the statement debit line that shows it."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="disbursements")
    paid_on = models.DateField(_("paid on"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    method = models.CharField(_("how"), max_length=20, choices=PaymentMethod.choices)
    voucher = models.CharField(_("voucher number"), max_length=50)
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    line = models.OneToOneField(
        StatementLine, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursement"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return f"{self.voucher} {self.amount}"

    def audit_unit_path(self) -> str:
        return self.allocation.campaign.unit.path or ""


class Evidence(models.Model):
    """A document or photo proving an allocation, a disbursement or a house's progress."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    house = models.ForeignKey(House, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # whose it is: the scope
    name = models.CharField(_("file"), max_length=255)
    file = models.FileField(upload_to="funds/evidence/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def audit_unit_path(self) -> str:
        return self.unit.path or ""


# --- The published ledger ---------------------------------------------------------------------


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("Donation received")
    CORRECTION = "correction", _("Correction")
    ALLOCATION = "allocation", _("Allocation")
    DISBURSEMENT = "disbursement", _("Disbursement")


class LedgerEntry(models.Model):
    """One published entry of the public log, append-only: ``data`` is the exact text that was
    hashed into the Merkle tree (canonical JSON, see ``funds.ledger``); the other columns repeat it
    for searching and are checked against it by ``verify_ledger``. A mistake is corrected by a new
    entry that ``corrects`` this one, never by an edit."""

    index = models.BigIntegerField(unique=True)  # position in the log, from 0
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    date = models.DateField()
    amount = models.BigIntegerField()
    donor = models.CharField(max_length=300, blank=True)  # as the donor chose: empty when not published
    description = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections", to_field="index"
    )
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    disbursement = models.ForeignKey(
        Disbursement, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    data = models.TextField()
    leaf = models.BinaryField(max_length=32)
    published_at = models.DateTimeField()
    search_key = models.TextField(blank=True)

    class Meta:
        ordering = ["index"]
        indexes = [
            models.Index(fields=["campaign", "index"], name="entry_campaign_index"),
            # The public search's orders: by date then entry, for an amount (and a date range) or dates.
            models.Index(fields=["campaign", "amount", "date", "index"], name="entry_campaign_amount_date"),
            models.Index(fields=["campaign", "date", "index"], name="entry_campaign_date_index"),
            # A campaign's allocations and payments, without reading its donations.
            models.Index(fields=["campaign", "kind", "index"], name="entry_campaign_kind_index"),
        ]

    def __str__(self) -> str:
        return f"#{self.index}"

    def audit_unit_path(self) -> str:
        return self.campaign.unit.path or ""


class LedgerTile(models.Model):
    """A C2SP tlog-tiles tile of the log (``tile/<L>/<N>[.p/<W>]``), written when entries are
    appended; immutable once written, so every tile can be cached forever."""

    path = models.CharField(max_length=100, primary_key=True)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.path


class LedgerCheckpoint(models.Model):
    """A signed checkpoint (tree size, root, time) as published: the note is kept as signed."""

    size = models.BigIntegerField()
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.size} @ {self.signed_at:%Y-%m-%d %H:%M}"


class LedgerHead(models.Model):
    """The log's one row of state: its size. Publishers update it first, which takes the write lock
    (a row lock on PostgreSQL, the database lock on SQLite) before the next index is read, so two
    publishers never interleave."""

    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.size)
