"""The public ledger: publishing appends signed, verifiable entries; corrections never edit; any
change to a published row in the database makes the verification fail."""

from __future__ import annotations

import datetime as dt
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from conftest import People
from doanket.core.models import AuditEntry
from doanket.funds import keys, ledger, merkle, services
from doanket.funds.models import (
    BankAccount,
    Campaign,
    DonorKind,
    LedgerCheckpoint,
    LedgerEntry,
    LedgerTile,
    Receipt,
    ReceiptKind,
)
from doanket.funds.services import FundError
from doanket.funds.tests.test_statements import account, csv_statement  # noqa: F401 - the fixture

DAY = dt.date(2024, 9, 2)


@pytest.fixture
def published(account: BankAccount, users: People) -> Campaign:  # noqa: F811 - the fixture
    """The sample statement's four credits and a hidden cash donor, published."""
    keys.ensure()
    officer = users.province_officer
    statement = services.import_statement(officer, account, "s.csv", csv_statement()).statement
    services.receive_transfers(officer, statement)
    services.record_receipt(
        officer,
        account.campaign,
        kind=ReceiptKind.CASH,
        received_on=DAY,
        amount=2_000_000,
        donor_kind=DonorKind.PERSON,
        donor_name="Lê Thị Hoà",
        show_donor=False,
        receipt_number="PT-0007",
        description="Bà Lê Thị Hoà, thôn 3, gửi tiền mặt",
    )
    assert ledger.publish_receipts(officer, account.campaign) == 5
    services.record_receipt(
        officer,
        account.campaign,
        kind=ReceiptKind.IN_KIND,
        received_on=DAY + dt.timedelta(days=1),
        amount=30_000_000,
        donor_kind=DonorKind.ORGANISATION,
        donor_name="Công ty TNHH Hoà Bình",
        goods="2 tấn gạo, 15.000 đồng/kg; liên hệ 0912 345 678",
    )
    assert ledger.publish_receipts(officer, account.campaign) == 1
    return account.campaign


def _verify() -> list[str]:
    with translation.override("en"):
        return ledger.verify()[1]


def test_publishing_appends_each_donation_once_with_a_signed_checkpoint(published: Campaign, users: People) -> None:
    entries = list(LedgerEntry.objects.order_by("index"))
    assert [e.index for e in entries] == [0, 1, 2, 3, 4, 5]
    assert ledger.publish_receipts(users.province_officer, published) == 0  # nothing new: nothing appended
    checkpoint = ledger.latest_checkpoint()
    assert checkpoint is not None and checkpoint.size == 6
    assert list(LedgerCheckpoint.objects.values_list("size", flat=True)) == [5, 6]
    opened = merkle.open_checkpoint(checkpoint.note, keys.verifiers(), keys.origin())
    assert opened.root_hash == merkle.root([merkle.leaf_hash(e.data.encode()) for e in entries])
    assert opened.time == int(checkpoint.signed_at.timestamp())
    publications = AuditEntry.objects.filter(model="funds.ledgerentry", action="create").order_by("pk")
    assert [a.changes["entries"][1] for a in publications] == ["#0–#4", "#5–#5"]  # who published what
    assert _verify() == []


def test_an_entry_is_the_canonical_json_of_what_is_public_and_nothing_more(published: Campaign) -> None:
    hidden = LedgerEntry.objects.get(receipt__receipt_number="PT-0007")
    data = json.loads(hidden.data)
    assert data["donor"] == "" and data["description"] == ""  # the donor asked not to be named
    assert "Hoà" not in hidden.data and "thôn 3" not in hidden.data
    assert (data["amount"], data["date"], data["ref"], data["via"]) == (2_000_000, "2024-09-02", "PT-0007", "cash")
    assert hidden.data == ledger.entry_text(data)  # keys sorted, no spaces
    named = LedgerEntry.objects.filter(donor__startswith="Công ty").first()
    assert named is not None and json.loads(named.data)["donor"] == named.donor
    assert {"campaign", "index", "kind", "published", "v", "corrects"} <= set(data)
    goods = json.loads(LedgerEntry.objects.get(donor="Công ty TNHH Hoà Bình").data)
    assert goods["description"] == "2 tấn gạo, 15.000 đồng/kg; liên hệ 09…"  # a phone number is masked


def test_every_inclusion_proof_verifies_against_the_signed_checkpoint(published: Campaign) -> None:
    checkpoint = merkle.open_checkpoint(ledger.latest_checkpoint().note, keys.verifiers(), keys.origin())  # type: ignore[union-attr]
    for entry in LedgerEntry.objects.all():
        proof = ledger.inclusion(entry.index)
        assert proof["size"] == checkpoint.size
        hashes = [bytes.fromhex(h) for h in proof["proof"]]
        assert merkle.verify_inclusion(
            merkle.leaf_hash(entry.data.encode()), entry.index, checkpoint.size, hashes, checkpoint.root_hash
        )
    with pytest.raises(merkle.MerkleError):
        ledger.inclusion(6)


