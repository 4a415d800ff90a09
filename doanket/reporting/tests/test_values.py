"""Checking what an officer typed against a form's indicators (no database: unsaved indicators)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from doanket.reporting.models import Indicator, IndicatorType
from doanket.reporting.values import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    as_raw,
    check,
    display,
    format_number,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages compared in their source language (the Vietnamese catalogue may change)."""
    with translation.override("en"):
        yield


def ind(code: str = "a", type: str = IndicatorType.INTEGER, **extra: Any) -> Indicator:
    return Indicator(code=code, label=extra.pop("label", code.upper()), type=type, **extra)


def one(indicator: Indicator, raw: Any, complete: bool = True) -> tuple[Any, str | None]:
    """(value, error) of a single answer."""
    checked = check([indicator], {indicator.code: raw}, complete=complete)
    return checked.values.get(indicator.code), checked.errors.get(indicator.code)


# --- Whole numbers and amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0", 0),
        ("7", 7),
        ("1234567", 1234567),
        ("1.234.567", 1234567),
        ("1 234 567", 1234567),
        ("1\u00a0234\u00a0567", 1234567),  # non-breaking spaces, as Word and Excel write them
        ("12.000", 12000),
        ("999.999.999.999", 999999999999),
        ("  250  ", 250),
        ("+5", 5),
        (12, 12),
        (0, 0),
    ],
)
def test_whole_numbers_in_the_vietnamese_way(raw: Any, value: int) -> None:
    assert one(ind(), raw) == (value, None)


@pytest.mark.parametrize(
    "raw",
    ["1,5", "1.5", "1.2345", "12.34.567", "1.23", "1..234", ".234", "1.234.", "abc", "5 hộ", "1e3", "--5", "1 23"],
)
def test_what_is_not_a_whole_number_is_refused(raw: str) -> None:
    value, error = one(ind(), raw)
    assert value is None
    assert error == f"“{raw.strip()}” is not a whole number (write 1.250.000 or 1250000)."


def test_a_long_wrong_answer_is_cut_in_the_message() -> None:
    _, error = one(ind(), "x" * 100)
    assert error == f"“{'x' * 40}” is not a whole number (write 1.250.000 or 1250000)."


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.000đ", 1000), ("1.000 đ", 1000), ("2.500.000 đồng", 2500000), ("2500000", 2500000), ("0 đ", 0)],
)
def test_amounts_may_carry_the_currency(raw: str, value: int) -> None:
    assert one(ind(type=IndicatorType.MONEY), raw) == (value, None)


@pytest.mark.parametrize("type", [IndicatorType.INTEGER, IndicatorType.MONEY])
@pytest.mark.parametrize("raw", ["-5", "-1.000", -3])
def test_negative_counts_and_amounts_are_refused(type: str, raw: Any) -> None:
    value, error = one(ind(type=type), raw)
    assert value is None
    assert error == "A count or an amount cannot be negative."


def test_negative_is_refused_even_with_a_positive_minimum() -> None:
    assert one(ind(min_value=0), "-1") == (None, "A count or an amount cannot be negative.")
    assert one(ind(min_value=5), "-1") == (None, "A count or an amount cannot be negative.")


def test_a_negative_minimum_allows_negative_numbers() -> None:
    indicator = ind(min_value=-10)
    assert one(indicator, "-5") == (-5, None)
    assert one(indicator, "-10") == (-10, None)
    assert one(indicator, "-11") == (None, "At least -10.")


def test_minimum_and_maximum() -> None:
    indicator = ind(min_value=10, max_value=1_000_000)
    assert one(indicator, "10") == (10, None)
    assert one(indicator, "1.000.000") == (1_000_000, None)
    assert one(indicator, "9") == (None, "At least 10.")
    assert one(indicator, "1.000.001") == (None, "At most 1.000.000.")
    assert one(indicator, 0) == (None, "At least 10.")


def test_zero_is_an_answer_not_a_blank() -> None:
    assert one(ind(required=True), "0") == (0, None)
    assert one(ind(required=True), 0) == (0, None)


def test_a_float_whole_number_is_accepted() -> None:
    """Excel and JSON give numbers, not text: 5.0 is five."""
    assert one(ind(), 5.0) == (5, None)
    value, error = one(ind(type=IndicatorType.MONEY), 1_250_000.0)
    assert (value, error) == (1_250_000, None) and isinstance(value, int)
    assert one(ind(), -2.0) == (None, "A count or an amount cannot be negative.")
    assert one(ind(max_value=4), 5.0) == (None, "At most 4.")


@pytest.mark.parametrize("raw", [1.234, 1.5, 0.001, 12.25])
def test_a_fractional_float_is_not_read_as_thousands(raw: float) -> None:
    value, error = one(ind(), raw)
    assert value is None
    assert error is not None and "is not a whole number" in error


