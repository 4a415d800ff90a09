"""Bank statements of a relief-fund account, invented but shaped like the real ones.

The Front publishes the statements of its appeal accounts; the importer must read them as the
banks print them (see ``/work/shared/BANK-STATEMENTS.md``). This module makes such files from a
seed — the same seed gives the same bytes — for the tests of
:mod:`doanket.documents.statements`, the demo and the benchmark (12,000 pages):

* :func:`entries` invents the transactions: donors' transfers with the memos senders really type
  (with and without accents, decomposed Unicode, markup, accusations, very long references),
  document numbers that repeat, identical donations on one day, and a bank fee now and then;
* :func:`statement` wraps them with the account, the period and the declared figures;
* :func:`to_csv`, :func:`to_xlsx`, :func:`to_vietcombank_pdf` and :func:`to_vietinbank_pdf` print it
  as a bank would.

Amounts are whole đồng (``int``) everywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doanket.core.text import grouped

ACCOUNT_NUMBER = "0011001932418"
ACCOUNT_NAME = "UY BAN TRUNG UONG MAT TRAN TO QUOC VIET NAM"

FAMILY = ("NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO", "DANG", "BUI", "DO", "HO", "NGO")
MIDDLE = ("VAN", "THI", "DUC", "MINH", "THANH", "NGOC", "HUU", "QUOC", "KIM", "XUAN", "")
GIVEN = ("AN", "BINH", "CHI", "DUNG", "HA", "HUONG", "KHANG", "LAN", "LONG", "MAI", "NAM", "PHUONG", "TUAN", "YEN")
ACCENTED = (
    "Nguyễn Thị Thanh Hương",
    "Trần Quốc Tuấn",
    "Lê Thị Hoà",
    "Phạm Đức Long",
    "Hoàng Ngọc Ánh",
    "Đặng Văn Khải",
)
PURPOSES = (
    "chuyen tien ung ho dong bao bi bao lu",
    "ung ho dong bao mien Bac",
    "ung ho ba con Lao Cai Yen Bai",
    "ung ho khac phuc hau qua bao so 3",
    "UNG HO BAO YAGI",
    "ung ho lu lut",
)
PURPOSES_ACCENTED = (
    "chuyển tiền ủng hộ đồng bào bị ảnh hưởng bão số 3",
    "ủng hộ bà con Làng Nủ, Bảo Yên, Lào Cai",
    "Ủng hộ đồng bào miền Bắc khắc phục hậu quả bão lũ",
)
UNTRUSTED = (
    "<script>alert('ung ho')</script> ung ho dong bao",
    'ung ho 50k <img src=x onerror="fetch(1)"> & chuc ba con binh an',
    "TIEN NAY CHO DONG BAO, CAN BO XA X DUNG AN CHAN NHU LAN TRUOC!!!",
    "Ông chủ tịch xã Y tham nhũng, tiền này cho bà con chứ không cho ông ta",
)
FEES = (
    (1_100, "Thu phi SMS Banking thang 08/2024"),
    (2_200, "PHI DICH VU NGAN HANG DIEN TU"),
    (5_500, "Phi quan ly tai khoan"),
    (11_000, "Thu phi chuyen tien di"),
)
ROUND_AMOUNTS = (10_000, 20_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000)

# Vietcombank-style page (points, A4 portrait, y from the top as fpdf2 counts), spaced like the
# bank's: about 16 lines a page (the Yagi statement: 200,200 lines on 12,028 pages).
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
COLUMNS = (28.0, 98.0, 183.0, 268.0, 358.0, 567.0)  # cell edges: date/doc · debit · credit · balance · memo
PAD = 3.0
FONT_SIZE = 8.5
LINE_PITCH = 11.0
ROW_GAP = 16.0
TABLE_BOTTOM = 770.0
HEADINGS = (
    ("Ngày GD/ TNX Date", "Số CT/ Doc No"),
    ("Số tiền ghi nợ/", "Debit"),
    ("Số tiền ghi có/", "Credit"),
    ("Số dư/", "Balance"),
    ("Nội dung chi tiết/", "Transactions in detail"),
)
CONTACT = (
    "Vietcombank Contact Center: 1900 54 54 13 - Telex: 411504/411229 VCB - VT - Swift: BFTV VNVX",
    "198 Tran Quang Khai, Ha Noi - Tel: 84-24-3934 3137 - Fax: 84-24-3826 9067 - 2.000.000 www.vietcombank.com.vn",
)
# DejaVu Sans ships with the project (demo/fonts, with its licence): a fresh machine may have no
# font with Vietnamese glyphs.
FONT_PATHS = (
    Path(__file__).resolve().parents[2] / "demo" / "fonts" / "DejaVuSans.ttf",
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"),
)


@dataclass(frozen=True)
class Entry:
    """One transaction as the bank booked it; ``memo`` is exactly what the sender typed."""

    date: dt.date
    reference: str
    debit: int
    credit: int
    balance: int
    counterparty: str
    memo: str


@dataclass
class DemoStatement:
    account_number: str
    account_name: str
    period_start: dt.date
    period_end: dt.date
    opening_balance: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def total_debit(self) -> int:
        return sum(entry.debit for entry in self.entries)

    @property
    def total_credit(self) -> int:
        return sum(entry.credit for entry in self.entries)

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + self.total_credit - self.total_debit


# --- Inventing the transactions ---------------------------------------------------------------------


def _name(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(ACCENTED)
    return " ".join(part for part in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if part)


def _memo(rng: random.Random, name: str, day: dt.date) -> str:
    pick = rng.random()
    digits = "".join(rng.choice("0123456789") for _ in range(10))
    if pick < 0.35:
        return f"MBVCB.{digits}.{rng.randrange(10**6):06d}.{name} {rng.choice(PURPOSES)}"
    if pick < 0.55:
        return f"{rng.randrange(10**6):06d}.{day:%d%m%y}.{rng.randrange(240000):06d}.{name} {rng.choice(PURPOSES)}"
    if pick < 0.65:
        return f"{name} {rng.choice(PURPOSES_ACCENTED)}"
    if pick < 0.72:  # a sender whose phone sends decomposed accents
        return unicodedata.normalize("NFD", f"{name} {rng.choice(PURPOSES_ACCENTED)}")
    if pick < 0.80:  # long references, wrapped mid-token in the PDF
        return (
            f"IBFT.JDC{digits}.{rng.randrange(10**5):05d}.{rng.randrange(10**6):06d}.Vietcombank:{ACCOUNT_NUMBER}."
            f"{name.replace(' ', '')}UNGHODONGBAOBAOLU.{digits}{digits} {rng.choice(PURPOSES)}"
        )
    if pick < 0.86:
        return f"{name} {rng.choice(UNTRUSTED)}"
    if pick < 0.92:  # what a CSV must quote: commas, quotes, a line break
        return f'{name}, to 5 "phuong Tan Mai"\nung ho ba con, {rng.choice(PURPOSES)}'
    return f"ND: {rng.choice(PURPOSES)} FT24{day:%j}{rng.randrange(10**8):08d}"


def _amount(rng: random.Random) -> int:
    pick = rng.random()
    if pick < 0.75:
        return rng.choice(ROUND_AMOUNTS)
    if pick < 0.98:
        return rng.randrange(1, 2_000) * 1_000 + rng.choice((0, 0, 0, 500, rng.randrange(1, 1000)))
    return rng.randrange(1, 200) * 1_000_000  # an organisation's transfer


def entries(
    count: int, seed: int = 0, start_date: dt.date = dt.date(2024, 9, 1), *, opening_balance: int = 0, per_day: int = 0
) -> list[Entry]:
    """``count`` transactions from ``start_date`` on, ``per_day`` a day (default: ten days' worth).

    About one line in forty is a bank fee (a debit); about one in ten repeats an earlier line's
    document number; about one in fifty repeats the line before it exactly (same date, amount and
    memo: a second donation, not a duplicate)."""
    rng = random.Random(seed)  # noqa: S311 - sample data, the same for the same seed
    day_size = per_day or max(1, -(-count // 10))
    balance = opening_balance
    made: list[Entry] = []
    references: list[str] = []
    for index in range(count):
        day = start_date + dt.timedelta(days=index // day_size)
        if made and made[-1].credit and made[-1].date == day and rng.random() < 0.02:
            before = made[-1]
            balance += before.credit
            made.append(Entry(day, before.reference, 0, before.credit, balance, before.counterparty, before.memo))
            continue
        if references and rng.random() < 0.1:
            reference = rng.choice(references[-50:])
        else:
            reference = f"{rng.randrange(1000, 10000)}.{rng.randrange(10000, 100000)}"
            references.append(reference)
        if balance > 20_000 and rng.random() < 0.025:
            fee, text = rng.choice(FEES)
            balance -= fee
            made.append(Entry(day, reference, fee, 0, balance, "", text))
            continue
        name = _name(rng)
        credit = _amount(rng)
        balance += credit
        made.append(Entry(day, reference, 0, credit, balance, f"{name} - A/C", _memo(rng, name, day)))
    return made


lines = entries  # the name the benchmark was first written against


def statement(count: int, seed: int = 0, start_date: dt.date = dt.date(2024, 9, 1), **options: Any) -> DemoStatement:
    """A statement of ``count`` lines over the days they fall on, opening with a round balance."""
    opening = options.pop("opening_balance", 1_000_000_000 + seed * 1_000)
    made = entries(count, seed, start_date, opening_balance=opening, **options)
    end = made[-1].date if made else start_date
    return DemoStatement(ACCOUNT_NUMBER, ACCOUNT_NAME, start_date, end, opening, made)


def money(amount: int) -> str:
    """1234567 → "1.234.567", as Vietnamese banks print amounts."""
    return grouped(amount)


def last_of_day(made: list[Entry]) -> list[bool]:
    """Whether each entry is the last of its day: the only lines whose balance a Vietcombank
    statement prints."""
    return [i + 1 == len(made) or made[i + 1].date != entry.date for i, entry in enumerate(made)]


# --- CSV and XLSX -----------------------------------------------------------------------------------

TABLE_HEADER = ("STT", "Ngày giao dịch", "Số tham chiếu", "Ghi nợ", "Ghi có", "Số dư", "Tên đối ứng", "Nội dung")


def _table_rows(made: DemoStatement, *, text_amounts: bool) -> Iterator[list[Any]]:
    def amount(value: int) -> Any:
        if not text_amounts:
            return value if value else None
        return money(value) if value else ""

    yield ["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"]
    yield ["Số tài khoản:", made.account_number]
    yield ["Tên tài khoản:", made.account_name]
    yield [f"Từ ngày {made.period_start:%d/%m/%Y} đến ngày {made.period_end:%d/%m/%Y}"]
    yield ["Số dư đầu kỳ:", amount(made.opening_balance)]
    yield []
    yield list(TABLE_HEADER)
    for number, entry in enumerate(made.entries, 1):
        day: Any = f"{entry.date:%d/%m/%Y}" if text_amounts else entry.date
        yield [
            number,
            day,
            entry.reference,
            amount(entry.debit),
            amount(entry.credit),
            amount(entry.balance),
            entry.counterparty,
            entry.memo,
        ]
    yield ["", "Tổng cộng", "", amount(made.total_debit), amount(made.total_credit), "", "", ""]
    yield ["Số dư cuối kỳ:", amount(made.closing_balance)]


def to_csv(made: DemoStatement) -> bytes:
    """A CSV export: UTF-8 with a byte-order mark, amounts as text with "." thousands, memos quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_table_rows(made, text_amounts=True))
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(made: DemoStatement) -> bytes:
    """An XLSX export: amounts as numbers (every tenth one a float, as some exports write them),
    dates as date cells."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sao ke")
    for index, row in enumerate(_table_rows(made, text_amounts=False)):
        if index % 10 == 3:
            row = [float(cell) if isinstance(cell, int) and cell > 1000 else cell for cell in row]
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Vietcombank-style PDF ----------------------------------------------------------------------------


def _font_path() -> Path:
    for path in FONT_PATHS:
        if path.exists():
            return path
    raise FileNotFoundError("no TrueType font with Vietnamese glyphs (Liberation Sans or DejaVu Sans) installed")


class _Widths(dict[str, float]):
    """Character widths at the table's font size, measured once per character."""

    def __init__(self, pdf: Any) -> None:
        super().__init__()
        self.pdf = pdf

    def __missing__(self, ch: str) -> float:
        width = self[ch] = self.pdf.get_string_width(ch)
        return float(width)


