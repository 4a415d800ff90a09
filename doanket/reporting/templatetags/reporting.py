"""Filters of the report pages: figures written the Vietnamese way, shares, trends."""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from doanket.reporting import periods
from doanket.reporting.models import Indicator
from doanket.reporting.rollup import Figure, Part, Table, Trend
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


# The two long tables of the roll-up page are written here rather than in the template: a
# province has 168 communes and a form 30 figures, and the template language spent ~20 ms on
# their ~1,800 variables (issue 4 asks for the whole page in 20 ms). Every value is escaped.


@register.simple_tag
def figure_rows(table: Table, unit_pk: int) -> SafeString:
    """The body of the figures table: a heading row per section, a row per indicator."""
    out: list[str] = []
    section = None
    base = f"?unit={unit_pk}&amp;period={escape(table.period.key)}"
    text_note = escape(_("Text: gathered in the Word report"))
    rollups: dict[str, str] = {}
    for f in table.figures:
        ind = f.indicator
        if ind.section_id != section:
            section = ind.section_id
            out.append(f'<tr><th colspan="5">{escape(str(ind.section))}</th></tr>')
        label = escape(ind.label)
        if ind.is_text:
            out.append(f'<tr><td>{label}</td><td colspan="4" class="muted">{text_note}</td></tr>')
            continue
        code = escape(ind.code)
        if ind.rollup not in rollups:
            rollups[ind.rollup] = escape(str(ind.get_rollup_display()).lower())
        how = rollups[ind.rollup]
        if ind.measure:
            how += f", {escape(ind.measure)}"
        if f.choices:
            value = "; ".join(f"{escape(str(k))}: {escape(str(n))}" for k, n in f.choices.items())
        else:
            value = escape(figure(f.value, ind))
        row = (
            f'<tr data-code="{code}"><td><a href="{base}&amp;indicator={code}">{label}</a> '
            f'<small class="muted">{how}</small></td><td class="num-cell" data-testid="value-{code}">{value}</td>'
        )
        if table.previous:
            row += (
                f'<td class="wide">{escape(figure(f.previous, ind))}</td>'
                f'<td class="wide">{escape(signed(f.change))}</td>'
            )
        if table.year_ago:
            row += f'<td class="wide">{escape(figure(f.year_ago, ind))}</td>'
        out.append(row + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def part_rows(table: Table, chosen: Figure | None) -> SafeString:
    """The body of the units-below table: each child's link, completeness and compared figure."""
    out: list[str] = []
    period = escape(table.period.key)
    indicator = f"&amp;indicator={escape(chosen.indicator.code)}" if chosen else ""
    missing_word = escape(_("missing"))
    sep = escape(str(get_format("THOUSAND_SEPARATOR")))

    def count(n: int) -> str:  # as the template writes a number: grouped the language's way
        return f"{n:,}".replace(",", sep)

    for p in table.parts:
        name = escape(p.unit.name)
        if p.report is not None:
            href = reverse("reporting:report", args=[p.report.pk])
        else:
            href = f"?unit={p.unit.pk}&amp;period={period}{indicator}"
        missing = f' <span class="st st-late">{count(p.missing)} {missing_word}</span>' if p.missing else ""
        row = (
            f'<tr><td><a href="{href}">{name}</a></td>'
            f"<td>{count(p.arrived)}/{count(p.expected)}{missing}</td><td>{count(p.on_time)}</td>"
        )
        if chosen is not None:
            row += f"<td>{escape(part_value(p, chosen.indicator))}</td>"
        out.append(row + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped
