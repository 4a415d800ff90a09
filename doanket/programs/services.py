"""The work-programme domain: import, save, derive, assign, update, chase, revise.

Plain functions called by the views, the API and the commands. Each write is one transaction
and leaves an audit entry for every record it changes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doanket.accounts import services as account_services
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import fold, nfc
from doanket.documents.parser import parse
from doanket.documents.readers import read_document
from doanket.documents.references import code_key, find_references
from doanket.documents.structure import Event as ParsedEvent
from doanket.documents.structure import ParsedDocument, Section, Signatory
from doanket.organizations.models import Unit, UnitKind
from doanket.programs.models import (
    Assignment,
    Citation,
    Directive,
    Event,
    Item,
    Kind,
    Program,
    ProgressUpdate,
    Reminder,
    ReminderKind,
    Revision,
    Role,
    Status,
)

logger = logging.getLogger(__name__)


# --- Import ------------------------------------------------------------------------------


def understand(data: bytes, filename: str) -> tuple[ParsedDocument, str, str]:
    """A file's text and what it says. Raises ``DocumentError`` with a clear message."""
    extracted = read_document(data, filename)
    return parse(extracted.text), extracted.text, extracted.format


def _items_from(program: Program, sections: list[Section]) -> list[Item]:
    """The section tree as Item rows in document order: one bulk insert per depth (parents get
    their primary keys before their children are inserted), a handful of queries for any size."""
    by_depth: dict[int, list[tuple[Item, Item | None]]] = defaultdict(list)
    ordered: list[Item] = []
    position = 0

    def add(section: Section, parent: Item | None, depth: int) -> None:
        nonlocal position
        position += 1
        item = Item(
            program=program,
            position=position,
            depth=depth,
            number=section.number[:40],
            title=nfc(section.title),
            text=section.text,
        )
        item.search_key = fold(f"{item.title} {item.text}")
        by_depth[depth].append((item, parent))
        ordered.append(item)
        for child in section.children:
            add(child, item, depth + 1)

    for section in sections:
        add(section, None, 0)
    for depth in sorted(by_depth):
        rows = by_depth[depth]
        for item, parent in rows:
            item.parent = parent
        Item.objects.bulk_create([item for item, _parent in rows], batch_size=500)
    return ordered


def _program_fields(parsed: ParsedDocument) -> dict[str, Any]:
    kind = parsed.kind if parsed.kind in Kind.values else Kind.OTHER
    return {
        "kind": kind,
        "title": (parsed.title or _("Untitled document"))[:500],
        "year": parsed.year,
        "number": (parsed.number or "")[:100],
        "issuer": (parsed.issuer or "")[:300],
        "place": (parsed.place or "")[:100],
        "date": parsed.date,
        "theme": parsed.theme or "",
        "key_tasks": list(parsed.key_tasks),
        "preamble": parsed.preamble,
        "closing": parsed.closing,
        "recipients": list(parsed.recipients),
        "signatory": parsed.signatory.to_json() if parsed.signatory else None,
    }


@transaction.atomic
def save_program(
    actor: Any,
    unit: Unit,
    parsed: ParsedDocument,
    *,
    source: tuple[bytes, str] | None = None,
    source_format: str = "",
    derived_from: Program | None = None,
    import_key: str = "",
) -> Program:
    """Store a parsed document as ``unit``'s programme: items, events, library entries, version 1.
    ``import_key`` names the upload it came from, so the same preview is never saved twice."""
    program = Program(
        unit=unit,
        derived_from=derived_from,
        created_by=audit.user_of(actor),
        source_format=source_format,
        import_key=import_key[:200],
    )
    for name, value in _program_fields(parsed).items():
        setattr(program, name, value)
    if source is not None:
        data, filename = source
        program.source_file.save(filename, ContentFile(data), save=False)
    program.save()
    audit.record(actor, AuditAction.CREATE, program)
    items = _items_from(program, parsed.sections)
    _record_items(actor, items)
    _store_events(program, parsed.events, actor)
    link_library(program, actor)
    _snapshot(actor, program, note=_("First version"))
    return program