def _wrap(text: str, width: float, widths: _Widths) -> list[str]:
    """Lines of at most ``width``, broken at the last space that fits, or inside a token when the
    line holds none (as report engines do, hence the mid-token breaks of real statements)."""
    lines: list[str] = []
    for paragraph in [" ".join(text.split())]:
        start, used, last_space = 0, 0.0, -1
        i = 0
        while i < len(paragraph):
            ch = paragraph[i]
            if ch == " ":
                last_space = i
            used += widths[ch]
            if used > width and i > start:
                if last_space > start:
                    lines.append(paragraph[start:last_space])
                    start = last_space + 1
                else:
                    lines.append(paragraph[start:i])
                    start = i
                i, used, last_space = start, 0.0, -1
                continue
            i += 1
        if start < len(paragraph):
            lines.append(paragraph[start:])
    return lines or [""]


@dataclass
class _Row:
    cells: list[list[str]]  # per column, the lines of the cell
    right_aligned: bool = True

    @property
    def height(self) -> float:
        return max(len(lines) for lines in self.cells) * LINE_PITCH + ROW_GAP


def _pdf_rows(made: DemoStatement, widths: _Widths) -> list[_Row]:
    memo_width = COLUMNS[5] - COLUMNS[4] - 2 * PAD
    rows = []
    for entry, last in zip(made.entries, last_of_day(made.entries), strict=True):
        memo = unicodedata.normalize("NFC", entry.memo)
        rows.append(
            _Row(
                [
                    [f"{entry.date:%d/%m/%Y}", entry.reference],
                    [money(entry.debit)] if entry.debit else [],
                    [money(entry.credit)] if entry.credit else [],
                    [money(entry.balance)] if last else [],
                    _wrap(memo, memo_width, widths),
                ]
            )
        )
    return rows


