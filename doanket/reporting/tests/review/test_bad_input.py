"""Bad input that must get a clear answer (404 or a message), never a 500 or silently wrong figures."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.reporting import definitions, services
from doanket.reporting.models import Indicator, Report, Schedule, Status
from doanket.reporting.periods import parse
from doanket.reporting.tests.conftest import Setup
from doanket.reporting.tests.review.helpers import as_bytes, row_of, workbook_of
from doanket.reporting.values import check


def _quiet(client: Client) -> Client:
    client.raise_request_exception = False
    return client


def _rewrite(data: bytes, member: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item.filename))
    return out.getvalue()


# --- Query parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reporting:rollup", "reporting:rollup_xlsx", "reporting:rollup_docx"])
def test_a_period_at_the_edge_of_the_calendar_is_a_404(client: Client, users: People, setup: Setup, name: str) -> None:
    login(_quiet(client), users.province_officer)
    response = client.get(reverse(name, args=[setup.schedule.pk]) + "?period=0001-Q1")
    assert response.status_code == 404


def test_a_bad_version_of_the_form_sheet_is_not_a_500(client: Client, users: People, setup: Setup) -> None:
    login(_quiet(client), users.province_officer)
    response = client.get(reverse("reporting:form_definition", args=[setup.schedule.form_id]) + "?version=abc")
    assert response.status_code in (200, 404)


# --- Excel uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_a_damaged_excel_form_gets_a_message(client: Client, users: People, setup: Setup, member: str) -> None:
    login(_quiet(client), users.commune_officer)
    good = as_bytes(workbook_of(client, setup.bac_ha))
    damaged = _rewrite(good, member, b"<worksheet><sheetData><row><c>")
    upload = SimpleUploadedFile("bao-cao.xlsx", damaged)
    response = client.post(reverse("reporting:upload", args=[setup.bac_ha.pk]), {"file": upload})
    assert response.status_code == 400


def test_a_damaged_definition_sheet_gets_a_message(client: Client, world: World, users: People) -> None:
    login(_quiet(client), users.province_officer)
    book = openpyxl.Workbook()
    book.active.append(["x"])
    damaged = _rewrite(as_bytes(book), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c>")
    response = client.post(
        reverse("reporting:form_new"),
        {
            "unit": world.lao_cai.pk,
            "title": "Mẫu hỏng",
            "code": "mau-hong",
            "file": SimpleUploadedFile("mau.xlsx", damaged),
        },
    )
    assert response.status_code == 400


def test_a_formula_without_a_result_is_named_not_silently_dropped(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    book = workbook_of(client, setup.bac_ha)
    sheet = book.worksheets[0]
    sheet[f"D{row_of(book, 'moi')}"] = "=1+2"
    sheet[f"D{row_of(book, 'sua')}"] = 2
    response = client.post(
        reverse("reporting:upload", args=[setup.bac_ha.pk]),
        {"file": SimpleUploadedFile("bao-cao.xlsx", as_bytes(book))},
    )
    setup.bac_ha.refresh_from_db()
    assert response.status_code == 400 or setup.bac_ha.values.get("moi") == 3, (
        f"saved as {setup.bac_ha.values} with status {response.status_code}"
    )


def test_a_percentage_typed_with_the_percent_sign_in_excel_is_read_as_such(
    client: Client, users: People, setup: Setup
) -> None:
    login(client, users.commune_officer)
    book = workbook_of(client, setup.bac_ha)
    cell = book.worksheets[0][f"D{row_of(book, 'ty_le')}"]
    cell.value = 0.875
    cell.number_format = "0.0%"  # what Excel stores when the officer types 87,5%
    response = client.post(
        reverse("reporting:upload", args=[setup.bac_ha.pk]),
        {"file": SimpleUploadedFile("bao-cao.xlsx", as_bytes(book))},
    )
    setup.bac_ha.refresh_from_db()
    assert response.status_code == 400 or setup.bac_ha.values.get("ty_le") == 87.5, (
        f"ty_le saved as {setup.bac_ha.values.get('ty_le')}"
    )


def test_a_file_of_another_report_is_refused(client: Client, world: World, users: People, setup: Setup) -> None:
    other = Schedule.objects.create(
        unit=world.lao_cai,
        form=setup.schedule.form,
        name="Báo cáo quý gửi Ban Thường trực",
        level=setup.schedule.level,
        kind=setup.schedule.kind,
        frequency=setup.schedule.frequency,
        due_rule=setup.schedule.due_rule,
        due_day=10,
        starts=setup.schedule.starts,
    )
    services.open_period(other, parse("2026-Q2"))
    target = Report.objects.get(schedule=other, unit=world.bac_ha, period="2026-Q2")
    login(client, users.commune_officer)
    book = workbook_of(client, setup.bac_ha)
    book.worksheets[0][f"D{row_of(book, 'moi')}"] = 7
    response = client.post(
        reverse("reporting:upload", args=[target.pk]), {"file": SimpleUploadedFile("bao-cao.xlsx", as_bytes(book))}
    )
    target.refresh_from_db()
    assert response.status_code == 400 and target.status == Status.NOT_STARTED


# --- Form definitions ------------------------------------------------------------------------------


def _definition(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([str(label) for _key, label in definitions.COLUMNS])
    for row in rows:
        sheet.append(row)
    return as_bytes(book)


def test_a_maximum_beyond_the_database_range_is_a_row_error(client: Client, world: World, users: People) -> None:
    login(_quiet(client), users.province_officer)
    sheet = _definition([["I", "Số liệu", "ho", "Số hộ", "integer", "hộ", "có", 0, "100000000000000000000"]])
    response = client.post(
        reverse("reporting:form_new"),
        {"unit": world.lao_cai.pk, "title": "Mẫu", "code": "mau", "file": SimpleUploadedFile("m.xlsx", sheet)},
    )
    assert response.status_code == 400


def test_the_sheet_check_refuses_what_the_database_cannot_hold() -> None:
    long_label = "Số hộ nghèo được hỗ trợ " * 20  # 480 characters
    sheet = _definition(
        [
            ["I.1.a.(1)-bis", "Số liệu", "ho", long_label, "integer"],
        ]
    )
    found = definitions.read_definition(sheet, "m.xlsx")
    assert found.errors, "a 480-character indicator and an 13-character section number passed the check"


# --- Values ---------------------------------------------------------------------------------------


def _indicator(code: str, type_: str, **extra: Any) -> Indicator:
    return Indicator(code=code, label=code.upper(), type=type_, **extra)


def test_a_sum_of_percentages_that_adds_up_is_accepted() -> None:
    indicators = [
        _indicator("a", "percent"),
        _indicator("b", "percent"),
        _indicator("tong", "percent", sum_of=["a", "b"]),
    ]
    checked = check(indicators, {"a": "10,1", "b": "20,2", "tong": "30,3"}, complete=True)
    assert checked.ok, checked.errors


def test_an_absurd_whole_number_is_out_of_range() -> None:
    checked = check([_indicator("ho", "integer")], {"ho": "9" * 40}, complete=True)
    assert not checked.ok
