"""The calendar of the work programmes: the Front's days and the events of the programmes a unit reads.

A unit's calendar holds the days every Front committee keeps (``FRONT_DAYS``, lunar ones converted
for the year asked) and the ``Event`` rows of the programmes of that unit and of the units above it.
An event is placed in the year asked, not only in its programme's year: a lunar date is converted
again, an anniversary with its first date is counted again ("Kỷ niệm 96 năm" in 2026 from a 2022
programme that said 92). The same day named twice (a programme repeating a Front day, two years'
programmes repeating each other) is shown once. ``ical`` writes the entries as an iCalendar feed.

Authorisation stays in ``doanket.accounts.authz``: the helpers here only narrow what it allows.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.core.text import fold
from doanket.documents.events import lunar_to_solar
from doanket.organizations.models import SEGMENT, Unit
from doanket.programs.models import Event, Program

Source = Literal["front_day", "program"]
FRONT_DAY: Source = "front_day"
PROGRAM: Source = "program"


@dataclass(frozen=True)
class FrontDay:
    """A day every Front committee keeps: its name as officials write it, its day and month
    (lunar or solar) and, when it has one, the year it was first held (for "Kỷ niệm N năm")."""

    name: str
    day: int
    month: int
    lunar: bool = False
    origin_year: int | None = None
    kind: Literal["front", "national", "member_organisation", "armed_forces", "religious", "traditional"] = "national"


FRONT_DAYS: tuple[FrontDay, ...] = (
    # The Front's own day.
    FrontDay(
        "Ngày truyền thống Mặt trận Tổ quốc Việt Nam – Ngày hội Đại đoàn kết toàn dân tộc", 18, 11, False, 1930, "front"
    ),
    # National days.
    FrontDay("Tết Nguyên đán", 1, 1, True, None, "traditional"),
    FrontDay("Tết Nguyên tiêu", 15, 1, True, None, "traditional"),
    FrontDay("Ngày thành lập Đảng Cộng sản Việt Nam", 3, 2, False, 1930),
    FrontDay("Ngày Quốc tế Phụ nữ", 8, 3, False, 1910),
    FrontDay("Giỗ Tổ Hùng Vương", 10, 3, True, None, "traditional"),
    FrontDay("Ngày Giải phóng miền Nam, thống nhất đất nước", 30, 4, False, 1975),
    FrontDay("Ngày Quốc tế Lao động", 1, 5, False, 1886),
    FrontDay("Ngày sinh Chủ tịch Hồ Chí Minh", 19, 5, False, 1890),
    FrontDay("Ngày Thương binh – Liệt sĩ", 27, 7, False, 1947),
    FrontDay("Cách mạng tháng Tám", 19, 8, False, 1945),
    FrontDay("Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", 2, 9, False, 1945),
    # The member organisations.
    FrontDay("Ngày thành lập Đoàn Thanh niên Cộng sản Hồ Chí Minh", 26, 3, False, 1931, "member_organisation"),
    FrontDay("Ngày thành lập Công đoàn Việt Nam", 28, 7, False, 1929, "member_organisation"),
    FrontDay("Ngày thành lập Hội Nông dân Việt Nam", 14, 10, False, 1930, "member_organisation"),
    FrontDay("Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam", 20, 10, False, 1930, "member_organisation"),
    FrontDay("Ngày thành lập Hội Cựu chiến binh Việt Nam", 6, 12, False, 1989, "member_organisation"),
    # The armed forces.
    FrontDay("Ngày truyền thống Bộ đội Biên phòng", 3, 3, False, 1959, "armed_forces"),
    FrontDay("Ngày Biên phòng toàn dân", 3, 3, False, 1989, "armed_forces"),
    FrontDay("Ngày thành lập Quân đội nhân dân Việt Nam", 22, 12, False, 1944, "armed_forces"),
    FrontDay("Ngày hội Quốc phòng toàn dân", 22, 12, False, 1989, "armed_forces"),
    # Religious feasts the Front greets (thăm hỏi, chúc mừng).
    FrontDay("Lễ Phật đản", 15, 4, True, None, "religious"),
    FrontDay("Lễ Vu Lan", 15, 7, True, None, "religious"),
    FrontDay("Tết Trung thu", 15, 8, True, None, "traditional"),
    FrontDay("Lễ Giáng sinh", 25, 12, False, None, "religious"),
)


def anniversary_number(origin_year: int | None, year: int) -> int | None:
    """The anniversary in ``year`` of what first happened in ``origin_year`` (None before or unknown)."""
    if origin_year is None:
        return None
    number = year - origin_year
    return number if number > 0 else None


@dataclass
class CalendarEntry:
    date: dt.date
    name: str
    anniversary: int | None = None
    lunar: bool = False
    lunar_label: str | None = None  # "10/3 âm lịch"
    source: Source = FRONT_DAY
    program_id: int | None = None
    program_title: str = ""
    unit_name: str = ""
    lunar_day: int | None = None
    lunar_month: int | None = None
    kind: str = ""
    # How a programme entry ranks against a duplicate of another programme (higher is kept).
    rank: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @property
    def title(self) -> str:
        """What a calendar shows: "Kỷ niệm 96 năm Ngày thành lập Đảng Cộng sản Việt Nam"."""
        return f"Kỷ niệm {self.anniversary} năm {self.name}" if self.anniversary else self.name

    @property
    def lunar_day_month(self) -> str:
        return f"{self.lunar_day}/{self.lunar_month}" if self.lunar_day and self.lunar_month else ""

    @property
    def is_front_day(self) -> bool:
        return self.source == FRONT_DAY


def lunar_label(day: int, month: int) -> str:
    return f"{day}/{month} âm lịch"


def lunar_dates_in(day: int, month: int, year: int) -> list[dt.date]:
    """The solar dates in ``year`` of the lunar day ``day``/``month``: the one of lunar year ``year``,
    and the one of the lunar year before when it falls in January (a late 12th month)."""
    found = [lunar_to_solar(day, month, lunar_year) for lunar_year in (year - 1, year)]
    return sorted({d for d in found if d is not None and d.year == year})


def _same_day_in(year: int, origin: dt.date) -> dt.date:
    try:
        return origin.replace(year=year)
    except ValueError:  # 29/2 in a common year
        return dt.date(year, 2, 28)


def front_day_entries(year: int) -> list[CalendarEntry]:
    entries = []
    for day in FRONT_DAYS:
        if day.lunar:
            for date in lunar_dates_in(day.day, day.month, year):
                entries.append(
                    CalendarEntry(
                        date=date,
                        name=day.name,
                        anniversary=anniversary_number(day.origin_year, year),
                        lunar=True,
                        lunar_label=lunar_label(day.day, day.month),
                        lunar_day=day.day,
                        lunar_month=day.month,
                        kind=day.kind,
                    )
                )
        else:
            try:
                date = dt.date(year, day.month, day.day)
            except ValueError:
                continue
            entries.append(
                CalendarEntry(
                    date=date, name=day.name, anniversary=anniversary_number(day.origin_year, year), kind=day.kind
                )
            )
    return entries


def _stated_anniversary_in(event: Event, year: int) -> int | None:
    """A stated "kỷ niệm N năm" without a first date, moved to ``year`` from the programme's year."""
    if not event.anniversary:
        return None
    base = event.date.year if event.date else event.program.year
    if base is None:
        return None
    number = event.anniversary + (year - base)
    return number if number > 0 else None