def _record_items(actor: Any, items: Iterable[Item]) -> None:
    audit.record_many(actor, AuditAction.CREATE, list(items))


def _store_events(program: Program, events: list[ParsedEvent], actor: Any = None) -> None:
    """The programme's dated events, replaced by those of its (new) text; both sides audited."""
    old = list(Event.objects.filter(program=program))
    audit.record_many(actor, AuditAction.DELETE, old)
    Event.objects.filter(pk__in=[event.pk for event in old]).delete()
    created = Event.objects.bulk_create(
        Event(
            program=program,
            name=event.name[:300],
            date=event.date,
            origin_date=event.origin_date,
            anniversary=event.anniversary,
            lunar=event.lunar,
            lunar_day=event.lunar_day,
            lunar_month=event.lunar_month,
        )
        for event in events
    )
    audit.record_many(actor, AuditAction.CREATE, created)


def link_library(program: Program, actor: Any = None) -> None:
    """Every document the programme cites becomes (or joins) an entry of its unit's library,
    with a citation per item that mentions it (or the programme itself, for its preamble)."""
    Citation.objects.filter(program=program).delete()
    places: list[tuple[Item | None, str]] = [(None, "\n".join([program.title, program.preamble, program.closing]))]
    places += [(item, f"{item.title}\n{item.text}") for item in program.items.all()]
    # A document already in the library of this unit or of a unit above it is cited there (the
    # nearest wins), so a province's library is not copied into every commune's.
    existing: dict[str, Directive] = {}
    nearby = Directive.objects.filter(unit__path__in=[program.unit.path, *program.unit.ancestor_paths()])
    for entry in nearby.select_related("unit").order_by("unit__path"):
        existing[entry.code_key] = entry  # deeper paths come later and win
    citations: list[Citation] = []
    for item, text in places:
        for ref in find_references(text, exclude=program.number or None):
            key = code_key(ref.code)
            directive = existing.get(key)
            if directive is None:
                directive = Directive.objects.create(
                    unit=program.unit,
                    code=ref.code,
                    code_key=key,
                    type=ref.type,
                    date=ref.date,
                    issuer=ref.issuer or "",
                    title=ref.title or "",
                )
                audit.record(actor, AuditAction.CREATE, directive)
                existing[key] = directive
            elif directive.unit_id == program.unit_id:  # an upper unit's entry is left as it is
                before = audit.snapshot(directive)
                for name in ("date", "issuer", "title"):
                    if not getattr(directive, name) and getattr(ref, name):
                        setattr(directive, name, getattr(ref, name))
                if audit.diff(before, audit.snapshot(directive)):
                    directive.save()
                    audit.record(actor, AuditAction.UPDATE, directive, before=before)
            citations.append(Citation(directive=directive, program=program, item=item, mentions=ref.mentions))
    Citation.objects.bulk_create(citations)


UPLOADS = "programs/uploads"


def clean_stale_uploads(max_age: dt.timedelta = dt.timedelta(hours=24)) -> int:
    """Delete documents uploaded for a preview that was never saved (older than ``max_age``)."""
    from django.core.files.storage import default_storage

    removed = 0
    try:
        folders, _files = default_storage.listdir(UPLOADS)
    except (FileNotFoundError, NotImplementedError):
        return 0
    limit = timezone.now() - max_age
    for folder in folders:
        _sub, files = default_storage.listdir(f"{UPLOADS}/{folder}")
        for name in files:
            path = f"{UPLOADS}/{folder}/{name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
    return removed


# --- Back to a document (export, snapshots, comparing versions) ----------------------------


