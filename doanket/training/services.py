"""Courses, their attendees and materials, each person's training history and the communes whose
staff were not trained in a term: plain functions the views, the demo and the tests share; every
write checked by :func:`require_edit` and audited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from doanket.accounts import authz
from doanket.accounts.authz import Perm, require_edit
from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import fold, nfc
from doanket.organizations.models import (
    Level,
    Person,
    PersonQuerySet,
    Position,
    PositionKind,
    Term,
    Unit,
    UnitKind,
    path_ancestors,
)
from doanket.training.models import Attendance, Course, Material


class TrainingError(Exception):
    """A refusal with a message for the officer; ``problems`` lists each wrong line of an import."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


# Who counts as a commune's staff (cán bộ) and as a village board head, by their position.
STAFF_KINDS = (
    PositionKind.CHAIR,
    PositionKind.VICE_CHAIR,
    PositionKind.STANDING_COMMITTEE,
    PositionKind.FULL_TIME_STAFF,
    PositionKind.PART_TIME_STAFF,
)
HEAD_KINDS = (PositionKind.BOARD_HEAD,)
FAR = dt.date(9999, 12, 31)


# --- Courses ----------------------------------------------------------------------------------


COURSE_FIELDS = (
    "topic", "trainers", "start_date", "end_date", "place", "for_staff", "for_village_heads", "for_committee", "notes",
)  # fmt: skip


def _check_course(unit: Unit, fields: dict[str, Any]) -> dict[str, Any]:
    """The course's fields in NFC, or :class:`TrainingError` naming what is wrong."""
    if unit.level == Level.VILLAGE:
        raise TrainingError(_("Courses are organised by a Front committee, not by a village board."))
    cleaned = {name: nfc(value) if isinstance(value, str) else value for name, value in fields.items()}
    if not (cleaned["topic"].strip() and cleaned["place"].strip() and cleaned["trainers"].strip()):
        raise TrainingError(_("Give the course's topic, its trainers and its place."))
    if cleaned["end_date"] < cleaned["start_date"]:
        raise TrainingError(_("The course ends before it begins."))
    if not (cleaned["for_staff"] or cleaned["for_village_heads"] or cleaned["for_committee"]):
        raise TrainingError(_("Say for whom the course is meant."))
    return cleaned


@transaction.atomic
def create_course(
    actor: Any,
    unit: Unit,
    *,
    topic: str,
    trainers: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str,
    for_staff: bool = True,
    for_village_heads: bool = False,
    for_committee: bool = False,
    notes: str = "",
) -> Course:
    require_edit(actor, unit)
    fields = _check_course(
        unit,
        {"topic": topic, "trainers": trainers, "start_date": start_date, "end_date": end_date, "place": place,
         "for_staff": for_staff, "for_village_heads": for_village_heads, "for_committee": for_committee,
         "notes": notes},
    )  # fmt: skip
    made = Course.objects.create(unit=unit, created_by=audit.user_of(actor), **fields)
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def edit_course(actor: Any, course: Course, **fields: Any) -> Course:
    """Correct a course's topic, trainers, dates, place, audience or notes (its organiser stays);
    recorded in the audit log when anything changed."""
    require_edit(actor, course.unit)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"cannot edit {sorted(unknown)}")
    cleaned = _check_course(course.unit, {name: fields.get(name, getattr(course, name)) for name in COURSE_FIELDS})
    before = audit.snapshot(course)
    for name, value in cleaned.items():
        setattr(course, name, value)
    after = audit.snapshot(course)
    if audit.diff(before, after):
        course.save()
        audit.record(actor, AuditAction.UPDATE, course, before=before, after=after)
    return course


def course_fields(course: Course) -> dict[str, Any]:
    """What :func:`edit_course` takes, as recorded (the edit form's initial values)."""
    return {name: getattr(course, name) for name in COURSE_FIELDS}


def courses_for(user: Any) -> QuerySet[Course]:
    """The courses of the user's units and of the units above them (a province's course trains
    the communes' staff, so the commune reads it)."""
    return Course.objects.filter(authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, "unit__path")).select_related(
        "unit"
    )


