"""A bank statement file to its transaction lines — CSV/XLSX exports, Vietcombank-style and
VietinBank-style PDFs — checked against the statement's own figures.

:func:`read` decides the format from the bytes (never from the file name) and returns a
:class:`Statement`; :func:`check` refuses one whose lines do not add up to the figures it
declares. That reconciliation is the only defence against a misread (volunteer parsers of the
same file disagreed by 7% of the rows, one booked a bank fee as a donation), so every amount is
an ``int`` of đồng, every line is kept (document numbers and even whole lines repeat), and a line
that cannot be read is an error naming its page and line, never skipped.

Memos are written by the senders: they come back as text (NFC, whitespace collapsed), to be
stored and shown as untrusted.

PDFs are read from text positions: pdfium's text of the page in one call, the boxes of its text
objects in one pass, cut into cells by the x positions of the table heading on that page
(Vietcombank: portrait, unruled) or by the vertical rules of the heading row (VietinBank:
landscape, every cell ruled, the balance on every line). Page 1 tells which layout a file has.
Measuring characters one by one from Python would be too slow for a 12,000-page statement.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import csv
import ctypes
import datetime as dt
import io
import itertools
import multiprocessing
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from doanket.core.text import fold, grouped, nfc

MAX_AMOUNT = 10**15  # đồng; more is a misread, not a donation
PARALLEL_PAGES = 400  # a PDF this long is read by several processes

# --- Messages (English msgids; the Vietnamese is in the catalogue) ---------------------------

MSG_EMPTY = gettext_noop("The file %(name)s is empty.")
MSG_CORRUPT_PDF = gettext_noop("The PDF %(name)s is damaged or incomplete and cannot be read.")
MSG_CORRUPT_XLSX = gettext_noop("The spreadsheet %(name)s is damaged or incomplete and cannot be read.")
MSG_NOT_TEXT = gettext_noop("The file %(name)s is neither a PDF, a spreadsheet (.xlsx) nor a CSV file in UTF-8.")
MSG_CORRUPT_CSV = gettext_noop("The CSV file %(name)s cannot be read: %(reason)s.")
MSG_UNKNOWN_TABLE = gettext_noop(
    "The file %(name)s is not a bank statement that can be read: no row names the columns of the transactions "
    "(transaction date, debit, credit)."
)
MSG_UNKNOWN_PDF = gettext_noop(
    "The PDF %(name)s is not a bank statement that can be read: page 1 has no table heading with the columns "
    "date, debit, credit, balance and transactions in detail."
)
MSG_NO_HEADING = gettext_noop("The PDF %(name)s has no table heading on page %(page)s.")
MSG_NO_GRID = gettext_noop(
    "The PDF %(name)s: the table on page %(page)s is not ruled into the seven columns of a VietinBank statement "
    "(no., date, comment, debit, credit, balance, offset name)."
)
MSG_ROW_NUMBERS = gettext_noop(
    "In %(name)s, %(where)s: the line is numbered %(found)s where %(expected)s was expected: a line was not read "
    "or is printed twice."
)
MSG_BAD_DATE = gettext_noop("In %(name)s, %(where)s: the date “%(value)s” cannot be read (expected dd/mm/yyyy).")
MSG_BAD_AMOUNT = gettext_noop("In %(name)s, %(where)s: the amount “%(value)s” cannot be read.")
MSG_NEGATIVE = gettext_noop("In %(name)s, %(where)s: the amount “%(value)s” is negative.")
MSG_ABSURD = gettext_noop("In %(name)s, %(where)s: the amount “%(value)s” is too large to be real.")
MSG_NO_AMOUNT = gettext_noop("In %(name)s, %(where)s: the line has neither a debit nor a credit amount.")
MSG_NO_LINES = gettext_noop("The statement has no transaction lines.")
MSG_NO_TOTALS = gettext_noop(
    "The statement declares no totals (total debit, total credit or closing balance): its lines cannot be "
    "checked against anything."
)
MSG_CREDIT_MISMATCH = gettext_noop(
    "The credit lines add up to %(found)s but the statement declares total credits of %(declared)s: "
    "a difference of %(difference)s."
)
MSG_DEBIT_MISMATCH = gettext_noop(
    "The debit lines add up to %(found)s but the statement declares total debits of %(declared)s: "
    "a difference of %(difference)s."
)
MSG_CLOSING_MISMATCH = gettext_noop(
    "The opening balance plus credits minus debits gives %(found)s but the statement declares a closing balance "
    "of %(declared)s: a difference of %(difference)s."
)
MSG_BALANCE_MISMATCH = gettext_noop(
    "At %(where)s the statement prints a balance of %(declared)s but the lines up to it give %(found)s: "
    "a difference of %(difference)s."
)


class StatementError(ValueError):
    """A statement that cannot be read or does not add up; ``str()`` is the message for the user,
    translated when shown."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message, params)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return gettext(self.message) % self.params

    def __reduce__(self) -> Any:  # crosses process boundaries when pages are read in parallel
        return (_rebuild_error, (self.message, self.params))


def _rebuild_error(message: str, params: dict[str, Any]) -> StatementError:
    return StatementError(message, **params)


