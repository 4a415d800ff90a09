"""The life of a petition: received (portal or staff), routed to the Front committee of the level
it concerns, classified, assigned, merged with its duplicates, forwarded to the competent agency or
passed to another level, answered, published; the citizen told at each public step they asked for.

Every write is one transaction with its audit entry; the sender's identity never enters the audit
log's values, and reading a protected sender's identity is allowed to the assigned officer alone
and logged (``identity``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts import services as account_services
from doanket.accounts.authz import Perm
from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.organizations.models import Unit, UnitKind
from doanket.petitions.models import (
    DEFAULT_DAYS,
    HANDLING_LEVELS,
    IDENTITY_FIELDS,
    OPEN_STATUSES,
    Action,
    Agency,
    Attachment,
    Channel,
    Consent,
    Event,
    IdentityReading,
    Kind,
    KindRule,
    MeetingKind,
    Petition,
    Reception,
    Status,
    Topic,
    Urgency,
    VoterMeeting,
)

logger = logging.getLogger(__name__)


class PetitionError(ValueError):
    """A step the petition's state does not allow; the message says why, in the user's words."""


# --- Tracking codes ----------------------------------------------------------------------------

# No 0/O, 1/I/L or U: a code is read aloud on the phone and typed from a receipt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 30**12 ≈ 5·10^17 codes (59 bits), drawn by ``secrets``: not guessable, not enumerable


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"PA-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    """What a citizen typed ("pa 7k2m-…", spaces, dashes, lower case) as the stored form, or ""."""
    raw = re.sub(r"[^0-9A-Z]", "", text.upper())
    raw = raw.removeprefix("PA")
    if len(raw) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return ""
    return f"PA-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _insert_with_new_code(petition: Petition) -> None:
    """Insert ``petition`` under a fresh code. A code drawn twice (one chance in about 10^11 at a
    million petitions) is refused by the unique index and drawn again: no look-up beforehand."""
    while True:
        petition.code = new_code()
        try:
            with transaction.atomic():
                petition.save(force_insert=True)
            return
        except IntegrityError:
            if Petition.objects.filter(code=petition.code).exists():
                continue
            raise


# --- Routing -----------------------------------------------------------------------------------


def committee_for(place: Unit, level: str) -> Unit:
    """The Front committee of ``level`` over ``place`` (the commune's committee for a village)."""
    if level not in HANDLING_LEVELS:
        raise PetitionError(_("A petition is handled by a commune, province or central committee."))
    if place.level == level and place.kind == UnitKind.COMMITTEE:
        return place  # the deepest committee of that level over a committee is itself
    found = (
        Unit.objects.filter(path__in=place.lineage_paths(), level=level, kind=UnitKind.COMMITTEE)
        .order_by("-depth")
        .first()
    )
    if found is None:
        raise PetitionError(_("No Front committee of that level covers this place."))
    return found


def due_date_for(kind: str, received: dt.date) -> dt.date:
    rule = KindRule.objects.filter(kind=kind).values_list("days", flat=True).first()
    return received + dt.timedelta(days=rule if rule is not None else DEFAULT_DAYS[Kind(kind)])


# --- Audit without the identity ----------------------------------------------------------------


def _masked(obj: Any, identity: Iterable[str], exclude: Iterable[str] = ()) -> audit.Snapshot:
    """The audited state with the identity fields replaced by whether they are filled (the log
    says that a person's details changed, never what they are)."""
    identity = tuple(identity)
    values = audit.snapshot(obj, exclude=(*identity, *exclude))
    for name in identity:
        values[name] = "•••" if getattr(obj, name) else ""
    return values


def _snapshot(petition: Petition) -> audit.Snapshot:
    return _masked(petition, IDENTITY_FIELDS, exclude=("search_key", "public_key"))


def _event(actor: Any, petition: Petition, action: str, note: str = "", **links: Any) -> Event:
    event = Event.objects.create(
        petition=petition, at=timezone.now(), action=action, actor=audit.user_of(actor), note=nfc_lines(note), **links
    )
    audit.record(actor, AuditAction.CREATE, event)
    _notify(petition, event)
    return event


def _notify(petition: Petition, event: Event) -> None:
    """Tell the citizen of a public step, once the transaction has landed."""
    if event.public and (petition.notify_email or petition.notify_sms):
        from doanket.petitions import tasks

        event_id = event.pk
        transaction.on_commit(lambda: tasks.notify_citizen.enqueue(event_id))


def _save(actor: Any, petition: Petition, before: audit.Snapshot) -> Petition:
    petition.save()
    after = _snapshot(petition)
    if after != before:
        audit.record(actor, AuditAction.UPDATE, petition, before, after)
    return petition


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update(of=("self",)).select_related("unit").get(pk=petition.pk)


# --- In ---------------------------------------------------------------------------------------

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The real type and extension of an upload (PDF, JPEG, PNG), or a PetitionError naming it."""
    name = upload.name or "?"
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise PetitionError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    kind = uploads.sniff(upload)
    if kind is not None:
        return kind
    raise PetitionError(_("%(name)s is not a photo (JPEG, PNG) or a PDF document.") % {"name": name})


@dataclass
class Sender:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    show_name: bool = False
    notify_email: bool = False
    notify_sms: bool = False


PHONE = re.compile(r"^\+?[0-9 .-]{8,15}$")


def clean_phone(text: str) -> str:
    """A Vietnamese phone number as digits (+84 written 0), or "" when none was given."""
    text = text.strip()
    if not text:
        return ""
    if not PHONE.match(text):
        raise PetitionError(_("The phone number should have 9 to 11 digits."))
    digits = re.sub(r"\D", "", text)
    if digits.startswith("84") and text.startswith("+"):
        digits = "0" + digits[2:]
    if not 9 <= len(digits) <= 11:
        raise PetitionError(_("The phone number should have 9 to 11 digits."))
    return digits


def receive(
    actor: Any,
    *,
    place: Unit,
    level: str,
    channel: str,
    title: str,
    content: str,
    sender: Sender,
    kind: str = Kind.PETITION,
    topic: Topic | None = None,
    urgency: str = Urgency.NORMAL,
    received_at: dt.datetime | None = None,
    files: Iterable[UploadedFile] = (),
    unit: Unit | None = None,
    meeting: VoterMeeting | None = None,
    consent: str = "",
) -> Petition:
    """Record a petition where it lands: the committee of ``level`` over ``place`` (or ``unit``,
    when an officer enters what arrived at their own committee). Files are checked first: nothing
    is stored unless everything is right. Everything read is read before the writes begin, so the
    write transaction (on SQLite, the database's one write lock) lasts only for the writes.
    ``consent``: the version of the consent text the sender agreed to (the portal), recorded with it."""
    files = list(files)
    if len(files) > MAX_FILES:
        raise PetitionError(_("At most %(n)s files can be attached.") % {"n": MAX_FILES})
    kinds = [check_upload(f) for f in files]
    title, content = nfc(title), nfc_lines(content)
    if not title or not content:
        raise PetitionError(_("Write the subject and the content of the petition."))
    if sender.notify_email and not sender.email:
        raise PetitionError(_("Give an e-mail address to be told by e-mail."))
    phone = clean_phone(sender.phone)
    if sender.notify_sms and not phone:
        raise PetitionError(_("Give a phone number to be told by SMS."))
    unit = unit or committee_for(place, level)
    moment = received_at or timezone.now()
    petition = Petition(
        unit=unit,
        place=place,
        level=unit.level,
        channel=channel,
        kind=kind,
        topic=topic,
        urgency=urgency,
        title=title,
        content=content,
        received_at=moment,
        due_date=due_date_for(kind, timezone.localdate(moment)),
        sender_name=nfc(sender.name),
        sender_email=sender.email.strip().lower(),
        sender_phone=phone,
        sender_address=nfc(sender.address),
        show_name=sender.show_name and bool(sender.name.strip()),
        notify_email=sender.notify_email,
        notify_sms=sender.notify_sms,
        meeting=meeting,
    )
    with transaction.atomic():
        _insert_with_new_code(petition)
        event = Event.objects.create(
            petition=petition, at=timezone.now(), action=Action.RECEIVED, actor=audit.user_of(actor), to_unit=unit
        )
        logged = [
            audit.entry(actor, AuditAction.CREATE, petition, after=_snapshot(petition)),
            audit.entry(actor, AuditAction.CREATE, event),
        ]
        if consent:
            given = Consent.objects.create(petition=petition, version=consent, given_at=event.at)
            logged.append(audit.entry(actor, AuditAction.CREATE, given))
        for upload, (content_type, extension) in zip(files, kinds, strict=True):
            attachment = Attachment(
                petition=petition,
                name=nfc(upload.name or "tep")[:255],
                content_type=content_type,
                size=upload.size or 0,
            )
            attachment.file.save(f"{petition.code}{extension}", upload, save=False)
            attachment.save()
            logged.append(audit.entry(actor, AuditAction.CREATE, attachment))
        audit.record_all(logged)
        _notify(petition, event)
    return petition


# --- Handled ----------------------------------------------------------------------------------


def _require(user: Any, perm: Perm, petition: Petition) -> None:
    if user is not None and not authz.can(user, perm, petition.unit):
        raise PermissionDenied


def _open(petition: Petition) -> None:
    if petition.status not in OPEN_STATUSES:
        raise PetitionError(_("This petition is closed: %(status)s.") % {"status": petition.get_status_display()})


@transaction.atomic
def classify(
    actor: Any, petition: Petition, *, kind: str, topic: Topic | None, urgency: str, note: str = ""
) -> Petition:
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _open(petition)
    before = _snapshot(petition)
    if kind != petition.kind:
        petition.due_date = due_date_for(kind, timezone.localdate(petition.received_at))
    petition.kind, petition.topic, petition.urgency = kind, topic, urgency
    if petition.status == Status.RECEIVED:
        petition.status = Status.IN_PROGRESS
    _save(actor, petition, before)
    _event(actor, petition, Action.CLASSIFIED, note)
    return petition


def can_handle(user: Any, petition: Petition) -> bool:
    return authz.can(user, Perm.HANDLE_PETITION, petition.unit)


@transaction.atomic
def assign(actor: Any, petition: Petition, officer: Any) -> Petition:
    """Give the petition to an officer of its committee: for the protected kinds, the only one
    who will see the sender's identity."""
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _open(petition)
    if officer is None or not officer.is_active or not authz.can(officer, Perm.HANDLE_PETITION, petition.unit):
        raise PetitionError(_("Choose an officer who handles the petitions of this committee."))
    before = _snapshot(petition)
    petition.assigned_to = officer
    if petition.status == Status.RECEIVED:
        petition.status = Status.IN_PROGRESS
    _save(actor, petition, before)
    _event(actor, petition, Action.ASSIGNED, officer.get_full_name() or officer.get_username())
    return petition


@transaction.atomic
def merge(actor: Any, petition: Petition, into: Petition, note: str = "") -> Petition:
    """``petition`` is a duplicate of ``into``: it closes, and follows ``into``'s answer."""
    petition = _locked(petition)
    into = _locked(into)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _require(actor, Perm.HANDLE_PETITION, into)
    _open(petition)
    if into.pk == petition.pk or into.status == Status.MERGED:
        raise PetitionError(_("Merge into another petition that is not itself merged."))
    before = _snapshot(petition)
    petition.status, petition.duplicate_of = Status.MERGED, into
    _save(actor, petition, before)
    _event(actor, petition, Action.MERGED, note or into.code)
    return petition


@transaction.atomic
def forward(actor: Any, petition: Petition, agency: Agency, note: str = "") -> Petition:
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _open(petition)
    if not agency.active:
        raise PetitionError(_("This agency is no longer in use."))
    before = _snapshot(petition)
    petition.status, petition.agency, petition.forwarded_at = Status.FORWARDED, agency, timezone.now()
    _save(actor, petition, before)
    _event(actor, petition, Action.FORWARDED, note, agency=agency)
    return petition


def targets(petition: Petition) -> list[Unit]:
    """Where a committee can pass a petition: the committees directly below it, and the one
    directly above (what concerns a higher level)."""
    unit = petition.unit
    below = Unit.objects.filter(parent=unit, kind=UnitKind.COMMITTEE, level__in=HANDLING_LEVELS)
    above = Unit.objects.filter(pk=unit.parent_id or 0, kind=UnitKind.COMMITTEE, level__in=HANDLING_LEVELS)
    return list(above) + list(below.order_by("name"))


@transaction.atomic
def pass_to(actor: Any, petition: Petition, unit: Unit, note: str) -> Petition:
    """Pass the petition to the committee of the level it concerns (returned to a lower level, or
    sent up): it lands there as received, unassigned."""
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _open(petition)
    if unit.pk not in {u.pk for u in targets(petition)}:
        raise PetitionError(_("A petition passes to the committee directly above or to one directly below."))
    note = nfc_lines(note)
    if not note:
        raise PetitionError(_("Say why the petition is passed to that committee."))
    before = _snapshot(petition)
    old = petition.unit
    petition.unit, petition.level = unit, unit.level
    petition.status, petition.assigned_to = Status.RECEIVED, None
    _save(actor, petition, before)
    _event(actor, petition, Action.RETURNED, note, from_unit=old, to_unit=unit)
    return petition


@transaction.atomic
def record_answer(
    actor: Any, petition: Petition, text: str, answered_by: str, document: UploadedFile | None = None
) -> Petition:
    """The answer (of the committee, or of the agency it was forwarded to, with its document)."""
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    _open(petition)
    text = nfc_lines(text)
    if not text:
        raise PetitionError(_("Write the answer."))
    kind = check_upload(document) if document is not None else None
    before = _snapshot(petition)
    petition.status, petition.answer, petition.answered_at = Status.ANSWERED, text, timezone.now()
    petition.answered_by = nfc(answered_by) or (petition.agency.name if petition.agency else petition.unit.name)
    _save(actor, petition, before)
    if document is not None and kind is not None:
        attachment = Attachment(
            petition=petition,
            role=Attachment.Role.ANSWER,
            name=nfc(document.name or "tra-loi")[:255],
            content_type=kind[0],
            size=document.size or 0,
        )
        attachment.file.save(f"{petition.code}-tra-loi{kind[1]}", document, save=False)
        attachment.save()
        audit.record(actor, AuditAction.CREATE, attachment)
    _event(actor, petition, Action.ANSWERED)
    return petition


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE_IN_TEXT = re.compile(r"(?<!\d)(\+?84|0)[ .-]?\d{2,3}([ .-]?\d{3}){2}(?!\d)")


def anonymised(petition: Petition, text: str | None = None) -> str:
    """A first draft of what is published (the content, or ``text``): without the sender's name,
    e-mail addresses and phone numbers. The officer reads and edits it before publishing."""
    text = EMAIL.sub("…", petition.content if text is None else text)
    text = PHONE_IN_TEXT.sub("…", text)
    if petition.sender_name.strip():
        text = re.sub(re.escape(petition.sender_name.strip()), "…", text, flags=re.IGNORECASE)
    return text


@transaction.atomic
def publish(actor: Any, petition: Petition, question: str, answer: str, title: str = "") -> Petition:
    """Publish the petition as the officer wrote it for the public: subject, question, answer."""
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    if petition.status != Status.ANSWERED:
        raise PetitionError(_("Only an answered petition is published."))
    question, answer = nfc_lines(question), nfc_lines(answer)
    title = nfc(title) or anonymised(petition, petition.title)
    if not question or not answer:
        raise PetitionError(_("Write the question and the answer as the public will read them."))
    before = _snapshot(petition)
    petition.published, petition.public_question, petition.public_answer = True, question, answer
    petition.public_title = title[:300]
    petition.published_at = petition.published_at or timezone.now()
    _save(actor, petition, before)
    _event(actor, petition, Action.PUBLISHED)
    return petition


@transaction.atomic
def unpublish(actor: Any, petition: Petition) -> Petition:
    petition = _locked(petition)
    _require(actor, Perm.HANDLE_PETITION, petition)
    before = _snapshot(petition)
    petition.published = False
    _save(actor, petition, before)
    return petition


@transaction.atomic
def add_agency(actor: Any, agency: Agency) -> Agency:
    if actor is not None and not authz.can(actor, Perm.HANDLE_PETITION, agency.unit):
        raise PermissionDenied
    agency.save()
    audit.record(actor, AuditAction.CREATE, agency)
    return agency


# --- Voter meetings --------------------------------------------------------------------------------


@transaction.atomic
def plan_meeting(actor: Any, meeting: VoterMeeting) -> VoterMeeting:
    if actor is not None and not authz.can(actor, Perm.HANDLE_PETITION, meeting.unit):
        raise PermissionDenied
    creating = meeting.pk is None
    before = {} if creating else audit.snapshot(VoterMeeting.objects.get(pk=meeting.pk))
    meeting.deputies = nfc_lines(meeting.deputies)
    meeting.save()
    if creating:
        audit.record(actor, AuditAction.CREATE, meeting)
    else:
        audit.record(actor, AuditAction.UPDATE, meeting, before, audit.snapshot(meeting))
    return meeting


_MARKER = re.compile(r"^\s*(?:[-–•*+]|\d{1,3}[.)]|[a-zđ][.)])\s+", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s")


def split_opinions(text: str) -> list[str]:
    """The opinions typed during a meeting. Without blank lines, one per line. With them, one per
    paragraph, and within a paragraph one per list item ("-", "1.", "a)"), a line without a
    marker continuing the item above it. The markers are dropped."""
    text = nfc_lines(text)
    paragraphs = re.search(r"\n\s*\n", text) is not None
    found = []
    for block in re.split(r"\n\s*\n", text) if paragraphs else [text]:
        groups: list[list[str]] = []
        for line in (line.strip() for line in block.splitlines()):
            if not line:
                continue
            if not paragraphs or not groups or _MARKER.match(line):
                groups.append([line])
            else:
                groups[-1].append(line)
        for group in groups:
            opinion = _MARKER.sub("", " ".join(group)).strip()
            if re.search(r"\w", opinion):  # a stray "-" or "…" is not an opinion
                found.append(opinion)
    return found


def _title_of(opinion: str) -> str:
    first = _SENTENCE.split(opinion, maxsplit=1)[0].rstrip(".;")
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def record_opinions(
    actor: Any, meeting: VoterMeeting, text: str, topic: Topic | None = None, level: str | None = None
) -> list[Petition]:
    """The opinions raised at a meeting, many at once: each a petition of the meeting's committee
    (or of the committee of ``level`` over the voters' area), recorded whole or not at all."""
    if actor is not None and not authz.can(actor, Perm.HANDLE_PETITION, meeting.unit):
        raise PermissionDenied
    opinions = split_opinions(text)
    if not opinions:
        raise PetitionError(_("Write the opinions raised, one per line (or one per paragraph)."))
    received = min(meeting.starts_at, timezone.now())
    place = meeting.area or meeting.unit
    return [
        receive(
            actor,
            place=place,
            level=level or meeting.unit.level,
            unit=None if level else meeting.unit,
            channel=Channel.VOTER_MEETING if meeting.kind == MeetingKind.VOTER_MEETING else Channel.DIALOGUE,
            topic=topic,
            title=_title_of(opinion),
            content=opinion,
            sender=Sender(),
            received_at=received,
            meeting=meeting,
        )
        for opinion in opinions
    ]


# --- Chasing ----------------------------------------------------------------------------------

REMIND_EVERY = dt.timedelta(days=7)


def send_overdue_reminders(now: dt.datetime | None = None) -> int:
    """Chase every open petition past its due date, at most once a week each: an event in its
    history and an e-mail to the officer it is assigned to (else to the committee's accounts)."""
    now = now or timezone.now()
    due = overdue(timezone.localdate(now)).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
    sent = 0
    for petition in due.select_related("unit", "assigned_to").iterator(chunk_size=200):
        with transaction.atomic():
            days = (timezone.localdate(now) - petition.due_date).days
            with translation.override(settings.LANGUAGE_CODE):
                note = _("Overdue by %(days)s days (due %(due)s).") % {
                    "days": days,
                    "due": petition.due_date.strftime("%d/%m/%Y"),
                }
                subject = _("[Đoàn Kết] Petition overdue: %(code)s") % {"code": petition.code}
            _event(None, petition, Action.REMINDED, note)
            Petition.objects.filter(pk=petition.pk).update(reminded_at=now)
        officer = petition.assigned_to
        emails = (
            [officer.email] if officer is not None and officer.email else account_services.unit_emails(petition.unit)
        )
        if emails:
            try:
                send_mail(subject, f"{petition.code} — {petition.title}\n{note}", None, emails)
            except OSError:
                logger.exception("petition reminder e-mail could not be sent")
        sent += 1
    return sent


# --- The sender's identity ----------------------------------------------------------------------


@dataclass
class Identity:
    name: str
    email: str
    phone: str
    address: str


def may_see_identity(user: Any, petition: Petition) -> bool:
    """Protected kinds: the assigned officer only (not the leader, not the administrator).
    Other kinds: whoever may see personal data in the petition's committee."""
    if petition.protected:
        return bool(user is not None and user.is_active and petition.assigned_to_id == user.pk)
    return authz.can(user, Perm.VIEW_PERSONAL_DATA, petition.unit)


def identity(user: Any, petition: Petition, purpose: str) -> Identity:
    """The sender's identity, for someone allowed to see it; each reading of a protected one is
    logged with its purpose."""
    if not may_see_identity(user, petition):
        raise PermissionDenied
    if petition.protected:
        IdentityReading.objects.create(petition=petition, user=user, purpose=purpose[:100])
    return Identity(petition.sender_name, petition.sender_email, petition.sender_phone, petition.sender_address)


def public_name(petition: Petition) -> str:
    """How the sender is named in public: by name only if they asked and the kind allows it."""
    if petition.show_name and not petition.protected and petition.sender_name:
        return petition.sender_name
    return _("A citizen")


# --- Following --------------------------------------------------------------------------------


def track(code: str) -> Petition | None:
    """The petition behind a tracking code (the code as typed), or None."""
    normal = normalise_code(code)
    if not normal:
        return None
    return Petition.objects.select_related("unit", "duplicate_of").filter(code=normal).first()


def public_steps(petition: Petition) -> list[Event]:
    return [e for e in petition.events.select_related("to_unit", "agency") if e.public]


def overdue(today: dt.date | None = None) -> Any:
    today = today or timezone.localdate()
    return Petition.objects.filter(status__in=OPEN_STATUSES, due_date__lt=today)


def channels_for_staff() -> list[tuple[str, Any]]:
    return [(c.value, c.label) for c in Channel if c != Channel.PORTAL]


# --- Citizen reception ---------------------------------------------------------------------------

RECEPTION_IDENTITY = ("visitors", "address")


@transaction.atomic
def log_reception(
    actor: Any,
    reception: Reception,
    *,
    record_as: str = "",
    level: str | None = None,
    topic: Topic | None = None,
) -> Reception:
    """A reception, logged; with ``record_as`` (a kind of petition) what the citizens brought is
    also recorded as a petition of the committee, the visitors as its sender. Both or neither."""
    if actor is not None and not authz.can(actor, Perm.HANDLE_PETITION, reception.unit):
        raise PermissionDenied
    reception.summary = nfc_lines(reception.summary)
    if reception.received_at > timezone.now() + dt.timedelta(minutes=5):
        raise PetitionError(_("A reception is logged once it took place: the date is in the future."))
    if not nfc(reception.subject) or not reception.summary:
        raise PetitionError(_("Say what the citizens came about and what they were told."))
    reception.logged_by = audit.user_of(actor)
    if record_as:
        reception.petition = receive(
            actor,
            place=reception.unit,
            level=level or reception.unit.level,
            unit=None if level else reception.unit,
            channel=Channel.RECEPTION,
            kind=record_as,
            topic=topic,
            title=reception.subject,
            content=reception.summary,
            sender=Sender(name=reception.visitors, address=reception.address),
            received_at=reception.received_at,
        )
        user = audit.user_of(actor)
        if reception.petition.protected and user is not None and reception.petition.unit == reception.unit:
            # The officer who received the denouncer already knows who they are: they handle it.
            reception.petition = assign(actor, reception.petition, user)
    reception.save()
    audit.record(actor, AuditAction.CREATE, reception, after=_masked(reception, RECEPTION_IDENTITY))
    return reception


def may_see_visitors(user: Any, reception: Reception) -> bool:
    """Who may read the visitors' names: as for the sender of the petition it became, else whoever
    may see personal data in the committee."""
    if reception.petition is not None:
        return may_see_identity(user, reception.petition)
    return authz.can(user, Perm.VIEW_PERSONAL_DATA, reception.unit)
