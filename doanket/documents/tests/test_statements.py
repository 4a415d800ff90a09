"""Reading bank statements: generated CSV, XLSX and Vietcombank-style PDF files read back line for
line and reconciled, and every way of refusing one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
from collections import Counter
from functools import cache

import openpyxl
import pytest
from django.utils import translation

from doanket.core.text import nfc
from doanket.demo import statements as demo
from doanket.documents.statements import (
    Fragment,
    Line,
    Statement,
    StatementError,
    check,
    dong,
    parse_amount,
    parse_vietcombank_page,
    read,
)
from doanket.documents.statements import Where as At

fpdf = pytest.importorskip("fpdf", reason="fpdf2 makes the test PDFs")


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


@cache
def made(count: int = 400, seed: int = 7) -> demo.DemoStatement:
    return demo.statement(count, seed=seed)


@cache
def pdf_bytes() -> bytes:
    return demo.to_vietcombank_pdf(made())


def expected(entry: demo.Entry) -> tuple[object, ...]:
    return (entry.date, entry.reference, entry.debit, entry.credit, nfc(entry.memo))


def found(line: Line) -> tuple[object, ...]:
    return (line.date, line.reference, line.debit, line.credit, line.description)


def assert_declared_figures(statement: Statement, source: demo.DemoStatement) -> None:
    assert statement.account_number == demo.ACCOUNT_NUMBER
    assert statement.account_name == demo.ACCOUNT_NAME
    assert (statement.period_start, statement.period_end) == (source.period_start, source.period_end)
    assert statement.opening_balance == source.opening_balance
    assert statement.closing_balance == source.closing_balance
    assert statement.total_debit == source.total_debit
    assert statement.total_credit == source.total_credit


# --- Round trips ---------------------------------------------------------------------------------


def test_the_generated_statement_has_the_traps_of_real_ones() -> None:
    source = made()
    references = Counter(entry.reference for entry in source.entries)
    assert any(n > 1 for n in references.values()), "document numbers must repeat"
    assert any(entry.debit for entry in source.entries), "a bank fee now and then"
    same = [expected(a) == expected(b) for a, b in itertools.pairwise(source.entries)]
    assert any(same), "the same donation twice on one day"
    assert any("<script>" in entry.memo for entry in source.entries)
    assert any("\n" in entry.memo and "," in entry.memo and '"' in entry.memo for entry in source.entries)


@pytest.mark.parametrize("writer", [demo.to_csv, demo.to_xlsx], ids=["csv", "xlsx"])
def test_a_table_export_is_read_line_for_line_and_adds_up(writer: object) -> None:
    source = made()
    statement = read("saoke.file", writer(source))  # type: ignore[operator]
    assert statement.layout == "table"
    assert [found(line) for line in statement.lines] == [expected(entry) for entry in source.entries]
    assert [line.balance for line in statement.lines] == [entry.balance for entry in source.entries]
    assert [line.counterparty for line in statement.lines] == [entry.counterparty for entry in source.entries]
    assert [line.position for line in statement.lines] == list(range(1, len(source.entries) + 1))
    # Preamble of five rows, a blank one, the heading on row 7: the first line is row 8.
    assert [line.row for line in statement.lines[:2]] == [8, 9]
    assert statement.lines[0].page is None
    assert statement.lines[4].where() == "row 12"
    assert_declared_figures(statement, source)
    check(statement)


def test_a_vietcombank_pdf_is_read_line_for_line_and_adds_up() -> None:
    source = made()
    statement = read("saoke.pdf", pdf_bytes())
    assert statement.layout == "vietcombank-pdf"
    assert len(statement.lines) == len(source.entries)
    assert [found(line) for line in statement.lines] == [expected(entry) for entry in source.entries]
    last = demo.last_of_day(source.entries)
    assert [line.balance for line in statement.lines] == [
        entry.balance if is_last else None for entry, is_last in zip(source.entries, last, strict=True)
    ]
    assert_declared_figures(statement, source)
    check(statement)
    pages = {line.page or 0 for line in statement.lines}
    assert len(pages) > 5 and min(pages) == 1
    second_page = [line for line in statement.lines if line.page == 2]
    assert [line.row for line in second_page] == list(range(1, len(second_page) + 1))
    assert second_page[2].where() == "page 2, line 3"


def test_memos_wrapped_in_the_pdf_come_back_whole_even_when_cut_inside_a_token() -> None:
    statement = read("saoke.pdf", pdf_bytes())
    long_ones = [line.description for line in statement.lines if line.description.startswith("IBFT.JDC")]
    assert long_ones, "the sample has long references"
    expected_long = [nfc(e.memo) for e in made().entries if e.memo.startswith("IBFT.JDC")]
    assert long_ones == expected_long
    # 100+ characters never fit on one line of the memo column (about 60 characters wide).
    assert all(len(memo) >= 100 for memo in long_ones)


def test_the_same_document_number_on_several_lines_stays_several_lines() -> None:
    statement = read("saoke.pdf", pdf_bytes())
    counts = Counter(line.reference for line in statement.lines)
    expected_counts = Counter(entry.reference for entry in made().entries)
    assert counts == expected_counts
    assert max(counts.values()) >= 2


def test_a_memo_with_markup_comes_back_verbatim_as_text() -> None:
    source = [nfc(e.memo) for e in made().entries if "<script>" in e.memo or "<img" in e.memo]
    for data in (demo.to_csv(made()), pdf_bytes()):
        memos = [line.description for line in read("saoke", data).lines if "<" in line.description]
        assert memos == source
        assert any("<script>alert('ung ho')</script>" in memo for memo in memos)


def test_a_bank_fee_is_a_debit_never_a_credit() -> None:
    fee_texts = {text for _, text in demo.FEES}
    for data in (demo.to_csv(made()), demo.to_xlsx(made()), pdf_bytes()):
        fees = [line for line in read("saoke", data).lines if line.description in fee_texts]
        assert fees
        assert all(line.debit in {amount for amount, _ in demo.FEES} and line.credit == 0 for line in fees)


def test_accents_typed_decomposed_come_back_composed() -> None:
    entries = [e for e in made().entries if e.memo != nfc(e.memo)]
    assert entries, "the sample has a sender whose phone decomposes accents"
    statement = read("saoke.csv", demo.to_csv(made()))
    by_position = {line.position: line for line in statement.lines}
    for entry in entries:
        index = made().entries.index(entry)
        assert by_position[index + 1].description == nfc(entry.memo)


def test_a_long_pdf_read_by_two_processes_gives_the_same_lines() -> None:
    one = read("saoke.pdf", pdf_bytes(), workers=1)
    two = read("saoke.pdf", pdf_bytes(), workers=2)
    assert two.lines == one.lines
    assert (two.total_credit, two.closing_balance) == (one.total_credit, one.closing_balance)


# --- Reconciliation ------------------------------------------------------------------------------


def test_a_statement_whose_lines_do_not_add_up_is_refused_with_the_difference() -> None:
    statement = read("saoke.csv", demo.to_csv(made()))
    wrong = dataclasses.replace(statement, total_credit=(statement.total_credit or 0) + 1_234_000)
    with pytest.raises(StatementError) as error:
        check(wrong)
    assert "a difference of 1.234.000 đ" in str(error.value)
    assert "total credits of " + dong(wrong.total_credit or 0) in str(error.value)


def test_a_fee_booked_as_a_donation_is_caught_by_the_balances() -> None:
    statement = read("saoke.pdf", pdf_bytes())
    fee = next(line for line in statement.lines if line.debit)
    misread = dataclasses.replace(fee, debit=0, credit=fee.debit)
    lines = [misread if line is fee else line for line in statement.lines]
    with pytest.raises(StatementError) as error:
        check(dataclasses.replace(statement, lines=lines))
    message = str(error.value)
    assert f"a difference of {dong(2 * fee.debit)}" in message
    assert "credit lines add up to" in message and "debit lines add up to" in message


def test_a_wrong_printed_balance_names_the_line() -> None:
    statement = read("saoke.csv", demo.to_csv(made()))
    line = statement.lines[9]
    lines = list(statement.lines)
    lines[9] = dataclasses.replace(line, balance=(line.balance or 0) + 500)
    with pytest.raises(StatementError, match=r"At row 17 the statement prints a balance of .* difference of 500 đ"):
        check(dataclasses.replace(statement, lines=lines, total_debit=None, total_credit=None))


def test_a_statement_declaring_no_totals_or_without_lines_is_refused() -> None:
    statement = read("saoke.csv", demo.to_csv(made()))
    bare = dataclasses.replace(statement, total_debit=None, total_credit=None, closing_balance=None)
    with pytest.raises(StatementError, match="declares no totals"):
        check(bare)
    with pytest.raises(StatementError, match="no transaction lines"):
        check(dataclasses.replace(statement, lines=[]))


# --- Refusals ------------------------------------------------------------------------------------


def small_csv(*lines: str) -> bytes:
    head = [
        "Số tài khoản:,0011001932418",
        "Tên tài khoản:,MTTQ XA A",
        "Từ ngày 01/09/2024 đến ngày 02/09/2024",
        "Số dư đầu kỳ:,0",
        "Ngày GD,Số CT,Nợ,Có,Số dư,Diễn giải",
    ]
    tail = ["Cộng phát sinh,,0,100.000,,", "Số dư cuối kỳ:,100.000"]
    return "\r\n".join([*head, *lines, *tail]).encode("utf-8-sig")


def test_a_small_csv_with_other_heading_names_is_read() -> None:
    statement = read("a.csv", small_csv('01/09/2024,12.3,,"100,000",100.000,"ung ho, ""Yagi"""'))
    assert [found(line) for line in statement.lines] == [(dt.date(2024, 9, 1), "12.3", 0, 100_000, 'ung ho, "Yagi"')]
    assert statement.lines[0].row == 6
    check(statement)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("32/09/2024,1,,100.000,,x", "In a.csv, row 6: the date “32/09/2024” cannot be read"),
        ("2024-09-01,1,,100.000,,x", "In a.csv, row 6: the date “2024-09-01” cannot be read"),
        ("01/09/2024,1,,-100.000,,x", "In a.csv, row 6: the amount “-100.000” is negative"),
        ("01/09/2024,1,,100.000.5,,x", "In a.csv, row 6: the amount “100.000.5” cannot be read"),
        ("01/09/2024,1,,9.000.000.000.000.000,,x", "row 6: the amount “9.000.000.000.000.000” is too large"),
        ("01/09/2024,1,,,,x", "In a.csv, row 6: the line has neither a debit nor a credit amount"),
    ],
)
def test_a_bad_line_in_a_csv_is_refused_naming_its_row(row: str, message: str) -> None:
    with pytest.raises(StatementError) as error:
        read("a.csv", small_csv(row))
    assert message in str(error.value)