def _program_entry(event: Event, year: int, date: dt.date, anniversary: int | None, **extra: Any) -> CalendarEntry:
    program = event.program
    return CalendarEntry(
        date=date,
        name=event.name,
        anniversary=anniversary,
        source=PROGRAM,
        program_id=program.pk,
        program_title=program.title,
        unit_name=program.unit.name,
        kind="program",
        rank=(
            1 if program.year == year else 0,
            len(program.unit.path or "") // SEGMENT,
            program.year or 0,
            program.pk,
        ),
        **extra,
    )


def event_entries(event: Event, year: int) -> list[CalendarEntry]:
    """Where an event of a programme falls in ``year`` (none, one, or two for a lunar date)."""
    if event.lunar_day and event.lunar_month:
        anniversary = (
            anniversary_number(event.origin_date.year, year)
            if event.origin_date
            else _stated_anniversary_in(event, year)
        )
        return [
            _program_entry(
                event,
                year,
                date,
                anniversary,
                lunar=True,
                lunar_label=lunar_label(event.lunar_day, event.lunar_month),
                lunar_day=event.lunar_day,
                lunar_month=event.lunar_month,
            )
            for date in lunar_dates_in(event.lunar_day, event.lunar_month, year)
        ]
    if event.origin_date:
        if year < event.origin_date.year:
            return []
        return [
            _program_entry(
                event, year, _same_day_in(year, event.origin_date), anniversary_number(event.origin_date.year, year)
            )
        ]
    if event.date and event.date.year == year:
        return [_program_entry(event, year, event.date, event.anniversary)]
    return []


