"""Forms laid out in an Excel sheet: the round trip, and every wrong row named."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.reporting import definitions, services
from doanket.reporting.models import FormVersion, Indicator, Report, ReportForm
from doanket.reporting.tests.conftest import SECTIONS, Setup

FIELDS = [
    "code",
    "label",
    "type",
    "measure",
    "required",
    "min_value",
    "max_value",
    "choices",
    "rollup",
    "sum_of",
    "key",
]


def sheet(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.append([str(label) for _key, label in definitions.COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_sheet_of_a_form_makes_the_same_form(world: World) -> None:
    version = services.create_form(None, world.lao_cai, "goc", "Mẫu gốc", SECTIONS)
    data = definitions.definition_workbook(version)
    read = definitions.read_definition(data, "goc.xlsx")
    assert read.errors == []
    assert [s["title"] for s in read.sections] == [s["title"] for s in SECTIONS]
    copy = services.create_form(None, world.lao_cai, "ban-sao", "Bản sao", read.sections)
    original = list(Indicator.objects.filter(version=version).values(*FIELDS))
    copied = list(Indicator.objects.filter(version=copy).values(*FIELDS))
    assert copied == original


def test_every_wrong_row_is_named_and_nothing_is_made(client: Client, world: World, users: People) -> None:
    bad = sheet(
        [
            ["I", "Số liệu", "ho", "Số hộ", "Số nguyên"],
            ["I", "Số liệu", "ho", "Số hộ trùng mã", "integer"],  # row 3: code twice
            ["I", "Số liệu", "Tiền!", "Tiền", "money"],  # row 4: bad code
            ["I", "Số liệu", "kieu", "Kiểu lạ", "ngày tháng"],  # row 5: unknown type
            ["I", "Số liệu", "chon", "Đánh giá", "choice", "", "", "", "", "Tốt"],  # row 6: one choice
            ["I", "Số liệu", "tong", "Tổng", "integer", "", "", "", "", "", "", "ho + khong_co"],  # row 7: bad sum
            ["I", "Số liệu", "ty_le", "Tỷ lệ", "percent", "", "", 90, 10],  # row 8: min > max
        ]
    )
    login(client, users.province_officer)
    response = client.post(
        reverse("reporting:form_new"),
        {
            "unit": world.lao_cai.pk,
            "title": "Mẫu lỗi",
            "code": "mau-loi",
            "file": SimpleUploadedFile("mau.xlsx", bad),
        },
    )
    assert response.status_code == 400
    problems = response.context["problems"]
    for row in (3, 4, 5, 6, 7, 8):
        assert any(f"mau.xlsx, row {row}" in p or f"mau.xlsx, dòng {row}" in p for p in problems), row
    assert not any("row 2:" in p or "dòng 2:" in p for p in problems)
    assert not ReportForm.objects.filter(code="mau-loi").exists()


def test_a_new_version_is_used_by_periods_opened_after_it(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    form = setup.schedule.form
    login(client, users.province_officer)
    data = client.get(reverse("reporting:form_definition", args=[form.pk])).content
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    ws.append(["I", "Kết quả công tác", "ho_ngheo", "Hộ nghèo được hỗ trợ", "integer", "hộ"])
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        reverse("reporting:form_version_new", args=[form.pk]),
        {"note": "Thêm chỉ tiêu hộ nghèo", "file": SimpleUploadedFile("v2.xlsx", out.getvalue())},
    )
    assert response.status_code == 302
    v2 = FormVersion.objects.get(form=form, number=2)
    assert v2.indicators.filter(code="ho_ngheo").exists()
    assert setup.bac_ha.version.number == 1  # the open period keeps its version
    from doanket.reporting.periods import parse

    services.open_period(setup.schedule, parse("2026-Q3"))
    assert Report.objects.get(schedule=setup.schedule, unit=world.bac_ha, period="2026-Q3").version == v2
    # A commune may read the province's form but not change it.
    login(client, users.commune_officer)
    assert client.get(reverse("reporting:form", args=[form.pk])).status_code == 200
    refused = client.post(
        reverse("reporting:form_version_new", args=[form.pk]),
        {"note": "x", "file": SimpleUploadedFile("v3.xlsx", out.getvalue())},
    )
    assert refused.status_code == 403
