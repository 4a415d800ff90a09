"""A form's content as an Excel sheet an officer can edit: one row per indicator.

The province lays out a new form, or the next version of one, in the spreadsheet it already
knows, and uploads it; the sheet is checked row by row and nothing is made unless it is all
right. Downloading a version gives the sheet to start the next one from.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from doanket.core.text import fold, nfc
from doanket.reporting import sources
from doanket.reporting.exports import as_text
from doanket.reporting.models import FormVersion, IndicatorType, Rollup
from doanket.reporting.values import LARGEST, format_number

MAX_BYTES = 2 * 1024 * 1024
COLUMNS = [
    ("section_number", gettext_lazy("Section no.")),
    ("section_title", gettext_lazy("Section")),
    ("code", gettext_lazy("Code")),
    ("label", gettext_lazy("Indicator")),
    ("type", gettext_lazy("Answer type")),
    ("measure", gettext_lazy("Unit of measure")),
    ("required", gettext_lazy("Required")),
    ("min_value", gettext_lazy("Minimum")),
    ("max_value", gettext_lazy("Maximum")),
    ("choices", gettext_lazy("Choices (separated by ;)")),
    ("rollup", gettext_lazy("Roll-up")),
    ("sum_of", gettext_lazy("Equals the sum of (codes separated by +)")),
    ("key", gettext_lazy("Key indicator")),
    ("source", gettext_lazy("Filled in from")),
    ("help_text", gettext_lazy("Explanation")),
]
_CODE = re.compile(r"^[a-z0-9_-]{1,40}$")


def _names(choices: Any) -> dict[str, str]:
    """Every way a choice may be written (code, English, Vietnamese) → its code."""
    found = {}
    for value, label in choices:
        found[fold(value)] = value
        found[fold(str(label))] = value
        with override("vi"):
            found[fold(str(label))] = value
    return found


TYPES = _names(IndicatorType.choices)
ROLLUPS = _names(Rollup.choices)
YES = {"co", "x", "1", "yes", "true"}


def definition_workbook(version: FormVersion) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Indicators")[:31]
    sheet.append([str(label) for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for section in version.sections.prefetch_related("indicators"):
        for i in section.indicators.all():
            sheet.append(
                [
                    section.number,
                    section.title,
                    i.code,
                    i.label,
                    i.get_type_display(),
                    i.measure,
                    _("Yes") if i.required else _("No"),
                    i.min_value,
                    i.max_value,
                    "; ".join(map(str, i.choices)),
                    i.get_rollup_display(),
                    " + ".join(i.sum_of),
                    _("Yes") if i.key else "",
                    i.source,
                    i.help_text,
                ]
            )
            as_text(sheet[sheet.max_row])
    for letter, width in zip(
        "ABCDEFGHIJKLMNO", [8, 40, 16, 50, 14, 12, 10, 10, 10, 30, 12, 24, 10, 24, 30], strict=True
    ):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Definition:
    sections: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _int(value: Any) -> int | None:
    """A whole number from a cell (a number, or text like "1.000.000"); ValueError otherwise."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    return int(re.sub(r"[.\s]", "", _text(value)))