def events_of(programs: QuerySet[Program], year: int) -> QuerySet[Event]:
    """The events of ``programs`` that may fall in ``year``: one query, whatever their number."""
    may_fall = (
        Q(lunar_day__isnull=False, lunar_month__isnull=False)
        | Q(origin_date__isnull=False, origin_date__year__lte=year)
        | Q(date__year=year)
    )
    return (
        Event.objects.filter(may_fall, program__in=programs.order_by().values("pk"))
        .select_related("program", "program__unit")
        .order_by("pk")
    )


# --- Telling the same day named twice ---------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w\s]")
_LEADING = re.compile(r"^(?:ky niem (?:\d+ nam )?)?(?:(?:ngay|le|tet|mung|mong) )?")
_ABBREVIATIONS = {
    "mttq": "mat tran to quoc",
    "vn": "viet nam",
    "dcs": "dang cong san",
    "dcsvn": "dang cong san viet nam",
    "csvn": "cong san viet nam",
    "chxhcn": "cong hoa xa hoi chu nghia",
    "hcm": "ho chi minh",
    "tncs": "thanh nien cong san",
    "lhpn": "lien hiep phu nu",
    "hlhpn": "hoi lien hiep phu nu",
    "ccb": "cuu chien binh",
    "qdnd": "quan doi nhan dan",
    "bdbp": "bo doi bien phong",
    "ddk": "dai doan ket",
    "ddkdt": "dai doan ket dan toc",
    "ddktdt": "dai doan ket toan dan toc",
    "tbls": "thuong binh liet si",
}


def name_key(name: str) -> str:
    """A name reduced for comparing: folded, without punctuation, abbreviations spelled out,
    without a leading "kỷ niệm N năm" or "Ngày"."""
    words = [_ABBREVIATIONS.get(w, w) for w in _NOT_WORD.sub(" ", fold(name)).split()]
    return _LEADING.sub("", " ".join(words)).strip()


