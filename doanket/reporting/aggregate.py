"""Mergeable aggregates of indicator values: the algebra of the roll-up cells.

Each indicator's aggregate is a small dict — count, sum, minimum, maximum, latest value and its
time ({n, s, lo, hi, l, t}), or choice counts ({c}) — that merges with another in any order and
grouping. A unit's cell is its own report merged with its children's cells (or reports), so an
approval recomputes a handful of rows up the tree, and a full rebuild gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Agg = dict[str, Any]


def of_value(value: Any, when: str) -> Agg | None:
    """The aggregate of a single value (None for text, which is gathered, not summed)."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        return {"n": 1, "s": value, "lo": value, "hi": value, "l": value, "t": when}
    return None


def of_choice(value: str) -> Agg:
    return {"c": {value: 1}}


def _add(a: int | float, b: int | float) -> int | float:
    """Sums of whole numbers are exact; percentages have two decimals, so their float sums are
    rounded back to the decimal they must be — in any grouping, the same double."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    return round(a + b, 4)


def merge(a: Agg | None, b: Agg | None) -> Agg | None:
    if a is None:
        return dict(b) if b is not None else None
    if b is None:
        return dict(a)
    if "c" in a or "c" in b:
        counts = dict(a.get("c", {}))
        for key, n in b.get("c", {}).items():
            counts[key] = counts.get(key, 0) + n
        return {"c": counts}
    later = b if (b["t"], str(b["l"])) > (a["t"], str(a["l"])) else a
    return {
        "n": a["n"] + b["n"],
        "s": _add(a["s"], b["s"]),
        "lo": min(a["lo"], b["lo"]),
        "hi": max(a["hi"], b["hi"]),
        "l": later["l"],
        "t": later["t"],
    }


def of_report(values: Mapping[str, Any] | None, when: str, choice_codes: Iterable[str] = ()) -> dict[str, Agg]:
    """The aggregates of one approved report's values (``when``: its approval time, ISO)."""
    found: dict[str, Agg] = {}
    choices = set(choice_codes)
    for code, value in (values or {}).items():
        agg = of_choice(value) if code in choices and isinstance(value, str) else of_value(value, when)
        if agg is not None:
            found[code] = agg
    return found


def merge_data(into: dict[str, Agg], other: Mapping[str, Agg]) -> dict[str, Agg]:
    for code, agg in other.items():
        merged = merge(into.get(code), agg)
        if merged is not None:
            into[code] = merged
    return into


def add_values(into: dict[str, Agg], values: Mapping[str, Any] | None, when: str, choice_codes: set[str]) -> None:
    """``merge_data(into, of_report(values, when, choice_codes))`` without the intermediate dicts:
    the same result, in place (``into``'s aggregates must be its own). A national week's rebuild
    adds 100,000 reports of 30 figures: this is its inner loop."""
    for code, value in (values or {}).items():
        if isinstance(value, bool):
            value = int(value)
        agg = into.get(code)
        if isinstance(value, int | float):
            if agg is None:
                into[code] = {"n": 1, "s": value, "lo": value, "hi": value, "l": value, "t": when}
                continue
            agg["n"] += 1
            total = agg["s"] + value
            agg["s"] = total if isinstance(total, int) else round(total, 4)
            if value < agg["lo"]:
                agg["lo"] = value
            if value > agg["hi"]:
                agg["hi"] = value
            if when > agg["t"] or (when == agg["t"] and str(value) > str(agg["l"])):
                agg["l"], agg["t"] = value, when
        elif code in choice_codes and isinstance(value, str):
            if agg is None:
                into[code] = {"c": {value: 1}}
            else:
                counts = agg.setdefault("c", {})
                counts[value] = counts.get(value, 0) + 1


def result(agg: Agg | None, rollup: str) -> Any:
    """The figure an indicator shows for its roll-up method (None when nothing was reported)."""
    if not agg or "c" in agg or not agg.get("n"):
        return None
    if rollup == "avg":
        return round(agg["s"] / agg["n"], 2)
    return {"sum": agg["s"], "min": agg["lo"], "max": agg["hi"], "latest": agg["l"]}.get(rollup, agg["s"])