@dataclass(frozen=True)
class Line:
    position: int  # 1-based order of the line in the statement
    page: int | None  # PDF page (1-based), None for CSV/XLSX
    row: int  # CSV/XLSX: the row in the file as a spreadsheet shows it; PDF: the line's order on its page
    date: dt.date
    reference: str  # the bank's document number: NOT unique, never a key
    debit: int  # đồng, >= 0
    credit: int  # đồng, >= 0
    balance: int | None  # when the statement prints one on that line
    counterparty: str
    description: str  # the memo, NFC, whitespace collapsed; untrusted text

    def where(self) -> str:
        return _where(self.page, self.row)


def _where(page: int | None, row: int) -> str:
    if page is None:
        return gettext("row %(row)s") % {"row": row}
    if row == 0:
        return gettext("page %(page)s") % {"page": page}
    return gettext("page %(page)s, line %(row)s") % {"page": page, "row": row}


@dataclass(frozen=True)
class Where:
    """A place in the file, put into a message only if there is one (and translated only when
    the message is shown)."""

    page: int | None
    row: int

    def __str__(self) -> str:
        return _where(self.page, self.row)


@dataclass
class Statement:
    layout: str  # "vietcombank-pdf", "vietinbank-pdf", "table"
    account_number: str
    account_name: str
    period_start: dt.date | None
    period_end: dt.date | None
    opening_balance: int | None
    closing_balance: int | None
    total_debit: int | None  # as the statement itself declares them
    total_credit: int | None
    lines: list[Line] = field(default_factory=list)


Progress = Callable[[int, int], None]  # (pages read, pages in the file)


def read(name: str, data: bytes, *, workers: int | None = None, progress: Progress | None = None) -> Statement:
    """The statement in ``data`` (a PDF, an XLSX or a UTF-8 CSV file, told apart by content).

    ``workers``: processes reading a long PDF (default: up to two when it has more than
    :data:`PARALLEL_PAGES` pages). ``progress``: called as pages of a PDF are read (every chunk
    of pages, and once at the end), for a screen that shows how far a long import is."""
    if not data.strip():
        raise StatementError(MSG_EMPTY, name=name)
    if data.startswith(b"%PDF-"):
        return _read_pdf(name, data, workers, progress or _no_progress)
    if data.startswith(b"PK\x03\x04"):
        return _read_table(name, _xlsx_rows(name, data))
    return _read_table(name, _csv_rows(name, data))


def check(statement: Statement) -> None:
    """Refuse a statement whose lines do not add up to its own declared figures (totals, closing
    balance, every printed balance), with the difference in đồng."""
    if not statement.lines:
        raise StatementError(MSG_NO_LINES)
    declared = (statement.total_debit, statement.total_credit, statement.closing_balance)
    if all(value is None for value in declared):
        raise StatementError(MSG_NO_TOTALS)
    problems: list[str] = []
    credits = sum(line.credit for line in statement.lines)
    debits = sum(line.debit for line in statement.lines)
    if statement.total_credit is not None and credits != statement.total_credit:
        problems.append(_mismatch(MSG_CREDIT_MISMATCH, credits, statement.total_credit))
    if statement.total_debit is not None and debits != statement.total_debit:
        problems.append(_mismatch(MSG_DEBIT_MISMATCH, debits, statement.total_debit))
    if statement.opening_balance is not None:
        if statement.closing_balance is not None:
            closing = statement.opening_balance + credits - debits
            if closing != statement.closing_balance:
                problems.append(_mismatch(MSG_CLOSING_MISMATCH, closing, statement.closing_balance))
        running = statement.opening_balance
        for line in statement.lines:
            running += line.credit - line.debit
            if line.balance is not None and line.balance != running:
                problems.append(_mismatch(MSG_BALANCE_MISMATCH, running, line.balance, where=line.where()))
                break  # the first one tells where the reading went wrong
    if problems:
        raise StatementError("%(problems)s", problems=" ".join(problems))


def _mismatch(message: str, found: int, declared: int, **params: str) -> str:
    return gettext(message) % {
        "found": dong(found),
        "declared": dong(declared),
        "difference": dong(abs(found - declared)),
        **params,
    }


def dong(amount: int) -> str:
    """1234567 → "1.234.567 đ", as amounts are written in Vietnam."""
    return grouped(amount) + " đ"


# --- Values ---------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})?(?:\1\d{3})*$")
_DECIMALS = re.compile(r"[.,]0{1,2}$")
_PLAIN_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})*\Z")
_CURRENCY = re.compile(r"\s*(?:VND|VNĐ|đ|Đ|d)\s*$", re.IGNORECASE)


def parse_date(value: Any, name: str, where: Where) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip() if value is not None else ""
    match = _DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise StatementError(MSG_BAD_DATE, name=name, where=where, value=text)


