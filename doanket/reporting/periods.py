"""Reporting periods: what "2026-Q3" means, when it is due, and the periods around it.

A period is named by a key that sorts in time within one frequency: ``2026-W05`` (ISO week),
``2026-03`` (month), ``2026-Q1``, ``2026-H1``, ``2026`` and ``once``. Pure functions, no database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")
    ONCE = "once", _("Once")


class DueRule(models.TextChoices):
    """How a period's deadline follows from it (the day is ``Schedule.due_day``)."""

    DAY_OF_LAST_MONTH = "last_month", _("day N of the period's last month")
    DAY_OF_NEXT_MONTH = "next_month", _("day N of the month after the period")
    DAYS_AFTER_END = "after_end", _("N days after the period ends")


MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}


@dataclass(frozen=True)
class Period:
    frequency: str
    key: str
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return label(self.key)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(
    frequency: str, day: dt.date, once_start: dt.date | None = None, once_end: dt.date | None = None
) -> Period:
    """The period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.WEEKLY:
        year, week, weekday = day.isocalendar()
        start = day - dt.timedelta(days=weekday - 1)
        return Period(frequency, f"{year}-W{week:02d}", start, start + dt.timedelta(days=6))
    if frequency == Frequency.ONCE:
        return Period(frequency, "once", once_start or day, once_end or once_start or day)
    months = MONTHS_IN[Frequency(frequency)]
    first = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first, 1)
    end = _month_end(day.year, first + months - 1)
    index = (first - 1) // months + 1
    key = {
        Frequency.MONTHLY: f"{day.year}-{first:02d}",
        Frequency.QUARTERLY: f"{day.year}-Q{index}",
        Frequency.HALF_YEARLY: f"{day.year}-H{index}",
        Frequency.YEARLY: f"{day.year}",
    }[Frequency(frequency)]
    return Period(frequency, key, start, end)


_KEY = re.compile(r"^(?:(\d{4})-W(\d{2})|(\d{4})-(\d{2})|(\d{4})-Q([1-4])|(\d{4})-H([12])|(\d{4}))$")


def parse(key: str) -> Period:
    """The period named by ``key``; ValueError for anything else (``once`` needs its schedule)."""
    m = _KEY.match(key.strip())
    if not m:
        raise ValueError(key)
    year = int(next(g for g in (m.group(1), m.group(3), m.group(5), m.group(7), m.group(9)) if g))
    if not 1900 <= year <= 2999:
        raise ValueError(key)  # the periods around it (a year before, the one before) must exist too
    if m.group(1):
        monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        return period_of(Frequency.WEEKLY, monday)
    if m.group(3):
        return period_of(Frequency.MONTHLY, dt.date(int(m.group(3)), int(m.group(4)), 1))
    if m.group(5):
        return period_of(Frequency.QUARTERLY, dt.date(int(m.group(5)), (int(m.group(6)) - 1) * 3 + 1, 1))
    if m.group(7):
        return period_of(Frequency.HALF_YEARLY, dt.date(int(m.group(7)), (int(m.group(8)) - 1) * 6 + 1, 1))
    return period_of(Frequency.YEARLY, dt.date(int(m.group(9)), 1, 1))


def previous(period: Period) -> Period | None:
    if period.frequency == Frequency.ONCE:
        return None
    return period_of(period.frequency, period.start - dt.timedelta(days=1))


def next_period(period: Period) -> Period | None:
    if period.frequency == Frequency.ONCE:
        return None
    return period_of(period.frequency, period.end + dt.timedelta(days=1))


def year_before(period: Period) -> Period | None:
    """The same period a year earlier (week 53 falls back to week 52)."""
    if period.frequency == Frequency.ONCE:
        return None
    if period.frequency == Frequency.WEEKLY:
        year, week, _ = period.start.isocalendar()
        weeks_then = dt.date(year - 1, 12, 28).isocalendar()[1]
        return period_of(Frequency.WEEKLY, dt.date.fromisocalendar(year - 1, min(week, weeks_then), 1))
    return period_of(period.frequency, period.start.replace(year=period.start.year - 1))


def due_date(period: Period, rule: str, day: int) -> dt.date:
    """The deadline of ``period``: e.g. day 20 of the quarter's last month is 20/09 for Q3."""
    if rule == DueRule.DAYS_AFTER_END:
        return period.end + dt.timedelta(days=day)
    if rule == DueRule.DAY_OF_NEXT_MONTH:
        # The month after the one the period ends in (a week ending on 22/03 is due in April).
        year, month = (period.end.year + 1, 1) if period.end.month == 12 else (period.end.year, period.end.month + 1)
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
    last = period.end
    return dt.date(last.year, last.month, min(day, calendar.monthrange(last.year, last.month)[1]))


def between(frequency: str, first: dt.date, last: dt.date) -> list[Period]:
    """Every period of ``frequency`` from the one containing ``first`` to the one containing ``last``."""
    if frequency == Frequency.ONCE:
        return [period_of(frequency, first, first, last)]
    found = []
    current: Period | None = period_of(frequency, first)
    while current is not None and current.start <= last:
        found.append(current)
        current = next_period(current)
    return found


def label(key: str) -> str:
    """How a period is written in Vietnamese documents: "Quý III/2026", "Tháng 03/2026" ..."""
    m = _KEY.match(key)
    if not m:
        return str(_("One-off")) if key == "once" else key
    roman = {"1": "I", "2": "II", "3": "III", "4": "IV"}
    if m.group(1):
        return str(_("Week %(week)s/%(year)s")) % {"week": m.group(2), "year": m.group(1)}
    if m.group(3):
        return str(_("Month %(month)s/%(year)s")) % {"month": m.group(4), "year": m.group(3)}
    if m.group(5):
        return str(_("Quarter %(quarter)s/%(year)s")) % {"quarter": roman[m.group(6)], "year": m.group(5)}
    if m.group(7):
        half = _("first half") if m.group(8) == "1" else _("second half")
        return str(_("%(half)s of %(year)s")) % {"half": half, "year": m.group(7)}
    return str(_("Year %(year)s")) % {"year": m.group(9)}