def test_a_correction_is_a_new_entry_and_the_totals_count_it_instead(published: Campaign, users: People) -> None:
    hidden = Receipt.objects.get(receipt_number="PT-0007")
    before = ledger.totals(published)
    assert (before.received, before.donations) == (34_200_000, 6)
    first = ledger.latest_checkpoint()
    with translation.override("en"):
        refusals: list[tuple[dict[str, object], str]] = [
            ({"reason": ""}, "reason"),
            ({"amount": 0}, "above zero"),
            ({"amount": 2_000_000}, "Nothing published would change"),
        ]
        for fields, named in refusals:
            values: dict[str, object] = {
                "reason": "Typing error",
                "received_on": DAY,
                "amount": 2_500_000,
                "donor_kind": DonorKind.PERSON,
                "donor_name": "Lê Thị Hoà",
                "show_donor": False,
                "description": "",
            }
            values.update(fields)
            with pytest.raises(FundError, match=named):
                ledger.correct_receipt(users.province_officer, hidden, **values)  # type: ignore[arg-type]
    correction = ledger.correct_receipt(
        users.province_officer,
        hidden,
        reason="Nhầm số tiền trên phiếu thu",
        received_on=DAY,
        amount=2_500_000,
        donor_kind=DonorKind.PERSON,
        donor_name="Lê Thị Hoà",
        show_donor=False,
        description="",
    )
    original = LedgerEntry.objects.get(receipt=hidden, corrects__isnull=True)
    assert correction.corrects == original and correction.index == 6
    assert json.loads(original.data)["amount"] == 2_000_000  # the published entry was not touched
    assert json.loads(correction.data)["reason"] == "Nhầm số tiền trên phiếu thu"
    after = ledger.totals(published)
    assert (after.received, after.donations) == (34_700_000, 6)
    assert ledger.search(published, amount=2_000_000).count() == 0
    assert list(ledger.search(published, amount=2_500_000)) == [correction]
    # The new checkpoint extends the old one: nothing published before was rewritten.
    last = ledger.latest_checkpoint()
    assert first is not None and last is not None and (first.size, last.size) == (6, 7)
    proof = ledger.consistency(first.size, last.size)
    assert merkle.verify_consistency(first.size, last.size, bytes(first.root), bytes(last.root), proof)
    assert AuditEntry.objects.filter(model="funds.receipt", object_id=str(hidden.pk), action="update").count() == 1
    assert _verify() == []


def test_a_transfer_amount_is_the_statement_s_and_cannot_be_corrected(published: Campaign, users: People) -> None:
    transfer = Receipt.objects.filter(kind=ReceiptKind.TRANSFER).first()
    assert transfer is not None
    with translation.override("en"), pytest.raises(FundError, match="bank statement"):
        ledger.correct_receipt(
            users.province_officer,
            transfer,
            reason="x",
            received_on=DAY,
            amount=1,
            donor_kind=DonorKind.PERSON,
            donor_name="A",
            show_donor=True,
            description="",
        )


def test_search_is_accent_insensitive_and_combines_name_amount_and_dates(published: Campaign) -> None:
    assert ledger.search(published, words="nguyễn văn an").count() == 2  # in the memos
    assert ledger.search(published, words="Công ty Hòa Bình").count() == 1  # "hoà" and "hòa" alike
    assert (
        ledger.search(published, words="NGUYEN VAN AN").count()
        == ledger.search(published, words="nguyễn văn an").count()
    )
    assert ledger.search(published, words="thi hoa").count() == 0  # the hidden donor is not searchable by name
    assert ledger.search(published, amount=2_000_000, date_from=DAY, date_to=DAY).count() == 1
    assert ledger.search(published, amount=2_000_000, date_from=DAY + dt.timedelta(days=1)).count() == 0
    assert ledger.search(published, words="PT-0007").count() == 1


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ('UPDATE funds_ledgerentry SET amount = amount + 1 WHERE "index" = 2', "Entry 2: the database says otherwise"),
        (
            "UPDATE funds_ledgerentry SET donor = 'Someone else' WHERE \"index\" = 0",
            "Entry 0: the database says otherwise",
        ),
        (
            'UPDATE funds_ledgerentry SET data = REPLACE(data, \'"amount":\', \'"amount":1\') WHERE "index" = 1',
            "Entry 1: its stored hash",
        ),
        ("UPDATE funds_ledgerentry SET search_key = 'x' WHERE \"index\" = 3", "Entry 3: the database says otherwise"),
        ('DELETE FROM funds_ledgerentry WHERE "index" = 4', "5 are stored"),
        ("UPDATE funds_receipt SET amount = 1 WHERE receipt_number = 'PT-0007'", "without a correction entry"),
        ("UPDATE funds_ledgercheckpoint SET size = 4", "the database says otherwise than the signed note"),
        ("UPDATE funds_campaign SET published_amount = 1", "published totals are not what its entries add up to"),
    ],
)
def test_changing_any_published_row_makes_the_verification_fail(published: Campaign, change: str, problem: str) -> None:
    assert _verify() == []
    _sql(change)
    found = _verify()
    assert any(problem in p for p in found), found
    with translation.override("en"), pytest.raises(CommandError, match="does not verify"):
        call_command("verify_ledger", stdout=StringIO(), stderr=StringIO())


