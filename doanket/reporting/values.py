"""Reading and checking what an officer typed (or an Excel cell held) against a form's indicators.

``check`` turns raw strings into typed values and a message per indicator that is wrong; the
page, the Excel upload and the API all call it, so a figure is judged the same way everywhere.
Numbers are written the Vietnamese way: "1.234.567" (dots group thousands), "12,5" (comma decimal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from doanket.core.text import fold, grouped, nfc, nfc_lines
from doanket.reporting.models import Indicator, IndicatorType

SHORT_TEXT_MAX = 500
LARGEST = 10**15  # a million billion đồng: beyond any figure a Front report holds
LONG_TEXT_MAX = 20_000
YES = {"co", "x", "1", "yes", "true", "dung"}
NO = {"khong", "0", "no", "false", "sai", "k"}
_INT = re.compile(r"^[+-]?\d{1,3}([.\s]\d{3})+$|^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?\d+([,.]\d+)?$")


@dataclass
class Checked:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _integer(raw: str) -> int:
    text = raw.replace("\u00a0", " ").strip()
    if not _INT.match(text):
        raise ValueError(text)
    return int(re.sub(r"[.\s]", "", text))


def _percent(raw: str) -> float:
    text = raw.replace("%", "").strip()
    if not _DEC.match(text):
        raise ValueError(text)
    return round(float(text.replace(",", ".")), 2)


def format_number(value: Any) -> str:
    """1234567 → "1.234.567"; 12.5 → "12,5" (how the page and the documents write numbers)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",").replace(" ", ".")
    return grouped(int(value))


def display(indicator: Indicator, value: Any) -> str:
    if value is None or value == "":
        return ""
    if indicator.type == IndicatorType.BOOLEAN:
        return str(_("Yes") if value else _("No"))
    if indicator.is_numeric:
        return format_number(value)
    return str(value)


def as_raw(indicator: Indicator, value: Any) -> str:
    """A stored value as the text an input shows (the inverse of ``check``)."""
    if value is None:
        return ""
    if indicator.type == IndicatorType.BOOLEAN:
        return "yes" if value else "no"
    if indicator.is_numeric:
        return format_number(value)  # "23.500.000", as the officer would type it
    return str(value)


def _one(indicator: Indicator, raw: Any) -> Any:
    """The typed value of one answer, or ValueError with the message to show."""
    if isinstance(raw, bool) and indicator.type == IndicatorType.BOOLEAN:
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and indicator.is_numeric:
        # A number from Excel or JSON is a number, never text to be read with Vietnamese grouping.
        return _number(indicator, raw)
    text = nfc_lines(str(raw)) if indicator.type == IndicatorType.LONG_TEXT else nfc(str(raw))
    kind = indicator.type
    if kind in (IndicatorType.INTEGER, IndicatorType.MONEY):
        try:
            number: int | float = _integer(text.removesuffix("đ").removesuffix("đồng").strip())
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a whole number (write 1.250.000 or 1250000).") % {"value": text[:40]}
            ) from None
    elif kind == IndicatorType.PERCENT:
        try:
            number = _percent(text)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a percentage (write 12,5).") % {"value": text[:40]}) from None
    elif kind == IndicatorType.BOOLEAN:
        key = fold(text)
        if key in YES:
            return True
        if key in NO:
            return False
        raise ValueError(_("Answer yes or no."))
    elif kind == IndicatorType.CHOICE:
        options = {fold(str(option)): str(option) for option in indicator.choices}
        if fold(text) not in options:
            raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(map(str, indicator.choices))})
        return options[fold(text)]
    else:
        limit = SHORT_TEXT_MAX if kind == IndicatorType.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            raise ValueError(
                _("At most %(limit)s characters (this has %(count)s).") % {"limit": limit, "count": len(text)}
            )
        return text
    return _number(indicator, number)


def _number(indicator: Indicator, number: int | float) -> int | float:
    """Range checks of a number already read; whole numbers stay whole."""
    kind = indicator.type
    if kind == IndicatorType.PERCENT:
        number = round(float(number), 2)
        if not 0 <= number <= 100 and indicator.max_value is None:
            raise ValueError(_("A percentage lies between 0 and 100."))
    elif isinstance(number, float):
        if not number.is_integer():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": format_number(number)})
        number = int(number)
    if kind != IndicatorType.PERCENT and abs(number) > LARGEST and indicator.max_value is None:
        raise ValueError(_("At most %(max)s.") % {"max": format_number(LARGEST)})
    if kind != IndicatorType.PERCENT and number < 0 and (indicator.min_value is None or indicator.min_value >= 0):
        raise ValueError(_("A count or an amount cannot be negative."))
    if indicator.min_value is not None and number < indicator.min_value:
        raise ValueError(_("At least %(min)s.") % {"min": format_number(indicator.min_value)})
    if indicator.max_value is not None and number > indicator.max_value:
        raise ValueError(_("At most %(max)s.") % {"max": format_number(indicator.max_value)})
    return number


def check(indicators: Iterable[Indicator], raw: Mapping[str, Any], *, complete: bool) -> Checked:
    """Type and range of every answer, the sums that must match and, when ``complete`` (a report
    being submitted), that every required indicator is answered. Blank answers are no value."""
    result = Checked()
    by_code = {indicator.code: indicator for indicator in indicators}
    for code, indicator in by_code.items():
        answer = raw.get(code)
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            if complete and indicator.required:
                result.errors[code] = str(_("Required."))
            continue
        try:
            result.values[code] = _one(indicator, answer)
        except ValueError as exc:
            result.errors[code] = str(exc)
    for code, indicator in by_code.items():
        parts = [part for part in indicator.sum_of if part in by_code]
        if not parts or code in result.errors or code not in result.values:
            continue
        if any(part in result.errors or part not in result.values for part in parts):
            continue
        total = sum(result.values[part] for part in parts)
        if isinstance(total, float):
            total = round(total, 2)  # percentages have two decimals: 10,1 + 20,2 is 30,3
        if total != result.values[code]:
            names = ", ".join(by_code[part].label for part in parts)
            result.errors[code] = str(
                _("Must equal the sum of %(parts)s (%(total)s), not %(value)s.")
                % {"parts": names, "total": format_number(total), "value": format_number(result.values[code])}
            )
    return result
