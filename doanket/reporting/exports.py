"""Reports as files: the Excel form a unit fills offline (and reading it back), the rolled-up
table as XLSX, and the period's report as a DOCX in the official layout."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils.exceptions import InvalidFileException

from doanket.documents.export import export_docx
from doanket.documents.structure import ParsedDocument
from doanket.documents.structure import Section as DocSection
from doanket.reporting import rollup, values
from doanket.reporting.models import Indicator, IndicatorType, Report

META_SHEET = "doanket"
VALUE_COLUMN = "D"
FIRST_ROW = 6
MAX_UPLOAD = 5 * 1024 * 1024
_HEAD = Font(bold=True)
_INPUT = PatternFill("solid", fgColor="FFF7D6")


def as_text(cells: Any) -> None:
    """Text that begins like a formula ("=HYPERLINK(...)") stays text: what a lower unit typed
    must never run in the spreadsheet the upper unit opens."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")) and cell.data_type == "f":
            cell.data_type = "s"


# --- The Excel form --------------------------------------------------------------------------


def form_workbook(report: Report, indicators: list[Indicator]) -> bytes:
    """The report as an .xlsx to fill offline: one row per indicator, values in column D (the
    only unlocked cells), and a hidden sheet naming the form, version, unit and period."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Report")[:31]
    sheet["A1"] = report.schedule.form.title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"{_('Unit')}: {report.unit.name}"
    sheet["A3"] = f"{_('Period')}: {report.period_label} · {_('Due')}: {report.due_date:%d/%m/%Y}"
    headers = [_("Code"), _("Indicator"), _("Unit of measure"), _("Value"), _("How to answer")]
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(row=FIRST_ROW - 1, column=col, value=text)
        cell.font = _HEAD
    row = FIRST_ROW
    section_id = None
    for indicator in indicators:
        if indicator.section_id != section_id:
            section_id = indicator.section_id
            sheet.cell(row=row, column=2, value=str(indicator.section)).font = _HEAD
            row += 1
        sheet.cell(row=row, column=1, value=indicator.code)
        sheet.cell(row=row, column=2, value=indicator.label + (" *" if indicator.required else ""))
        sheet.cell(row=row, column=3, value=indicator.measure or indicator.get_type_display())
        value = report.values.get(indicator.code)
        cell = sheet.cell(row=row, column=4, value=_excel_value(indicator, value))
        as_text(sheet[row])
        cell.protection = Protection(locked=False)
        cell.fill = _INPUT
        if indicator.type == IndicatorType.LONG_TEXT:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=5, value=_hint(indicator))
        row += 1
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 16
    sheet.column_dimensions["D"].width = 40
    sheet.column_dimensions["E"].width = 40
    sheet.protection.sheet = True  # only the answers can be typed into
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for r, (key, val) in enumerate(
        [
            ("form", report.schedule.form.code),
            ("version", report.version.number),
            ("schedule", report.schedule_id),
            ("unit", report.unit_id),
            ("period", report.period),
            ("report", report.pk),
        ],
        start=1,
    ):
        meta.cell(row=r, column=1, value=key)
        meta.cell(row=r, column=2, value=val)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_value(indicator: Indicator, value: Any) -> Any:
    if value is None:
        return None
    if indicator.type == IndicatorType.BOOLEAN:
        return _("Yes") if value else _("No")
    return value


def _hint(indicator: Indicator) -> str:
    if indicator.type == IndicatorType.CHOICE:
        return _("One of: %(choices)s") % {"choices": ", ".join(map(str, indicator.choices))}
    if indicator.type == IndicatorType.BOOLEAN:
        return _("Yes or No")
    if indicator.type == IndicatorType.PERCENT:
        return _("A percentage, e.g. 12,5")
    if indicator.is_numeric:
        return _("A whole number")
    return ""


@dataclass
class Upload:
    raw: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # indicator code → cell, e.g. "D12"


def read_upload(report: Report, indicators: list[Indicator], data: bytes, filename: str) -> Upload:
    """What an uploaded Excel form says, or the list of what is wrong with it (file, form, unit,
    period), before any figure is checked."""
    found = Upload()
    if len(data) > MAX_UPLOAD:
        found.errors.append(_("%(file)s is larger than 5 MB.") % {"file": filename})
        return found
    try:
        _read_upload(found, report, indicators, data, filename)
    except (InvalidFileException, zipfile.BadZipFile):
        found.errors.append(
            _("%(file)s is not an Excel workbook (.xlsx). Download the form from this page and fill that.")
            % {"file": filename}
        )
    except Exception:  # noqa: BLE001 - an untrusted file: any parser error means a damaged file
        found.errors.append(
            _("%(file)s is damaged: open it in Excel, save it again and upload it.") % {"file": filename}
        )
    return found


def _read_upload(found: Upload, report: Report, indicators: list[Indicator], data: bytes, filename: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if META_SHEET not in book.sheetnames:
            found.errors.append(
                _("%(file)s is not a form downloaded from Đoàn Kết (its hidden sheet is missing).") % {"file": filename}
            )
            return
        meta = {str(r[0]): r[1] for r in book[META_SHEET].iter_rows(values_only=True) if r and r[0]}
        expected = {
            "form": (report.schedule.form.code, _("form")),
            "unit": (report.unit_id, _("unit")),
            "period": (report.period, _("period")),
        }
        for key, (want, name) in expected.items():
            if str(meta.get(key)) != str(want):
                found.errors.append(
                    _("%(file)s is the %(what)s “%(got)s”, not “%(want)s” of this report.")
                    % {"file": filename, "what": name, "got": meta.get(key), "want": want}
                )
        if str(meta.get("version")) != str(report.version.number):
            found.errors.append(
                _("%(file)s was made from version %(got)s of the form; this report uses version %(want)s.")
                % {"file": filename, "got": meta.get("version"), "want": report.version.number}
            )
        if not found.errors and (
            str(meta.get("report")) != str(report.pk) or str(meta.get("schedule")) != str(report.schedule_id)
        ):
            found.errors.append(
                _("%(file)s was downloaded from another report: download the form from this page.") % {"file": filename}
            )
        if found.errors:
            return
        by_code = {i.code: i for i in indicators}
        for number, row in enumerate(book.worksheets[0].iter_rows(min_row=FIRST_ROW, max_col=4), start=FIRST_ROW):
            code = str(row[0].value).strip() if row and row[0].value is not None else ""
            if code not in by_code or len(row) < 4:
                continue
            cell = row[3]
            value = cell.value
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and by_code[code].type == IndicatorType.PERCENT
                and "%" in str(getattr(cell, "number_format", ""))
            ):
                value = round(value * 100, 6)  # typed "87,5%" in a percent cell: Excel stores 0.875
            found.raw[code] = "" if value is None else value
            found.cells[code] = f"{VALUE_COLUMN}{number}"
        for indicator in indicators:
            if indicator.code not in found.cells:
                found.errors.append(
                    _("The row of “%(indicator)s” (code %(code)s) is missing from %(file)s.")
                    % {"indicator": indicator.label, "code": indicator.code, "file": filename}
                )
    finally:
        book.close()
    blank = {code for code, value in found.raw.items() if value == ""}
    if blank and not found.errors:
        _formulas_without_results(found, data, blank, filename)


def _formulas_without_results(found: Upload, data: bytes, blank: set[str], filename: str) -> None:
    """A formula Excel never calculated (the file was made by another program) reads as blank:
    say so, rather than save the report without that figure."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        cells = {ref: code for code, ref in found.cells.items() if code in blank}
        for number, row in enumerate(book.worksheets[0].iter_rows(min_row=FIRST_ROW, max_col=4), start=FIRST_ROW):
            ref = f"{VALUE_COLUMN}{number}"
            if ref in cells and len(row) > 3 and isinstance(row[3].value, str) and row[3].value.startswith("="):
                found.errors.append(
                    _(
                        "%(file)s, cell %(cell)s holds a formula whose result was never calculated: "
                        "open the file in Excel and save it, or type the figure."
                    )
                    % {"file": filename, "cell": ref}
                )
    finally:
        book.close()


