"""Shared helpers of the review tests (no fixtures of their own: the reporting conftest's apply)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from doanket.reporting.models import Report


def post(client: Client, report: Report, data: dict[str, str], action: str = "submit") -> Any:
    report.refresh_from_db()
    return client.post(
        reverse("reporting:report", args=[report.pk]), {**data, "action": action, "revision": report.revision}
    )


def review(client: Client, report: Report, action: str = "approve", comment: str = "") -> Any:
    report.refresh_from_db()
    return client.post(
        reverse("reporting:review", args=[report.pk]),
        {"action": action, "revision": report.revision, "comment": comment},
    )


def workbook_of(client: Client, report: Report) -> openpyxl.Workbook:
    data = client.get(reverse("reporting:xlsx", args=[report.pk])).content
    return openpyxl.load_workbook(io.BytesIO(data))


def row_of(book: openpyxl.Workbook, code: str) -> int:
    sheet = book.worksheets[0]
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(code)


def as_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
