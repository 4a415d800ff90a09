"""Filters of the report pages: figures written the Vietnamese way, shares, trends."""

from __future__ import annotations

from typing import Any

from django import template

from doanket.reporting import periods
from doanket.reporting.models import Indicator
from doanket.reporting.rollup import Part, Trend
from doanket.reporting.values import display, format_number

register = template.Library()

COLOURS = ["#b3161b", "#0b57d0", "#137333", "#e37400", "#8430ce", "#5f6368"]


@register.filter
def figure(value: Any, indicator: Indicator) -> str:
    if value is None:
        return "—"
    if indicator.type == "boolean":
        return format_number(value)  # yes/no roll up as the number of units answering yes
    return display(indicator, value) or "—"


@register.filter
def percent_of(part: int, whole: int) -> str:
    if not whole:
        return ""
    return f"{format_number(round(100 * part / whole, 1))}%"


@register.filter
def signed(value: Any) -> str:
    if value is None:
        return ""
    text = format_number(value)
    return f"+{text}" if value > 0 else text


@register.filter
def part_value(part: Part, indicator: Indicator) -> str:
    return figure(part.value(indicator), indicator)


@register.filter
def period_label(key: str) -> str:
    return periods.label(key)


@register.filter
def series(trend: Trend, indicator: Indicator) -> list[Any]:
    return trend.series(indicator)


@register.filter
def trend_chart(trend: Trend) -> dict[str, Any]:
    return {
        "id": f"trend-{trend.schedule.pk}-data",
        "type": "line",
        "labels": [periods.label(k) for k in trend.keys],
        "series": [
            {
                "label": i.label,
                "data": trend.series(i),
                "borderColor": COLOURS[n % len(COLOURS)],
                "backgroundColor": COLOURS[n % len(COLOURS)],
            }
            for n, i in enumerate(trend.indicators)
        ],
    }