def attendees_shown(user: Any, course: Course) -> QuerySet[Attendance]:
    """The attendees of ``course`` the user may see: all of them within the user's scope; a
    commune reading the province's course sees only its own people."""
    q = authz.own_or_assigned_q(user, course.unit, Perm.VIEW_PEOPLE, "person__unit__path")
    return course.attendances.filter(q).select_related("person__unit").order_by("person__name_key", "pk")


def candidates(course: Course) -> PersonQuerySet:
    """Who may attend: the people managed by the organising unit or a unit below it."""
    return cast(
        PersonQuerySet, Person.objects.filter(unit__path__startswith=course.unit.path or "").select_related("unit")
    )


# --- Attendees --------------------------------------------------------------------------------


def _attend(actor: Any, course: Course, rows: list[tuple[Person, str, str]]) -> int:
    """Add each (person, result, certificate) not already attending; one audit entry each."""
    have = set(course.attendances.values_list("person_id", flat=True))
    made = [
        Attendance(course=course, person=person, result=result, certificate=certificate,
                   created_by=audit.user_of(actor))
        for person, result, certificate in rows
        if person.pk not in have
    ]  # fmt: skip
    for a in made:
        a.result, a.certificate = nfc(a.result).strip(), nfc(a.certificate).strip()
    Attendance.objects.bulk_create(made)
    saved = list(course.attendances.filter(person_id__in=[a.person_id for a in made]).select_related("course__unit"))
    audit.record_all(audit.entry(actor, AuditAction.CREATE, a) for a in saved)
    return len(saved)


@transaction.atomic
def add_attendees(actor: Any, course: Course, people: Iterable[Person]) -> int:
    """Add the people picked on the course's page; returns how many were added (those already on
    the list are left as they are)."""
    require_edit(actor, course.unit)
    chosen = list(people)
    outside = [p for p in chosen if not p.unit.is_within(course.unit)]
    if outside:
        raise TrainingError(
            _("%(names)s are not managed by %(unit)s or a unit below it.")
            % {"names": ", ".join(p.full_name for p in outside), "unit": course.unit.name}
        )
    return _attend(actor, course, [(p, "", "") for p in chosen])


@transaction.atomic
def record_result(
    actor: Any, attendance: Attendance, *, completed: bool, result: str = "", certificate: str = ""
) -> None:
    require_edit(actor, attendance.course.unit)
    before = audit.snapshot(attendance)
    attendance.completed, attendance.result, attendance.certificate = completed, result, certificate
    attendance.save()
    audit.record(actor, AuditAction.UPDATE, attendance, before=before)


@transaction.atomic
def remove_attendee(actor: Any, attendance: Attendance) -> None:
    require_edit(actor, attendance.course.unit)
    audit.record(actor, AuditAction.DELETE, attendance)
    attendance.delete()


# The attendance sheet: one person a line, from line 2 (line 1 holds the headings).
SHEET_COLUMNS = ("Họ và tên", "Đơn vị", "Kết quả", "Số chứng chỉ")
MAX_SHEET_BYTES = 2 * 1024 * 1024
MAX_SHEET_LINES = 2000


