"""The algebra of the roll-up cells: aggregates merge in any order and grouping."""

from __future__ import annotations

import functools
import random
import statistics
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doanket.reporting.aggregate import Agg, add_values, merge, merge_data, of_choice, of_report, of_value, result

TIMES = [f"2026-0{m}-1{d}T08:00:00+07:00" for m in range(1, 4) for d in range(3)]

numbers = st.integers(min_value=-(10**12), max_value=10**12)
samples = st.tuples(numbers, st.sampled_from(TIMES))


@st.composite
def numeric_aggs(draw: st.DrawFn) -> Agg | None:
    """None (nothing reported) or the merge of one or more single values."""
    values = draw(st.lists(samples, min_size=0, max_size=5))
    agg: Agg | None = None
    for value, when in values:
        agg = merge(agg, of_value(value, when))
    return agg


@st.composite
def choice_aggs(draw: st.DrawFn) -> Agg | None:
    picks = draw(st.lists(st.sampled_from(["Tốt", "Khá", "Trung bình"]), min_size=0, max_size=5))
    agg: Agg | None = None
    for pick in picks:
        agg = merge(agg, of_choice(pick))
    return agg


FAST = settings(max_examples=300, deadline=None)


@FAST
@given(numeric_aggs(), numeric_aggs())
def test_merge_is_commutative(a: Agg | None, b: Agg | None) -> None:
    assert merge(a, b) == merge(b, a)


@FAST
@given(numeric_aggs(), numeric_aggs(), numeric_aggs())
def test_merge_is_associative(a: Agg | None, b: Agg | None, c: Agg | None) -> None:
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@FAST
@given(choice_aggs(), choice_aggs())
def test_choice_merge_is_commutative(a: Agg | None, b: Agg | None) -> None:
    assert merge(a, b) == merge(b, a)


@FAST
@given(choice_aggs(), choice_aggs(), choice_aggs())
def test_choice_merge_is_associative(a: Agg | None, b: Agg | None, c: Agg | None) -> None:
    assert merge(merge(a, b), c) == merge(a, merge(b, c))


@FAST
@given(numeric_aggs())
def test_nothing_is_the_identity(a: Agg | None) -> None:
    assert merge(a, None) == a
    assert merge(None, a) == a


def test_merge_returns_a_copy() -> None:
    a = of_value(5, TIMES[0])
    merged = merge(a, None)
    assert merged == a and merged is not a
    assert merge(None, a) is not a
    assert merge(None, None) is None