# --- Percentages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("12,5%", 12.5),
        ("12,5 %", 12.5),
        ("0", 0.0),
        ("100", 100.0),
        ("100,0", 100.0),
        ("33,333", 33.33),  # two decimals kept
        ("66,666", 66.67),
        (12.5, 12.5),
        (50, 50.0),
    ],
)
def test_percentages(raw: Any, value: float) -> None:
    got, error = one(ind(type=IndicatorType.PERCENT), raw)
    assert error is None
    assert got == value and isinstance(got, float)


@pytest.mark.parametrize("raw", ["abc", "12,5,5", "1.234,5", "12 5", "%", "1/2"])
def test_what_is_not_a_percentage_is_refused(raw: str) -> None:
    value, error = one(ind(type=IndicatorType.PERCENT), raw)
    assert value is None
    assert error is not None and error.endswith("is not a percentage (write 12,5).")


@pytest.mark.parametrize("raw", ["-1", "-0,5", "100,01", "150"])
def test_a_percentage_lies_between_0_and_100(raw: str) -> None:
    assert one(ind(type=IndicatorType.PERCENT), raw) == (None, "A percentage lies between 0 and 100.")


def test_a_percentage_with_a_maximum_may_exceed_100() -> None:
    growth = ind(type=IndicatorType.PERCENT, max_value=200)
    assert one(growth, "150") == (150.0, None)
    assert one(growth, "200") == (200.0, None)
    assert one(growth, "250") == (None, "At most 200.")


def test_a_percentage_respects_its_minimum() -> None:
    assert one(ind(type=IndicatorType.PERCENT, min_value=50), "49,9") == (None, "At least 50.")
    assert one(ind(type=IndicatorType.PERCENT, min_value=50), "50") == (50.0, None)


# --- Yes/no and choices ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["có", "Có", "CÓ", "co", "x", "X", "1", "yes", "Yes", "true", "đúng", "Đúng", True, 1, " có "]
)
def test_yes(raw: Any) -> None:
    assert one(ind(type=IndicatorType.BOOLEAN), raw) == (True, None)


@pytest.mark.parametrize("raw", ["không", "Không", "KHÔNG", "khong", "k", "K", "0", "no", "false", "sai", False, 0])
def test_no(raw: Any) -> None:
    assert one(ind(type=IndicatorType.BOOLEAN), raw) == (False, None)


@pytest.mark.parametrize("raw", ["có lẽ", "maybe", "2", "y", "ok", "chưa"])
def test_neither_yes_nor_no(raw: str) -> None:
    assert one(ind(type=IndicatorType.BOOLEAN), raw) == (None, "Answer yes or no.")


def test_a_decomposed_yes_is_read_like_a_composed_one() -> None:
    decomposed = unicodedata.normalize("NFD", "không")
    assert decomposed != "không"
    assert one(ind(type=IndicatorType.BOOLEAN), decomposed) == (False, None)


CHOICES = ["Tốt", "Khá", "Trung bình", "Yếu"]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Tốt", "Tốt"),
        ("tốt", "Tốt"),
        ("tot", "Tốt"),
        ("TOT", "Tốt"),
        ("trung binh", "Trung bình"),
        ("TRUNG BÌNH", "Trung bình"),
        ("  Khá ", "Khá"),
        ("yeu", "Yếu"),
        (unicodedata.normalize("NFD", "Yếu"), "Yếu"),
        ("trung   binh", "Trung bình"),
    ],
)
def test_choices_match_without_accents_and_keep_the_written_option(raw: str, value: str) -> None:
    assert one(ind(type=IndicatorType.CHOICE, choices=CHOICES), raw) == (value, None)


def test_an_answer_outside_the_choices_is_refused() -> None:
    assert one(ind(type=IndicatorType.CHOICE, choices=CHOICES), "Kém") == (
        None,
        "Choose one of: Tốt, Khá, Trung bình, Yếu.",
    )
    assert one(ind(type=IndicatorType.CHOICE, choices=CHOICES), "Trung") == (
        None,
        "Choose one of: Tốt, Khá, Trung bình, Yếu.",
    )


# --- Text ---------------------------------------------------------------------------------------


def test_short_text_limit() -> None:
    short = ind(type=IndicatorType.SHORT_TEXT)
    assert one(short, "a" * SHORT_TEXT_MAX) == ("a" * SHORT_TEXT_MAX, None)
    assert one(short, "a" * (SHORT_TEXT_MAX + 1)) == (
        None,
        f"At most {SHORT_TEXT_MAX} characters (this has {SHORT_TEXT_MAX + 1}).",
    )
    assert SHORT_TEXT_MAX == 500


