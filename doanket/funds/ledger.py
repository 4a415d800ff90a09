"""The public ledger: what a committee publishes about its funds, in a log anyone can check.

Publishing appends entries to one append-only log per deployment, hashed as a Merkle tree
(RFC 9162, ``funds.merkle``). Each entry is the canonical JSON of what is published — nothing
personal beyond what the donor agreed to show — and that exact text is the leaf. After every
append, in the same transaction, the new tiles (C2SP tlog-tiles) are written and a checkpoint
(size, root, time) is signed with the key kept outside the database (``funds.keys``).

A mistake is never edited away: ``correct_receipt`` changes the receipt and appends a correction
entry that names the entry it corrects; the public page then counts the correction instead. The
``verify_ledger`` command (:func:`verify`) rehashes every entry, rebuilds the tree, checks every
tile and every checkpoint's signature and root, and checks that the searchable columns and the
receipts still say what the log says: changing any published row makes it fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import fold, nfc
from doanket.funds import keys, merkle
from doanket.funds.models import (
    Allocation,
    Campaign,
    Disbursement,
    DonorKind,
    EntryKind,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerHead,
    LedgerTile,
    Receipt,
    ReceiptKind,
    RecipientKind,
    key_of,
)
from doanket.funds.services import MAX_AMOUNT, FundError, _require

FORMAT = 1  # the "v" of every entry: what its fields mean
BATCH = 5000
SEARCH_TABLE = "ledger_entry_search"  # SQLite FTS5 trigram table (migration 0004)
MAX_ENTRY_BYTES = 4000  # far below a tile bundle's 65,535: a memo is a few hundred characters


def entry_text(fields: dict[str, Any]) -> str:
    """The canonical JSON of an entry: keys sorted, no spaces, UTF-8 as is, NFC. Python and the
    browser hash exactly these bytes."""
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_PHONE = re.compile(r"(?<![0-9])(?:\+?84|0)(?:[ .]?[0-9]){8,10}(?![0-9])")


def masked(text: str) -> str:
    """A memo with phone numbers hidden (a sender sometimes writes theirs): "0912 345 678" → "09…"."""
    return _PHONE.sub(lambda found: found.group()[:2] + "…", text)


def published_fields(receipt: Receipt) -> dict[str, Any]:
    """What a receipt shows the public: amounts, dates, the cash receipt number, the donor only if
    they agreed. The description (a transfer's memo, the goods given, the officer's note) too,
    phone numbers masked, with one exception: a donor who gave their name and asked not to be
    shown keeps the description private as well (it often names them). A memo is what a donor
    searches for; it is attacker-written text, escaped wherever it is shown."""
    hidden = receipt.donor_kind != DonorKind.ANONYMOUS and not receipt.show_donor
    text = receipt.description if receipt.kind == ReceiptKind.TRANSFER else receipt.goods or receipt.description
    description = "" if hidden else masked(text)
    return {
        "date": receipt.received_on.isoformat(),
        "amount": receipt.amount,
        "via": receipt.kind,
        "donor": "" if hidden or receipt.donor_kind == DonorKind.ANONYMOUS else receipt.donor_name,
        "description": nfc(description),
        "ref": receipt.receipt_number,
    }


def recipient(allocation: Allocation) -> str:
    """Who receives an allocation, as the public may read it: a unit or a project by its name, a
    household only by its place (its name is personal data)."""
    with translation.override("vi"):  # published text is the same whatever the officer's language
        if allocation.recipient_kind == RecipientKind.UNIT and allocation.to_campaign is not None:
            return f"{allocation.to_campaign.unit.name} – {allocation.to_campaign.name}"
        if allocation.house is not None:
            return _("Great Solidarity house of a household in %(place)s") % {"place": allocation.house.unit.name}
        if allocation.recipient_kind == RecipientKind.HOUSEHOLD and allocation.household is not None:
            return _("A household in %(place)s") % {"place": allocation.household.unit.name}
        return allocation.project


def allocation_fields(allocation: Allocation) -> dict[str, Any]:
    """What an allocation shows the public: its decision (number, date, signer), the amount, the
    recipient as ``recipient`` says, and its purpose, phone numbers masked."""
    return {
        "date": allocation.decision_date.isoformat(),
        "amount": allocation.amount,
        "to": recipient(allocation),
        "description": nfc(masked(allocation.purpose)),
        "ref": allocation.decision_number,
        "signer": allocation.decision_signer,
    }


def disbursement_fields(payment: Disbursement, allocation_index: int) -> dict[str, Any]:
    """What a payment shows the public: when, how much, how, its voucher, and the allocation entry
    it pays. Who signed for it is personal data and stays with the staff."""
    return {
        "date": payment.paid_on.isoformat(),
        "amount": payment.amount,
        "to": recipient(payment.allocation),
        "via": payment.method,
        "ref": payment.voucher,
        "allocation": allocation_index,
    }


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    """The searchable columns an entry's fields give (spending entries have no donor)."""
    return {"donor": fields.get("donor", ""), "description": fields.get("description", "")}


