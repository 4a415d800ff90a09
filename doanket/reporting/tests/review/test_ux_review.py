"""What an officer reads: pages that must not contradict the data, numbers written 1.234.567."""

from __future__ import annotations

import io

import docx
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.reporting import exports, periods, rollup
from doanket.reporting.models import RollupCell
from doanket.reporting.tests.conftest import GOOD, Setup
from doanket.reporting.tests.review.helpers import post


def test_a_commune_sees_its_own_periods_as_opened(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    post(client, setup.bac_ha, GOOD)
    page = client.get(reverse("reporting:schedule", args=[setup.schedule.pk])).content.decode()
    q2 = next(row for row in page.split("<tr>") if "period=2026-Q2" in row)
    assert "Quý II/2026" in q2
    assert "chưa mở" not in q2, q2  # Q2 is open: the commune's report was made and submitted


def test_the_dashboard_of_a_reporting_commune_does_not_say_nothing_is_expected(
    client: Client, users: People, setup: Setup
) -> None:
    login(client, users.commune_officer)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Báo cáo quý của các xã" in page
    assert "không có báo cáo phải gửi" not in page


def test_the_form_page_has_one_upload_of_a_new_version(client: Client, users: People, setup: Setup) -> None:
    login(client, users.province_officer)
    page = client.get(reverse("reporting:form", args=[setup.schedule.form_id])).content.decode()
    assert page.count('data-testid="upload-version"') == 1


def test_the_word_report_writes_counts_the_vietnamese_way(world: World, setup: Setup) -> None:
    period = periods.parse("2026-Q2")
    cell = RollupCell(
        schedule=setup.schedule,
        unit=world.central,
        period=period.key,
        expected=100_000,
        arrived=95_000,
        on_time=90_000,
        approved=80_000,
    )
    table = rollup.Table(setup.schedule, world.central, period, None, cell, [], [], None, None)
    data = exports.report_document(table, "ỦY BAN TRUNG ƯƠNG", {})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "95.000" in text and "100.000" in text, text[:300]