def to_parsed(program: Program) -> ParsedDocument:
    items = list(program.items.order_by("position"))
    nodes: dict[int, Section] = {}
    roots: list[Section] = []
    for item in items:
        section = Section(number=item.number, title=item.title, text=item.text)
        nodes[item.pk] = section
        if item.parent_id and item.parent_id in nodes:
            nodes[item.parent_id].children.append(section)
        else:
            roots.append(section)
    signatory = None
    if program.signatory:
        signatory = Signatory(
            name=program.signatory.get("name", ""),
            title=program.signatory.get("title", ""),
            on_behalf_of=program.signatory.get("on_behalf_of"),
            signing_for=program.signatory.get("signing_for"),
        )
    return ParsedDocument(
        kind=program.kind,
        title=program.title,
        issuer=program.issuer,
        place=program.place or None,
        date=program.date,
        year=program.year,
        number=program.number or None,
        theme=program.theme or None,
        preamble=program.preamble,
        key_tasks=list(program.key_tasks),
        sections=roots,
        recipients=list(program.recipients),
        signatory=signatory,
        closing=program.closing,
    )


def outline(snapshot: dict[str, Any]) -> list[str]:
    """A programme snapshot as lines of text, for comparing two versions."""
    lines = [f"{snapshot.get('title', '')}"]
    if snapshot.get("theme"):
        lines.append(_("Theme: %(theme)s") % {"theme": snapshot["theme"]})

    def walk(sections: list[dict[str, Any]], depth: int) -> None:
        for section in sections:
            lines.append(f"{'  ' * depth}{section['number']} {section['title']}")
            for paragraph in (section.get("text") or "").split("\n\n"):
                if paragraph.strip():
                    lines.append(f"{'  ' * (depth + 1)}{paragraph}")
            walk(section.get("children", []), depth + 1)

    walk(snapshot.get("sections", []), 0)
    return lines


def _snapshot(actor: Any, program: Program, note: str) -> Revision:
    return Revision.objects.create(
        program=program,
        version=program.version,
        note=note[:300],
        snapshot=to_parsed(program).to_json(),
        created_by=audit.user_of(actor),
    )


def compare(older: Revision, newer: Revision) -> list[tuple[str, str]]:
    """(tag, line) pairs: tag is "+" (added in ``newer``), "-" (removed) or " " (unchanged)."""
    diff = difflib.ndiff(outline(older.snapshot), outline(newer.snapshot))
    return [(line[0], line[2:]) for line in diff if line[:1] in "+- "]


