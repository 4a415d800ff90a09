"""The pages of allocations, payments, households and houses, through real HTTP: what each role
sees, the messages a refusal gives, and a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World, login, make_unit
from doanket.funds import houses, spending
from doanket.funds.models import (
    Allocation,
    Campaign,
    Disbursement,
    Evidence,
    House,
    Household,
    LedgerEntry,
    PovertyStatus,
    RecipientKind,
)
from doanket.organizations.models import Level

DECIDED = "2024-09-10"


def _allocate_form(**fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "recipient_kind": RecipientKind.PROJECT,
        "project": "Sửa trường tiểu học Bản Phố",
        "amount": "10000000",
        "purpose": "Lợp lại mái trường",
        "decision_number": "15/QĐ-MTTQ",
        "decision_date": DECIDED,
        "decision_signer": "Nguyễn Văn Thắng",
    }
    values.update(fields)
    return values


def test_a_campaign_allocates_pays_keeps_evidence_and_publishes_through_the_pages(
    client: Client, published: Campaign, users: People, world: World
) -> None:
    login(client, users.province_officer)
    household = houses.register_household(
        users.province_officer,
        world.bac_ha_village,
        head_name="Giàng Seo Páo",
        status=PovertyStatus.POOR,
        classified_year=2024,
    )
    url = reverse("funds:allocations", args=[published.pk])
    refused = client.post(url, _allocate_form(amount="50000000"))
    assert refused.status_code == 400
    assert "Quỹ chỉ còn 34.200.000 đồng chưa phân bổ: không thể phân bổ 50.000.000 đồng." in refused.content.decode()
    assert not Allocation.objects.exists()
    made = client.post(
        url, _allocate_form(recipient_kind=RecipientKind.HOUSEHOLD, household=household.pk, amount="3000000")
    )
    allocation = Allocation.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("funds:allocation", args=[allocation.pk])
    pay = reverse("funds:disburse", args=[allocation.pk])
    payment = {"paid_on": "2024-09-12", "amount": "3000001", "method": "cash", "voucher": "PC-001"}
    page = client.post(pay, payment, follow=True).content.decode()
    assert "Khoản phân bổ này chỉ còn 3.000.000 đồng chưa chi" in page
    client.post(pay, {**payment, "amount": "3000000", "received_by": "Lò Văn Minh"})
    assert Disbursement.objects.get().amount == 3_000_000
    evidence = reverse("funds:allocation_evidence", args=[allocation.pk])
    photo = SimpleUploadedFile("ban-giao.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
    client.post(evidence, {"file": photo, "payment": Disbursement.objects.get().pk})
    kept = Evidence.objects.get()
    assert kept.disbursement == Disbursement.objects.get()
    download = client.get(reverse("funds:evidence", args=[kept.pk]))
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    detail = client.get(reverse("funds:allocation", args=[allocation.pk])).content.decode()
    assert "Giàng Seo Páo" in detail and "Lò Văn Minh" in detail and "ban-giao.png" in detail
    publish = client.post(reverse("funds:publish", args=[published.pk]), {"spending": "1"})
    assert publish["Location"] == url
    assert LedgerEntry.objects.filter(kind__in=["allocation", "disbursement"]).count() == 2
    public = Client().get(reverse("portal:fund", args=[published.pk])).content.decode()
    assert "Một hộ gia đình ở Ban công tác Mặt trận thôn Na Hối" in public
    assert "Quyết định 15/QĐ-MTTQ, người ký Nguyễn Văn Thắng" in public
    assert "Giàng Seo Páo" not in public and "Lò Văn Minh" not in public
    assert "3.000.000" in public


def test_a_viewer_sees_the_spending_but_no_household_and_no_recipient(
    client: Client, published: Campaign, users: People, world: World
) -> None:
    household = Household.objects.create(
        unit=world.bac_ha_village, head_name="Giàng Seo Páo", status=PovertyStatus.POOR, classified_year=2024
    )
    allocation = spending.allocate(
        users.province_officer,
        published,
        recipient_kind=RecipientKind.HOUSEHOLD,
        household=household,
        amount=1_000_000,
        purpose="Hỗ trợ",
        decision_number="1/QĐ",
        decision_date=dt.date(2024, 9, 10),
        decision_signer="Chủ tịch",
    )
    spending.disburse(
        users.province_officer,
        allocation,
        paid_on=dt.date(2024, 9, 11),
        amount=1_000_000,
        method="cash",
        voucher="PC-1",
        received_by="Lò Văn Minh",
    )
    login(client, users.viewer)
    page = client.get(reverse("funds:allocation", args=[allocation.pk])).content.decode()
    assert "1/QĐ" in page and "Ban công tác Mặt trận thôn Na Hối" in page
    assert "Giàng Seo Páo" not in page and "Lò Văn Minh" not in page
    assert 'action="' + reverse("funds:disburse", args=[allocation.pk]) not in page  # no forms for a viewer
    assert client.get(reverse("funds:households")).status_code == 403
    assert client.get(reverse("funds:household", args=[household.pk])).status_code == 404
    assert "Hộ nghèo" not in client.get(reverse("funds:campaigns")).content.decode()  # no link that would refuse


def test_the_allocations_page_costs_the_same_queries_for_one_allocation_or_twenty(
    client: Client, published: Campaign, users: People
) -> None:
    login(client, users.province_officer)
    url = reverse("funds:allocations", args=[published.pk])

    def allocate(n: int) -> None:
        allocation = spending.allocate(
            users.province_officer,
            published,
            recipient_kind=RecipientKind.PROJECT,
            project=f"Công trình {n}",
            amount=100_000,
            purpose="Sửa chữa",
            decision_number=f"{n}/QĐ",
            decision_date=dt.date(2024, 9, 10),
            decision_signer="Chủ tịch",
        )
        spending.disburse(
            users.province_officer,
            allocation,
            paid_on=dt.date(2024, 9, 11),
            amount=50_000,
            method="transfer",
            voucher=f"UNC-{n}",
        )

    allocate(0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 20):
        allocate(n)
    with CaptureQueriesContext(connection) as twenty:
        body = client.get(url).content.decode()
    assert "19/QĐ" in body
    assert len(twenty) == len(one), [q["sql"] for q in twenty]


def test_households_are_registered_and_found_without_accents(client: Client, users: People, world: World) -> None:
    login(client, users.commune_officer)
    url = reverse("funds:households")
    form = {
        "unit": world.bac_ha_village.pk,
        "head_name": "Vàng Thị Hoà",
        "members": "4",
        "status": PovertyStatus.NEAR_POOR,
        "classified_year": "2025",
        "id_number": "12ab",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and "Số căn cước công dân có 12 chữ số." in refused.content.decode()
    made = client.post(url, {**form, "id_number": "001122334455"})
    household = Household.objects.get()
    assert made["Location"] == reverse("funds:household", args=[household.pk])
    assert "Vàng Thị Hoà" in client.get(url, {"q": "vang thi hoa"}).content.decode()
    assert "Vàng Thị Hoà" in client.get(url, {"q": "Vàng Thị Hòa"}).content.decode()
    assert "Vàng Thị Hoà" not in client.get(url, {"q": "nguyen"}).content.decode()
    approve = client.post(
        reverse("funds:household", args=[household.pk]),
        {
            "work": "new",
            "decision_number": "08/QĐ-UBND",
            "approved_on": "2026-03-02",
            "from_fund": "0",
            "from_budget": "40000000",
            "from_family": "20000000",
            "from_sponsors": "0",
        },
    )
    house = House.objects.get()
    assert approve["Location"] == reverse("funds:house", args=[house.pk])
    client.post(reverse("funds:house_advance", args=[house.pk]), {"on": "2026-04-01"})
    client.post(reverse("funds:house_advance", args=[house.pk]), {"on": "2026-06-15"})
    house.refresh_from_db()
    assert (house.stage, house.handed_over_on) == ("handed_over", dt.date(2026, 6, 15))
    login(client, users.province_officer)
    counts = client.get(reverse("funds:houses")).content.decode()
    assert "Ủy ban MTTQ xã Bắc Hà" in counts and "60.000.000" in counts
    assert "Vàng Thị Hoà" not in counts  # the counts page names no household


def test_the_allocation_form_sends_fifty_households_and_finds_the_others_by_search(
    client: Client, published: Campaign, users: People, world: World
) -> None:
    """A province has thousands of poor households: the form lists the first fifty, a search box
    asks for the others (accents ignored, only those of the campaign's unit and below), and a
    household that was never listed can still be chosen."""
    names = [f"Hộ thử {n:02d}" for n in range(60)]
    for name in names:
        houses.register_household(
            None, world.sa_pa_village, head_name=name, status=PovertyStatus.POOR, classified_year=2025
        )
    last = houses.register_household(
        None, world.bac_ha_village, head_name="Trần Thị Lụa", address="thôn Na Hối", status=PovertyStatus.POOR,
        classified_year=2025,
    )  # fmt: skip
    elsewhere = make_unit(world.lang_son, "Ủy ban MTTQ xã Hữu Lũng", Level.COMMUNE)
    houses.register_household(
        None, elsewhere, head_name="Trần Văn Lạng", status=PovertyStatus.POOR, classified_year=2025
    )  # another province: never offered to Lào Cai's campaign
    login(client, users.province_officer)
    page = client.get(reverse("funds:allocations", args=[published.pk])).content.decode()
    options = page.split('name="household"', 1)[1].split("</select>", 1)[0]
    assert options.count("<option") == 51  # the empty choice and fifty households
    assert "Hộ thử 00" in options and "Trần Thị Lụa" not in options
    assert f'hx-get="{reverse("funds:recipients", args=[published.pk])}?kind=household"' in page
    found = client.get(reverse("funds:recipients", args=[published.pk]), {"kind": "household", "household_q": "tran"})
    assert found.status_code == 200
    text = found.content.decode()
    assert f'<option value="{last.pk}">Trần Thị Lụa — thôn Na Hối</option>' in text
    assert "Lạng" not in text and "Hộ thử" not in text
    many = client.get(reverse("funds:recipients", args=[published.pk]), {"kind": "household", "household_q": "ho thu"})
    assert (
        many.content.decode().count('<option value="') == 51
        and "50 kết quả đầu tiên: gõ thêm để thu hẹp" in many.content.decode()
    )
    # Chosen from the search, it is validated against every household of the campaign's units.
    made = client.post(
        reverse("funds:allocations", args=[published.pk]),
        _allocate_form(recipient_kind=RecipientKind.HOUSEHOLD, project="", household=str(last.pk), amount="2000000"),
    )
    assert made.status_code == 302 and Allocation.objects.get().household == last
    # A form sent back with an error keeps the household chosen in its list.
    kept = client.post(
        reverse("funds:allocations", args=[published.pk]),
        _allocate_form(recipient_kind=RecipientKind.HOUSEHOLD, project="", household=str(last.pk), amount="0"),
    )
    assert f'<option value="{last.pk}" selected>' in kept.content.decode()
    assert client.get(reverse("funds:recipients", args=[published.pk]), {"kind": "x"}).status_code == 404