def _search_key(fields: dict[str, Any]) -> str:
    """The folded words of an entry, then marks of its day and amount that let the word index
    narrow a word search by day and amount too (see ``search``)."""
    words = key_of(fields.get("donor") or fields.get("to", ""), fields.get("description", ""), fields["ref"])
    return f"{words} {_day_mark(fields['date'])} {_amount_mark(fields['amount'])}"


# The marks are written in Unicode's private use area, which no one types: a day is exactly three
# characters, so the trigram index holds one trigram per day whose list is that day's entries (a
# mark like "d2024-09-05" would be eleven trigrams shared by every entry, each read whole).
_MARK_DAY, _MARK_AMOUNT, _MARK_DIGITS = 0xE000, 0xE001, 0xE100


def _day_mark(day: str) -> str:
    offset = dt.date.fromisoformat(day).toordinal() % 65_536
    return chr(_MARK_DAY) + chr(_MARK_DIGITS + offset // 256) + chr(_MARK_DIGITS + offset % 256)


def _amount_mark(amount: int) -> str:
    digits = []
    while True:
        amount, digit = divmod(amount, 256)
        digits.append(chr(_MARK_DIGITS + digit))
        if not amount:
            break
    return chr(_MARK_AMOUNT) + "".join(reversed(digits)) + chr(_MARK_AMOUNT)


MARKED_DAYS = 62  # a word search over a longer date range filters the dates row by row


def _lock_head() -> LedgerHead:
    """The log's head, locked for this transaction (see ``LedgerHead``)."""
    LedgerHead.objects.get_or_create(pk=1)
    LedgerHead.objects.filter(pk=1).update(size=models.F("size"))  # takes the write lock first
    return LedgerHead.objects.select_for_update().get(pk=1)


def _now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def _fetch_tile(path: str) -> bytes:
    row = LedgerTile.objects.filter(path=path).values_list("data", flat=True).first()
    if row is None:
        raise merkle.MerkleError(f"The tile {path} is missing.")
    return bytes(row)


Source = Receipt | Allocation | Disbursement
DONATION_KINDS = (EntryKind.RECEIPT, EntryKind.CORRECTION)


def _kind(source: Source | None, corrects: int | None) -> str:
    if isinstance(source, Allocation):
        return EntryKind.ALLOCATION
    if isinstance(source, Disbursement):
        return EntryKind.DISBURSEMENT
    return EntryKind.CORRECTION if corrects is not None else EntryKind.RECEIPT


def _append(
    actor: Any, campaign: Campaign, items: list[tuple[dict[str, Any], Source | None, int | None]]
) -> list[LedgerEntry]:
    """Append entries (fields, what they publish, index corrected) of ``campaign`` to the log,
    write the new tiles and sign a checkpoint. Runs inside the caller's transaction."""
    signer = keys.signer()  # before anything is written: no key, nothing published
    head = _lock_head()
    published_at = _now()
    stamp = published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    made = []
    for offset, (fields, source, corrects) in enumerate(items):
        index = head.size + offset
        full = {
            **fields,
            "v": FORMAT,
            "index": index,
            "kind": _kind(source, corrects),
            "campaign": campaign.pk,
            "corrects": corrects,
            "published": stamp,
        }
        text = entry_text(full)
        if len(text.encode()) > MAX_ENTRY_BYTES:
            raise FundError(
                _("The description of a donation of %(date)s is too long to publish.") % {"date": fields["date"]}
            )
        made.append(
            LedgerEntry(
                index=index,
                campaign=campaign,
                kind=full["kind"],
                date=dt.date.fromisoformat(fields["date"]),
                amount=fields["amount"],
                **_columns(fields),
                corrects_id=corrects,
                receipt=source if isinstance(source, Receipt) else None,
                allocation=source if isinstance(source, Allocation) else None,
                disbursement=source if isinstance(source, Disbursement) else None,
                data=text,
                leaf=merkle.leaf_hash(text.encode()),
                published_at=published_at,
                search_key=_search_key(fields),
            )
        )
    LedgerEntry.objects.bulk_create(made, batch_size=BATCH)
    replaced = dict(
        LedgerEntry.objects.filter(index__in=[c for _f, _r, c in items if c is not None]).values_list("index", "amount")
    )
    donated = [e for e in made if e.kind in DONATION_KINDS]
    added: int = sum(e.amount - (replaced[e.corrects_id] if e.corrects_id is not None else 0) for e in donated)
    donations: int = sum(1 for e in donated if e.corrects_id is None)
    Campaign.objects.filter(pk=campaign.pk).update(
        published_amount=models.F("published_amount") + added,
        published_count=models.F("published_count") + donations,
        published_allocated=models.F("published_allocated")
        + sum(e.amount for e in made if e.kind == EntryKind.ALLOCATION),
        published_disbursed=models.F("published_disbursed")
        + sum(e.amount for e in made if e.kind == EntryKind.DISBURSEMENT),
    )
    tiles = merkle.extend_tiles(_fetch_tile, head.size, [bytes(entry.leaf) for entry in made])
    LedgerTile.objects.bulk_create([LedgerTile(path=path, data=data) for path, data in tiles.items()], batch_size=BATCH)
    head.size += len(made)
    head.save(update_fields=["size"])
    # One audit entry per publication (who published which entries, and the checkpoint size):
    # the entries themselves are immutable, hashed and signed, so a copy of each would add nothing.
    audit.record(
        actor,
        AuditAction.CREATE,
        made[0],
        after={"entries": f"#{made[0].index}–#{made[-1].index}", "count": len(made), "log_size": head.size},
    )
    _sign(head.size, signer)
    return made


def _sign(size: int, signer: str) -> LedgerCheckpoint:
    root = merkle.TiledTree(_fetch_tile, size).root()
    now = _now()
    note = merkle.sign_checkpoint(merkle.Checkpoint(keys.origin(), size, root), signer, int(now.timestamp()))
    return LedgerCheckpoint.objects.create(size=size, root=root, note=note, signed_at=now)


@transaction.atomic
def sign_checkpoint() -> LedgerCheckpoint:
    """A fresh checkpoint of the log as it stands (run regularly, so that its time says the log
    was still this one then)."""
    signer = keys.signer()
    head = _lock_head()
    return _sign(head.size, signer)


@transaction.atomic
def publish_receipts(actor: Any, campaign: Campaign) -> int:
    """Publish every receipt of ``campaign`` not published yet; returns how many."""
    _require(actor, campaign.unit)
    keys.signer()
    waiting = list(campaign.receipts.filter(entries__isnull=True).order_by("received_on", "pk"))
    if not waiting:
        return 0
    _append(actor, campaign, [(published_fields(receipt), receipt, None) for receipt in waiting])
    return len(waiting)


@transaction.atomic
def publish_spending(actor: Any, campaign: Campaign) -> int:
    """Publish the campaign's allocations and disbursements not published yet (allocations first:
    a payment's entry names the entry of the allocation it pays); returns how many entries."""
    _require(actor, campaign.unit)
    keys.signer()
    related = ("household__unit", "house__unit", "to_campaign__unit")
    allocations = list(
        campaign.allocations.filter(entries__isnull=True).select_related(*related).order_by("decision_date", "pk")
    )
    if allocations:
        _append(actor, campaign, [(allocation_fields(a), a, None) for a in allocations])
    payments = list(
        Disbursement.objects.filter(allocation__campaign=campaign, entries__isnull=True)
        .select_related(*(f"allocation__{name}" for name in related))
        .order_by("paid_on", "pk")
    )
    if payments:
        index_of = dict(
            LedgerEntry.objects.filter(allocation__in={p.allocation_id for p in payments}).values_list(
                "allocation_id", "index"
            )
        )
        _append(actor, campaign, [(disbursement_fields(p, index_of[p.allocation_id]), p, None) for p in payments])
    return len(allocations) + len(payments)


@dataclass
class Spending:
    allocations: list[dict[str, Any]]  # each published allocation, with the published payments of it
    more: bool  # more than were shown


def spending(campaign: Campaign, shown: int = 200) -> Spending:
    """The campaign's published allocations, each with its published payments, as published.
    Read from the (campaign, kind, index) index: the donations around them are never scanned."""
    rows = list(
        campaign.entries.filter(kind__in=[EntryKind.ALLOCATION, EntryKind.DISBURSEMENT])
        .order_by("index")
        .values_list("index", "kind", "data")[: shown * 4]
    )
    allocations: dict[int, dict[str, Any]] = {}
    for index, kind, data in rows:
        fields = json.loads(data)
        row = {"index": index, "data": data, "fields": fields, "day": dt.date.fromisoformat(fields["date"])}
        if kind == EntryKind.ALLOCATION:
            allocations[index] = {**row, "payments": [], "paid": 0}
        elif fields.get("allocation") in allocations:
            parent = allocations[fields["allocation"]]
            parent["payments"].append(row)
            parent["paid"] += fields["amount"]
    shown_rows = list(allocations.values())
    return Spending(allocations=shown_rows[:shown], more=len(shown_rows) > shown or len(rows) == shown * 4)


@transaction.atomic
def correct_receipt(
    actor: Any,
    receipt: Receipt,
    *,
    reason: str,
    received_on: dt.date,
    amount: int,
    donor_kind: str,
    donor_name: str,
    show_donor: bool,
    description: str,
) -> LedgerEntry:
    """Correct a published receipt: the receipt is changed (and audited) and a correction entry
    that names the entry it replaces is appended; the published entry itself is never touched."""
    campaign = receipt.campaign
    _require(actor, campaign.unit)
    reason = nfc(reason).strip()
    if not reason:
        raise FundError(_("Say why the published entry is corrected: the reason is published with it."))
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    last = receipt.entries.order_by("-index").first()
    if last is None:
        raise FundError(_("This donation is not published yet: change it before publishing instead."))
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise FundError(_("The amount must be a whole number of đồng above zero."))
    if receipt.line_id is not None and amount != receipt.amount:
        raise FundError(_("The amount of a transfer is the amount on the bank statement; it cannot be corrected."))
    donor_name = nfc(donor_name).strip()
    if donor_kind == DonorKind.ANONYMOUS:
        donor_name, show_donor = "", False
    elif not donor_name:
        raise FundError(_("Give the donor's name, or record the donation as anonymous."))
    before = audit.snapshot(receipt)
    receipt.received_on, receipt.amount = received_on, amount
    receipt.donor_kind, receipt.donor_name, receipt.show_donor = donor_kind, donor_name, show_donor
    if receipt.kind == "in_kind":
        receipt.goods = nfc(description)
    else:
        receipt.description = nfc(description)
    fields = published_fields(receipt)
    if fields == _published_part(last):
        raise FundError(_("Nothing published would change: the correction is not needed."))
    receipt.save()
    audit.record(actor, AuditAction.UPDATE, receipt, before=before)
    (entry,) = _append(actor, campaign, [({**fields, "reason": reason}, receipt, last.index)])
    return entry


def _published_part(entry: LedgerEntry) -> dict[str, Any]:
    data = json.loads(entry.data)
    return {name: data[name] for name in ("date", "amount", "via", "donor", "description", "ref")}


# --- Reading the log ----------------------------------------------------------------------------


def latest_checkpoint() -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.order_by("-pk").first()


def current(campaign: Campaign) -> models.QuerySet[LedgerEntry]:
    """The donations of ``campaign`` that stand: those no later entry corrects."""
    return campaign.entries.filter(corrections__isnull=True, kind__in=DONATION_KINDS)


@dataclass
class Totals:
    received: int
    donations: int
    allocated: int = 0
    disbursed: int = 0


def totals(campaign: Campaign) -> Totals:
    """What the campaign's standing entries add up to (kept as entries are appended)."""
    return Totals(
        *Campaign.objects.filter(pk=campaign.pk)
        .values_list("published_amount", "published_count", "published_allocated", "published_disbursed")
        .get()
    )


def search(
    campaign: Campaign,
    *,
    words: str = "",
    amount: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    substring: bool = False,
) -> models.QuerySet[LedgerEntry]:
    """The standing donations of ``campaign`` matching every given criterion, in the order to show
    them; words are searched in the donor's name, the description and the receipt number, accents
    and case ignored — as whole words, or (``substring``) as parts of words, which the page asks
    for when whole words found nothing.

    Ordered by date then entry, which the indexes (campaign, amount, date, index) and (campaign,
    date, index) give without sorting, so the first page of a million matches is read, not sorted.
    Words on SQLite are matched by an FTS5 table — whole words (migration 0008) or trigrams
    (0004) — which then drives the query in entry order (its rowid order): a word every entry
    holds costs no more than a rare one."""
    rows = current(campaign)
    if amount is not None:
        rows = rows.filter(amount=amount)
    if date_from is not None:
        rows = rows.filter(date__gte=date_from)
    if date_to is not None:
        rows = rows.filter(date__lte=date_to)
    folded = fold(words)
    if connection.vendor != "sqlite":  # PostgreSQL: both served by the trigram GIN index
        if substring:
            for word in folded.split():
                rows = rows.filter(search_key__contains=word)
        else:
            for token in _TOKEN.findall(folded):  # letters and digits only: nothing to escape
                rows = rows.filter(search_key__regex=rf"\m{token}\M")
        return rows.order_by("date", "index")
    if substring:
        terms = [word for word in folded.split() if len(word) >= 3]  # a trigram needs three letters
        for word in [w for w in folded.split() if len(w) < 3] if terms else folded.split():
            rows = rows.filter(search_key__contains=word)
        table = SEARCH_TABLE
    else:
        terms = _TOKEN.findall(folded)
        table = WORDS_TABLE
    if not terms:
        return rows.order_by("date", "index")
    match = [_quoted(term) for term in terms]
    # The day and amount marks make the index intersect them with the words, instead of the query
    # reading every entry a common word matches to keep those of one day.
    if amount is not None:
        match.append(_quoted(_amount_mark(amount)))
    if (date_from is None) != (date_to is None):  # an open range ends at the campaign's first or last day
        dates = campaign.entries.values_list("date", flat=True)  # each from the (campaign, date) index
        date_from = date_from or dates.order_by("date").first()
        date_to = date_to or dates.order_by("-date").first()
    if date_from is not None and date_to is not None and 0 <= (date_to - date_from).days < MARKED_DAYS:
        days = [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]
        match.append("(" + " OR ".join(_quoted(_day_mark(day.isoformat())) for day in days) + ")")
    return rows.extra(  # noqa: S610 - our table names; the query is a bound parameter
        tables=[table],
        where=[f"{table}.rowid = funds_ledgerentry.id", f"{table} MATCH %s"],
        params=[" AND ".join(match)],
        order_by=[f"{table}.rowid"],
    )


WORDS_TABLE = "ledger_entry_words"  # SQLite FTS5 whole-word table (migration 0008)
_TOKEN = re.compile(r"[^\W_]+")  # a word as the unicode61 tokenizer cuts it


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def inclusion(index: int) -> dict[str, Any]:
    """The inclusion proof of entry ``index`` in the latest checkpoint, with that checkpoint."""
    checkpoint = latest_checkpoint()
    if checkpoint is None or not 0 <= index < checkpoint.size:
        raise merkle.MerkleError(f"No entry {index} in the latest checkpoint.")
    proof = merkle.TiledTree(_fetch_tile, checkpoint.size).inclusion_proof(index)
    return {"index": index, "size": checkpoint.size, "proof": [h.hex() for h in proof], "checkpoint": checkpoint.note}


def consistency(old_size: int, new_size: int) -> list[bytes]:
    checkpoint = latest_checkpoint()
    if checkpoint is None or not 0 <= old_size <= new_size <= checkpoint.size:
        raise merkle.MerkleError(f"No consistency proof from {old_size} to {new_size}.")
    return merkle.TiledTree(_fetch_tile, new_size).consistency_proof(old_size)


def tile(path: str) -> bytes | None:
    """A tile or an entry bundle by its C2SP path, as long as the log has it; None otherwise."""
    if path.startswith("tile/entries/"):
        size = LedgerHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0
        try:
            index, width = merkle.parse_entries_path(path)
        except merkle.MerkleError:
            return None
        first = index * merkle.TILE_WIDTH
        if first + width > size:
            return None
        texts = LedgerEntry.objects.filter(index__gte=first, index__lt=first + width).order_by("index")
        return b"".join(merkle.length_prefixed(text.encode()) for text in texts.values_list("data", flat=True))
    data = LedgerTile.objects.filter(path=path).values_list("data", flat=True).first()
    return None if data is None else bytes(data)


# --- Verifying the whole log ----------------------------------------------------------------------


def _entries() -> Iterator[tuple[Any, ...]]:
    return (
        LedgerEntry.objects.order_by("index")
        .values_list(
            "index",
            "campaign_id",
            "kind",
            "date",
            "amount",
            "donor",
            "description",
            "corrects_id",
            "data",
            "leaf",
            "search_key",
            "receipt_id",
            "allocation_id",
            "disbursement_id",
        )
        .iterator(chunk_size=BATCH)
    )


def verify() -> tuple[int, list[str]]:
    """Check the whole log: (entries checked, problems found). No problem means every entry hashes
    to the tree every signed checkpoint commits to, every tile is the tree's, and the searchable
    columns and the receipts say what the entries say."""
    problems: list[str] = []
    leaves: list[bytes] = []
    last_of_receipt: dict[int, dict[str, Any]] = {}
    spent: dict[str, dict[int, dict[str, Any]]] = {"allocation": {}, "disbursement": {}}
    expected = 0
    for (
        index,
        campaign,
        kind,
        date,
        amount,
        donor,
        description,
        corrects,
        data,
        leaf,
        search_key,
        receipt,
        allocation,
        disbursement,
    ) in _entries():
        if index != expected:
            problems.append(_("Entry %(n)s is missing from the log.") % {"n": expected})
            expected = index
        expected += 1
        computed = merkle.leaf_hash(data.encode())
        leaves.append(computed)
        if bytes(leaf) != computed:
            problems.append(_("Entry %(n)s: its stored hash is not the hash of its text.") % {"n": index})
        try:
            fields = json.loads(data)
        except ValueError:
            problems.append(_("Entry %(n)s: its text is not JSON.") % {"n": index})
            continue
        columns = {
            "index": index,
            "campaign": campaign,
            "kind": kind,
            "date": date.isoformat(),
            "amount": amount,
            "corrects": corrects,
        }
        stored = {"donor": donor, "description": description}
        changed = sorted(
            [name for name, value in columns.items() if fields.get(name) != value]
            + [name for name, value in _columns(fields).items() if value != stored[name]]
        )
        if search_key != _search_key(fields):
            changed.append("search_key")
        if changed:
            problems.append(
                _("Entry %(n)s: the database says otherwise than the published text (%(fields)s).")
                % {"n": index, "fields": ", ".join(changed)}
            )
        if receipt is not None:
            last_of_receipt[receipt] = fields
        if allocation is not None:
            spent["allocation"][allocation] = fields
        if disbursement is not None:
            spent["disbursement"][disbursement] = fields
    tree = merkle.Tree(leaves)  # built once: O(n) hashes
    size = tree.size
    head = LedgerHead.objects.filter(pk=1).values_list("size", flat=True).first() or 0
    if head != size:
        problems.append(
            _("The log says it holds %(head)s entries, but %(size)s are stored.") % {"head": head, "size": size}
        )
    problems += _verify_totals()
    problems += _verify_checkpoints(tree)
    problems += _verify_tiles(tree)
    problems += _verify_receipts(last_of_receipt)
    problems += _verify_spending(spent)
    return size, problems


def _verify_totals() -> list[str]:
    standing = LedgerEntry.objects.filter(corrections__isnull=True).values("campaign").order_by()
    donations = models.Q(kind__in=DONATION_KINDS)
    sums = {
        row["campaign"]: (row["total"] or 0, row["n"], row["allocated"] or 0, row["disbursed"] or 0)
        for row in standing.annotate(
            total=models.Sum("amount", filter=donations),
            n=models.Count("pk", filter=donations),
            allocated=models.Sum("amount", filter=models.Q(kind=EntryKind.ALLOCATION)),
            disbursed=models.Sum("amount", filter=models.Q(kind=EntryKind.DISBURSEMENT)),
        )
    }
    problems = []
    published = ("pk", "published_amount", "published_count", "published_allocated", "published_disbursed")
    for pk, *figures in Campaign.objects.values_list(*published):
        if sums.get(pk, (0, 0, 0, 0)) != tuple(figures):
            problems.append(_("Campaign %(pk)s: its published totals are not what its entries add up to.") % {"pk": pk})
    return problems


def _verify_checkpoints(tree: merkle.Tree) -> list[str]:
    problems = []
    trusted = keys.verifiers()
    previous = 0
    for pk, size, root, note in LedgerCheckpoint.objects.order_by("pk").values_list("pk", "size", "root", "note"):
        try:
            opened = merkle.open_checkpoint(note, trusted, keys.origin())
        except merkle.MerkleError as error:
            problems.append(_("Checkpoint %(pk)s: %(error)s") % {"pk": pk, "error": error})
            continue
        if opened.size != size or opened.root_hash != bytes(root):
            problems.append(_("Checkpoint %(pk)s: the database says otherwise than the signed note.") % {"pk": pk})
        if opened.size < previous:
            problems.append(
                _("Checkpoint %(pk)s: the log shrank from %(old)s to %(new)s entries.")
                % {"pk": pk, "old": previous, "new": opened.size}
            )
        elif opened.size > tree.size or tree.root(opened.size) != opened.root_hash:
            problems.append(
                _("Checkpoint %(pk)s: the entries no longer give the root it signed for %(size)s entries.")
                % {"pk": pk, "size": opened.size}
            )
        previous = max(previous, opened.size)
    return problems


def _verify_tiles(tree: merkle.Tree) -> list[str]:
    problems = []
    levels: dict[int, bytes] = {}  # each level copied once, not once per tile
    for path, data in LedgerTile.objects.order_by("path").values_list("path", "data").iterator(chunk_size=BATCH):
        try:
            level, index, width = merkle.parse_tile_path(path)
            if level not in levels:
                levels[level] = tree.level(merkle.TILE_HEIGHT * level)
            start = index * merkle.TILE_WIDTH * merkle.HASH_SIZE
            expected = levels[level][start : start + width * merkle.HASH_SIZE]
            matches = len(expected) == width * merkle.HASH_SIZE and bytes(data) == expected
        except merkle.MerkleError:
            matches = False
        if not matches:
            problems.append(_("The tile %(path)s is not the tile the entries give.") % {"path": path})
    return problems


def _verify_receipts(last_of_receipt: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    for receipt in Receipt.objects.filter(pk__in=list(last_of_receipt)).order_by("pk").iterator(chunk_size=BATCH):
        published = last_of_receipt[receipt.pk]
        if any(published.get(name) != value for name, value in published_fields(receipt).items()):
            problems.append(
                _("Donation %(pk)s was changed after it was published, without a correction entry.")
                % {"pk": receipt.pk}
            )
    return problems


def _differs(published: dict[str, Any], now: dict[str, Any]) -> bool:
    """Whether the record says otherwise than its entry. The recipient's wording is left out: it
    names a unit, which may be renamed (or merged) after the entry was published."""
    return any(published.get(name) != value for name, value in now.items() if name != "to")


def _verify_spending(spent: dict[str, dict[int, dict[str, Any]]]) -> list[str]:
    """Published allocations and payments still say, in the database, what their entries say."""
    problems = []
    index_of = {}
    allocations = Allocation.objects.filter(pk__in=list(spent["allocation"])).select_related(
        "household__unit", "house__unit", "to_campaign__unit"
    )
    for allocation in allocations.order_by("pk").iterator(chunk_size=BATCH):
        published = spent["allocation"][allocation.pk]
        index_of[allocation.pk] = published["index"]
        if _differs(published, allocation_fields(allocation)):
            problems.append(_("Allocation %(pk)s was changed after it was published.") % {"pk": allocation.pk})
    payments = Disbursement.objects.filter(pk__in=list(spent["disbursement"])).select_related(
        "allocation__household__unit", "allocation__house__unit", "allocation__to_campaign__unit"
    )
    for payment in payments.order_by("pk").iterator(chunk_size=BATCH):
        published = spent["disbursement"][payment.pk]
        fields = disbursement_fields(payment, index_of.get(payment.allocation_id, -1))
        if _differs(published, fields):
            problems.append(_("Disbursement %(pk)s was changed after it was published.") % {"pk": payment.pk})
    return problems