@transaction.atomic
def revise_program(actor: Any, program: Program, parsed: ParsedDocument, note: str) -> Program:
    """A new version (điều chỉnh, bổ sung) from a corrected or re-issued document.

    Items are matched to the old ones so their assignments, progress and the links from lower
    units' programmes survive: first by number and title (accent- and tone-insensitively, in
    document order, so repeated "1. Nội dung" under several sections pair up in turn), then by
    title alone (a section renumbered). Items no longer in the document are removed with their
    assignments, each removal in the audit log. Header fields the new text does not state (a
    pasted body without its header) keep their values.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = audit.snapshot(program)
    for name, value in _program_fields(parsed).items():
        if value in ("", None, []) and name not in ("key_tasks", "theme", "preamble", "closing"):
            continue
        if name == "title" and not parsed.title:
            continue
        setattr(program, name, value)
    program.version += 1
    program.save()
    audit.record(actor, AuditAction.UPDATE, program, before=before)

    by_key: dict[tuple[str, str], list[Item]] = defaultdict(list)
    by_title: dict[str, list[Item]] = defaultdict(list)
    for old_item in program.items.order_by("position"):
        by_key[(old_item.number, fold(old_item.title))].append(old_item)
        by_title[fold(old_item.title)].append(old_item)
    kept: set[int] = set()
    position = 0

    def take(candidates: list[Item]) -> Item | None:
        while candidates:
            candidate = candidates.pop(0)
            if candidate.pk not in kept:
                return candidate
        return None

    def place(section: Section, parent: Item | None, depth: int) -> None:
        nonlocal position
        position += 1
        number, key = section.number[:40], fold(section.title)
        item = take(by_key.get((number, key), [])) or take(by_title.get(key, []))
        if item is None:
            item = Item(program=program, number=number, title=section.title)
            item.parent, item.position, item.depth, item.text = parent, position, depth, section.text
            item.save()
            audit.record(actor, AuditAction.CREATE, item)
        else:
            item_before = audit.snapshot(item)
            item.number, item.title = number, section.title
            item.parent, item.position, item.depth, item.text = parent, position, depth, section.text
            item.save()
            if audit.diff(item_before, audit.snapshot(item)):
                audit.record(actor, AuditAction.UPDATE, item, before=item_before)
        kept.add(item.pk)
        for child in section.children:
            place(child, item, depth + 1)

    for section in parsed.sections:
        place(section, None, 0)
    gone = list(program.items.exclude(pk__in=kept))
    doomed = list(Assignment.objects.filter(item__in=gone))
    audit.record_many(actor, AuditAction.DELETE, doomed)
    audit.record_many(actor, AuditAction.DELETE, gone)
    # Children first is not needed: parents and children leave together in one statement.
    Item.objects.filter(pk__in=[item.pk for item in gone]).delete()
    _store_events(program, parsed.events, actor)
    link_library(program, actor)
    _snapshot(actor, program, note=note or _("Revised"))
    return program


@transaction.atomic
def edit_item(actor: Any, item: Item, title: str, text: str, number: str | None = None) -> Item:
    before = audit.snapshot(item)
    item.title, item.text = title, text
    if number is not None:
        item.number = number[:40]
    item.save()
    if audit.diff(before, audit.snapshot(item)):
        audit.record(actor, AuditAction.UPDATE, item, before=before)
        _new_version(actor, item.program, _("Edited item %(item)s") % {"item": str(item)[:200]})
    return item


def _new_version(actor: Any, program: Program, note: str) -> None:
    """A hand edit is a version too: the versions page shows and compares it."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = audit.snapshot(program)
    program.version += 1
    program.save(update_fields=["version", "updated_at"])
    audit.record(actor, AuditAction.UPDATE, program, before=before)
    _snapshot(actor, program, note)


@transaction.atomic
def add_item(actor: Any, program: Program, parent: Item | None, number: str, title: str, text: str = "") -> Item:
    """A unit's own item, after the last descendant of ``parent`` (or at the end)."""
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one add at a time: positions stay unique
    siblings = program.items.filter(parent=parent)
    last = program.items.order_by("-position").first()
    if parent is not None:
        descendants = [parent.pk]
        for candidate in program.items.filter(position__gt=parent.position).order_by("position"):
            if candidate.parent_id in descendants:
                descendants.append(candidate.pk)
            else:
                break
        last = program.items.filter(pk__in=descendants).order_by("-position").first()
    position = (last.position if last else 0) + 1
    program.items.filter(position__gte=position).update(position=F("position") + 1)
    item = Item.objects.create(
        program=program,
        parent=parent,
        position=position,
        depth=(parent.depth + 1) if parent else 0,
        number=number[:40] or str(siblings.count() + 1),
        title=title,
        text=text,
    )
    audit.record(actor, AuditAction.CREATE, item)
    _new_version(actor, program, _("Added item %(item)s") % {"item": str(item)[:200]})
    return item


# --- Cascade -----------------------------------------------------------------------------