def _paginate(rows: list[_Row], first_top: float, top: float) -> list[list[_Row]]:
    pages: list[list[_Row]] = [[]]
    y = first_top
    for row in rows:
        if y + row.height > TABLE_BOTTOM and pages[-1]:
            pages.append([])
            y = top
        pages[-1].append(row)
        y += row.height
    return pages


def to_vietcombank_pdf(made: DemoStatement) -> bytes:
    """The statement as Vietcombank prints it: the account block on page 1, the table heading on
    every page, date over document number in the first column, the balance on each day's last
    line, memos wrapped in their column, "Page N of M" and the bank's contact numbers in the
    footer, and the totals with the opening and closing balance after the last line."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_compression(True)
    pdf.add_font("Body", "", str(_font_path()))
    pdf.set_font("Body", size=FONT_SIZE)
    widths = _Widths(pdf)
    header_bottom = 190.0
    rows = _pdf_rows(made, widths)
    closing_block = 5 * LINE_PITCH + 10
    pages = _paginate(rows, header_bottom + 2 * LINE_PITCH + ROW_GAP, 40 + 2 * LINE_PITCH + ROW_GAP)
    # The closing block must fit under the last line, else it goes on a page of its own.
    used = sum(row.height for row in pages[-1]) + (
        header_bottom if len(pages) == 1 else 40.0 + 2 * LINE_PITCH + ROW_GAP
    )
    if used + closing_block > TABLE_BOTTOM:
        pages.append([])
    total = len(pages)
    for number, page_rows in enumerate(pages, 1):
        pdf.add_page()
        y = 40.0
        if number == 1:
            y = _account_block(pdf, made)
        y = _heading(pdf, widths, y)
        for row in page_rows:
            _draw_row(pdf, widths, row, y)
            y += row.height
        if number == total:
            _closing(pdf, widths, made, y + ROW_GAP)
        _footer(pdf, number, total)
    return bytes(pdf.output())


def _account_block(pdf: Any, made: DemoStatement) -> float:
    pdf.set_font_size(12)
    pdf.text(190, 50, "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT")
    pdf.set_font_size(8)
    fields = (
        ("Tên tài khoản/ Account name:", made.account_name),
        ("Ngày thực hiện/ Execution date:", f"{made.period_end + dt.timedelta(days=1):%d/%m/%Y}"),
        ("Chi nhánh/ Branch:", "SO GIAO DICH"),
        ("Địa chỉ/ Address:", "46 Tràng Thi, Hoàn Kiếm, Hà Nội - ĐT 024 3934 3137"),
        ("Số tài khoản/ Account number:", made.account_number),
        ("Số CIF/ CIF number:", "10017248"),
        ("Loại tiền/ Currency:", "VND"),
    )
    y = 75.0
    for label, value in fields:
        pdf.text(COLUMNS[0], y, label)
        pdf.text(170, y, value)
        y += 12
    pdf.text(COLUMNS[0], y, f"Từ/ From {made.period_start:%d/%m/%Y} Đến/ To {made.period_end:%d/%m/%Y}")
    pdf.set_font_size(FONT_SIZE)
    return 190.0


def _heading(pdf: Any, widths: _Widths, top: float) -> float:
    for (left, right), lines in zip(itertools.pairwise(COLUMNS), HEADINGS, strict=True):
        for k, text in enumerate(lines):
            width = sum(widths[ch] for ch in text)
            pdf.text(left + (right - left - width) / 2, top + (k + 1) * LINE_PITCH - 2, text)
    pdf.line(COLUMNS[0], top + 2 * LINE_PITCH + 1, COLUMNS[-1], top + 2 * LINE_PITCH + 1)
    return top + 2 * LINE_PITCH + ROW_GAP


def _draw_row(pdf: Any, widths: _Widths, row: _Row, top: float) -> None:
    for column, lines in enumerate(row.cells):
        left, right = COLUMNS[column], COLUMNS[column + 1]
        for k, text in enumerate(lines):
            baseline = top + (k + 1) * LINE_PITCH - 2
            if column in (1, 2, 3):
                pdf.text(right - PAD - sum(widths[ch] for ch in text), baseline, text)
            else:
                pdf.text(left + PAD, baseline, text)


def _closing(pdf: Any, widths: _Widths, made: DemoStatement, top: float) -> None:
    total_row = _Row([["Tổng số/ Total"], [money(made.total_debit)], [money(made.total_credit)], [], []])
    pdf.line(COLUMNS[0], top - ROW_GAP / 2, COLUMNS[-1], top - ROW_GAP / 2)
    _draw_row(pdf, widths, total_row, top)
    y = top + LINE_PITCH + 14
    for label, value in (
        ("Số dư đầu kỳ/ Opening balance:", made.opening_balance),
        ("Số dư cuối kỳ/ Closing balance:", made.closing_balance),
    ):
        pdf.text(COLUMNS[0] + PAD, y, label)
        pdf.text(COLUMNS[2] - PAD - sum(widths[ch] for ch in money(value)), y, money(value))
        y += LINE_PITCH + 2
    pdf.text(COLUMNS[0] + PAD, y + 4, "Sao kê này được lập tự động. / This statement is generated automatically.")


def _footer(pdf: Any, number: int, total: int) -> None:
    pdf.text(260, 800, f"Page {number} of {total}")
    for k, text in enumerate(CONTACT):
        pdf.text(COLUMNS[0], 815 + k * 10, text)


# --- VietinBank-style PDF (landscape, full grid) ------------------------------------------------------

# A4 landscape; the cell edges of the seven columns: STT · date and time · transaction comment ·
# debit · credit · balance (on every line) · offset name. Every cell is ruled.
VTB_WIDTH, VTB_HEIGHT = 841.89, 595.28
VTB_EDGES = (20.0, 50.0, 142.0, 430.0, 512.0, 594.0, 680.0, 822.0)
VTB_HEADINGS = (
    ("STT/", "No."),
    ("Ngày GD/", "Tnx Date"),
    ("Mô tả giao dịch/", "Transaction Comment"),
    ("Nợ/", "Debit"),
    ("Có/", "Credit"),
    ("Số dư/", "Balance"),
    ("Tên đối ứng/", "Offset Name"),
)
VTB_PITCH = 10.0
VTB_PAD = 3.0
VTB_TABLE_BOTTOM = 555.0
VTB_PRINTED = "11/09/2024 08:15:02"


def moments(made: list[Entry]) -> list[str]:
    """The date and time VietinBank prints for each line ("10/09/2024 12:01:29"): a day's lines
    spread over its hours in order."""
    per_day: dict[dt.date, int] = {}
    for entry in made:
        per_day[entry.date] = per_day.get(entry.date, 0) + 1
    seen: dict[dt.date, int] = {}
    out = []
    for entry in made:
        k = seen[entry.date] = seen.get(entry.date, 0) + 1
        second = 6 * 3600 + (k * 17 * 3600) // (per_day[entry.date] + 1)  # between 06:00 and 23:00
        out.append(f"{entry.date:%d/%m/%Y} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}")
    return out


def to_vietinbank_pdf(made: DemoStatement, *, numbers: list[int] | None = None, opening: bool = True) -> bytes:
    """The statement as VietinBank prints it: landscape, every cell ruled, a row number, the date
    with the time in one cell, the comment and the offset name wrapped in their columns, the
    balance on every line, the opening balance in page 1's header, the print time and "Trang/
    Page N/M" in the footer; no totals (each line's balance is what the reading is checked
    against). For the tests of a misprint: ``numbers`` replaces the row numbers, ``opening=False``
    leaves the opening balance out of the header."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_compression(True)
    pdf.add_font("Body", "", str(_font_path()))
    pdf.set_font("Body", size=7.5)
    pdf.set_line_width(0.5)
    widths = _Widths(pdf)
    width_of = [right - left - 2 * VTB_PAD for left, right in itertools.pairwise(VTB_EDGES)]
    rows = [
        [
            [str(numbers[number - 1] if numbers else number)],
            [moment],
            _wrap(unicodedata.normalize("NFC", entry.memo), width_of[2], widths),
            [money(entry.debit)] if entry.debit else [],
            [money(entry.credit)] if entry.credit else [],
            [money(entry.balance)],
            _wrap(entry.counterparty, width_of[6], widths) if entry.counterparty else [],
        ]
        for number, (entry, moment) in enumerate(zip(made.entries, moments(made.entries), strict=True), 1)
    ]
    heading_height = 2 * VTB_PITCH + 6

    def height(row: list[list[str]]) -> float:
        return max(len(lines) for lines in row) * VTB_PITCH + 6

    pages: list[list[list[list[str]]]] = [[]]
    y = 150.0 + heading_height
    for row in rows:
        if y + height(row) > VTB_TABLE_BOTTOM and pages[-1]:
            pages.append([])
            y = 30.0 + heading_height
        pages[-1].append(row)
        y += height(row)
    for number, page_rows in enumerate(pages, 1):
        pdf.add_page()
        top = 30.0
        if number == 1:
            top = _vietinbank_header(pdf, made, opening)
        _ruled_row(pdf, widths, [list(h) for h in VTB_HEADINGS], top, heading_height, centred=True)
        top += heading_height
        for row in page_rows:
            _ruled_row(pdf, widths, row, top, height(row))
            top += height(row)
        pdf.text(VTB_EDGES[0], 575, f"Ngày in/ Printed: {VTB_PRINTED}")
        pdf.text(720, 575, f"Trang/ Page {number}/{len(pages)}")
    return bytes(pdf.output())