def cell_errors(upload: Upload, errors: dict[str, str], indicators: list[Indicator], filename: str) -> list[str]:
    by_code = {i.code: i for i in indicators}
    return [
        _("%(file)s, cell %(cell)s (%(indicator)s): %(error)s")
        % {"file": filename, "cell": upload.cells.get(code, "?"), "indicator": by_code[code].label, "error": error}
        for code, error in errors.items()
    ]


# --- The rolled-up table -----------------------------------------------------------------------


def rollup_workbook(table: rollup.Table) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Roll-up")[:31]
    sheet.append([table.schedule.form.title])
    sheet.append([f"{table.unit.name} · {table.period}"])
    sheet.append(
        [
            _("Reports expected"),
            table.expected,
            _("arrived"),
            table.arrived,
            _("on time"),
            table.on_time,
            _("approved"),
            table.approved,
        ]
    )
    sheet.append([])
    header = [_("Indicator"), _("Unit of measure"), _("Roll-up"), str(table.period)]
    if table.previous:
        header.append(str(table.previous))
    if table.year_ago:
        header.append(str(table.year_ago))
    header += [p.unit.name for p in table.parts]
    sheet.append(header)
    as_text(sheet[sheet.max_row])
    for cell in sheet[sheet.max_row]:
        cell.font = _HEAD
    for figure in table.figures:
        indicator = figure.indicator
        if indicator.is_text:
            continue
        line: list[Any] = [indicator.label, indicator.measure, indicator.get_rollup_display()]
        line.append(_cell(indicator, figure.value, figure.choices))
        if table.previous:
            line.append(_cell(indicator, figure.previous))
        if table.year_ago:
            line.append(_cell(indicator, figure.year_ago))
        line += [_cell(indicator, part.value(indicator)) for part in table.parts]
        sheet.append(line)
        as_text(sheet[sheet.max_row])
    gap = [""] * (bool(table.previous) + bool(table.year_ago))
    sheet.append(
        [_("Reports arrived / expected"), "", "", _share(table.arrived, table.expected), *gap]
        + [_share(p.arrived, p.expected) for p in table.parts]
    )
    sheet.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _share(part: int, whole: int) -> str:
    return f"{values.format_number(part)} / {values.format_number(whole)}"