@transaction.atomic
def derive_program(
    actor: Any,
    upper: Program,
    unit: Unit,
    item_ids: Iterable[int],
    title: str | None = None,
) -> Program:
    """``unit`` starts its own programme from ``upper``: the chosen items (with the sections above
    them, so the numbering still reads), each linked to the upper item it comes from."""
    chosen = set(item_ids)
    items = list(upper.items.order_by("position"))
    by_pk = {item.pk: item for item in items}
    # A ticked section brings its sub-items (items come in document order: parents first).
    for each in items:
        if each.parent_id in chosen:
            chosen.add(each.pk)
    wanted: set[int] = set()
    for pk in chosen:
        node = by_pk.get(pk)
        while node is not None:
            wanted.add(node.pk)
            node = by_pk.get(node.parent_id) if node.parent_id else None
    program = Program.objects.create(
        unit=unit,
        kind=upper.kind,
        title=title or upper.title,
        year=upper.year,
        theme=upper.theme,
        key_tasks=list(upper.key_tasks),
        derived_from=upper,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, program)
    copies: dict[int, Item] = {}
    position = 0
    for item in items:
        if item.pk not in wanted:
            continue
        position += 1
        copy = Item.objects.create(
            program=program,
            parent=copies.get(item.parent_id) if item.parent_id else None,
            position=position,
            depth=item.depth,
            number=item.number,
            title=item.title,
            text=item.text,
            upper_item=item,
        )
        copies[item.pk] = copy
    _record_items(actor, copies.values())
    link_library(program, actor)
    _snapshot(actor, program, note=_("Built from %(upper)s") % {"upper": upper.title[:200]})
    return program


@dataclass
class Uptake:
    """For each item of an upper programme, which of the units below have taken it up."""

    units: list[Unit]
    taken: dict[int, set[int]] = field(default_factory=dict)  # item pk -> unit pks

    def count(self, item: Item) -> int:
        return len(self.taken.get(item.pk, set()))

    def missing(self, item: Item) -> list[Unit]:
        taken = self.taken.get(item.pk, set())
        return [unit for unit in self.units if unit.pk not in taken]


def uptake(program: Program) -> Uptake:
    """Two queries whatever the size: the units directly below, and the derived items by unit."""
    # The units expected to build their own programme: the committees, village boards and member
    # organisations directly below (not the office, departments or advisory councils).
    expected = [UnitKind.COMMITTEE, UnitKind.VILLAGE_BOARD, UnitKind.MEMBER_ORGANIZATION]
    units = list(
        Unit.objects.filter(parent=program.unit, kind__in=expected)
        .active_on(timezone.localdate())
        .order_by("level", "name")
    )
    result = Uptake(units=units)
    rows = Item.objects.filter(upper_item__program=program, program__unit__in=units).values_list(
        "upper_item_id", "program__unit_id"
    )
    for upper_id, unit_id in rows:
        result.taken.setdefault(upper_id, set()).add(unit_id)
    return result


# --- Assign, update ----------------------------------------------------------------------


class AssignmentError(ValueError):
    pass


@transaction.atomic
def assign(
    actor: Any,
    item: Item,
    lead: Unit,
    supports: Iterable[Unit] = (),
    due_date: dt.date | None = None,
    recurrence: str = "",
) -> list[Assignment]:
    """Give ``item`` to ``lead`` (chủ trì) and ``supports`` (phối hợp). Units must lie within the
    programme's unit; an existing assignment of the same unit is updated, not duplicated."""
    root = item.program.unit
    created: list[Assignment] = []
    seen: set[int] = set()
    for unit, role in [(lead, Role.LEAD), *((u, Role.SUPPORT) for u in supports)]:
        if unit.pk in seen:
            continue
        seen.add(unit.pk)
        if not (unit.path or "").startswith(root.path or "\x00"):
            raise AssignmentError(_("%(unit)s is not under %(root)s.") % {"unit": unit.name, "root": root.name})
        assignment, new = Assignment.objects.get_or_create(
            item=item,
            unit=unit,
            defaults={
                "program": item.program,
                "role": role,
                "due_date": due_date,
                "recurrence": recurrence,
                "created_by": audit.user_of(actor),
            },
        )
        if new:
            audit.record(actor, AuditAction.CREATE, assignment)
        else:
            # Re-assigning changes the role; the due date and recurrence only when given, so
            # adding a supporting unit later never erases the lead's due date.
            before = audit.snapshot(assignment)
            assignment.role = role
            if due_date is not None:
                assignment.due_date, assignment.recurrence = due_date, recurrence
            assignment.save()
            if audit.diff(before, audit.snapshot(assignment)):
                audit.record(actor, AuditAction.UPDATE, assignment, before=before)
        created.append(assignment)
    # One lead: the newest lead wins, earlier leads become support.
    for former in Assignment.objects.filter(item=item, role=Role.LEAD).exclude(unit=lead):
        before = audit.snapshot(former)
        former.role = Role.SUPPORT
        former.save(update_fields=["role"])
        audit.record(actor, AuditAction.UPDATE, former, before=before)
    return created