def _cell(value: Any) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _rows(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    if len(data) > MAX_SHEET_BYTES:
        raise TrainingError(_("%(file)s is larger than 2 MB.") % {"file": filename})
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TrainingError(_("%(file)s is not an Excel workbook (.xlsx).") % {"file": filename}) from exc
    except Exception as exc:  # an untrusted file: any parser error means a damaged file
        raise TrainingError(
            _("%(file)s is damaged: open it in Excel, save it again and upload it.") % {"file": filename}
        ) from exc
    try:
        found = []
        for number, row in enumerate(
            book.worksheets[0].iter_rows(min_row=2, max_col=len(SHEET_COLUMNS), values_only=True), start=2
        ):
            cells = [_cell(v) for v in (list(row) + [None] * len(SHEET_COLUMNS))[: len(SHEET_COLUMNS)]]
            if any(cells):
                found.append((number, cells))
            if len(found) > MAX_SHEET_LINES:
                raise TrainingError(_("The sheet has more than %(n)s lines.") % {"n": MAX_SHEET_LINES})
        return found
    except TrainingError:
        raise
    except Exception as exc:  # as above
        raise TrainingError(
            _("%(file)s is damaged: open it in Excel, save it again and upload it.") % {"file": filename}
        ) from exc
    finally:
        book.close()


@transaction.atomic
def import_attendees(actor: Any, course: Course, data: bytes, filename: str) -> int:
    """Add the people listed in an XLSX sheet (full name, unit, result, certificate number), found
    by name (accents or not) among the people of the organising unit and below, the unit telling
    namesakes apart. One wrong line and nothing is added: every wrong line is named."""
    require_edit(actor, course.unit)
    rows = _rows(data, filename)
    if not rows:
        raise TrainingError(_("%(file)s lists nobody.") % {"file": filename})
    keys = {fold(cells[0]) for _n, cells in rows if cells[0]}
    by_name: dict[str, list[Person]] = {}
    for person in candidates(course).filter(name_key__in=keys):
        by_name.setdefault(person.name_key, []).append(person)
    problems: list[str] = []
    chosen: list[tuple[Person, str, str]] = []
    seen: dict[int, int] = {}
    for number, (name, unit_name, result, certificate) in rows:
        where = {"row": number, "name": name, "unit": unit_name}
        if not name:
            problems.append(_("Line %(row)s: the full name is missing.") % where)
            continue
        found = by_name.get(fold(name), [])
        if unit_name:
            wanted = fold(unit_name)
            found = [p for p in found if wanted in fold(p.unit.name)]
        if not found:
            if unit_name:
                problems.append(_("Line %(row)s: nobody named “%(name)s” in “%(unit)s”.") % where)
            else:
                problems.append(
                    _("Line %(row)s: nobody named “%(name)s” in %(course_unit)s or below.")
                    % {**where, "course_unit": course.unit.name}
                )
            continue
        if len(found) > 1:
            problems.append(_("Line %(row)s: several people are named “%(name)s”: write their unit.") % where)
            continue
        person = found[0]
        if person.pk in seen:
            problems.append(
                _("Line %(row)s: “%(name)s” is already on line %(first)s.") % {**where, "first": seen[person.pk]}
            )
            continue
        seen[person.pk] = number
        if len(result) > 100 or len(certificate) > 100:
            problems.append(_("Line %(row)s: the result or the certificate number is too long.") % where)
            continue
        chosen.append((person, result, certificate))
    if problems:
        raise TrainingError(_("Nobody was added: correct the sheet and upload it again."), problems)
    return _attend(actor, course, chosen)


# --- Materials --------------------------------------------------------------------------------


@transaction.atomic
def add_material(actor: Any, course: Course, upload: UploadedFile) -> Material:
    """Keep a document of the course (a PDF, or a photo of a printed one)."""
    require_edit(actor, course.unit)
    try:
        name, content_type, extension = uploads.evidence(upload)
    except uploads.Refused as exc:
        raise TrainingError(str(exc)) from exc
    material = Material(
        course=course, name=name, content_type=content_type, size=upload.size or 0, uploaded_by=audit.user_of(actor)
    )
    material.file.save(f"tai-lieu{extension}", upload, save=False)
    material.save()
    audit.record(actor, AuditAction.CREATE, material)
    return material


# --- A person's history -----------------------------------------------------------------------


def history(person: Person) -> QuerySet[Attendance]:
    return person.trainings.select_related("course__unit").order_by("-course__start_date", "-pk")


def history_of(person: Person) -> list[dict[str, Any]]:
    """The courses ``person`` attended (for the export of their data)."""
    return [
        {
            "course": a.course.topic,
            "organised_by": str(a.course.unit.name),
            "from": a.course.start_date.isoformat(),
            "until": a.course.end_date.isoformat(),
            "completed": a.completed,
            "result": a.result,
            "certificate": a.certificate,
        }
        for a in history(person).order_by("course__start_date", "pk")
    ]


# --- Who was not trained this term ------------------------------------------------------------


@dataclass
class Period:
    start: dt.date
    end: dt.date
    term: Term | None = None


def province_of(unit: Unit) -> Unit | None:
    if unit.level == Level.PROVINCE:
        return unit
    return Unit.objects.filter(path__in=unit.ancestor_paths(), level=Level.PROVINCE).first()


def terms_of(unit: Unit) -> list[Term]:
    """The terms of office of the province ``unit`` is in (or of ``unit`` itself above it)."""
    owner = province_of(unit) or unit
    return list(Term.objects.filter(unit=owner).select_related("unit").order_by("-start_date"))


def current_term(terms: list[Term], today: dt.date) -> Term | None:
    """The term running on ``today``; else the latest that began; else None."""
    for term in terms:
        if term.start_date <= today and (term.end_date is None or term.end_date >= today):
            return term
    begun = [t for t in terms if t.start_date <= today]
    return begun[0] if begun else None


def period(term: Term | None, today: dt.date) -> Period:
    """The term's dates, or the current year when no term is recorded."""
    if term is None:
        return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    return Period(term.start_date, term.end_date or FAR, term)


@dataclass
class CommuneRow:
    commune: Unit
    staff: set[int] = field(default_factory=set)
    staff_untrained: set[int] = field(default_factory=set)
    heads: set[int] = field(default_factory=set)
    heads_untrained: set[int] = field(default_factory=set)

    @property
    def untrained(self) -> int:
        return len(self.staff_untrained) + len(self.heads_untrained)

    @property
    def recorded(self) -> int:
        return len(self.staff) + len(self.heads)


def _trained_q(start: dt.date, end: dt.date) -> Exists:
    return Exists(
        Attendance.objects.filter(
            person=OuterRef("person"), completed=True, course__start_date__gte=start, course__start_date__lte=end
        )
    )


def _positions(user: Any, top_path: str, when: Period) -> QuerySet[Position]:
    """The positions of commune staff and village board heads held during the period, in the
    user's scope below ``top_path``, each marked whether its holder completed a course in it."""
    return (
        Position.objects.filter(unit__path__startswith=top_path)
        .filter(authz.scope_q(user, Perm.VIEW_PEOPLE, "unit__path"))
        .filter(
            Q(unit__level=Level.COMMUNE, unit__kind=UnitKind.COMMITTEE, kind__in=STAFF_KINDS)
            | Q(unit__level=Level.VILLAGE, kind__in=HEAD_KINDS)
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=when.end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=when.start))
    )