def parse_amount(value: Any, name: str, where: Where) -> int:
    """Whole đồng from a cell: an int, an integral float, or text with "." or "," grouping
    ("1.234.567", "1,234,567", "1.234.567,00"); empty is 0. Never through a float for text."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise StatementError(MSG_BAD_AMOUNT, name=name, where=where, value=str(value))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise StatementError(MSG_BAD_AMOUNT, name=name, where=where, value=repr(value))
        amount = int(value)
    elif type(value) is str and _PLAIN_AMOUNT.match(value):
        amount = int(value.replace(".", ""))
    else:
        amount = _amount_text(str(value), name, where)
    if amount < 0:
        raise StatementError(MSG_NEGATIVE, name=name, where=where, value=str(value).strip())
    if amount > MAX_AMOUNT:
        raise StatementError(MSG_ABSURD, name=name, where=where, value=str(value).strip())
    return amount


def _amount_text(raw: str, name: str, where: Where) -> int:
    text = _CURRENCY.sub("", raw.replace("\xa0", " ").strip()).replace(" ", "")
    if not text:
        return 0
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    digits = text.strip("-()")
    decimals = _DECIMALS.search(digits)
    if decimals and not _GROUPED.match(digits) and decimals.group()[0] not in digits[: decimals.start()]:
        digits = digits[: decimals.start()]  # "1.234.567,00": zero decimals after other grouping
    if digits.isdigit() and digits.isascii():
        amount = int(digits)
    elif _GROUPED.match(digits):
        amount = int(re.sub(r"[.,]", "", digits))
    else:
        raise StatementError(MSG_BAD_AMOUNT, name=name, where=where, value=raw.strip())
    if negative and amount:
        raise StatementError(MSG_NEGATIVE, name=name, where=where, value=raw.strip())
    return amount


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- CSV and XLSX -----------------------------------------------------------------------------

Row = tuple[int, list[Any]]  # the row number as a spreadsheet shows it, the cells

# Column synonyms, folded; a heading cell may be bilingual ("Ghi nợ / Debit"): each part counts.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("ngay giao dich", "ngay gd", "ngay", "ngay hach toan", "date", "transaction date", "tnx date"),
    "reference": ("so tham chieu", "so ct", "ma gd", "so chung tu", "ma giao dich", "reference", "doc no"),
    "debit": ("ghi no", "no", "so tien ghi no", "phat sinh no", "debit"),
    "credit": ("ghi co", "co", "so tien ghi co", "phat sinh co", "credit"),
    "balance": ("so du", "balance"),
    "description": ("noi dung", "dien giai", "mo ta", "noi dung chi tiet", "mo ta giao dich", "description"),
    "counterparty": ("ten doi ung", "doi ung", "offset name", "ten nguoi chuyen"),
}
_TOTALS = ("tong cong", "cong phat sinh", "tong so", "tong", "total")


def _csv_rows(name: str, data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StatementError(MSG_NOT_TEXT, name=name) from error
    if "\x00" in text:
        raise StatementError(MSG_NOT_TEXT, name=name)
    # The delimiter is the one under which a header row appears (csv.Sniffer guesses wrong on
    # memos holding quotes, commas and line breaks); quoting is always the standard one.
    parsed: list[Row] | None = None
    failure: csv.Error | None = None
    for delimiter in (",", ";", "\t"):
        try:
            rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
        except csv.Error as error:
            failure = error
            continue
        if any(_find_columns(cells) for _number, cells in rows[:200]):
            return rows
        parsed = parsed or rows
    if parsed is None:
        raise StatementError(MSG_CORRUPT_CSV, name=name, reason=str(failure))
    return parsed


def _xlsx_rows(name: str, data: bytes) -> list[Row]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise StatementError(MSG_CORRUPT_XLSX, name=name) from error
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(row)) for number, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as error:
        raise StatementError(MSG_CORRUPT_XLSX, name=name) from error
    finally:
        workbook.close()


def _heading_parts(value: Any) -> list[str]:
    return [fold(part).strip(" :.*") for part in re.split(r"[/\n]", _cell_text(value))]


def _find_columns(cells: list[Any]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells):
        for part in _heading_parts(value):
            for key, names in SYNONYMS.items():
                if part in names and key not in columns:
                    columns[key] = index
                    break
            else:
                continue
            break
    if {"date", "debit", "credit"} <= columns.keys():
        return columns
    return None


def _labelled_value(cells: list[Any], label: str) -> Any:
    """The value after ``label``: in the same cell after a colon, or in the next non-empty cell."""
    for index, value in enumerate(cells):
        text = _cell_text(value)
        if label in fold(text):
            after = text.split(":", 1)[1].strip() if ":" in text else ""
            if after:
                return after
            for later in cells[index + 1 :]:
                if _cell_text(later).strip():
                    return later
    return None


_PERIOD = re.compile(
    r"tu(?: ngay)?\s*/?\s*(?:from)?\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})"
    r".*?den(?: ngay)?\s*/?\s*(?:to)?\s*:?\s*(\d{1,2}/\d{1,2}/\d{4})"
)


def _read_table(name: str, rows: list[Row]) -> Statement:
    statement = Statement("table", "", "", None, None, None, None, None, None)
    columns: dict[str, int] | None = None
    lines: list[Line] = []
    for number, cells in rows:
        if not any(_cell_text(value).strip() for value in cells):
            continue
        if columns is None:
            columns = _find_columns(cells)
            if columns is None:
                _preamble(statement, cells, name, Where(None, number))
            continue
        first = fold(next(_cell_text(value) for value in cells if _cell_text(value).strip()))
        joined = fold(" ".join(_cell_text(value) for value in cells))
        if "so du cuoi ky" in joined or "closing balance" in joined:
            value = _labelled_value(cells, "so du cuoi ky") or _labelled_value(cells, "closing balance")
            statement.closing_balance = parse_amount(value, name, Where(None, number))
            continue
        if "so du dau ky" in joined or "opening balance" in joined:
            value = _labelled_value(cells, "so du dau ky") or _labelled_value(cells, "opening balance")
            statement.opening_balance = parse_amount(value, name, Where(None, number))
            continue
        if any(first.startswith(word) for word in _TOTALS) or any(
            fold(_cell_text(v)).startswith(_TOTALS) for v in cells[: columns["debit"]]
        ):
            statement.total_debit = parse_amount(_at(cells, columns["debit"]), name, Where(None, number))
            statement.total_credit = parse_amount(_at(cells, columns["credit"]), name, Where(None, number))
            continue
        lines.append(_table_line(name, columns, number, cells, len(lines) + 1))
    if columns is None:
        raise StatementError(MSG_UNKNOWN_TABLE, name=name)
    statement.lines = lines
    return statement


def _at(cells: list[Any], index: int | None) -> Any:
    return cells[index] if index is not None and index < len(cells) else None


def _preamble(statement: Statement, cells: list[Any], name: str, where: Where) -> None:
    joined = fold(" ".join(_cell_text(value) for value in cells))
    if ("so tai khoan" in joined or "account number" in joined) and not statement.account_number:
        value = _labelled_value(cells, "so tai khoan") or _labelled_value(cells, "account number")
        statement.account_number = re.sub(r"\s", "", _cell_text(value))
    elif ("ten tai khoan" in joined or "account name" in joined) and not statement.account_name:
        value = _labelled_value(cells, "ten tai khoan") or _labelled_value(cells, "account name")
        statement.account_name = nfc(_cell_text(value))
    elif "so du dau ky" in joined or "opening balance" in joined:
        value = _labelled_value(cells, "so du dau ky") or _labelled_value(cells, "opening balance")
        statement.opening_balance = parse_amount(value, name, where)
    period = _PERIOD.search(joined)
    if period:
        statement.period_start = parse_date(period.group(1), name, where)
        statement.period_end = parse_date(period.group(2), name, where)


def _table_line(name: str, columns: dict[str, int], number: int, cells: list[Any], position: int) -> Line:
    where = Where(None, number)
    debit = parse_amount(_at(cells, columns["debit"]), name, where)
    credit = parse_amount(_at(cells, columns["credit"]), name, where)
    balance_cell = _at(cells, columns.get("balance"))
    balance = parse_amount(balance_cell, name, where) if _cell_text(balance_cell).strip() else None
    if not debit and not credit:
        raise StatementError(MSG_NO_AMOUNT, name=name, where=where)
    return Line(
        position=position,
        page=None,
        row=number,
        date=parse_date(_at(cells, columns["date"]), name, where),
        reference=nfc(_cell_text(_at(cells, columns.get("reference")))),
        debit=debit,
        credit=credit,
        balance=balance,
        counterparty=nfc(_cell_text(_at(cells, columns.get("counterparty")))),
        description=nfc(_cell_text(_at(cells, columns.get("description")))),
    )


# --- PDF: text fragments with positions -------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A run of text drawn as one piece (a cell's line), in PDF coordinates (y grows upwards)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


# pdfium is not thread-safe; a web process may serve uploads from several threads.
_PDFIUM_LOCK = threading.Lock()


def page_fragments(textpage: Any) -> list[Fragment]:
    """The page's text objects with their boxes, from one text dump and the rectangles pdfium
    computes (one per text object and line), matched in order; a line of pdfium's dump holding
    several objects (the cells of one table row) is cut where the next rectangle starts."""
    import pypdfium2.raw as pdfium_raw

    count = pdfium_raw.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer(2 * count + 2)
    pdfium_raw.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * count].decode("utf-16-le", errors="replace")
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    rects = []
    for index in range(pdfium_raw.FPDFText_CountRects(textpage, 0, -1)):
        pdfium_raw.FPDFText_GetRect(textpage, index, left, top, right, bottom)
        rects.append((left.value, bottom.value, right.value, top.value))
    if len(text) != count:  # characters outside the BMP: indexes would not match, go slowly
        return _bounded_fragments(textpage, rects)
    box = pdfium_raw.FS_RECTF()

    def char_left(index: int) -> float:  # the middle of the character's box: glyphs overhang their origin
        pdfium_raw.FPDFText_GetLooseCharBox(textpage, index, box)
        return float(box.left + box.right) / 2

    fragments: list[Fragment] = []
    next_rect = 0
    for start, end in _dump_lines(text):
        if next_rect >= len(rects):
            return _bounded_fragments(textpage, rects)
        pdfium_raw.FPDFText_GetLooseCharBox(textpage, start, box)
        low, high = box.bottom, box.top
        last_left = char_left(end - 1)
        taken = [rects[next_rect]]
        next_rect += 1
        while next_rect < len(rects):
            rect = rects[next_rect]
            middle = (rect[1] + rect[3]) / 2
            if not (low - 1 <= middle <= high + 1 and rect[0] <= last_left and rect[0] >= taken[-1][2] - 0.5):
                break
            taken.append(rect)
            next_rect += 1
        cuts = [start]
        for rect in taken[1:]:
            cuts.append(_first_at(char_left, cuts[-1], end, rect[0]))
        cuts.append(end)
        for rect, (a, b) in zip(taken, itertools.pairwise(cuts), strict=True):
            piece = text[a:b].strip(" \x00")
            if piece:
                fragments.append(Fragment(piece, *rect))
    if next_rect != len(rects):
        return _bounded_fragments(textpage, rects)
    return fragments


def _dump_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line of pdfium's text dump, by character index."""
    start = 0
    for match in re.finditer(r"\r\n|\r|\n", text):
        if text[start : match.start()].strip():
            yield start, match.start()
        start = match.end()
    if text[start:].strip():
        yield start, len(text)