@transaction.atomic
def post_update(actor: Any, assignment: Assignment, text: str, progress: int, attachment: Any = None) -> ProgressUpdate:
    """A progress update: the assignment's status follows (0 % not started, 100 % done)."""
    assignment = Assignment.objects.select_for_update().select_related("item__program").get(pk=assignment.pk)
    update = ProgressUpdate(assignment=assignment, author=audit.user_of(actor), text=text, progress=progress)
    if attachment is not None:
        update.attachment = attachment
    update.save()
    audit.record(actor, AuditAction.CREATE, update)
    before = audit.snapshot(assignment)
    assignment.progress = progress
    assignment.last_update_at = update.created_at
    if progress >= 100:
        assignment.status = Status.DONE
        if assignment.recurrence and assignment.due_date:
            # A recurring task is done for this period: the next period starts, within the
            # programme's year (a monthly report of the 2022 programme ends in December 2022).
            following = next_due(assignment.due_date, assignment.recurrence)
            year = assignment.item.program.year
            if year is None or following.year <= year:
                assignment.due_date = following
                assignment.status, assignment.progress = Status.NOT_STARTED, 0
    elif progress > 0:
        assignment.status = Status.IN_PROGRESS
    else:
        assignment.status = Status.NOT_STARTED
    assignment.save()
    audit.record(actor, AuditAction.UPDATE, assignment, before=before)
    return update


def next_due(due: dt.date, recurrence: str) -> dt.date:
    """The due date one period later; a due date at a month's end stays at months' ends
    (31/01 → 28/02 → 31/03), so a monthly report due "the last day" never drifts."""
    months = 1 if recurrence == "monthly" else 3
    month = due.month - 1 + months
    year = due.year + month // 12
    month = month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    at_month_end = due.day == calendar.monthrange(due.year, due.month)[1]
    return dt.date(year, month, last if at_month_end else min(due.day, last))


def item_status(assignments: Sequence[Assignment], today: dt.date) -> str:
    """An item's status: its lead's (or the slowest assignment's when there is no lead)."""
    if not assignments:
        return Status.NOT_STARTED
    leads = [a for a in assignments if a.role == Role.LEAD] or assignments
    order: list[str] = [Status.LATE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE]
    return min((a.effective_status(today) for a in leads), key=order.index)


# --- Board and my tasks ------------------------------------------------------------------

BOARD_ORDER = [Status.LATE, Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE]


def late_q(today: dt.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status=Status.DONE)