@FAST
@given(st.lists(samples, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_any_order_and_grouping_gives_the_figures_of_the_values(values: list[tuple[int, str]], rnd: Any) -> None:
    aggs = [of_value(v, t) for v, t in values]
    rnd.shuffle(aggs)
    # A random tree: split the list at a random point, merge each side, then merge the two.
    cut = rnd.randint(0, len(aggs))
    left = functools.reduce(merge, aggs[:cut], None)
    right = functools.reduce(merge, aggs[cut:], None)
    total = merge(right, left)
    assert total is not None
    plain = [v for v, _ in values]
    assert total["n"] == len(plain)
    assert result(total, "sum") == sum(plain)
    assert result(total, "min") == min(plain)
    assert result(total, "max") == max(plain)
    assert result(total, "avg") == round(sum(plain) / len(plain), 2)
    # Latest: the value reported last; on a tie of times, the same one whatever the order.
    latest_time = max(t for _, t in values)
    assert total["t"] == latest_time
    assert result(total, "latest") == max((v for v, t in values if t == latest_time), key=str)


# --- result ------------------------------------------------------------------------------------


def _of(values: list[tuple[Any, str]]) -> Agg | None:
    agg: Agg | None = None
    for value, when in values:
        agg = merge(agg, of_value(value, when))
    return agg


VALUES = [(10, "2026-01-10"), (4, "2026-03-01"), (25, "2026-02-01"), (7, "2026-01-01")]


@pytest.mark.parametrize(
    ("rollup", "figure"),
    [("sum", 46), ("avg", 11.5), ("min", 4), ("max", 25), ("latest", 4), ("unknown", 46)],
)
def test_result_for_each_rollup(rollup: str, figure: Any) -> None:
    assert result(_of(VALUES), rollup) == figure


def test_result_of_an_average_is_rounded_to_two_decimals() -> None:
    assert result(_of([(1, "a"), (1, "b"), (2, "c")]), "avg") == 1.33
    assert result(_of([(2, "a"), (3, "b"), (3, "c")]), "avg") == 2.67


def test_result_of_percentages() -> None:
    agg = _of([(12.5, "2026-01-01"), (37.5, "2026-01-02")])
    assert result(agg, "avg") == 25.0
    assert result(agg, "sum") == 50.0
    assert result(agg, "min") == 12.5 and result(agg, "max") == 37.5 and result(agg, "latest") == 37.5


def test_result_of_nothing_is_none() -> None:
    for rollup in ["sum", "avg", "min", "max", "latest"]:
        assert result(None, rollup) is None
        assert result({}, rollup) is None
        assert result({"n": 0, "s": 0, "lo": 0, "hi": 0, "l": 0, "t": ""}, rollup) is None


def test_choices_have_no_single_figure() -> None:
    assert result(merge(of_choice("Tốt"), of_choice("Khá")), "sum") is None


def test_latest_on_a_tie_of_times_does_not_depend_on_the_order() -> None:
    a, b = of_value(3, "2026-01-01"), of_value(12, "2026-01-01")
    assert merge(a, b) == merge(b, a)
    first, second = merge(a, b), merge(b, a)
    assert first is not None and second is not None
    assert first["l"] == second["l"] == 3  # compared as text: "3" > "12"


def test_a_later_value_wins_latest_even_when_smaller() -> None:
    agg = merge(of_value(100, "2026-01-01T00:00:00"), of_value(1, "2026-01-02T00:00:00"))
    assert result(agg, "latest") == 1
    agg = merge(of_value(1, "2026-01-02T00:00:00"), of_value(100, "2026-01-01T00:00:00"))
    assert result(agg, "latest") == 1


# --- of_value, of_choice, of_report, merge_data --------------------------------------------------------


def test_of_value() -> None:
    assert of_value(5, "t") == {"n": 1, "s": 5, "lo": 5, "hi": 5, "l": 5, "t": "t"}
    assert of_value(12.5, "t") == {"n": 1, "s": 12.5, "lo": 12.5, "hi": 12.5, "l": 12.5, "t": "t"}
    # Yes counts 1 and no 0, so the sum of a yes/no indicator is how many said yes.
    assert of_value(True, "t") == {"n": 1, "s": 1, "lo": 1, "hi": 1, "l": 1, "t": "t"}
    assert of_value(False, "t") == {"n": 1, "s": 0, "lo": 0, "hi": 0, "l": 0, "t": "t"}
    assert of_value("văn bản", "t") is None
    assert of_value(None, "t") is None


def test_yes_no_sum_counts_the_yeses() -> None:
    agg = functools.reduce(merge, [of_value(v, "t") for v in [True, False, True, True]], None)
    assert result(agg, "sum") == 3
    assert result(agg, "avg") == 0.75


def test_choice_counts() -> None:
    agg = merge(merge(of_choice("Tốt"), of_choice("Khá")), of_choice("Tốt"))
    assert agg == {"c": {"Tốt": 2, "Khá": 1}}


def test_of_report() -> None:
    values = {"so_ho": 12, "xep_loai": "Tốt", "nhan_xet": "Làm tốt", "co_hop": True, "ty_le": 12.5}
    found = of_report(values, "2026-04-01", choice_codes=["xep_loai"])
    assert found == {
        "so_ho": {"n": 1, "s": 12, "lo": 12, "hi": 12, "l": 12, "t": "2026-04-01"},
        "xep_loai": {"c": {"Tốt": 1}},
        "co_hop": {"n": 1, "s": 1, "lo": 1, "hi": 1, "l": 1, "t": "2026-04-01"},
        "ty_le": {"n": 1, "s": 12.5, "lo": 12.5, "hi": 12.5, "l": 12.5, "t": "2026-04-01"},
    }
    # Text that is not a choice is gathered elsewhere, not aggregated.
    assert "nhan_xet" not in found
    assert of_report(None, "t") == {}
    assert of_report({}, "t") == {}


def test_merge_data_merges_code_by_code() -> None:
    into = of_report({"a": 1, "b": 2}, "t1")
    merge_data(into, of_report({"a": 10, "c": "Tốt"}, "t2", ["c"]))
    assert into == {
        "a": {"n": 2, "s": 11, "lo": 1, "hi": 10, "l": 10, "t": "t2"},
        "b": {"n": 1, "s": 2, "lo": 2, "hi": 2, "l": 2, "t": "t1"},
        "c": {"c": {"Tốt": 1}},
    }


@FAST
@given(
    st.lists(
        st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 1000), max_size=3),
        min_size=1,
        max_size=8,
    ),
    st.randoms(use_true_random=False),
)
def test_merge_data_in_any_order_gives_the_same_cell(reports: list[dict[str, int]], rnd: Any) -> None:
    stamped = [of_report(values, f"2026-01-{i + 10:02d}") for i, values in enumerate(reports)]
    forward: dict[str, Agg] = {}
    for data in stamped:
        merge_data(forward, data)
    shuffled = list(stamped)
    rnd.shuffle(shuffled)
    backward: dict[str, Agg] = {}
    for data in shuffled:
        merge_data(backward, data)
    assert forward == backward
    for code in ["a", "b", "c"]:
        plain = [values[code] for values in reports if code in values]
        if plain:
            assert result(forward[code], "sum") == sum(plain)
            assert forward[code]["n"] == len(plain)
            assert result(forward[code], "avg") == round(statistics.fmean(plain), 2)
        else:
            assert code not in forward