def _first_at(char_left: Any, low: int, high: int, x: float) -> int:
    """The first character index in [low, high) whose box starts at or right of ``x``."""
    while low < high:
        middle = (low + high) // 2
        if char_left(middle) < x:
            low = middle + 1
        else:
            high = middle
    return low


def _bounded_fragments(textpage: Any, rects: Sequence[tuple[float, float, float, float]]) -> list[Fragment]:
    """The slow, sure way: the text inside each rectangle, one pdfium call each."""
    import pypdfium2.raw as pdfium_raw

    fragments = []
    for left, bottom, right, top in rects:
        size = pdfium_raw.FPDFText_GetBoundedText(textpage, left, top, right, bottom, None, 0)
        buffer = ctypes.create_string_buffer(2 * size + 2)
        pdfium_raw.FPDFText_GetBoundedText(
            textpage, left, top, right, bottom, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size
        )
        piece = buffer.raw[: 2 * size].decode("utf-16-le", errors="replace").strip(" \x00\r\n")
        if piece:
            fragments.append(Fragment(piece, left, bottom, right, top))
    return fragments


def visual_lines(fragments: Iterable[Fragment]) -> list[list[Fragment]]:
    """Fragments sharing a line on the page, top line first, each line left to right."""
    lines: list[list[Fragment]] = []
    for fragment in sorted(fragments, key=lambda f: -f.middle):
        if lines:
            last = lines[-1][0]
            if abs(last.middle - fragment.middle) <= 0.4 * max(last.top - last.bottom, 1.0):
                lines[-1].append(fragment)
                continue
        lines.append([fragment])
    return [sorted(line, key=lambda f: f.left) for line in lines]