def with_status_order(queryset: QuerySet[Assignment], today: dt.date) -> QuerySet[Assignment]:
    """Overdue first, then not started, in progress, done; by due date within each."""
    return queryset.annotate(
        board_rank=Case(
            When(late_q(today), then=Value(0)),
            When(status=Status.NOT_STARTED, then=Value(1)),
            When(status=Status.IN_PROGRESS, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("board_rank", "due_date", "pk")


def status_counts(queryset: QuerySet[Assignment], today: dt.date) -> dict[str, int]:
    """One query: how many assignments in each board column."""
    counts = queryset.aggregate(
        late=Count("pk", filter=late_q(today)),
        not_started=Count("pk", filter=Q(status=Status.NOT_STARTED) & ~late_q(today)),
        in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS) & ~late_q(today)),
        done=Count("pk", filter=Q(status=Status.DONE)),
    )
    return {str(key): int(value or 0) for key, value in counts.items()}


def filter_status(queryset: QuerySet[Assignment], status: str, today: dt.date) -> QuerySet[Assignment]:
    if status == Status.LATE:
        return queryset.filter(late_q(today))
    if status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        return queryset.filter(status=status).exclude(late_q(today))
    if status == Status.DONE:
        return queryset.filter(status=Status.DONE)
    return queryset


# --- Reminders ---------------------------------------------------------------------------


def send_reminder(
    actor: Any, assignment: Assignment, kind: str = ReminderKind.MANUAL, message: str = "", *, email_later: bool = False
) -> Reminder | None:
    """Chase the unit responsible for ``assignment``. Automatic reminders are sent once per due
    date and kind (a second run of the job sends nothing); manual ones every time."""
    item = assignment.item
    # Stored and e-mailed in the platform's language, whatever the sender's interface language.
    with translation.override(settings.LANGUAGE_CODE):
        return _send_reminder(actor, assignment, item, kind, message, email_later)


def email_reminder_now(reminder: Reminder) -> list[str]:
    """E-mail a reminder to the officers of the unit it chases (where e-mail is configured)."""
    emails = account_services.unit_emails(reminder.assignment.unit)
    if emails:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[Đoàn Kết] Reminder: %(program)s") % {"program": reminder.assignment.program.title[:120]}
        send_mail(subject=subject, message=reminder.message, from_email=None, recipient_list=emails)
        reminder.emailed_to = emails
        reminder.save(update_fields=["emailed_to"])
    return emails


def _send_reminder(
    actor: Any, assignment: Assignment, item: Item, kind: str, message: str, email_later: bool
) -> Reminder | None:
    if not message:
        due = assignment.due_date.strftime("%d/%m/%Y") if assignment.due_date else "—"
        templates = {
            ReminderKind.BEFORE_DUE: _("Due on %(due)s: %(item)s"),
            ReminderKind.OVERDUE: _("Overdue since %(due)s: %(item)s"),
            ReminderKind.MANUAL: _("Please report progress on: %(item)s (due %(due)s)"),
        }
        message = templates[ReminderKind(kind)] % {"due": due, "item": str(item)[:200]}
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                assignment=assignment,
                kind=kind,
                due_date=assignment.due_date if kind != ReminderKind.MANUAL else None,
                message=message,
                sent_by=audit.user_of(actor),
            )
            audit.record(actor, AuditAction.CREATE, reminder)
    except IntegrityError:
        return None  # this automatic reminder was already sent
    if email_later:
        # From a page: the officer does not wait for the mail server; the worker sends it.
        from doanket.programs.tasks import email_reminder

        transaction.on_commit(lambda: email_reminder.enqueue(reminder.pk))
    else:
        try:
            email_reminder_now(reminder)
        except OSError:
            logger.exception("reminder e-mail could not be sent")
    return reminder


def send_due_reminders(today: dt.date | None = None, days_before: int = 3) -> int:
    """The scheduled job: remind units of what falls due within ``days_before`` days and of what
    is overdue. Safe to run as often as wanted."""
    today = today or timezone.localdate()
    sent = 0
    soon = Assignment.objects.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days_before)).exclude(
        status=Status.DONE
    )
    late = Assignment.objects.filter(late_q(today))
    for kind, queryset in ((ReminderKind.BEFORE_DUE, soon), (ReminderKind.OVERDUE, late)):
        already = set(
            Reminder.objects.filter(kind=kind, assignment__in=queryset).values_list("assignment_id", "due_date")
        )
        for assignment in queryset.select_related("item__program", "unit"):
            if (assignment.pk, assignment.due_date) in already:
                continue
            if send_reminder(None, assignment, kind):
                sent += 1
    return sent


def reminders_by_assignment(assignments: list[Assignment]) -> dict[int, list[Reminder]]:
    found: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.filter(assignment__in=assignments).order_by("-sent_at"):
        found[reminder.assignment_id].append(reminder)
    return found