def test_merge_of_percentages_is_associative() -> None:
    a, b, c = (of_value(v, "t") for v in (0.1, 0.2, 0.3))
    left, right = merge(merge(a, b), c), merge(a, merge(b, c))
    assert left == right
    assert left is not None and left["s"] == 0.6


percents = st.integers(min_value=0, max_value=10_000).map(lambda c: c / 100)


@FAST
@given(
    st.lists(st.tuples(percents, st.sampled_from(TIMES)), min_size=1, max_size=12), st.randoms(use_true_random=False)
)
def test_percentages_in_any_grouping_give_the_same_double(values: list[tuple[float, str]], rnd: Any) -> None:
    aggs = [of_value(v, t) for v, t in values]
    forward = functools.reduce(merge, aggs, None)
    rnd.shuffle(aggs)
    cut = rnd.randint(0, len(aggs))
    regrouped = merge(functools.reduce(merge, aggs[cut:], None), functools.reduce(merge, aggs[:cut], None))
    assert forward == regrouped
    assert forward is not None
    # The sum is the decimal sum of the two-decimal values.
    assert forward["s"] == round(sum(round(v * 100) for v, _ in values) / 100, 4)


def test_seeded_random_trees_of_integers_agree() -> None:
    """A plainer check of the same law than hypothesis's: many random trees of one list."""
    rnd = random.Random(20260401)
    values = [(rnd.randint(0, 10**6), rnd.choice(TIMES)) for _ in range(40)]
    expected = _of(values)

    def tree(items: list[Agg | None]) -> Agg | None:
        if len(items) <= 1:
            return items[0] if items else None
        cut = rnd.randint(1, len(items) - 1)
        return merge(tree(items[:cut]), tree(items[cut:]))

    for _ in range(50):
        aggs: list[Agg | None] = [of_value(v, t) for v, t in values]
        rnd.shuffle(aggs)
        assert tree(aggs) == expected


# Each code keeps its type, as in a form: counts, amounts, percentages, yes/no, a choice, text.
report_values = st.fixed_dictionaries(
    {},
    optional={
        "ho": st.integers(min_value=0, max_value=10**6),
        "tien": st.integers(min_value=0, max_value=10**12),
        "ty_le": st.integers(min_value=0, max_value=10_000).map(lambda n: n / 100),
        "co": st.booleans(),
        "danh_gia": st.sampled_from(["Ổn định", "Phức tạp"]),
        "ghi_chu": st.text(max_size=5),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(report_values, st.sampled_from(["2026-01-01", "2026-02-01", "2026-02-01T09"])), max_size=8))
def test_adding_in_place_equals_merging_the_reports(reports: list[tuple[dict[str, Any], str]]) -> None:
    """The rebuild's fast path gives exactly what merging each report's aggregates gives."""
    choices = {"danh_gia"}
    merged: dict[str, Agg] = {}
    added: dict[str, Agg] = {}
    for values, when in reports:
        merge_data(merged, of_report(values, when, choices))
        add_values(added, values, when, choices)
    assert added == merged