def test_a_changed_tile_fails_the_verification(published: Campaign) -> None:
    tile = LedgerTile.objects.get(path="tile/0/000.p/6")
    LedgerTile.objects.filter(path=tile.path).update(data=bytes(tile.data)[::-1])
    assert any("tile/0/000.p/6" in p for p in _verify())


def test_rewriting_an_entry_and_its_hash_is_caught_by_the_signed_checkpoint(published: Campaign) -> None:
    entry = LedgerEntry.objects.get(index=1)
    forged = entry.data.replace('"amount":500000', '"amount":5000')
    LedgerEntry.objects.filter(pk=entry.pk).update(data=forged, amount=5000, leaf=merkle.leaf_hash(forged.encode()))
    found = _verify()
    assert any("no longer give the root it signed" in p for p in found), found
    assert any("tile/0/000.p/6" in p for p in found), found


def test_checkpoints_need_the_key_outside_the_database_and_survive_its_rotation(
    published: Campaign, users: People
) -> None:
    key_dir = Path(keys._dir())
    assert oct(os.stat(key_dir / keys.SIGNER).st_mode & 0o777) == "0o600"
    old_verifier = keys.verifiers()[0]
    call_command("ledger_key", "--rotate", stdout=StringIO())
    assert keys.verifiers()[1] == old_verifier and len(keys.verifiers()) == 2
    call_command("ledger_checkpoint", stdout=StringIO())
    assert _verify() == []  # old checkpoints verify with the old key, the new one with the new
    newest = ledger.latest_checkpoint()
    assert newest is not None
    with pytest.raises(merkle.MerkleError):
        merkle.open_checkpoint(newest.note, [old_verifier], keys.origin())
    (key_dir / keys.SIGNER).unlink()
    services.record_receipt(
        users.province_officer,
        published,
        kind=ReceiptKind.CASH,
        received_on=DAY,
        amount=1000,
        donor_kind=DonorKind.ANONYMOUS,
        receipt_number="PT-9",
    )
    with pytest.raises(keys.KeyMissing):
        ledger.publish_receipts(users.province_officer, published)
    assert LedgerEntry.objects.count() == 6  # nothing published without a signature


def test_a_trusted_key_list_without_the_signer_fails_the_verification(published: Campaign) -> None:
    (Path(keys._dir()) / keys.VERIFIERS).write_text(merkle.new_key(keys.origin())[1] + "\n", encoding="ascii")
    assert any("Checkpoint" in p for p in _verify())


def test_the_exported_tiles_let_anyone_audit_the_log_without_our_server(published: Campaign, tmp_path: Path) -> None:
    call_command("export_ledger", str(tmp_path / "mirror"), stdout=StringIO())
    mirror = tmp_path / "mirror"

    def fetch(path: str) -> bytes:
        return (mirror / path).read_bytes()

    note = (mirror / "checkpoint").read_text(encoding="utf-8")
    trusted = (mirror / "keys.txt").read_text(encoding="ascii").split()
    checkpoint = merkle.open_checkpoint(note, trusted, keys.origin())
    assert merkle.audit_tiles(fetch, checkpoint.size) == checkpoint.root_hash
    entries = merkle.read_bundle(fetch(merkle.entries_path(0, 6)))
    assert [json.loads(e)["index"] for e in entries] == [0, 1, 2, 3, 4, 5]
    assert LedgerTile.objects.filter(path="tile/0/000.p/5").exists()  # the tile of the first checkpoint stays
    assert LedgerCheckpoint.objects.count() == 2


def test_words_are_matched_whole_and_parts_of_words_only_when_asked(published: Campaign) -> None:
    assert ledger.search(published, words="nguyen van").count() == 2
    assert ledger.search(published, words="nguy").count() == 0  # not a whole word
    assert ledger.search(published, words="nguy", substring=True).count() == 2
    assert ledger.search(published, words="MBVCB.6986253876").count() == 2  # the bank's prefix cut at the dots
    assert ledger.search(published, words="an", amount=500_000).count() == 2  # a short word is a word
    assert ledger.search(published, words="an", amount=1_000_000).count() == 0
    assert ledger.search(published, words="'\"*( OR").count() == 0  # query syntax is only ever text