def untrained(user: Any, top: Unit, when: Period) -> list[CommuneRow]:
    """Each commune below ``top`` (or ``top`` itself, a commune) in the user's scope, with its staff
    and village board heads and those of them not trained in the period. Two queries, whatever the
    number of communes."""
    communes = (
        Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.COMMITTEE, path__startswith=top.path or "")
        .filter(authz.scope_q(user, Perm.VIEW_PEOPLE))
        .order_by("path")
        .only("id", "name", "path", "level", "kind")
    )
    rows = {c.path or "": CommuneRow(c) for c in communes}
    held = (
        _positions(user, top.path or "", when)
        .annotate(trained=_trained_q(when.start, when.end))
        .values_list("person_id", "unit__path", "unit__level", "trained")
    )
    for person_id, path, level, trained in held:
        row = next((rows[p] for p in (path, *reversed(path_ancestors(path or ""))) if p in rows), None)
        if row is None:
            continue
        if level == Level.COMMUNE:
            row.staff.add(person_id)
            if not trained:
                row.staff_untrained.add(person_id)
        else:
            row.heads.add(person_id)
            if not trained:
                row.heads_untrained.add(person_id)
    return list(rows.values())


@dataclass
class Untrained:
    person: Person
    position: str
    unit: Unit


def untrained_in(user: Any, commune: Unit, when: Period) -> list[Untrained]:
    """The commune's staff and village board heads not trained in the period, by name."""
    found: dict[int, Untrained] = {}
    held = (
        _positions(user, commune.path or "", when)
        .filter(~_trained_q(when.start, when.end))
        .select_related("person__unit", "unit")
        .order_by("unit__path", "person__name_key", "pk")
    )
    for position in held:
        found.setdefault(
            position.person_id,
            Untrained(position.person, position.title or str(position.get_kind_display()), position.unit),
        )
    return list(found.values())


def today() -> dt.date:
    return timezone.localdate()