def test_long_text_limit() -> None:
    long = ind(type=IndicatorType.LONG_TEXT)
    assert one(long, "b" * LONG_TEXT_MAX) == ("b" * LONG_TEXT_MAX, None)
    assert one(long, "b" * (LONG_TEXT_MAX + 1)) == (
        None,
        f"At most {LONG_TEXT_MAX} characters (this has {LONG_TEXT_MAX + 1}).",
    )
    # The long limit is not the short one.
    assert one(long, "b" * (SHORT_TEXT_MAX + 1))[1] is None


def test_text_is_stored_in_nfc_and_trimmed() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoà giải ở cơ sở")
    value, error = one(ind(type=IndicatorType.SHORT_TEXT), f"  {decomposed}  ")
    assert error is None
    assert value == "Hoà giải ở cơ sở" and unicodedata.is_normalized("NFC", value)


def test_text_length_is_counted_after_normalisation() -> None:
    # 500 composed characters typed as 1000 code points (letter + combining mark) still fit.
    decomposed = unicodedata.normalize("NFD", "á" * SHORT_TEXT_MAX)
    assert len(decomposed) == 2 * SHORT_TEXT_MAX
    assert one(ind(type=IndicatorType.SHORT_TEXT), decomposed) == ("á" * SHORT_TEXT_MAX, None)


def test_long_text_keeps_its_line_breaks() -> None:
    text = "- Tuyên truyền: 3 hội nghị\n- Vận động quỹ: 12 triệu đồng"
    assert one(ind(type=IndicatorType.LONG_TEXT), text) == (text, None)


def test_long_text_lines_are_tidied() -> None:
    raw = "  Dòng 1   có  khoảng trắng \r\nDòng 2\n\n\n\nDòng 3  \n\n"
    assert one(ind(type=IndicatorType.LONG_TEXT), raw) == ("Dòng 1 có khoảng trắng\nDòng 2\n\nDòng 3", None)


def test_short_text_is_one_line() -> None:
    assert one(ind(type=IndicatorType.SHORT_TEXT), "Tổ 5\nthôn Na Hối") == ("Tổ 5 thôn Na Hối", None)


# --- Blank answers and required indicators ---------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0"])
def test_a_blank_required_answer_is_an_error_only_when_submitting(raw: Any) -> None:
    required = ind(required=True)
    assert one(required, raw, complete=True) == (None, "Required.")
    checked = check([required], {"a": raw}, complete=False)
    assert checked.ok and checked.values == {}


def test_a_missing_answer_is_like_a_blank_one() -> None:
    indicators = [ind("a", required=True), ind("b", required=False)]
    assert check(indicators, {}, complete=True).errors == {"a": "Required."}
    assert check(indicators, {}, complete=False).errors == {}


def test_an_optional_blank_answer_is_no_value() -> None:
    checked = check([ind(required=False)], {"a": ""}, complete=True)
    assert checked.ok and checked.values == {}


def test_answers_for_unknown_codes_are_ignored() -> None:
    checked = check([ind("a")], {"a": "1", "zzz": "not even a number"}, complete=True)
    assert checked.ok and checked.values == {"a": 1}


def test_every_error_is_reported_at_once() -> None:
    indicators = [
        ind("so", required=True),
        ind("tien", IndicatorType.MONEY),
        ind("pt", IndicatorType.PERCENT),
        ind("co", IndicatorType.BOOLEAN),
        ind("ok", IndicatorType.INTEGER),
    ]
    checked = check(indicators, {"tien": "-1", "pt": "120", "co": "có lẽ", "ok": "1.000"}, complete=True)
    assert not checked.ok
    assert set(checked.errors) == {"so", "tien", "pt", "co"}
    assert checked.values == {"ok": 1000}


# --- Sums -------------------------------------------------------------------------------------------


def _family() -> list[Indicator]:
    return [
        ind("tong", label="Tổng số hộ", sum_of=["nam", "nu"]),
        ind("nam", label="Chủ hộ nam"),
        ind("nu", label="Chủ hộ nữ"),
    ]


def test_a_total_that_adds_up_is_accepted() -> None:
    checked = check(_family(), {"tong": "1.234", "nam": "1.000", "nu": "234"}, complete=True)
    assert checked.ok
    assert checked.values == {"tong": 1234, "nam": 1000, "nu": 234}


def test_a_total_that_does_not_add_up_says_what_it_should_be() -> None:
    checked = check(_family(), {"tong": "1.235", "nam": "1.000", "nu": "234"}, complete=True)
    assert checked.errors == {"tong": "Must equal the sum of Chủ hộ nam, Chủ hộ nữ (1.234), not 1.235."}
    # The parts are fine; the total is still typed.
    assert checked.values == {"tong": 1235, "nam": 1000, "nu": 234}