# --- PDF: the Vietcombank layout --------------------------------------------------------------

VCB_HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("date", ("ngay gd", "tnx date", "so ct", "doc no")),
    ("debit", ("ghi no", "debit")),
    ("credit", ("ghi co", "credit")),
    ("balance", ("so du", "balance")),
    ("memo", ("noi dung", "transactions in detail")),
)
_PAGE_FOOTER = re.compile(r"\bpage\s+\d+\s+of\s+\d+\b|\b(?:trang|page)\s+\d+\s*/\s*\d+")
_AMOUNT_AT_END = re.compile(r"(-?[\d.,]+)\s*(?:vnd|d)?\s*$")


@dataclass
class _PdfRow:
    row: int
    date: str
    reference: list[str]
    debit: str
    credit: str
    balance: str
    memo: list[str]
    memo_full: list[bool] = field(default_factory=list)  # each memo line reaches the column's edge
    counterparty: list[str] = field(default_factory=list)  # VietinBank's offset name, line by line
    number: str = ""  # VietinBank's row number (STT)


@dataclass
class _PdfPage:
    number: int
    rows: list[_PdfRow]
    account_lines: list[str]  # page 1: the account block above the table, as text lines
    totals: tuple[str, str] | None = None
    opening: str | None = None
    closing: str | None = None


@dataclass(frozen=True)
class _Columns:
    """Where the cells of a page's table are. Amounts are right-aligned and headings centred, so
    an amount belongs to the column whose heading centre its right edge has passed; the memo
    column starts where this page's memo lines start (a memo line that is only a number, such as
    "500.000", must not become a balance)."""

    centres: tuple[float, ...]  # of the five headings
    memo_start: float

    def reaches_memo_edge(self, memo: list[Fragment]) -> bool:
        """Whether a memo line runs to the right edge of its column (the heading is centred, so
        the edge lies as far right of the centre as the lines start left of it): such a line
        holding no space was cut inside a token; one ending short of it was wrapped at a space."""
        if not memo:
            return False
        edge = 2 * self.centres[4] - self.memo_start
        last = max(memo, key=lambda f: f.right)
        return edge - last.right < last.top - last.bottom  # less room than one wide character

    def of(self, fragment: Fragment) -> int:
        if fragment.left >= self.memo_start - 1.5:
            return 4
        right = fragment.right
        for index, centre in enumerate(self.centres[1:4]):
            if right < centre:
                return index
        return 3