def read_definition(data: bytes, filename: str) -> Definition:
    """The sections and indicators the sheet describes, or every row that is wrong."""
    found = Definition()
    if len(data) > MAX_BYTES:
        found.errors.append(_("%(file)s is larger than 2 MB.") % {"file": filename})
        return found
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        found.errors.append(_("%(file)s is not an Excel workbook (.xlsx).") % {"file": filename})
        return found
    except Exception:  # noqa: BLE001 - an untrusted file: any parser error means a damaged file
        found.errors.append(
            _("%(file)s is damaged: open it in Excel, save it again and upload it.") % {"file": filename}
        )
        return found
    try:
        rows = list(book.worksheets[0].iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True))
    except Exception:  # noqa: BLE001 - an untrusted file: any parser error means a damaged file
        found.errors.append(
            _("%(file)s is damaged: open it in Excel, save it again and upload it.") % {"file": filename}
        )
        return found
    finally:
        book.close()
    codes: dict[str, str] = {}
    numeric: set[str] = set()
    pending_sums: list[tuple[int, str, list[str]]] = []
    current: dict[str, Any] | None = None
    for number, row in enumerate(rows, start=2):
        values = dict(zip([key for key, _label in COLUMNS], list(row) + [None] * len(COLUMNS), strict=False))
        if not any(_text(v) for v in values.values()):
            continue
        where = _("%(file)s, row %(row)s") % {"file": filename, "row": number}
        problems: list[str] = []
        title = _text(values["section_title"])
        if title and (current is None or current["title"] != title):
            current = {"number": _text(values["section_number"]), "title": title, "indicators": []}
            found.sections.append(current)
        if current is None:
            problems.append(_("the first row must name its section"))
        code = _text(values["code"]).lower()
        label = _text(values["label"])
        if not _CODE.match(code):
            problems.append(_("the code “%(code)s” must be up to 40 letters a–z, digits, - or _") % {"code": code})
        elif code in codes:
            problems.append(_("the code %(code)s is used twice") % {"code": code})
        if not label:
            problems.append(_("the indicator has no name"))
        kind = TYPES.get(fold(_text(values["type"])))
        if kind is None:
            problems.append(
                _("the type “%(type)s” is not one of: %(types)s")
                % {"type": _text(values["type"]), "types": ", ".join(str(lbl) for _v, lbl in IndicatorType.choices)}
            )
        rollup_text = _text(values["rollup"])
        # A blank roll-up: percentages average, everything else adds up.
        rollup = (
            ROLLUPS.get(fold(rollup_text))
            if rollup_text
            else (Rollup.AVERAGE if kind == IndicatorType.PERCENT else Rollup.SUM)
        )
        if rollup is None:
            problems.append(_("the roll-up “%(rollup)s” is unknown") % {"rollup": rollup_text})
        try:
            low, high = _int(values["min_value"]), _int(values["max_value"])
        except ValueError:
            problems.append(_("the minimum and maximum must be whole numbers"))
            low = high = None
        if low is not None and high is not None and low > high:
            problems.append(_("the minimum is greater than the maximum"))
        if any(v is not None and abs(v) > LARGEST for v in (low, high)):
            problems.append(_("a minimum or maximum lies within ±%(largest)s") % {"largest": format_number(LARGEST)})
        if len(label) > 300 or len(title) > 300 or len(_text(values["section_number"])) > 10:
            problems.append(_("names are at most 300 characters and section numbers at most 10"))
        choices = [c.strip() for c in _text(values["choices"]).split(";") if c.strip()]
        if kind == IndicatorType.CHOICE and len(choices) < 2:
            problems.append(_("a choice needs at least two choices, separated by ;"))
        source = _text(values["source"])
        known = sources.get(source) if source else None
        if source and known is None:
            problems.append(_("no figure of the platform is called “%(source)s”") % {"source": source})
        elif known is not None and known.text != (kind == IndicatorType.LONG_TEXT):
            mismatch = (
                _("“%(source)s” drafts a long text; a number comes from a figure")
                if known.text
                else _("“%(source)s” is a figure; a long text is drafted from a text source")
            )
            problems.append(mismatch % {"source": source})
        parts = [p.strip().lower() for p in _text(values["sum_of"]).split("+") if p.strip()]
        if problems:
            found.errors.append(f"{where}: " + "; ".join(problems) + ".")
            continue
        assert current is not None and kind is not None
        codes[code] = label
        if kind in (IndicatorType.INTEGER, IndicatorType.MONEY, IndicatorType.PERCENT):
            numeric.add(code)
        if parts:
            pending_sums.append((number, code, parts))
        current["indicators"].append(
            {
                "code": code,
                "label": label,
                "type": kind,
                "measure": _text(values["measure"])[:40],
                "required": fold(_text(values["required"])) in YES if _text(values["required"]) else True,
                "min_value": low,
                "max_value": high,
                "choices": choices if kind == IndicatorType.CHOICE else [],
                "rollup": rollup,
                "sum_of": parts,
                "key": fold(_text(values["key"])) in YES,
                "source": source,
                "help_text": _text(values["help_text"])[:300],
            }
        )
    for number, code, parts in pending_sums:
        wrong = [p for p in parts if p not in numeric or p == code]
        if wrong or code not in numeric:
            found.errors.append(
                _("%(file)s, row %(row)s: a sum must be of numeric indicators of the form (not %(codes)s).")
                % {"file": filename, "row": number, "codes": ", ".join(wrong or [code])}
            )
    if not codes and not found.errors:
        found.errors.append(_("%(file)s lists no indicator.") % {"file": filename})
    found.sections = [s for s in found.sections if s["indicators"]]
    return found