def _vietinbank_header(pdf: Any, made: DemoStatement, opening: bool) -> float:
    pdf.set_font_size(11)
    pdf.text(300, 40, "SAO KÊ TÀI KHOẢN/ ACCOUNT STATEMENT")
    pdf.set_font_size(7.5)
    fields = (
        f"Tên tài khoản/ Account name: {made.account_name}",
        f"Số tài khoản/ Account number: {made.account_number}",
        "Loại tiền/ Currency: VND",
        f"Từ ngày/ From: {made.period_start:%d/%m/%Y} Đến ngày/ To: {made.period_end:%d/%m/%Y}",
        f"Số dư đầu kỳ/ Opening balance: {money(made.opening_balance)}" if opening else "",
    )
    for k, text in enumerate(fields):
        pdf.text(VTB_EDGES[0], 70 + 14 * k, text)
    return 150.0


def _ruled_row(
    pdf: Any, widths: _Widths, cells: list[list[str]], top: float, height: float, centred: bool = False
) -> None:
    pdf.line(VTB_EDGES[0], top, VTB_EDGES[-1], top)
    pdf.line(VTB_EDGES[0], top + height, VTB_EDGES[-1], top + height)
    for x in VTB_EDGES:
        pdf.line(x, top, x, top + height)
    for column, lines in enumerate(cells):
        left, right = VTB_EDGES[column], VTB_EDGES[column + 1]
        for k, text in enumerate(lines):
            baseline = top + 3 + (k + 1) * VTB_PITCH - 2
            width = sum(widths[ch] for ch in text)
            if centred:
                pdf.text(left + (right - left - width) / 2, baseline, text)
            elif column in (3, 4, 5):
                pdf.text(right - VTB_PAD - width, baseline, text)
            else:
                pdf.text(left + VTB_PAD, baseline, text)