_AMOUNT_SHAPE = re.compile(r"^-?\d{1,3}(?:[.,]\d{3})*$")


def _heading(lines: list[list[Fragment]]) -> tuple[int, list[tuple[float, float]]] | None:
    """The index of the heading's last line and the x extent of each of the five headings (the
    heading may take two lines)."""
    for index, line in enumerate(lines):
        words = fold(" ".join(f.text for f in line))
        if not ("debit" in words and "credit" in words) and not ("ghi no" in words and "ghi co" in words):
            continue
        band = [f for other in lines[max(0, index - 2) : index + 2] for f in other]
        extents: list[tuple[float, float]] = []
        for _, names in VCB_HEADINGS:
            found = [f for f in band if any(word in fold(f.text) for word in names)]
            if not found:
                return None
            extents.append((min(f.left for f in found), max(f.right for f in found)))
        last = index
        while last + 1 < len(lines) and any(
            any(word in fold(f.text) for _, names in VCB_HEADINGS for word in names) for f in lines[last + 1]
        ):
            last += 1
        return last, extents
    return None


def _columns(extents: list[tuple[float, float]], body: list[list[Fragment]]) -> _Columns:
    centres = tuple((left + right) / 2 for left, right in extents)
    starts = [f.left for line in body for f in line if f.centre > centres[3] and not _AMOUNT_SHAPE.match(f.text)]
    return _Columns(centres, min(starts) if starts else extents[4][0])


def parse_vietcombank_page(fragments: list[Fragment], number: int, name: str) -> _PdfPage:
    lines = visual_lines(fragments)
    heading = _heading(lines)
    if heading is None:
        raise StatementError(MSG_UNKNOWN_PDF if number == 1 else MSG_NO_HEADING, name=name, page=number)
    last_heading, extents = heading
    columns = _columns(extents, lines[last_heading + 1 :])
    first_heading = last_heading
    while first_heading > 0 and lines[first_heading - 1][0].middle - lines[first_heading][0].middle < 15:
        first_heading -= 1
    page = _PdfPage(number, [], [" ".join(f.text for f in line) for line in lines[:first_heading]])
    current: _PdfRow | None = None
    previous_bottom = min(f.bottom for f in lines[last_heading])
    pitch = max(f.top - f.bottom for f in lines[last_heading]) * 3.5
    in_table = True
    for line in lines[last_heading + 1 :]:
        words = fold(" ".join(f.text for f in line))
        if _PAGE_FOOTER.search(words):
            break
        if "so du dau ky" in words or "opening balance" in words:
            page.opening = _amount_at_end(line)
            continue
        if "so du cuoi ky" in words or "closing balance" in words:
            page.closing = _amount_at_end(line)
            continue
        cells: list[list[str]] = [[] for _ in range(5)]
        for fragment in line:
            cells[columns.of(fragment)].append(fragment.text)
        if words.startswith(("tong", "total", "cong phat sinh")):  # after the last line, however far below
            page.totals = (" ".join(cells[1]), " ".join(cells[2]))
            in_table = False
            continue
        if not in_table:
            continue
        top = max(f.top for f in line)
        if previous_bottom - top > pitch:  # a gap: the table is over (the footer's numbers are no amounts)
            in_table = False
            continue
        previous_bottom = min(f.bottom for f in line)
        if cells[1] or cells[2]:
            current = _PdfRow(
                len(page.rows) + 1, " ".join(cells[0]), [], " ".join(cells[1]), " ".join(cells[2]), "", []
            )
            current.balance = " ".join(cells[3])
            page.rows.append(current)
        elif current is None:
            continue  # text between the heading and the first line: nothing of ours
        else:
            current.reference.extend(cells[0])
        current.memo.append(" ".join(cells[4]))
        current.memo_full.append(columns.reaches_memo_edge([f for f in line if columns.of(f) == 4]))
    return page


# --- PDF: the VietinBank layout ---------------------------------------------------------------

VTB_COLUMNS = 7  # no. · date and time · comment · debit · credit · balance · offset name
_VTB_MARKS = ("offset name", "ten doi ung")
_ROW_NUMBER = re.compile(r"^\d{1,7}$")
_OPENING = re.compile(r"(?:so du dau ky|opening balance)\s*:?\s*(-?[\d.,]+)")


def layout_of(fragments: list[Fragment]) -> str:
    """Which bank printed the page: VietinBank's heading names the offset account's column."""
    words = fold(" ".join(f.text for f in fragments))
    return "vietinbank" if any(mark in words for mark in _VTB_MARKS) else "vietcombank"


def vertical_rules(page: Any) -> list[tuple[float, float, float]]:
    """(x, bottom, top) of the page's vertical rules: strokes thinner than two points and taller
    than four, and both sides of a ruled rectangle."""
    import pypdfium2.raw as pdfium_raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules: list[tuple[float, float, float]] = []
    for index in range(pdfium_raw.FPDFPage_CountObjects(page)):
        item = pdfium_raw.FPDFPage_GetObject(page, index)
        if pdfium_raw.FPDFPageObj_GetType(item) != pdfium_raw.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_raw.FPDFPageObj_GetBounds(item, left, bottom, right, top)
        if top.value - bottom.value < 4:
            continue
        if right.value - left.value < 2:
            rules.append(((left.value + right.value) / 2, bottom.value, top.value))
        else:
            rules += [(left.value, bottom.value, top.value), (right.value, bottom.value, top.value)]
    return rules