def _cell(indicator: Indicator, value: Any, choices: dict[str, int] | None = None) -> Any:
    if choices:
        return "; ".join(f"{k}: {n}" for k, n in sorted(choices.items()))
    return value  # yes/no indicators roll up as the number of units answering yes


# --- The period's report as a document ---------------------------------------------------------


def report_document(table: rollup.Table, issuer: str, gathered: dict[str, list[tuple[Any, str]]]) -> bytes:
    """The unit's report of the period in the official layout: the figures of each section from
    the roll-up, and what the units below wrote gathered under it, for the leader to edit."""
    sections: list[DocSection] = []
    current: DocSection | None = None
    section_id = None
    for figure in table.figures:
        indicator = figure.indicator
        if indicator.section_id != section_id:
            section_id = indicator.section_id
            current = DocSection(number=indicator.section.number, title=indicator.section.title)
            sections.append(current)
        assert current is not None
        if indicator.is_text:
            parts = gathered.get(indicator.code, [])
            if parts:
                body = "\n".join(f"- {unit.name}: {text}" for unit, text in parts)
                current.children.append(DocSection(number="", title=indicator.label, text=body))
            continue
        if figure.choices:
            shown = "; ".join(f"{k}: {n}" for k, n in sorted(figure.choices.items()))
        elif indicator.type == IndicatorType.BOOLEAN:
            # Rolled up, a yes/no is the number of units answering yes.
            shown = (
                _("%(count)s units answering yes") % {"count": values.format_number(figure.value)}
                if figure.value is not None
                else "…"
            )
        else:
            shown = values.display(indicator, figure.value) or "…"
        measure = f" {indicator.measure}" if indicator.measure and figure.value is not None else ""
        line = f"- {indicator.label}: {shown}{measure}."
        current.text = f"{current.text}\n{line}".strip()
    summary = _(
        "%(arrived)s of %(expected)s expected reports arrived (%(on_time)s on time); %(approved)s approved."
    ) % {
        "arrived": values.format_number(table.arrived),
        "expected": values.format_number(table.expected),
        "on_time": values.format_number(table.on_time),
        "approved": values.format_number(table.approved),
    }
    doc = ParsedDocument(
        kind="report",
        title=f"{table.schedule.form.title} – {table.period}",
        issuer=issuer,
        place="",
        date=timezone.localdate(),
        preamble=summary,
        sections=sections,
    )
    return export_docx(doc)
