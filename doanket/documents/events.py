"""Anniversaries and dated events in a document, with lunar dates converted.

"kỷ niệm 92 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 - 3/2/2022)" gives the event,
its origin date, its date in the programme's year and the anniversary number;
"ngày Giỗ Tổ Hùng Vương (mùng 10/3 âm lịch)" is lunar and converted with the Vietnamese lunar
calendar (lunar-vn: the Hồ Ngọc Đức algorithm at UTC+7, the one Vietnamese calendars use).
"""

from __future__ import annotations

import datetime as dt
import re

import lunar_vn

from doanket.core.text import fold

from .structure import Event

_D = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
RANGE_RE = re.compile(r"\(\s*" + _D + r"\s*[-–—]\s*" + _D + r"\s*\)")
SINGLE_RE = re.compile(r"\(\s*(?:ngày\s+)?" + _D + r"\s*\)")
DAY_MONTH_RE = re.compile(r"\(\s*(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})\s*\)")
LUNAR_RE = re.compile(
    r"\(?\s*(?:ngày\s+|mùng\s+|mồng\s+)?(\d{1,2})\s*(?:/|\s+tháng\s+)(\d{1,2}|giêng|chạp)"
    r"\s*\(?\s*(?:năm\s+)?(?:âm\s+lịch|AL)\s*\)?\)?",
    re.IGNORECASE,
)
_LUNAR_MONTHS = {"giêng": 1, "chạp": 12}
# "23 tháng Chạp", "mùng 1 tháng Giêng": the month's name says it is lunar.
NAMED_LUNAR_RE = re.compile(
    r"\(?\s*(?:ngày\s+|mùng\s+|mồng\s+)?(\d{1,2})\s+tháng\s+(giêng|chạp)\b\s*\)?", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[;:()\n]|\.\s|\bnhư\b")
_COMMA = re.compile(r",")
_ANCHOR = re.compile(
    r"(?:kỷ niệm|kỉ niệm)\s+(?:(\d{1,4})\s+năm\s+)?|(?<![\w])(\d{1,4})\s+năm\s+(?=[Nn]gày)", re.IGNORECASE
)
_EVENT_WORD = re.compile(r"(?<![\w])(?:Ngày|ngày(?=\s+[A-ZĐÀ-Ỹ])|Tết|Lễ|Giỗ|Đại hội|Hội nghị)(?![\w])")


def lunar_to_solar(day: int, month: int, year: int) -> dt.date | None:
    try:
        return lunar_vn.lunar_to_solar(lunar_vn.LunarDate(day, month, year))
    except ValueError:
        return None


def _date(day: str, month: str, year: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _last_clause(window: str, breaks: re.Pattern[str]) -> str:
    cut = 0
    for match in breaks.finditer(window):
        if window[match.end() :].strip(" ,"):
            cut = match.end()
    return window[cut:].strip(" ,.-–")


def _name_before(text: str, end: int) -> tuple[str, int | None]:
    """The event's name: the clause just before its date, without "kỷ niệm N năm"."""
    window = text[max(0, end - 220) : end].rstrip()
    clause = _last_clause(window, _CLAUSE_BREAK)
    anniversary = None
    anchors = list(_ANCHOR.finditer(clause))
    if anchors:
        last = anchors[-1]
        number = last.group(1) or last.group(2)
        anniversary = int(number) if number else None
        clause = clause[last.end() :]
    else:
        # No "kỷ niệm": the name starts at the last comma, or at a word like "Ngày", "Tết".
        clause = _last_clause(clause, _COMMA)
        word = _EVENT_WORD.search(clause)
        if word:
            clause = clause[word.start() :]
    clause = clause.strip(' .-–“”"')
    if clause[:1].islower():
        clause = clause[0].upper() + clause[1:]
    return clause, anniversary


def find_events(text: str, year: int | None) -> list[Event]:
    """Dated events in order of appearance; dates without a year fall in ``year``."""
    events: list[Event] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in RANGE_RE.finditer(text):
        origin = _date(match.group(1), match.group(2), match.group(3))
        date = _date(match.group(4), match.group(5), match.group(6))
        name, stated = _name_before(text, match.start())
        if not name or origin is None:
            continue
        computed = date.year - origin.year if date else None
        events.append(Event(name=name, origin_date=origin, date=date, anniversary=stated or computed, lunar=False))
        taken.append((match.start(), match.end()))

    for match in SINGLE_RE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        origin = _date(match.group(1), match.group(2), match.group(3))
        name, stated = _name_before(text, match.start())
        if not name or origin is None:
            continue
        target = year if year and year >= origin.year else None
        date = _date(match.group(1), match.group(2), target) if target else None
        anniversary = stated or (target - origin.year if target and target > origin.year else None)
        # "(18/11/1930)" after "kỷ niệm 92 năm ...": the date this year is origin + 92 years.
        if stated and not target:
            date = _date(match.group(1), match.group(2), origin.year + stated)
        events.append(Event(name=name, origin_date=origin, date=date, anniversary=anniversary, lunar=False))
        taken.append((match.start(), match.end()))

    # "mùng 10/3 âm lịch", "ngày 10 tháng 3 (âm lịch)"; and "23 tháng Chạp", lunar by its month's name.
    for match in (m for pattern in (LUNAR_RE, NAMED_LUNAR_RE) for m in pattern.finditer(text)):
        if not free(match.start(), match.end()):
            continue
        day = int(match.group(1))
        month = _LUNAR_MONTHS.get(match.group(2).lower()) or int(match.group(2))
        name, stated = _name_before(text, match.start())
        if fold(name).endswith(("ngay", "mung", "mong")):
            name = name.rsplit(" ", 1)[0]
        if not name:
            continue
        date = lunar_to_solar(day, month, year) if year else None
        events.append(Event(name=name, date=date, anniversary=stated, lunar=True, lunar_day=day, lunar_month=month))
        taken.append((match.start(), match.end()))

    for match in DAY_MONTH_RE.finditer(text):
        if not free(match.start(), match.end()):
            continue
        name, stated = _name_before(text, match.start())
        if not name:
            continue
        date = _date(match.group(1), match.group(2), year) if year else None
        if year and date is None:
            continue
        events.append(Event(name=name, date=date, anniversary=stated, lunar=False))
        taken.append((match.start(), match.end()))

    # Each event was appended with its span: back into the order of the text.
    return [
        event
        for _start, event in sorted(
            zip((start for start, _end in taken), events, strict=True), key=lambda pair: pair[0]
        )
    ]


def anniversary_number(origin: dt.date, year: int) -> int | None:
    """The anniversary in ``year`` of an event that first happened on ``origin`` (None before it)."""
    number = year - origin.year
    return number if number > 0 else None
