"""What the importer understands of an administrative document: plain dataclasses.

The parser builds a :class:`ParsedDocument`; the exporter writes one back as DOCX; the work
programme module saves one as a programme. ``to_json`` is the command's output format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Document kinds, by the document's own word (glossary: "Documents and events").
KINDS = (
    "work_program",
    "coordination_program",
    "plan",
    "emulation_launch",
    "report",
    "guidance",
    "decision",
    "circular_letter",
    "notice",
    "other",
)


@dataclass
class Section:
    """A numbered heading or item, numbered exactly as written ("III", "2.1", "a", "-")."""

    number: str
    title: str
    text: str = ""
    children: list[Section] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "children": [child.to_json() for child in self.children],
        }

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Reference:
    """Another document cited in the text, under one canonical code."""

    code: str
    type: str  # glossary name: resolution, conclusion, directive, decree, law, scheme ...
    date: dt.date | None = None
    issuer: str | None = None
    title: str | None = None
    mentions: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "type": self.type,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "title": self.title,
            "mentions": self.mentions,
        }


@dataclass
class Event:
    """An anniversary or dated event: its origin date, its date in the document's year."""

    name: str
    origin_date: dt.date | None = None
    date: dt.date | None = None
    anniversary: int | None = None
    lunar: bool = False
    lunar_day: int | None = None
    lunar_month: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "origin_date": self.origin_date.isoformat() if self.origin_date else None,
            "date": self.date.isoformat() if self.date else None,
            "anniversary": self.anniversary,
            "lunar": self.lunar,
            "lunar_day": self.lunar_day,
            "lunar_month": self.lunar_month,
        }


@dataclass
class Signatory:
    name: str
    title: str
    on_behalf_of: str | None = None  # "TM. BAN THƯỜNG TRỰC", "TM. ỦY BAN MTTQ VIỆT NAM TỈNH"
    signing_for: str | None = None  # "KT. CHỦ TỊCH" under a "TM." line

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "on_behalf_of": self.on_behalf_of,
            "signing_for": self.signing_for,
        }


@dataclass
class ParsedDocument:
    kind: str = "other"
    title: str = ""
    issuer: str = ""
    parent_issuer: str | None = None  # the line above the issuer in the header, if any
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    number: str | None = None
    theme: str | None = None
    preamble: str = ""
    key_tasks: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signatory: Signatory | None = None
    closing: str = ""  # a closing appeal after the last section (seed 003)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "issuer": self.issuer,
            "parent_issuer": self.parent_issuer,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "number": self.number,
            "theme": self.theme,
            "preamble": self.preamble,
            "key_tasks": list(self.key_tasks),
            "sections": [section.to_json() for section in self.sections],
            "references": [reference.to_json() for reference in self.references],
            "events": [event.to_json() for event in self.events],
            "recipients": list(self.recipients),
            "signatory": self.signatory.to_json() if self.signatory else None,
            "closing": self.closing,
            "warnings": list(self.warnings),
        }

    def walk(self):
        for section in self.sections:
            yield from section.walk()