def test_a_bad_line_in_an_xlsx_is_refused_naming_its_row() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ngày giao dịch", "Số tham chiếu", "Ghi nợ", "Ghi có", "Nội dung"])
    sheet.append([dt.datetime(2024, 9, 1), "1", None, 100000, "ok"])
    sheet.append([dt.datetime(2024, 9, 1), "2", None, 100000.5, "half a đồng"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(StatementError, match=r"row 3: the amount “100000\.5” cannot be read"):
        read("b.xlsx", out.getvalue())


def test_a_random_spreadsheet_is_no_statement() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Năm sinh", "Địa chỉ"])
    sheet.append(["Nguyễn Văn An", 1970, "Thôn 3"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(StatementError, match="not a bank statement that can be read"):
        read("danh-sach.xlsx", out.getvalue())


# --- VietinBank (landscape, ruled, the balance on every line) -------------------------------------


@cache
def vietinbank_bytes() -> bytes:
    return demo.to_vietinbank_pdf(made())


def test_a_vietinbank_pdf_is_read_line_for_line_and_checked_by_its_balances() -> None:
    source = made()
    statement = read("saoke-vietinbank.pdf", vietinbank_bytes())
    assert statement.layout == "vietinbank-pdf"
    assert [(line.date, line.debit, line.credit, line.description) for line in statement.lines] == [
        (entry.date, entry.debit, entry.credit, nfc(entry.memo)) for entry in source.entries
    ]
    assert [line.balance for line in statement.lines] == [entry.balance for entry in source.entries]
    assert [line.counterparty for line in statement.lines] == [nfc(entry.counterparty) for entry in source.entries]
    assert statement.account_number == demo.ACCOUNT_NUMBER and statement.account_name == demo.ACCOUNT_NAME
    assert (statement.period_start, statement.period_end) == (source.period_start, source.period_end)
    assert statement.opening_balance == source.opening_balance
    assert statement.closing_balance == source.closing_balance  # the last line's balance: no totals printed
    assert (statement.total_debit, statement.total_credit) == (None, None)
    check(statement)
    pages = Counter(line.page for line in statement.lines)
    assert len(pages) > 5
    assert [line.row for line in statement.lines if line.page == 2] == list(range(1, pages[2] + 1))
    long_ones = [line.description for line in statement.lines if line.description.startswith("IBFT.JDC")]
    assert long_ones and all(len(memo) >= 100 for memo in long_ones)  # wrapped over lines, cut inside tokens


def test_a_long_vietinbank_pdf_read_by_two_processes_gives_the_same_lines() -> None:
    assert read("a.pdf", vietinbank_bytes(), workers=2).lines == read("a.pdf", vietinbank_bytes(), workers=1).lines


def test_a_misprinted_vietinbank_balance_is_refused_naming_its_page_and_line() -> None:
    source = made()
    entries = list(source.entries)
    entries[30] = dataclasses.replace(entries[30], balance=entries[30].balance + 1_000)
    statement = read("sai.pdf", demo.to_vietinbank_pdf(dataclasses.replace(source, entries=entries)))
    line = statement.lines[30]
    with pytest.raises(StatementError) as error:
        check(statement)
    assert f"At page {line.page}, line {line.row} the statement prints a balance of" in str(error.value)
    assert "a difference of 1.000 đ" in str(error.value)


def test_a_vietinbank_line_missing_from_the_numbering_is_refused() -> None:
    source = made(40, 3)
    numbers = [n if n < 12 else n + 1 for n in range(1, 41)]  # 12 is never printed
    with pytest.raises(StatementError, match=r"page 1, line 12: the line is numbered 13 where 12 was expected"):
        read("thieu.pdf", demo.to_vietinbank_pdf(source, numbers=numbers))


def test_a_vietinbank_statement_without_an_opening_balance_cannot_be_checked() -> None:
    source = made(40, 3)
    statement = read("a.pdf", demo.to_vietinbank_pdf(source, opening=False))
    assert statement.opening_balance is None and statement.closing_balance is None
    with pytest.raises(StatementError, match="declares no totals"):
        check(statement)


def test_a_vietinbank_heading_without_its_ruled_columns_is_refused() -> None:
    pdf = fpdf.FPDF(orientation="L", unit="pt")
    pdf.add_page()
    pdf.add_font("Body", "", str(demo._font_path()))
    pdf.set_font("Body", size=8)
    for x, text in zip((20, 60, 150, 440, 520, 600, 690), ("STT", "Ngày GD", "Mô tả", "Debit", "Credit", "Balance",
                                                           "Offset Name"), strict=True):  # fmt: skip
        pdf.text(x, 100, text)
    pdf.text(20, 120, "1   01/09/2024 08:00:00   ung ho   100.000")
    with pytest.raises(StatementError, match="not ruled into the seven columns of a VietinBank statement"):
        read("khong-ke.pdf", bytes(pdf.output()))


def test_a_pdf_that_is_no_statement_is_refused() -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Bien ban hop chi bo thon 3")
    with pytest.raises(StatementError, match="page 1 has no table heading"):
        read("bien-ban.pdf", bytes(pdf.output()))


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_a_truncated_file_is_refused(kind: str) -> None:
    data = pdf_bytes() if kind == "pdf" else demo.to_xlsx(made(60, 1))
    with pytest.raises(StatementError, match="damaged or incomplete"):
        read(f"cut.{kind}", data[: len(data) // 2])


def test_an_empty_or_binary_file_is_refused() -> None:
    with pytest.raises(StatementError, match="is empty"):
        read("a.csv", b"  \r\n")
    with pytest.raises(StatementError, match="neither a PDF"):
        read("a.csv", b"\xff\xfe\x00\x01garbage\x00")


def test_a_pdf_line_with_a_bad_date_or_amount_names_its_page_and_line() -> None:
    def fragment(text: str, left: float, top: float) -> Fragment:
        return Fragment(text, left, top - 6, left + 5 * len(text), top)

    heading = [
        fragment("Ngày GD/ TNX Date", 30, 700),
        fragment("Debit", 130, 700),
        fragment("Credit", 215, 700),
        fragment("Balance", 300, 700),
        fragment("Transactions in detail", 420, 700),
    ]
    good = [fragment("01/09/2024", 31, 680), fragment("100.000", 230, 680), fragment("ung ho", 361, 680)]
    bad = [fragment("31/02/2024", 31, 660), fragment("5.000", 240, 660), fragment("ung ho", 361, 660)]
    page = parse_vietcombank_page(heading + good + bad, 4, "x.pdf")
    assert [(row.row, row.date, row.credit) for row in page.rows] == [
        (1, "01/09/2024", "100.000"),
        (2, "31/02/2024", "5.000"),
    ]
    with pytest.raises(StatementError, match=r"In x\.pdf, page 4, line 2: the date “31/02/2024” cannot be read"):
        read_rows(page)
    negative = [fragment("01/09/2024", 31, 660), fragment("-5.000", 240, 660), fragment("ung ho", 361, 660)]
    page = parse_vietcombank_page(heading + good + negative, 4, "x.pdf")
    with pytest.raises(StatementError, match=r"page 4, line 2: the amount “-5\.000” is negative"):
        read_rows(page)


def read_rows(page: object) -> None:
    from doanket.documents.statements import _assemble

    _assemble("x.pdf", [page])  # type: ignore[list-item]


# --- Values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("1.234.567", 1_234_567),
        ("1,234,567", 1_234_567),
        ("1.234.567,00", 1_234_567),
        ("1,234,567.00", 1_234_567),
        ("500", 500),
        ("2.000.000 VND", 2_000_000),
        ("", 0),
        (None, 0),
        (100_000, 100_000),
        (100_000.0, 100_000),
    ],
)
def test_amounts_are_read_as_whole_dong(value: object, amount: int) -> None:
    assert parse_amount(value, "a.csv", At(None, 3)) == amount


@pytest.mark.parametrize("value", ["12.34", "1.2345", "abc", 0.5, "1.000.00"])
def test_amounts_that_are_not_whole_dong_are_refused(value: object) -> None:
    with pytest.raises(StatementError, match="row 3: the amount"):
        parse_amount(value, "a.csv", At(None, 3))


def test_where_names_the_page_and_line_or_the_row() -> None:
    line = Line(1, 3, 5, dt.date(2024, 9, 1), "1", 0, 1, None, "", "")
    assert line.where() == "page 3, line 5"
    assert dataclasses.replace(line, page=None, row=17).where() == "row 17"
    assert dong(1_234_567) == "1.234.567 đ"


def test_a_wrapped_memo_is_joined_inside_a_token_only_where_the_line_ran_to_the_edge() -> None:
    from doanket.documents.statements import join_memo

    parts = ["IBFT.JDC123.Vietcomb", "ank:0011.NGUYENVANAN", "ung ho", "ba con"]
    # Cut inside a token (ran to the edge), then wrapped at a space (ended short), then a space.
    assert join_memo(parts, [True, False, False, False]) == "IBFT.JDC123.Vietcombank:0011.NGUYENVANAN ung ho ba con"
    assert join_memo(parts, [True, True, False, False]) == "IBFT.JDC123.Vietcombank:0011.NGUYENVANANung ho ba con"
    assert join_memo(["Ủng hộ đồng bào\ufffe", "miền Bắc"]) == "Ủng hộ đồng bàomiền Bắc"
