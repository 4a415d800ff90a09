"""The public side of the funds: a campaign's published entries for everyone, searchable without
accents, cacheable, nothing personal; open data and the log's endpoints, each checked with the
verifier a citizen or a mirror would use."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, login
from doanket.funds import keys, ledger, merkle, services
from doanket.funds.models import Campaign, DonorKind, LedgerEntry, Receipt, ReceiptKind
from doanket.funds.tests.test_ledger import DAY, published  # noqa: F401 - the fixture
from doanket.funds.tests.test_statements import account  # noqa: F401 - the fixture


def _checkpoint() -> merkle.Checkpoint:
    note = ledger.latest_checkpoint().note  # type: ignore[union-attr]
    return merkle.open_checkpoint(note, keys.verifiers(), keys.origin())


def test_the_public_page_lists_what_was_published_and_nothing_personal(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
) -> None:
    listing = client.get(reverse("portal:funds"))
    assert listing.status_code == 200 and published.name in listing.content.decode()
    page = client.get(reverse("portal:fund", args=[published.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "34.200.000" in html  # the total received
    assert "NGUYỄN VĂN AN" in html and "Công ty TNHH Hoà Bình" in html
    assert "Hoà, thôn 3" not in html and "Lê Thị Hoà" not in html  # the donor who asked not to be named
    assert "0912" not in html  # a phone number in a description
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html  # a memo is text, never code
    assert html.count("data-check>") == 6


def test_the_public_page_is_cacheable_and_sets_no_cookie(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
) -> None:
    page = client.get(reverse("portal:fund", args=[published.pk]))
    assert "public" in page["Cache-Control"] and "max-age=60" in page["Cache-Control"]
    assert "Cookie" in page["Vary"] and "Accept-Language" in page["Vary"]
    assert not page.cookies  # no CSRF or session cookie: a proxy can share it
    assert b"csrfmiddlewaretoken" not in page.content and b"X-CSRFToken" not in page.content


def test_a_repeated_search_is_served_from_the_cache_for_a_minute(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
) -> None:
    url = reverse("portal:fund", args=[published.pk])
    first = client.get(url, {"q": "nguyen van an"})
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, {"q": "nguyen van an"})
    assert len(captured) == 0 and again.content == first.content
    assert client.get(url, {"q": "nguyen van"}).content != first.content  # another search is another page


def test_an_unpublished_campaign_has_no_public_page(client: Client, published: Campaign) -> None:  # noqa: F811
    other = Campaign.objects.create(unit=published.unit, kind=published.kind, name="Chưa công khai", starts_on=DAY)
    assert client.get(reverse("portal:fund", args=[other.pk])).status_code == 404
    assert "Chưa công khai" not in client.get(reverse("portal:funds")).content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "nguyen van an"}, 2),
        ({"q": "NGUYỄN  văn"}, 2),
        ({"q": "cong ty hòa binh"}, 1),  # old and new tone placement alike
        ({"amount": "500.000"}, 2),
        ({"amount": "500000", "date_from": "01/09/2024", "date_to": "01/09/2024"}, 2),
        ({"amount": "500 000", "date_from": "2024-09-02"}, 0),
        ({"q": "tien mat le thi"}, 0),  # the hidden donor's description is not searchable
        ({"amount": "2.000.000"}, 1),  # but their donation is there
        ({"q": "nguy van"}, 2),  # a word typed in part: found by its parts when no whole word matches
    ],
)
def test_a_donor_finds_their_own_transfer(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
    query: dict[str, str],
    found: int,
) -> None:
    page = client.get(reverse("portal:fund", args=[published.pk]), query)
    assert page.status_code == 200
    assert page.content.decode().count("data-check>") == found, query


def test_a_malformed_amount_or_date_is_said_in_words(client: Client, published: Campaign) -> None:  # noqa: F811
    query = {"amount": "năm trăm", "date_from": "31/02/2024"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the visitor chose English elsewhere
    page = client.get(reverse("portal:fund", args=[published.pk]), query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "The amount must be a number of đồng" in html and "must read dd/mm/yyyy" in html
    assert html.count("data-check>") == 6  # the other criteria still apply: here, none


def test_the_public_page_costs_the_same_queries_whatever_the_size(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
    users: People,
) -> None:
    def queries() -> int:
        caches["pages"].clear()  # the page is cached for a minute: count an uncached one
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:fund", args=[published.pk]), {"q": "ung ho"}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(60):
        services.record_receipt(
            users.province_officer,
            published,
            kind=ReceiptKind.CASH,
            received_on=DAY,
            amount=10_000 + n,
            donor_kind=DonorKind.PERSON,
            donor_name=f"Người ủng hộ {n}",
            receipt_number=f"PT-{100 + n}",
            description="ung ho",
        )
    ledger.publish_receipts(users.province_officer, published)
    assert queries() == before


def test_open_data_carries_every_entry_with_a_proof_that_verifies(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
) -> None:
    checkpoint = _checkpoint()
    as_json = client.get(reverse("portal:fund_json", args=[published.pk]))
    assert as_json.status_code == 200
    data = json.loads(b"".join(as_json.streaming_content))  # type: ignore[attr-defined]
    assert merkle.open_checkpoint(data["checkpoint"], data["keys"], data["origin"]) == checkpoint
    assert len(data["entries"]) == 6
    for item in data["entries"]:
        leaf = merkle.leaf_hash(item["entry"].encode())
        proof = [bytes.fromhex(h) for h in item["proof"]]
        assert merkle.verify_inclusion(leaf, item["index"], checkpoint.size, proof, checkpoint.root_hash)
    as_csv = client.get(reverse("portal:fund_csv", args=[published.pk]))
    text = b"".join(as_csv.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6 and sum(int(r["amount"]) for r in rows) == 34_200_000
    for row in rows:
        entry = LedgerEntry.objects.get(index=int(row["index"]))
        assert row["leaf_hash"] == merkle.leaf_hash(entry.data.encode()).hex()
        proof = [bytes.fromhex(h) for h in row["proof"].split()]
        assert merkle.verify_inclusion(bytes(entry.leaf), entry.index, checkpoint.size, proof, checkpoint.root_hash)
    assert not any("Lê Thị Hoà" in r["donor"] + r["description"] for r in rows)


def test_the_log_is_served_for_monitors_and_mirrors(client: Client, published: Campaign) -> None:  # noqa: F811
    note = client.get(reverse("portal:ledger_checkpoint")).content.decode()
    trusted = client.get(reverse("portal:ledger_keys")).content.decode().split()
    checkpoint = merkle.open_checkpoint(note, trusted, keys.origin())
    assert checkpoint.size == 6

    def fetch(path: str) -> bytes:
        response = client.get(reverse("portal:ledger_tile", args=[path.removeprefix("tile/")]))
        assert response.status_code == 200, path
        assert "immutable" in response["Cache-Control"]
        return response.content

    assert merkle.audit_tiles(fetch, checkpoint.size) == checkpoint.root_hash
    proof = client.get(reverse("portal:ledger_proof", args=[3])).json()
    leaf = merkle.leaf_hash(proof["entry"].encode())
    hashes = [bytes.fromhex(h) for h in proof["proof"]]
    assert merkle.verify_inclusion(leaf, 3, proof["size"], hashes, checkpoint.root_hash)
    first = ledger.latest_checkpoint()
    consistency = client.get(reverse("portal:ledger_consistency"), {"old": 5, "new": 6}).json()
    old_root = merkle.TiledTree(ledger._fetch_tile, 6).root(5)
    assert first is not None
    assert merkle.verify_consistency(
        5, 6, old_root, bytes(first.root), [bytes.fromhex(h) for h in consistency["proof"]]
    )
    for missing in [
        reverse("portal:ledger_proof", args=[6]),
        reverse("portal:ledger_tile", args=["0/001"]),
        reverse("portal:ledger_tile", args=["entries/000.p/7"]),
        reverse("portal:ledger_tile", args=["../../etc/passwd"]),
        reverse("portal:ledger_consistency") + "?old=7&new=6",
        reverse("portal:ledger_consistency") + "?old=x",
    ]:
        assert client.get(missing).status_code == 404, missing


def test_officers_publish_and_correct_from_the_receipts_page(
    client: Client,
    published: Campaign,  # noqa: F811 - the fixture
    users: People,
) -> None:
    login(client, users.province_officer)
    services.record_receipt(
        users.province_officer,
        published,
        kind=ReceiptKind.CASH,
        received_on=DAY,
        amount=700_000,
        donor_kind=DonorKind.PERSON,
        donor_name="Phạm Văn Dũng",
        receipt_number="PT-0042",
    )
    page = client.get(reverse("funds:receipts", args=[published.pk]))
    assert b'data-testid="publishing"' in page.content and "1" in page.content.decode()
    assert client.post(reverse("funds:publish", args=[published.pk])).status_code == 302
    receipt = Receipt.objects.get(receipt_number="PT-0042")
    assert receipt.entries.count() == 1
    url = reverse("funds:receipt_correct", args=[receipt.pk])
    assert client.get(url).status_code == 200
    form = {"reason": "", "received_on": "2024-09-02", "amount": "750000", "donor_kind": "person",
            "donor_name": "Phạm Văn Dũng", "show_donor": "on", "description": ""}  # fmt: skip
    assert client.post(url, form).status_code == 400  # the reason is required
    assert receipt.entries.count() == 1
    form["reason"] = "Phiếu thu ghi 750.000 đồng"
    assert client.post(url, form).status_code == 302
    correction = receipt.entries.order_by("-index").first()
    assert correction is not None and correction.amount == 750_000 and correction.corrects_id is not None
    public = client.get(reverse("portal:fund", args=[published.pk]), {"q": "pham van dung"}).content.decode()
    assert public.count("data-check>") == 1 and "750.000" in public
    assert ledger.verify()[1] == []


def test_a_search_reads_as_far_as_the_page_asked() -> None:
    from doanket.portal.funds import _cap

    assert [_cap(None), _cap("2"), _cap("9"), _cap("x"), _cap("-3"), _cap("0"), _cap("999")] == [
        50,
        100,
        450,
        50,
        50,
        50,
        1000,
    ]