def _edges(rules: list[tuple[float, float, float]], at: float) -> list[float]:
    """The distinct x positions (within a point and a half) of the rules crossing height ``at``."""
    edges: list[float] = []
    for x in sorted(x for x, low, high in rules if low - 1 <= at <= high + 1):
        if not edges or x - edges[-1] > 1.5:
            edges.append(x)
    return edges


def parse_vietinbank_page(
    fragments: list[Fragment], rules: list[tuple[float, float, float]], number: int, name: str
) -> _PdfPage:
    """A VietinBank page: the heading found by its words, the columns by the rules that cross it,
    a line with a row number in the first column starts a transaction and the lines without one
    continue its comment and offset name (wrapped in their cells)."""
    lines = visual_lines(fragments)
    heading = next(
        (
            index
            for index, line in enumerate(lines)
            if {"debit", "credit"} <= set(fold(" ".join(f.text for f in line)).replace("/", " ").split())
        ),
        None,
    )
    if heading is None:
        raise StatementError(MSG_UNKNOWN_PDF if number == 1 else MSG_NO_HEADING, name=name, page=number)
    edges = _edges(rules, lines[heading][0].middle)
    if len(edges) != VTB_COLUMNS + 1:
        raise StatementError(MSG_NO_GRID, name=name, page=number)
    first = heading
    while first > 0 and lines[first - 1][0].middle - lines[heading][0].middle < 2.5 * (
        lines[heading][0].top - lines[heading][0].bottom
    ):
        first -= 1
    page = _PdfPage(number, [], [" ".join(f.text for f in line) for line in lines[:first]])
    current: _PdfRow | None = None
    for line in lines[heading + 1 :]:
        if _PAGE_FOOTER.search(fold(" ".join(f.text for f in line))):
            break
        cells: list[list[Fragment]] = [[] for _ in range(VTB_COLUMNS)]
        for fragment in line:
            column = bisect.bisect_right(edges, fragment.left) - 1
            if 0 <= column < VTB_COLUMNS and fragment.right <= edges[-1] + 1.5:
                cells[column].append(fragment)
        if not any(cells):
            continue  # text outside the table (a printed time below it)
        text = [" ".join(f.text for f in cell) for cell in cells]
        if _ROW_NUMBER.match(text[0]):
            current = _PdfRow(len(page.rows) + 1, text[1], [], text[3], text[4], text[5], [], number=text[0])
            page.rows.append(current)
        elif current is None:
            continue  # between the heading and the first line: nothing of ours
        else:
            if text[1]:
                current.date += " " + text[1]
            for column, value in ((3, "debit"), (4, "credit"), (5, "balance")):
                if text[column]:
                    setattr(current, value, (getattr(current, value) + " " + text[column]).strip())
        if text[2]:
            current.memo.append(text[2])
            # A comment line cut inside a token runs to the cell's right edge, less the padding
            # its lines keep on the left.
            pad = max(0.0, min(f.left for f in cells[2]) - edges[2])
            last = max(cells[2], key=lambda f: f.right)
            current.memo_full.append(edges[3] - pad - last.right < last.top - last.bottom)
        if text[6]:
            current.counterparty.append(text[6])
    return page


def _amount_at_end(line: list[Fragment]) -> str | None:
    match = _AMOUNT_AT_END.search(" ".join(f.text for f in line))
    return match.group(1) if match else None


def join_memo(parts: list[str], full: list[bool] | None = None) -> str:
    """A memo wrapped over several lines of its cell, whole again: a line that holds no space and
    runs to the column's edge (``full``, when the positions are known) was cut inside a token
    (join without a space); a line ending in pdfium's mark for a hyphen at the line end (U+FFFE or
    U+0002) loses the mark and joins without a space too."""
    memo = ""
    previous: str | None = None
    previous_full = True
    for part, reaches_edge in zip(parts, full or [True] * len(parts), strict=True):
        if not part:
            continue
        if previous is None:
            memo = part
        elif previous.endswith(("\ufffe", "\x02")):
            memo = memo[:-1] + part
        elif " " not in previous and previous_full:
            memo += part
        else:
            memo += " " + part
        previous, previous_full = part, reaches_edge
    return nfc(memo.replace("\ufffe", "").replace("\x02", ""))


def _no_progress(done: int, total: int) -> None:
    return None


PROGRESS_PAGES = 200  # pages between two progress reports


