"""Reading through the API what the pages show: people (their personal data only to the roles that
see it on the person's page), the funds' donations and payments in scope, a schedule's roll-up as
its page shows it, and the public ledger — to anyone, exactly what the portal shows."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.accounts import tokens
from doanket.api.tests.test_writes import _report, post
from doanket.funds import ledger, spending
from doanket.funds.models import Campaign, CampaignKind, PaymentMethod, RecipientKind
from doanket.funds.tests.test_ledger import DAY, published  # noqa: F401 - the fixture
from doanket.funds.tests.test_statements import account  # noqa: F401 - the fixture
from doanket.reporting import services as reporting


def _bearer(text: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {text}"}


def test_personal_data_comes_only_to_the_roles_that_see_it_on_the_page(
    client: Client, world: World, users: People
) -> None:
    person = world.person_bac_ha
    login(client, users.commune_officer)  # an officer: sees personal data on the person's page
    seen = client.get(f"/api/v1/people/{person.pk}/").json()
    assert (seen["phone"], seen["ethnicity"], seen["religion"]) == ("0912345678", "Mông", "Tin Lành")
    page = client.get(reverse("organizations:person_detail", args=[person.pk])).content.decode()
    assert "0912345678" in page  # the same rule as the page
    assert client.get(f"/api/v1/people/{world.person_sa_pa.pk}/").status_code == 404
    assert {p["id"] for p in client.get("/api/v1/people/").json()["results"]} == {person.pk}

    login(client, users.viewer)  # a viewer: the person, not their personal data
    hidden = client.get(f"/api/v1/people/{person.pk}/").json()
    assert hidden["full_name"] == "Vàng Thị Hoà" and hidden["unit_id"] == world.bac_ha.pk
    assert all(hidden[name] is None for name in ("phone", "ethnicity", "religion", "birth_date", "email"))
    assert "0912345678" not in client.get(reverse("organizations:person_detail", args=[person.pk])).content.decode()
    listed = client.get("/api/v1/people/").content.decode()
    assert "Vàng Thị Hoà" in listed and "0912345678" not in listed and "Tin Lành" not in listed

    _token, read = tokens.issue(users.unit_admin, world.bac_ha, name="Danh bạ", access="read")
    through_token = Client().get(f"/api/v1/people/{person.pk}/", headers=_bearer(read)).json()
    assert through_token["phone"] is None  # a read token reads as a viewer


def test_a_funds_donations_and_payments_are_read_within_the_callers_units(
    client: Client,
    world: World,
    users: People,
    published: Campaign,  # noqa: F811 - the fixture: a province campaign with donations
) -> None:
    allocation = spending.allocate(
        users.province_officer, published, recipient_kind=RecipientKind.PROJECT, project="Sửa trường",
        amount=10_000_000, purpose="Lợp mái", decision_number="15/QĐ", decision_date=DAY, decision_signer="Ông Thắng",
    )  # fmt: skip
    payment = spending.disburse(
        users.province_officer, allocation, paid_on=DAY, amount=4_000_000, method=PaymentMethod.CASH, voucher="PC-1"
    )
    login(client, users.province_officer)
    donations = client.get("/api/v1/donations/", {"campaign": published.pk}).json()["results"]
    assert len(donations) == published.receipts.count() == 6
    assert {d["donor_name"] for d in donations} >= {"Lê Thị Hoà", "Công ty TNHH Hoà Bình"}  # as the receipts page
    payments = client.get("/api/v1/disbursements/").json()["results"]
    assert [(p["id"], p["allocation_id"], p["amount"]) for p in payments] == [(payment.pk, allocation.pk, 4_000_000)]
    login(client, users.commune_officer)  # the province's fund is not the commune's
    assert client.get("/api/v1/donations/").json()["results"] == []
    assert client.get("/api/v1/disbursements/").json()["results"] == []
    assert client.get(f"/api/v1/donations/{donations[0]['id']}/").status_code == 404


def test_the_public_ledger_is_what_the_portal_shows_to_anyone(
    published: Campaign,  # noqa: F811 - the fixture
) -> None:
    anyone = Client()
    listed = anyone.get("/api/v1/ledger/")
    assert listed.status_code == 200 and "public" in listed["Cache-Control"]
    [campaign] = listed.json()["results"]
    assert (campaign["id"], campaign["received"], campaign["donations"]) == (published.pk, 34_200_000, 6)
    assert campaign["entries"] == 6 and "unit_id" not in campaign
    detail = anyone.get(f"/api/v1/ledger/{published.pk}/").json()
    assert detail["unit_name"] == published.unit.name and detail["allocations"] == []
    entries = anyone.get(f"/api/v1/ledger/{published.pk}/entries/").json()
    text = str(entries)
    assert len(entries["results"]) == 6 and entries["next"] is None
    assert "NGUYỄN VĂN AN" in text and "Công ty TNHH Hoà Bình" in text
    assert "Lê Thị Hoà" not in text and "0912" not in text  # a donor who asked not to be named; a phone number
    assert None in {e["donor"] for e in entries["results"]}
    portal = anyone.get(reverse("portal:fund", args=[published.pk]), {"q": "hoa binh"}).content.decode()
    found = anyone.get(f"/api/v1/ledger/{published.pk}/entries/", {"q": "hoa binh"}).json()["results"]
    assert [e["donor"] for e in found] == ["Công ty TNHH Hoà Bình"] and "Công ty TNHH Hoà Bình" in portal
    by_amount = anyone.get(f"/api/v1/ledger/{published.pk}/entries/", {"amount": "30.000.000"}).json()["results"]
    assert [e["amount"] for e in by_amount] == [30_000_000]
    bad = anyone.get(f"/api/v1/ledger/{published.pk}/entries/", {"amount": "nhiều", "date_from": "32/13/2024"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"amount", "date_from"}
    quiet = Campaign.objects.create(
        unit=published.unit, kind=CampaignKind.RELIEF, name="Chưa công khai", starts_on=dt.date(2024, 1, 1)
    )
    assert anyone.get(f"/api/v1/ledger/{quiet.pk}/").status_code == 404
    assert anyone.get(f"/api/v1/ledger/{quiet.pk}/entries/").status_code == 404


def test_published_spending_is_in_the_ledger_without_who_signed_for_it(
    published: Campaign,  # noqa: F811 - the fixture
    users: People,
) -> None:
    allocation = spending.allocate(
        users.province_officer, published, recipient_kind=RecipientKind.PROJECT, project="Sửa trường",
        amount=10_000_000, purpose="Lợp mái", decision_number="15/QĐ", decision_date=DAY, decision_signer="Ông Thắng",
    )  # fmt: skip
    spending.disburse(
        users.province_officer, allocation, paid_on=DAY, amount=4_000_000, method=PaymentMethod.CASH,
        voucher="PC-1", received_by="Lò Văn Minh",
    )  # fmt: skip
    ledger.publish_spending(users.province_officer, published)
    detail = Client().get(f"/api/v1/ledger/{published.pk}/").json()
    [given] = detail["allocations"]
    assert given["fields"]["to"] == "Sửa trường" and given["paid"] == 4_000_000
    assert [p["fields"]["ref"] for p in given["payments"]] == ["PC-1"]
    assert "Lò Văn Minh" not in str(detail)


def test_a_rollup_is_the_units_figures_for_a_period_within_scope(client: Client, world: World, users: People) -> None:
    report = _report(world.bac_ha)
    reporting.submit(users.commune_officer, report, {"so_ho": "120", "ket_qua": "Tốt"}, None)
    schedule = report.schedule
    login(client, users.commune_officer)
    body = client.get(f"/api/v1/rollups/{schedule.pk}/", {"period": "2026-Q1"}).json()
    assert body["unit_id"] == world.bac_ha.pk and body["period"]["key"] == "2026-Q1"
    assert (body["expected"], body["arrived"], body["missing"], body["approved"]) == (1, 1, 0, 0)
    assert [f["code"] for f in body["figures"]] == ["so_ho", "ket_qua"] and body["units"] == []
    bad = client.get(f"/api/v1/rollups/{schedule.pk}/", {"period": "2026-Q9", "unit": "x"})
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"period", "unit"}
    login(client, users.other_commune_officer)
    assert client.get(f"/api/v1/rollups/{schedule.pk}/", {"period": "2026-Q1"}).status_code == 404
    login(client, users.province_officer)  # reads the commune's roll-up, by naming it
    named = client.get(f"/api/v1/rollups/{schedule.pk}/", {"period": "2026-Q1", "unit": str(world.bac_ha.pk)})
    assert named.json()["arrived"] == 1
    assert client.get(f"/api/v1/rollups/{schedule.pk}/", {"unit": world.lang_son.pk}).status_code == 404


def test_every_role_registers_petitions_only_at_the_committees_it_handles(world: World, users: People) -> None:
    """The POST of /api/v1/petitions/ names its committee in the body: each role, at the committee
    of its own unit and at one outside (the matrix walks the GET)."""
    from doanket.accounts.tests.test_authz_matrix import ROLES, scope_of
    from doanket.api.tests.test_writes import PETITION
    from doanket.petitions.forms import handling_committees

    for name in ROLES:
        user = getattr(users, name)
        inside, outside = scope_of(name, world)
        client = Client()
        login(client, user)
        committee = inside if inside.kind == "committee" else inside.parent
        assert committee is not None
        answer = post(client, "/api/v1/petitions/", {**PETITION, "unit": committee.pk})
        if handling_committees(user).filter(pk=committee.pk).exists():
            assert answer.status_code == 201, (name, answer.content)
        else:
            assert answer.status_code in (403, 404), (name, answer.status_code)
        if outside is not None:
            refused = post(client, "/api/v1/petitions/", {**PETITION, "unit": outside.pk})
            assert refused.status_code in (403, 404) and outside.name not in refused.content.decode(), name
