"""The directive library: the documents a unit's programmes cite, searched, read and completed.

Plain functions for the library pages (and anything else that needs them): searching entries
without accents or by their number and symbol in any spelling, attaching a document's full
text, editing an entry. Every change leaves an audit entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import fold, nfc
from doanket.documents.readers import ExtractedText, read_document
from doanket.documents.references import TYPE_WORDS, code_key
from doanket.programs.models import Citation, Directive, Item, Program

# The glossary's document types (what ``Directive.type`` holds) and their names.
TYPE_LABELS: dict[str, Promise] = {
    "resolution": _("Resolution"),
    "conclusion": _("Conclusion"),
    "directive": _("Directive"),
    "regulation": _("Regulation"),
    "decision": _("Decision"),
    "notice": _("Notice"),
    "circular_letter": _("Circular letter"),
    "guidance": _("Guidance"),
    "decree": _("Decree"),
    "circular": _("Circular"),
    "scheme": _("Scheme"),
    "plan": _("Plan"),
    "program": _("Programme"),
    "action_program": _("Action programme"),
    "coordination_program": _("Coordination programme"),
    "law": _("Law"),
    "joint_resolution": _("Joint resolution"),
    "joint_circular": _("Joint circular"),
    "official_letter": _("Official letter"),
    "document": _("Document"),
    "report": _("Report"),
    "rules": _("Rules"),
    "ordinance": _("Ordinance"),
    "constitution": _("Constitution"),
    "charter": _("Charter"),
    "submission": _("Submission"),
    "telegram": _("Telegram"),
    "code_of_law": _("Code of law"),
}

EDITABLE_FIELDS = ("title", "issuer", "date", "type")
# Fields left out of the audit: derived (search_key) or too long to copy (full_text, summarised).
_AUDIT_EXCLUDE = ("search_key", "full_text")
_SO_BEFORE_NUMBER = re.compile(r"\bso\s*[:.]?\s*(?=\d)")


def type_label(type_: str) -> str:
    """The name of a document type ("decree" → "Decree", in the active language)."""
    label = TYPE_LABELS.get(type_)
    return str(label) if label is not None else type_


def type_choices() -> list[tuple[str, Promise]]:
    return list(TYPE_LABELS.items())


# --- Search --------------------------------------------------------------------------------


def search_directives(queryset: QuerySet[Directive], text: str) -> QuerySet[Directive]:
    """Entries matching ``text``, accent- and tone-placement-insensitively.

    "nghi dinh 93" finds "Nghị định 93/2021/NĐ-CP" (the type word matches the entry's type, each
    other word its number, issuer, title or full text); "93/2021/nđ-cp" or "15 ĐA/TU" also find
    the entry by its canonical code, however it is written.
    """
    folded = fold(text)
    if not folded:
        return queryset
    condition = Q(search_key__contains=folded)

    rest = folded
    type_q: Q | None = None
    for word, type_ in TYPE_WORDS:  # longest first: "chuong trinh hanh dong" before "chuong trinh"
        found = re.search(r"\b" + re.escape(word) + r"\b", rest)
        if found:
            type_q = Q(type=type_) | Q(search_key__contains=word)
            rest = f"{rest[: found.start()]} {rest[found.end() :]}"
            break
    rest = _SO_BEFORE_NUMBER.sub(" ", rest).strip()  # "Nghị định số 93/..." → "93/..."

    words_q: Q | None = None
    if rest:
        words_q = Q()
        for word in rest.split():
            words_q &= Q(search_key__contains=word)
        if any(ch.isdigit() for ch in rest):
            words_q |= Q(code_key=code_key(rest))
    structured = [q for q in (type_q, words_q) if q is not None]
    if structured:
        combined = structured[0]
        for q in structured[1:]:
            combined &= q
        condition |= combined
    return queryset.filter(condition)


# --- Changes ---------------------------------------------------------------------------------


def _audit_snapshot(directive: Directive) -> audit.Snapshot:
    values = audit.snapshot(directive, exclude=_AUDIT_EXCLUDE)
    values["full_text_chars"] = len(directive.full_text)
    return values


def _clean_field(name: str, value: Any) -> Any:
    if name in ("title", "issuer", "type"):
        return nfc(str(value or ""))
    if name == "date":
        if value is not None and not isinstance(value, dt.date):
            raise TypeError(f"date must be a date, not {type(value).__name__}")
        return value
    raise TypeError(f"{name} cannot be edited")


@transaction.atomic
def save_directive(actor: Any, directive: Directive, **fields: Any) -> Directive:
    """Change an entry's title, issuer, date or type; recorded in the audit log when anything changed."""
    cleaned = {name: _clean_field(name, value) for name, value in fields.items()}
    before = _audit_snapshot(directive)
    for name, value in cleaned.items():
        setattr(directive, name, value)
    if audit.diff(before, _audit_snapshot(directive)):
        directive.save()
        audit.record(actor, AuditAction.UPDATE, directive, before=before, after=_audit_snapshot(directive))
    return directive


def _store_full_text(actor: Any, directive: Directive, extracted: ExtractedText, data: bytes, filename: str) -> None:
    before = _audit_snapshot(directive)
    directive.full_text = extracted.text
    name = re.split(r"[\\/]", filename or "")[-1].strip() or f"directive-{directive.pk}.{extracted.format}"
    directive.file.save(name, ContentFile(data), save=False)
    directive.save()
    audit.record(actor, AuditAction.UPDATE, directive, before=before, after=_audit_snapshot(directive))


@transaction.atomic
def attach_full_text(actor: Any, directive: Directive, data: bytes, filename: str) -> Directive:
    """Read an uploaded copy of the document (DOCX, PDF, TXT, MD) and keep its text and the file.

    Raises ``DocumentError`` (``str(error)`` says why, for the user) before anything is saved.
    """
    extracted = read_document(data, filename)
    _store_full_text(actor, directive, extracted, data, filename)
    return directive


@transaction.atomic
def edit_directive(
    actor: Any, directive: Directive, fields: dict[str, Any], upload: tuple[bytes, str] | None = None
) -> Directive:
    """The edit form's save: the fields and, when given, the full text — all or nothing.

    A file that cannot be read raises ``DocumentError`` before anything, the fields included, is saved.
    """
    extracted = read_document(*upload) if upload is not None else None
    save_directive(actor, directive, **fields)
    if upload is not None and extracted is not None:
        _store_full_text(actor, directive, extracted, *upload)
    return directive


# --- Where an entry is cited -----------------------------------------------------------------


@dataclass
class CitingProgram:
    """A programme that cites an entry: mentions in its own text, and the items that cite it."""

    program: Program
    mentions: int = 0  # in the title, preamble and closing
    items: list[tuple[Item, int]] = field(default_factory=list)  # (item, mentions), in document order

    @property
    def total(self) -> int:
        return self.mentions + sum(n for _item, n in self.items)


def citing_programs(directive: Directive, visible: Q) -> list[CitingProgram]:
    """The programmes and items citing ``directive`` among the programmes ``visible`` lets through
    (a filter on ``program__unit__path``). One query whatever the number of citations."""
    citations = (
        Citation.objects.filter(directive=directive)
        .filter(visible)
        .select_related("program", "item")
        .order_by("-program__year", "program__title", "program_id", "item__position")
    )
    found: dict[int, CitingProgram] = {}
    for citation in citations:
        entry = found.setdefault(citation.program_id, CitingProgram(program=citation.program))
        if citation.item is None:
            entry.mentions += citation.mentions
        else:
            entry.items.append((citation.item, citation.mentions))
    return list(found.values())