def test_a_sum_is_not_checked_while_a_part_is_missing_or_wrong() -> None:
    assert check(_family(), {"tong": "5", "nam": "1"}, complete=False).ok
    checked = check(_family(), {"tong": "5", "nam": "1", "nu": "x"}, complete=False)
    assert set(checked.errors) == {"nu"}


def test_a_sum_is_not_checked_when_the_total_is_blank() -> None:
    assert check(_family(), {"nam": "1", "nu": "2"}, complete=False).ok


def test_a_sum_of_unknown_codes_is_ignored() -> None:
    indicators = [ind("tong", sum_of=["khong_co"]), ind("nam")]
    assert check(indicators, {"tong": "5", "nam": "1"}, complete=True).ok
    # Only the known parts count.
    indicators = [ind("tong", sum_of=["nam", "khong_co"]), ind("nam")]
    assert check(indicators, {"tong": "1", "nam": "1"}, complete=True).ok
    assert set(check(indicators, {"tong": "2", "nam": "1"}, complete=True).errors) == {"tong"}


def test_a_sum_of_amounts_with_thousands() -> None:
    indicators = [
        ind("quy", IndicatorType.MONEY, label="Tổng quỹ", sum_of=["tw", "dp"]),
        ind("tw", IndicatorType.MONEY, label="Trung ương"),
        ind("dp", IndicatorType.MONEY, label="Địa phương"),
    ]
    checked = check(indicators, {"quy": "3.000.000", "tw": "1.250.000 đ", "dp": "1.500.000"}, complete=True)
    assert checked.errors == {"quy": "Must equal the sum of Trung ương, Địa phương (2.750.000), not 3.000.000."}


def test_a_sum_of_percentages() -> None:
    indicators = [ind("tong", IndicatorType.PERCENT, sum_of=["a", "b"]), ind("a", IndicatorType.PERCENT)]
    indicators.append(ind("b", IndicatorType.PERCENT))
    assert check(indicators, {"tong": "100", "a": "37,5", "b": "62,5"}, complete=True).ok
    assert check(indicators, {"tong": "100", "a": "37,5", "b": "62"}, complete=True).errors == {
        "tong": "Must equal the sum of A, B (99,5), not 100."
    }


# --- format_number, display, as_raw ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (-1234567, "-1.234.567"),
        (12.5, "12,5"),
        (12.25, "12,25"),
        (1234.5, "1.234,5"),
        (-1234.5, "-1.234,5"),
        (1234567.89, "1.234.567,89"),
        (12.0, "12"),
        (1000.0, "1.000"),
        (0.5, "0,5"),
        (33.333, "33,33"),
        (None, ""),
        ("", ""),
        ("1234", "1.234"),
    ],
)
def test_format_number(value: Any, text: str) -> None:
    assert format_number(value) == text


def test_format_number_of_booleans() -> None:
    assert format_number(True) == "Yes"
    assert format_number(False) == "No"


def test_display() -> None:
    assert display(ind(), 1234567) == "1.234.567"
    assert display(ind(type=IndicatorType.PERCENT), 12.5) == "12,5"
    assert display(ind(type=IndicatorType.BOOLEAN), True) == "Yes"
    assert display(ind(type=IndicatorType.BOOLEAN), False) == "No"
    assert display(ind(type=IndicatorType.CHOICE, choices=CHOICES), "Khá") == "Khá"
    assert display(ind(), None) == ""
    assert display(ind(), 0) == "0"


def test_as_raw() -> None:
    assert as_raw(ind(), 1234567) == "1.234.567"  # as an officer writes it, and reads back
    assert as_raw(ind(type=IndicatorType.MONEY), 2500000) == "2.500.000"
    assert as_raw(ind(type=IndicatorType.PERCENT), 12.5) == "12,5"
    assert as_raw(ind(type=IndicatorType.BOOLEAN), True) == "yes"
    assert as_raw(ind(type=IndicatorType.BOOLEAN), False) == "no"
    assert as_raw(ind(type=IndicatorType.SHORT_TEXT), "Tốt") == "Tốt"
    assert as_raw(ind(), None) == ""


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_a_formatted_whole_number_reads_back(value: int) -> None:
    assert one(ind(), format_number(value)) == (value, None)
    assert one(ind(type=IndicatorType.MONEY), as_raw(ind(type=IndicatorType.MONEY), value)) == (value, None)
    assert one(ind(), format_number(value).replace(".", " ")) == (value, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10_000).map(lambda c: c / 100))
def test_a_formatted_percentage_reads_back(value: float) -> None:
    percent = ind(type=IndicatorType.PERCENT)
    assert one(percent, as_raw(percent, value)) == (value, None)


@settings(max_examples=50, deadline=None)
@given(st.booleans())
def test_a_boolean_reads_back(value: bool) -> None:
    boolean = ind(type=IndicatorType.BOOLEAN)
    assert one(boolean, as_raw(boolean, value)) == (value, None)