def _read_pdf(name: str, data: bytes, workers: int | None, progress: Progress) -> Statement:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as error:  # anything pdfium says about a bad file
            raise StatementError(MSG_CORRUPT_PDF, name=name) from error
        try:
            count = len(document)
            layout = "vietcombank"
            if count:  # page 1 tells the bank's layout, for every page
                page = pdfium_raw.FPDF_LoadPage(document.raw, 0)
                if not page:
                    raise StatementError(MSG_CORRUPT_PDF, name=name)
                textpage = pdfium_raw.FPDFText_LoadPage(page)
                try:
                    layout = layout_of(page_fragments(textpage))
                finally:
                    pdfium_raw.FPDFText_ClosePage(textpage)
                    pdfium_raw.FPDF_ClosePage(page)
        finally:
            document.close()
    if count == 0:
        raise StatementError(MSG_CORRUPT_PDF, name=name)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if count > PARALLEL_PAGES else 1
    if workers <= 1:
        pages = []
        for start in range(0, count, PROGRESS_PAGES):
            pages += _read_pages(name, data, start, min(count, start + PROGRESS_PAGES), layout)
            progress(len(pages), count)
    else:
        chunk = min(-(-count // (workers * 4)), 4 * PROGRESS_PAGES)
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [
                pool.submit(_read_pages, name, data, start, min(count, start + chunk), layout)
                for start in range(0, count, chunk)
            ]
            done = 0
            for finished in concurrent.futures.as_completed(futures):
                done += len(finished.result())
                progress(done, count)
            pages = [page for future in futures for page in future.result()]
    return _assemble(name, pages, layout)


def _read_pages(name: str, data: bytes, start: int, stop: int, layout: str = "vietcombank") -> list[_PdfPage]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except Exception as error:
            raise StatementError(MSG_CORRUPT_PDF, name=name) from error
        pages = []
        try:
            for index in range(start, stop):
                page = pdfium_raw.FPDF_LoadPage(document.raw, index)
                if not page:
                    raise StatementError(MSG_CORRUPT_PDF, name=name)
                try:
                    textpage = pdfium_raw.FPDFText_LoadPage(page)
                    try:
                        fragments = page_fragments(textpage)
                    finally:
                        pdfium_raw.FPDFText_ClosePage(textpage)
                    rules = vertical_rules(page) if layout == "vietinbank" else []
                finally:
                    pdfium_raw.FPDF_ClosePage(page)
                if layout == "vietinbank":
                    pages.append(parse_vietinbank_page(fragments, rules, index + 1, name))
                else:
                    pages.append(parse_vietcombank_page(fragments, index + 1, name))
        finally:
            document.close()
    return pages


_ACCOUNT_NUMBER = re.compile(r"(?:so tai khoan|account number)\s*:?\s*([\d ]{6,})")
_ACCOUNT_NAME = re.compile(r"(?:Tên tài khoản|Account name)\s*:\s*(.+)$", re.IGNORECASE)


def _assemble(name: str, pages: list[_PdfPage], layout: str = "vietcombank") -> Statement:
    statement = Statement(f"{layout}-pdf", "", "", None, None, None, None, None, None)
    for text in pages[0].account_lines:
        folded = fold(text)
        opening = _OPENING.search(folded)
        if opening and statement.opening_balance is None:
            statement.opening_balance = parse_amount(opening.group(1), name, Where(1, 0))
        number = _ACCOUNT_NUMBER.search(folded)
        if number and not statement.account_number:
            statement.account_number = number.group(1).replace(" ", "")
        account = _ACCOUNT_NAME.search(nfc(text))
        if account and not statement.account_name:
            statement.account_name = account.group(1).strip()
        period = _PERIOD.search(folded)
        if period:
            where = Where(1, 0)
            statement.period_start = parse_date(period.group(1), name, where)
            statement.period_end = parse_date(period.group(2), name, where)
    lines: list[Line] = []
    for page in pages:
        where = Where(page.number, len(page.rows) + 1)
        if page.totals is not None:
            statement.total_debit = parse_amount(page.totals[0], name, where)
            statement.total_credit = parse_amount(page.totals[1], name, where)
        if page.opening is not None:
            statement.opening_balance = parse_amount(page.opening, name, where)
        if page.closing is not None:
            statement.closing_balance = parse_amount(page.closing, name, where)
        for row in page.rows:
            where = Where(page.number, row.row)
            debit = parse_amount(row.debit, name, where)
            credit = parse_amount(row.credit, name, where)
            if not debit and not credit:
                raise StatementError(MSG_NO_AMOUNT, name=name, where=where)
            lines.append(
                Line(
                    position=len(lines) + 1,
                    page=page.number,
                    row=row.row,
                    date=parse_date(row.date, name, where),
                    reference=nfc(" ".join(row.reference)),
                    debit=debit,
                    credit=credit,
                    balance=parse_amount(row.balance, name, where) if row.balance.strip() else None,
                    counterparty=nfc(" ".join(row.counterparty)),
                    description=join_memo(row.memo, row.memo_full),
                )
            )
            if row.number and row.number != str(len(lines)):  # VietinBank numbers its lines: none lost
                raise StatementError(MSG_ROW_NUMBERS, name=name, where=where, found=row.number, expected=len(lines))
    statement.lines = lines
    if layout == "vietinbank" and lines and statement.closing_balance is None and statement.opening_balance is not None:
        # No totals are printed: the last line's balance closes the statement, and every line's
        # balance is checked against the opening balance plus the lines up to it (``check``);
        # without an opening balance nothing could be checked, and ``check`` refuses it.
        statement.closing_balance = lines[-1].balance
    return statement
