"""The demo's funds: a relief campaign with two statements that add up, shown to its province's
officer; a commune's Fund for the Poor forwarding to the province's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from doanket.accounts.models import User
from doanket.demo.funds import POOR, YAGI, load_funds
from doanket.demo.loader import load_demo
from doanket.funds import ledger
from doanket.funds.models import Campaign, House, Statement, StatementLine
from doanket.organizations.models import Level, Unit


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_relief_campaign_has_two_consecutive_statements_that_add_up_and_loads_once() -> None:
    yagi = Campaign.objects.get(name=YAGI)
    first, second = Statement.objects.filter(account__campaign=yagi).order_by("period_start")
    assert (first.layout, second.layout) == ("table", "vietcombank-pdf")
    assert (first.line_count, second.line_count) == (300, 600)
    assert second.opening_balance == first.closing_balance
    assert StatementLine.objects.filter(statement__account__campaign=yagi).count() == 900
    province = yagi.unit
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("official_code").first()
    assert commune is not None
    load_funds(province, commune)  # again: nothing added
    assert Statement.objects.filter(account__campaign=yagi).count() == 2
    assert Campaign.objects.get(unit=commune).forwards_to == Campaign.objects.get(name=POOR)


def test_the_province_officer_reads_the_campaign_and_finds_a_donation() -> None:
    client = Client()
    client.force_login(User.objects.get(username="tinh.laocai"))
    yagi = Campaign.objects.get(name=YAGI)
    page = client.get(reverse("funds:campaign", args=[yagi.pk]))
    assert page.status_code == 200 and "sao-ke-vietcombank-mau.pdf" in page.content.decode()
    line = StatementLine.objects.filter(statement__account__campaign=yagi, credit__gt=0).order_by("pk")[5]
    statement = line.statement
    name = line.description.split(" ")[0] if not line.counterparty else line.counterparty.split(" - ")[0]
    found = client.get(reverse("funds:statement", args=[statement.pk]), {"q": name.lower()})
    assert found.status_code == 200 and line.reference in found.content.decode()


def test_the_first_statement_is_published_and_the_ledger_verifies() -> None:
    yagi = Campaign.objects.get(name=YAGI)
    credits = StatementLine.objects.filter(statement__layout="table", credit__gt=0).count()
    assert yagi.entries.filter(kind="receipt").count() == credits > 0
    page = Client().get(reverse("portal:fund", args=[yagi.pk]))
    spent = yagi.entries.filter(kind__in=["allocation", "disbursement"]).count()
    assert page.status_code == 200 and page.content.decode().count("data-check>") == 50 + spent
    size, problems = ledger.verify()
    assert problems == [] and size == yagi.entries.count()


def test_the_relief_campaign_spends_on_houses_and_a_school_and_publishes_it() -> None:
    yagi = Campaign.objects.get(name=YAGI)
    totals = ledger.totals(yagi)
    assert (totals.allocated, totals.disbursed) == (115_000_000, 75_000_000)
    assert totals.received >= totals.allocated  # nothing spent that the fund did not hold
    stages = sorted(House.objects.filter(campaign=yagi).values_list("stage", flat=True))
    assert stages == ["approved", "building", "handed_over"]
    assert ledger.verify()[1] == []
    page = Client().get(reverse("portal:fund", args=[yagi.pk])).content.decode()
    assert "35/QĐ-MTTQ" in page and "Giàng Seo Páo" not in page
    officer = User.objects.get(username="tinh.laocai")
    client = Client()
    client.force_login(officer)
    counts = client.get(reverse("funds:houses")).content.decode()
    assert "170.000.000" in counts  # the commune's three houses: 60 + 60 + 50 million
