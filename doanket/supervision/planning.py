"""Reading a supervision plan document: which sections are the supervisions, and what each says
of its subject, form and time. Pure functions over the importer's ``ParsedDocument``."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from doanket.core.text import fold, nfc, nfc_lines
from doanket.documents.structure import ParsedDocument, Section
from doanket.supervision.models import Form, Kind

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

# Folded phrases → the form of supervision, first match wins.
FORMS = [
    ("thanh tra nhan dan", Form.INSPECTION_BOARD),
    ("giam sat dau tu cua cong dong", Form.COMMUNITY_BOARD),
    ("doan giam sat", Form.TEAM),
    ("hoi nghi", Form.CONFERENCE),
    ("doi thoai", Form.CONFERENCE),
    ("nghien cuu van ban", Form.DOCUMENTS),
    ("bao cao", Form.DOCUMENTS),
]


@dataclass
class PlannedSupervision:
    topic: str
    content: str
    kind: str
    form: str
    subject: str
    starts_on: dt.date | None
    ends_on: dt.date | None


def _labelled(text: str, *labels: str) -> str:
    """The value after "Label:" on a line of ``text`` (the first label found), else ""."""
    for line in text.splitlines():
        head, sep, value = line.partition(":")
        if sep and fold(head).strip() in labels:
            return nfc(value.strip().rstrip(";."))
    return ""


def period(text: str, year: int) -> tuple[dt.date | None, dt.date | None]:
    """The dates of "Quý II năm 2026", "Tháng 9 năm 2026", "6 tháng đầu năm" within ``year``."""
    folded = fold(text)
    found = re.search(r"\bquy\s+(iv|iii|ii|i|[1-4])\b", folded)
    if found:
        quarter = ROMAN.get(found.group(1)) or int(found.group(1))
        first = 3 * quarter - 2
        return dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    found = re.search(r"\bthang\s+(\d{1,2})\b", folded)
    if found and 1 <= int(found.group(1)) <= 12:
        month = int(found.group(1))
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if "6 thang dau nam" in folded:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if "6 thang cuoi nam" in folded:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    return None, None


def kind_of(text: str) -> str:
    folded = fold(text)
    if "124" in folded or "dao duc, loi song" in folded or "ren luyen dao duc" in folded:
        return Kind.ETHICS
    if "dan chu o co so" in folded or "qcdc" in folded:
        return Kind.DEMOCRACY
    return Kind.GENERAL


def form_of(text: str) -> str:
    folded = fold(text)
    return next((form for phrase, form in FORMS if phrase in folded), Form.TEAM)


def _supervision_sections(document: ParsedDocument) -> list[Section]:
    """The sections under "NỘI DUNG GIÁM SÁT" (or "NỘI DUNG"); without one, the numbered sections
    whose title starts with "Giám sát"."""
    for wanted in ("noi dung giam sat", "noi dung"):
        for section in document.sections:
            if fold(section.title).startswith(wanted) and section.children:
                return section.children
    return [s for section in document.sections for s in section.walk() if fold(s.title).startswith("giam sat")]


def supervisions(document: ParsedDocument, year: int) -> list[PlannedSupervision]:
    found = []
    for section in _supervision_sections(document):
        text = nfc_lines(section.text)
        form_text = _labelled(text, "hinh thuc", "hinh thuc giam sat")
        starts, ends = period(_labelled(text, "thoi gian", "thoi gian giam sat") or text, year)
        found.append(
            PlannedSupervision(
                topic=nfc(section.title)[:500],
                content=text,
                kind=kind_of(f"{section.title}\n{text}"),
                form=form_of(form_text) if form_text else Form.TEAM,
                subject=_labelled(text, "doi tuong giam sat", "doi tuong", "co quan duoc giam sat")[:300],
                starts_on=starts,
                ends_on=ends,
            )
        )
    return found
