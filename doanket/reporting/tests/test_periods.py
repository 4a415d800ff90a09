"""Reporting periods: keys, bounds, neighbours, deadlines and labels for every frequency."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from doanket.reporting.periods import (
    DueRule,
    Frequency,
    Period,
    between,
    due_date,
    label,
    next_period,
    parse,
    period_of,
    previous,
    year_before,
)

D = dt.date
REPEATING = [f for f in Frequency if f != Frequency.ONCE]
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31))


def p(key: str) -> Period:
    return parse(key)


# --- period_of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "day", "key", "start", "end"),
    [
        (Frequency.MONTHLY, D(2026, 3, 15), "2026-03", D(2026, 3, 1), D(2026, 3, 31)),
        (Frequency.MONTHLY, D(2026, 4, 30), "2026-04", D(2026, 4, 1), D(2026, 4, 30)),
        (Frequency.MONTHLY, D(2024, 2, 29), "2024-02", D(2024, 2, 1), D(2024, 2, 29)),  # leap year
        (Frequency.MONTHLY, D(2023, 2, 1), "2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        (Frequency.MONTHLY, D(2000, 2, 10), "2000-02", D(2000, 2, 1), D(2000, 2, 29)),  # divisible by 400
        (Frequency.MONTHLY, D(2100, 2, 10), "2100-02", D(2100, 2, 1), D(2100, 2, 28)),  # by 100, not 400
        (Frequency.MONTHLY, D(2026, 12, 31), "2026-12", D(2026, 12, 1), D(2026, 12, 31)),
        (Frequency.QUARTERLY, D(2026, 1, 1), "2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        (Frequency.QUARTERLY, D(2026, 5, 17), "2026-Q2", D(2026, 4, 1), D(2026, 6, 30)),
        (Frequency.QUARTERLY, D(2026, 9, 30), "2026-Q3", D(2026, 7, 1), D(2026, 9, 30)),
        (Frequency.QUARTERLY, D(2026, 10, 1), "2026-Q4", D(2026, 10, 1), D(2026, 12, 31)),
        (Frequency.HALF_YEARLY, D(2026, 6, 30), "2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        (Frequency.HALF_YEARLY, D(2026, 7, 1), "2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        (Frequency.YEARLY, D(2024, 2, 29), "2024", D(2024, 1, 1), D(2024, 12, 31)),
        (Frequency.WEEKLY, D(2026, 3, 18), "2026-W12", D(2026, 3, 16), D(2026, 3, 22)),  # a Wednesday
        (Frequency.WEEKLY, D(2026, 3, 16), "2026-W12", D(2026, 3, 16), D(2026, 3, 22)),  # Monday
        (Frequency.WEEKLY, D(2026, 3, 22), "2026-W12", D(2026, 3, 16), D(2026, 3, 22)),  # Sunday
        # The ISO year differs from the calendar year at both ends.
        (Frequency.WEEKLY, D(2025, 12, 31), "2026-W01", D(2025, 12, 29), D(2026, 1, 4)),
        (Frequency.WEEKLY, D(2027, 1, 1), "2026-W53", D(2026, 12, 28), D(2027, 1, 3)),
        (Frequency.WEEKLY, D(2021, 1, 3), "2020-W53", D(2020, 12, 28), D(2021, 1, 3)),
        (Frequency.WEEKLY, D(2021, 1, 4), "2021-W01", D(2021, 1, 4), D(2021, 1, 10)),
        (Frequency.WEEKLY, D(2024, 12, 30), "2025-W01", D(2024, 12, 30), D(2025, 1, 5)),
    ],
)
def test_period_of(frequency: str, day: dt.date, key: str, start: dt.date, end: dt.date) -> None:
    period = period_of(frequency, day)
    assert period == Period(frequency, key, start, end)


def test_a_one_off_period_spans_the_dates_it_is_given() -> None:
    assert period_of(Frequency.ONCE, D(2026, 5, 5)) == Period("once", "once", D(2026, 5, 5), D(2026, 5, 5))
    assert period_of(Frequency.ONCE, D(2026, 5, 5), D(2026, 4, 1)) == Period(
        "once", "once", D(2026, 4, 1), D(2026, 4, 1)
    )
    assert period_of(Frequency.ONCE, D(2026, 5, 5), D(2026, 4, 1), D(2026, 6, 30)) == Period(
        "once", "once", D(2026, 4, 1), D(2026, 6, 30)
    )


def test_an_unknown_frequency_is_refused() -> None:
    with pytest.raises(ValueError):
        period_of("daily", D(2026, 1, 1))


@settings(max_examples=200, deadline=None)
@given(frequency=st.sampled_from(REPEATING), day=days)
def test_a_period_contains_its_day_and_its_key_names_it(frequency: str, day: dt.date) -> None:
    period = period_of(frequency, day)
    assert period.start <= day <= period.end
    assert parse(period.key) == period
    # Every day of the period lies in the same period.
    assert period_of(frequency, period.start) == period == period_of(frequency, period.end)
    if frequency == Frequency.WEEKLY:
        assert period.start.isoweekday() == 1 and (period.end - period.start).days == 6
    else:
        assert period.start.day == 1
        assert (period.end + dt.timedelta(days=1)).day == 1


# --- parse ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "frequency", "start", "end"),
    [
        ("2026-W01", Frequency.WEEKLY, D(2025, 12, 29), D(2026, 1, 4)),
        ("2026-W53", Frequency.WEEKLY, D(2026, 12, 28), D(2027, 1, 3)),
        ("2020-W53", Frequency.WEEKLY, D(2020, 12, 28), D(2021, 1, 3)),
        ("2026-03", Frequency.MONTHLY, D(2026, 3, 1), D(2026, 3, 31)),
        ("2024-02", Frequency.MONTHLY, D(2024, 2, 1), D(2024, 2, 29)),
        ("2026-Q3", Frequency.QUARTERLY, D(2026, 7, 1), D(2026, 9, 30)),
        ("2026-H2", Frequency.HALF_YEARLY, D(2026, 7, 1), D(2026, 12, 31)),
        ("2026", Frequency.YEARLY, D(2026, 1, 1), D(2026, 12, 31)),
        (" 2026-Q1 ", Frequency.QUARTERLY, D(2026, 1, 1), D(2026, 3, 31)),
    ],
)
def test_parse(key: str, frequency: str, start: dt.date, end: dt.date) -> None:
    period = parse(key)
    assert (period.frequency, period.key, period.start, period.end) == (frequency, key.strip(), start, end)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "once",
        "2026-Q0",
        "2026-Q5",
        "2026-H0",
        "2026-H3",
        "2026-13",
        "2026-00",
        "2026-W00",
        "2026-W54",
        "2025-W53",  # 2025 has 52 ISO weeks
        "2021-W53",
        "26-Q1",
        "2026-3",
        "2026-W5",
        "2026Q1",
        "Q1-2026",
        "2026-q1",
    ],
)
def test_parse_refuses_what_is_not_a_period(key: str) -> None:
    with pytest.raises(ValueError):
        parse(key)


# --- previous, next, a year before ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        ("2026-W01", "2025-W52", "2026-W02"),
        ("2027-W01", "2026-W53", "2027-W02"),
        ("2026-W53", "2026-W52", "2027-W01"),
        ("2021-W01", "2020-W53", "2021-W02"),
        ("2026-01", "2025-12", "2026-02"),
        ("2026-12", "2026-11", "2027-01"),
        ("2024-02", "2024-01", "2024-03"),
        ("2024-03", "2024-02", "2024-04"),
        ("2026-Q1", "2025-Q4", "2026-Q2"),
        ("2026-Q4", "2026-Q3", "2027-Q1"),
        ("2026-H1", "2025-H2", "2026-H2"),
        ("2026-H2", "2026-H1", "2027-H1"),
        ("2026", "2025", "2027"),
    ],
)
def test_previous_and_next(key: str, before: str, after: str) -> None:
    period = parse(key)
    prev, nxt = previous(period), next_period(period)
    assert prev is not None and nxt is not None
    assert prev.key == before and nxt.key == after
    assert prev.end + dt.timedelta(days=1) == period.start
    assert period.end + dt.timedelta(days=1) == nxt.start
    assert prev.frequency == nxt.frequency == period.frequency


def test_a_one_off_period_has_no_neighbours_and_no_year_before() -> None:
    once = period_of(Frequency.ONCE, D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 31))
    assert previous(once) is None
    assert next_period(once) is None
    assert year_before(once) is None


@settings(max_examples=200, deadline=None)
@given(frequency=st.sampled_from(REPEATING), day=days)
def test_previous_and_next_are_inverse(frequency: str, day: dt.date) -> None:
    period = period_of(frequency, day)
    nxt = next_period(period)
    prev = previous(period)
    assert nxt is not None and prev is not None
    assert previous(nxt) == period
    assert next_period(prev) == period
    assert prev.key < period.key < nxt.key  # keys sort in time within one frequency


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2026-W53", "2025-W52"),  # week 53 falls back to week 52
        ("2020-W53", "2019-W52"),
        ("2027-W10", "2026-W10"),
        ("2021-W01", "2020-W01"),
        ("2027-W52", "2026-W52"),
        ("2026-03", "2025-03"),
        ("2024-02", "2023-02"),
        ("2025-02", "2024-02"),
        ("2026-Q3", "2025-Q3"),
        ("2026-H1", "2025-H1"),
        ("2026", "2025"),
    ],
)
def test_year_before(key: str, expected: str) -> None:
    before = year_before(parse(key))
    assert before == parse(expected)


def test_the_year_before_a_leap_february_ends_on_the_28th() -> None:
    before = year_before(parse("2024-02"))
    assert before is not None and before.end == D(2023, 2, 28)
    after = year_before(parse("2025-02"))
    assert after is not None and after.end == D(2024, 2, 29)


def test_every_week_53_falls_back_to_week_52_of_the_year_before() -> None:
    # No two consecutive ISO years both have 53 weeks.
    years = [year for year in range(1990, 2100) if D(year, 12, 28).isocalendar()[1] == 53]
    assert {2015, 2020, 2026, 2032} <= set(years)
    for year in years:
        before = year_before(parse(f"{year}-W53"))
        assert before is not None and before.key == f"{year - 1}-W52"


# --- due_date -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "rule", "day", "due"),
    [
        # Day N of the period's last month.
        ("2026-Q3", DueRule.DAY_OF_LAST_MONTH, 20, D(2026, 9, 20)),
        ("2026-Q1", DueRule.DAY_OF_LAST_MONTH, 20, D(2026, 3, 20)),
        ("2026-Q2", DueRule.DAY_OF_LAST_MONTH, 31, D(2026, 6, 30)),  # clamped to June's 30
        ("2026-02", DueRule.DAY_OF_LAST_MONTH, 31, D(2026, 2, 28)),
        ("2024-02", DueRule.DAY_OF_LAST_MONTH, 31, D(2024, 2, 29)),  # leap year
        ("2024-02", DueRule.DAY_OF_LAST_MONTH, 30, D(2024, 2, 29)),
        ("2026-04", DueRule.DAY_OF_LAST_MONTH, 31, D(2026, 4, 30)),
        ("2026-01", DueRule.DAY_OF_LAST_MONTH, 31, D(2026, 1, 31)),
        ("2026-01", DueRule.DAY_OF_LAST_MONTH, 1, D(2026, 1, 1)),
        ("2026-H1", DueRule.DAY_OF_LAST_MONTH, 15, D(2026, 6, 15)),
        ("2026-H2", DueRule.DAY_OF_LAST_MONTH, 15, D(2026, 12, 15)),
        ("2026", DueRule.DAY_OF_LAST_MONTH, 10, D(2026, 12, 10)),
        ("2026-W53", DueRule.DAY_OF_LAST_MONTH, 20, D(2027, 1, 20)),  # the week ends in January
        # Day N of the month after the period.
        ("2026-Q3", DueRule.DAY_OF_NEXT_MONTH, 20, D(2026, 10, 20)),
        ("2026-Q4", DueRule.DAY_OF_NEXT_MONTH, 5, D(2027, 1, 5)),
        ("2026-01", DueRule.DAY_OF_NEXT_MONTH, 31, D(2026, 2, 28)),
        ("2024-01", DueRule.DAY_OF_NEXT_MONTH, 31, D(2024, 2, 29)),
        ("2026-03", DueRule.DAY_OF_NEXT_MONTH, 31, D(2026, 4, 30)),
        ("2026-12", DueRule.DAY_OF_NEXT_MONTH, 31, D(2027, 1, 31)),
        ("2026-H1", DueRule.DAY_OF_NEXT_MONTH, 31, D(2026, 7, 31)),
        ("2026", DueRule.DAY_OF_NEXT_MONTH, 15, D(2027, 1, 15)),
        ("2026-W22", DueRule.DAY_OF_NEXT_MONTH, 3, D(2026, 6, 3)),  # ends on 31/05
        # N days after the period ends.
        ("2026-Q3", DueRule.DAYS_AFTER_END, 15, D(2026, 10, 15)),
        ("2026-Q4", DueRule.DAYS_AFTER_END, 10, D(2027, 1, 10)),
        ("2024-02", DueRule.DAYS_AFTER_END, 1, D(2024, 3, 1)),
        ("2023-02", DueRule.DAYS_AFTER_END, 1, D(2023, 3, 1)),
        ("2024-02", DueRule.DAYS_AFTER_END, 0, D(2024, 2, 29)),
        ("2026-W53", DueRule.DAYS_AFTER_END, 5, D(2027, 1, 8)),
        ("2026-W12", DueRule.DAYS_AFTER_END, 3, D(2026, 3, 25)),
        ("2026", DueRule.DAYS_AFTER_END, 45, D(2027, 2, 14)),
    ],
)
def test_due_date(key: str, rule: str, day: int, due: dt.date) -> None:
    assert due_date(parse(key), rule, day) == due


def test_due_date_of_a_one_off_period_follows_its_end() -> None:
    once = period_of(Frequency.ONCE, D(2026, 1, 1), D(2026, 1, 1), D(2026, 4, 30))
    assert due_date(once, DueRule.DAY_OF_LAST_MONTH, 31) == D(2026, 4, 30)
    assert due_date(once, DueRule.DAY_OF_NEXT_MONTH, 10) == D(2026, 5, 10)
    assert due_date(once, DueRule.DAYS_AFTER_END, 7) == D(2026, 5, 7)


def test_the_next_month_of_a_week_ending_mid_month_is_the_following_month() -> None:
    period = parse("2026-W12")
    assert period.end == D(2026, 3, 22)
    due = due_date(period, DueRule.DAY_OF_NEXT_MONTH, 3)
    assert due > period.end
    assert due == D(2026, 4, 3)
    # And a week ending in December is due in January.
    assert due_date(parse("2026-W53"), DueRule.DAY_OF_NEXT_MONTH, 31) == D(2027, 2, 28)
    assert due_date(parse("2025-W52"), DueRule.DAY_OF_NEXT_MONTH, 31) == D(2026, 1, 31)


@settings(max_examples=200, deadline=None)
@given(frequency=st.sampled_from(REPEATING), day=days, n=st.integers(1, 31))
def test_a_deadline_lies_in_the_right_month(frequency: str, day: dt.date, n: int) -> None:
    period = period_of(frequency, day)
    last = due_date(period, DueRule.DAY_OF_LAST_MONTH, n)
    assert (last.year, last.month) == (period.end.year, period.end.month)
    assert last.day == min(n, calendar.monthrange(period.end.year, period.end.month)[1])
    nxt = due_date(period, DueRule.DAY_OF_NEXT_MONTH, n)
    following = (period.end.replace(day=1) + dt.timedelta(days=31)).replace(day=1)  # the month after the end's
    assert (nxt.year, nxt.month) == (following.year, following.month)
    assert nxt > period.end
    assert due_date(period, DueRule.DAYS_AFTER_END, n) == period.end + dt.timedelta(days=n)


# --- between -----------------------------------------------------------------------------------


def test_between_months_covers_both_ends() -> None:
    found = between(Frequency.MONTHLY, D(2026, 1, 15), D(2026, 4, 1))
    assert [x.key for x in found] == ["2026-01", "2026-02", "2026-03", "2026-04"]


def test_between_quarters_over_a_year_end() -> None:
    found = between(Frequency.QUARTERLY, D(2025, 11, 30), D(2026, 7, 1))
    assert [x.key for x in found] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_between_weeks_over_a_53_week_year() -> None:
    found = between(Frequency.WEEKLY, D(2026, 12, 20), D(2027, 1, 5))
    assert [x.key for x in found] == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert found[-1].start == D(2027, 1, 4)


def test_between_half_years_and_years() -> None:
    assert [x.key for x in between(Frequency.HALF_YEARLY, D(2025, 6, 30), D(2026, 7, 1))] == [
        "2025-H1",
        "2025-H2",
        "2026-H1",
        "2026-H2",
    ]
    assert [x.key for x in between(Frequency.YEARLY, D(2024, 12, 31), D(2026, 1, 1))] == ["2024", "2025", "2026"]


def test_between_one_day_is_one_period() -> None:
    assert [x.key for x in between(Frequency.QUARTERLY, D(2026, 2, 1), D(2026, 2, 1))] == ["2026-Q1"]
    # The last day lies in the first day's period: that period only.
    assert [x.key for x in between(Frequency.MONTHLY, D(2026, 5, 20), D(2026, 5, 2))] == ["2026-05"]


def test_between_an_end_before_the_first_period_is_nothing() -> None:
    assert between(Frequency.MONTHLY, D(2026, 5, 10), D(2026, 3, 1)) == []


def test_between_once_is_the_single_span() -> None:
    assert between(Frequency.ONCE, D(2026, 2, 1), D(2026, 5, 31)) == [
        Period("once", "once", D(2026, 2, 1), D(2026, 5, 31))
    ]


@settings(max_examples=100, deadline=None)
@given(frequency=st.sampled_from(REPEATING), first=days, length=st.integers(0, 800))
def test_between_is_contiguous_and_covers_the_span(frequency: str, first: dt.date, length: int) -> None:
    last = first + dt.timedelta(days=length)
    found = between(frequency, first, last)
    assert found[0] == period_of(frequency, first)
    assert found[-1] == period_of(frequency, last)
    for a, b in itertools.pairwise(found):
        assert a.end + dt.timedelta(days=1) == b.start
    assert len({x.key for x in found}) == len(found)


# --- label ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("2026-W05", "Week 05/2026"),
        ("2026-W53", "Week 53/2026"),
        ("2026-03", "Month 03/2026"),
        ("2026-Q1", "Quarter I/2026"),
        ("2026-Q2", "Quarter II/2026"),
        ("2026-Q3", "Quarter III/2026"),
        ("2026-Q4", "Quarter IV/2026"),
        ("2026-H1", "first half of 2026"),
        ("2026-H2", "second half of 2026"),
        ("2026", "Year 2026"),
        ("once", "One-off"),
        ("something else", "something else"),
    ],
)
def test_label(key: str, text: str) -> None:
    with translation.override("en"):
        assert label(key) == text


def test_a_period_prints_as_its_label() -> None:
    with translation.override("en"):
        assert str(parse("2026-Q3")) == "Quarter III/2026"
        assert str(period_of(Frequency.ONCE, D(2026, 1, 1))) == "One-off"


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("2026-W05", "Tuần 05/2026"),
        ("2026-03", "Tháng 03/2026"),
        ("2026-Q3", "Quý III/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026", "Năm 2026"),
        ("once", "Một lần"),
    ],
)
def test_label_in_vietnamese(key: str, text: str) -> None:
    with translation.override("vi"):
        assert label(key) == text