def same_name(a: str, b: str) -> bool:
    """Whether two names of the same day mean the same thing ("Ngày truyền thống MTTQ Việt Nam"
    and the Front's full name; "Quốc khánh" and "Ngày Quốc khánh nước CHXHCN Việt Nam")."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    short, long = sorted((ka, kb), key=len)
    if short == long or (len(short) >= 8 and f" {short} " in f" {long} "):
        return True
    return SequenceMatcher(None, ka, kb).ratio() >= 0.85


def merge(front: Iterable[CalendarEntry], programs: Iterable[CalendarEntry]) -> list[CalendarEntry]:
    """One entry per day and name: a programme's entry replaces the Front day it repeats (taking
    its anniversary and lunar date when the programme did not give them), and among programmes
    repeating each other the one of the year asked, of the lowest unit, the newest, is kept."""
    by_day: dict[dt.date, list[CalendarEntry]] = defaultdict(list)
    for entry in sorted(programs, key=lambda e: e.rank, reverse=True):
        kept = by_day[entry.date]
        if not any(same_name(entry.name, other.name) for other in kept):
            kept.append(entry)
    unmatched: list[CalendarEntry] = []
    for day in front:
        kept = by_day.get(day.date, [])
        twin = next((i for i, e in enumerate(kept) if same_name(e.name, day.name)), None)
        if twin is None:
            unmatched.append(day)
            continue
        entry = kept[twin]
        if entry.anniversary is None and day.anniversary is not None:
            entry = replace(entry, anniversary=day.anniversary)
        if not entry.lunar and day.lunar:
            entry = replace(
                entry, lunar=True, lunar_label=day.lunar_label, lunar_day=day.lunar_day, lunar_month=day.lunar_month
            )
        kept[twin] = entry
    merged = unmatched + [e for kept in by_day.values() for e in kept]
    merged.sort(key=lambda e: (e.date, 0 if e.is_front_day else 1, fold(e.name)))
    return merged


def calendar_entries(programs: QuerySet[Program], year: int, month: int | None = None) -> list[CalendarEntry]:
    """The Front's days of ``year`` and the events of ``programs`` placed in it, sorted by date;
    only those of ``month`` when given. One query, whatever the number of programmes."""
    program_entries = [entry for event in events_of(programs, year) for entry in event_entries(event, year)]
    entries = merge(front_day_entries(year), program_entries)
    if month is not None:
        entries = [e for e in entries if e.date.month == month]
    return entries


# --- Which programmes a user's calendar reads -------------------------------------------------


def readable_programs(user: Any, paths: list[str]) -> QuerySet[Program]:
    """The programmes of the units at ``paths`` and of the units above them, as far as ``authz``
    lets ``user`` read programmes (their subtrees and the units above)."""
    wanted = sorted(set(paths) | set(authz.ancestor_paths(paths)))
    return Program.objects.filter(
        authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, "unit__path"), unit__path__in=wanted
    )


def own_unit_paths(user: Any) -> list[str]:
    """The paths of the units where ``user`` was granted a role that reads programmes (for a
    system administrator, the top of the hierarchy)."""
    if authz.is_system_admin(user):
        roots = Unit.objects.filter(parent__isnull=True, path__isnull=False).values_list("path", flat=True)
        return [path for path in roots if path]
    return sorted(
        {
            path
            for path, role in authz.grants(user)
            if Perm.VIEW_PROGRAM in authz.ROLE_PERMISSIONS.get(role, frozenset())
        }
    )


# --- The month grid ---------------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    entries: list[CalendarEntry]


def month_grid(year: int, month: int, entries: Iterable[CalendarEntry], today: dt.date) -> list[list[Day]]:
    """The weeks of the month, Monday first, each day with its entries."""
    by_date: dict[dt.date, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        by_date[entry.date].append(entry)
    weeks = stdlib_calendar.Calendar(firstweekday=stdlib_calendar.MONDAY).monthdatescalendar(year, month)
    return [
        [Day(date=d, in_month=d.month == month, is_today=d == today, entries=by_date.get(d, [])) for d in week]
        for week in weeks
    ]


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


# --- iCalendar --------------------------------------------------------------------------------


def entry_uid(entry: CalendarEntry) -> str:
    """Stable for a day, a name and a source: a phone updates the event instead of adding one."""
    key = f"{entry.date.isoformat()}|{fold(entry.name)}|{entry.source}"
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest() + "@doanket"


def _description(entry: CalendarEntry) -> str:
    lines = []
    if entry.lunar_label:
        lines.append(entry.lunar_label)
    if entry.source == PROGRAM:
        lines.append(entry.program_title)
        if entry.unit_name:
            lines.append(entry.unit_name)
    return "\n".join(lines)


def ical(entries: Iterable[CalendarEntry], calendar_name: str, stamp: dt.datetime | None = None) -> bytes:
    """The entries as an iCalendar file (UTF-8): whole-day events a phone can subscribe to."""
    stamp = stamp or timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Đoàn Kết//lich//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for entry in entries:
        event = VEvent()
        event.add("uid", entry_uid(entry))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + dt.timedelta(days=1))
        event.add("summary", entry.title)
        description = _description(entry)
        if description:
            event.add("description", description)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
