"""The supervision work, as plain functions the views, the commands and the worker share.

Every write checks the one rule of the module (:func:`require_edit`: the actor works on the plan's
unit) and is in the audit log; an ethics supervision's persons, opinions and conclusions are
read and written only by the officers assigned to it (:func:`can_read_sensitive`), each reading
logged, and enter the audit log only as a fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts import services as account_services
from doanket.accounts.authz import Perm, require_edit
from doanket.accounts.models import Role, RoleGrant, User
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.documents.parser import parse
from doanket.documents.readers import DocumentError, read_document
from doanket.documents.structure import ParsedDocument
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.supervision import planning
from doanket.supervision.models import (
    Answer,
    Inspection,
    Kind,
    Opinion,
    Project,
    Recommendation,
    RecommendationReminder,
    ReminderKind,
    SensitiveReading,
    State,
    SupervisedPerson,
    Supervision,
    SupervisionPlan,
)


class SupervisionError(Exception):
    """A refusal with a message for the officer."""


def _fingerprint(value: Any) -> str:
    return f"sha256:{hashlib.sha256(str(value).encode()).hexdigest()[:12]}" if value else ""


def masked(obj: Any) -> audit.Snapshot:
    """The audit snapshot of ``obj`` with its sensitive fields as fingerprints: the log shows that
    they changed, never what they say."""
    values = audit.snapshot(obj)
    sensitive = getattr(obj, "SENSITIVE_FIELDS", ())
    if isinstance(obj, Supervision) and not obj.sensitive:
        sensitive = ()
    for name in sensitive:
        if name in values:
            values[name] = _fingerprint(values[name])
    return values


# --- Plans ----------------------------------------------------------------------------------------


def read_plan(data: bytes, filename: str) -> ParsedDocument:
    """A plan document read by the work-programme importer (DOCX, PDF with text, TXT)."""
    try:
        return parse(read_document(data, filename).text)
    except DocumentError as exc:
        raise SupervisionError(str(exc)) from exc


@transaction.atomic
def create_plan(
    actor: Any,
    unit: Unit,
    *,
    year: int,
    title: str = "",
    document: ParsedDocument | None = None,
    source_name: str = "",
) -> SupervisionPlan:
    """The unit's plan for ``year``; from a plan document, its numbered contents become the
    supervisions (topic, subject, form, time as the document gives them)."""
    require_edit(actor, unit)
    if unit.level == Level.VILLAGE:
        raise SupervisionError(_("A village board has no supervision plan of its own; its commune's plan covers it."))
    planned = planning.supervisions(document, year) if document is not None else []
    if document is not None and not planned:
        raise SupervisionError(
            _(
                "%(file)s lists no supervision: a plan has a section “NỘI DUNG GIÁM SÁT” with numbered "
                "items, or numbered items starting with “Giám sát”."
            )
            % {"file": source_name or _("The document")}
        )
    title = nfc(title) or nfc(document.title if document else "") or _("Supervision plan %(year)s") % {"year": year}
    try:
        with transaction.atomic():
            plan = SupervisionPlan.objects.create(
                unit=unit, year=year, title=title[:300], source_name=source_name[:255], created_by=audit.user_of(actor)
            )
    except IntegrityError as exc:
        raise SupervisionError(
            _("%(unit)s already has a supervision plan for %(year)s.") % {"unit": unit.name, "year": year}
        ) from exc
    audit.record(actor, AuditAction.CREATE, plan)
    made = [
        Supervision(
            plan=plan,
            position=position,
            kind=item.kind,
            topic=item.topic,
            content=item.content,
            form=item.form,
            subject=item.subject,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
            created_by=audit.user_of(actor),
        )
        for position, item in enumerate(planned, 1)
    ]
    for supervision in made:
        supervision.save()  # NFC on save; a plan has a handful
    audit.record_all(audit.entry(actor, AuditAction.CREATE, s, after=masked(s)) for s in made)
    return plan


def assignable(unit: Unit) -> QuerySet[User]:
    """The officers who may be assigned to a supervision of ``unit``: those holding a working role
    on the unit itself."""
    return (
        User.objects.filter(
            is_active=True,
            pk__in=RoleGrant.objects.filter(unit=unit, role__in=[Role.OFFICER, Role.LEADER, Role.UNIT_ADMIN]).values(
                "user_id"
            ),
        )
        .order_by("full_name", "username")
        .distinct()
    )


def _dates(starts_on: dt.date | None, ends_on: dt.date | None, year: int) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise SupervisionError(_("The supervision ends before it starts."))
    for day in (starts_on, ends_on):
        if day and day.year != year:
            raise SupervisionError(
                _("The plan is for %(year)s: its supervisions fall within that year.") % {"year": year}
            )


@transaction.atomic
def add_supervision(
    actor: Any,
    plan: SupervisionPlan,
    *,
    topic: str,
    kind: str = Kind.GENERAL,
    form: str,
    subject: str = "",
    content: str = "",
    team: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    assigned: Iterable[User] = (),
) -> Supervision:
    require_edit(actor, plan.unit)
    topic = nfc(topic)
    if not topic:
        raise SupervisionError(_("Give the supervision's topic."))
    _dates(starts_on, ends_on, plan.year)
    officers = list(assigned)
    if kind == Kind.ETHICS and not officers:
        raise SupervisionError(
            _(
                "Assign the officers of an ethics supervision: "
                "only they will read its persons, opinions and conclusions."
            )
        )
    allowed = set(assignable(plan.unit).values_list("pk", flat=True))
    if any(officer.pk not in allowed for officer in officers):
        raise SupervisionError(_("Only officers of %(unit)s can be assigned.") % {"unit": plan.unit.name})
    position = (plan.supervisions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    made = Supervision.objects.create(
        plan=plan,
        position=position,
        kind=kind,
        topic=topic,
        content=content,
        form=form,
        subject=subject,
        team=team,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=audit.user_of(actor),
    )
    made.assigned.set(officers)
    audit.record(actor, AuditAction.CREATE, made, after=masked(made))
    return made


def can_read_sensitive(user: Any, supervision: Supervision) -> bool:
    """Only the officers assigned to an ethics supervision read its persons, opinions and
    conclusions — not the unit's other officers, not its leaders, not a system administrator."""
    if not supervision.sensitive:
        return authz.can(user, Perm.VIEW_PROGRAM, supervision.plan.unit)
    return bool(
        getattr(user, "pk", None)
        and authz.can(user, Perm.VIEW_PROGRAM, supervision.plan.unit)
        and supervision.assigned.filter(pk=user.pk).exists()
    )


def read_sensitive(user: Any, supervision: Supervision, purpose: str) -> bool:
    """Whether ``user`` reads the ethics supervision's protected part now; a reading is logged."""
    if not supervision.sensitive:
        return can_read_sensitive(user, supervision)
    if not can_read_sensitive(user, supervision):
        return False
    SensitiveReading.objects.create(supervision=supervision, user=user, purpose=purpose[:100])
    return True


def _require_assigned(actor: Any, supervision: Supervision) -> None:
    require_edit(actor, supervision.plan.unit)
    if actor is not None and not can_read_sensitive(actor, supervision):
        raise PermissionDenied


@transaction.atomic
def update_supervision(actor: Any, supervision: Supervision, **fields: Any) -> Supervision:
    """Change the progress, dates, team, subject or findings (an ethics supervision's conclusions:
    its assigned officers only)."""
    require_edit(actor, supervision.plan.unit)
    if supervision.sensitive and "findings" in fields:
        _require_assigned(actor, supervision)
    _dates(
        fields.get("starts_on", supervision.starts_on),
        fields.get("ends_on", supervision.ends_on),
        supervision.plan.year,
    )
    before = masked(supervision)
    for name, value in fields.items():
        if name not in ("progress", "starts_on", "ends_on", "team", "subject", "findings"):
            raise TypeError(name)
        setattr(supervision, name, value)
    supervision.save()
    audit.record(actor, AuditAction.UPDATE, supervision, before=before, after=masked(supervision))
    return supervision


@transaction.atomic
def add_person(actor: Any, supervision: Supervision, *, full_name: str, office: str = "") -> SupervisedPerson:
    _require_assigned(actor, supervision)
    if not supervision.sensitive:
        raise SupervisionError(_("Persons are recorded only in an ethics supervision."))
    if not nfc(full_name):
        raise SupervisionError(_("Give the person's full name."))
    made = SupervisedPerson.objects.create(supervision=supervision, full_name=full_name, office=office)
    audit.record(actor, AuditAction.CREATE, made, after=masked(made))
    return made


@transaction.atomic
def add_opinion(actor: Any, person: SupervisedPerson, *, source: str, text: str) -> Opinion:
    supervision = person.supervision
    _require_assigned(actor, supervision)
    if not (nfc(source) and nfc_lines(text)):
        raise SupervisionError(_("Say whose opinion it is and what it says."))
    made = Opinion.objects.create(
        supervision=supervision, person=person, source=source, text=text, recorded_by=audit.user_of(actor)
    )
    audit.record(actor, AuditAction.CREATE, made, after=masked(made))
    return made


# --- Recommendations ------------------------------------------------------------------------------


@transaction.atomic
def recommend(
    actor: Any,
    supervision: Supervision,
    *,
    text: str,
    addressee: str,
    due_on: dt.date,
    addressee_email: str = "",
) -> Recommendation:
    require_edit(actor, supervision.plan.unit)
    if not (nfc_lines(text) and nfc(addressee)):
        raise SupervisionError(_("Write the recommendation and the body it is addressed to."))
    position = (supervision.recommendations.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    made = Recommendation.objects.create(
        supervision=supervision,
        position=position,
        text=text,
        addressee=addressee,
        addressee_email=addressee_email,
        due_on=due_on,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def record_answer(
    actor: Any, recommendation: Recommendation, *, answer: str, answer_text: str, answered_on: dt.date
) -> Recommendation:
    """The addressee's answer: in full, in part, or none (the answer withdrawn, chased again)."""
    require_edit(actor, recommendation.supervision.plan.unit)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if answer != Answer.NONE and not nfc_lines(answer_text):
        raise SupervisionError(_("Write what the addressee answered."))
    if answered_on > timezone.localdate():
        raise SupervisionError(_("An answer cannot be dated in the future."))
    before = audit.snapshot(recommendation)
    recommendation.answer = answer
    recommendation.answer_text = answer_text if answer != Answer.NONE else ""
    recommendation.answered_on = answered_on if answer != Answer.NONE else None
    recommendation.save()
    audit.record(actor, AuditAction.UPDATE, recommendation, before=before)
    return recommendation


def _message(recommendation: Recommendation, kind: str) -> str:
    due = recommendation.due_on.strftime("%d/%m/%Y")
    unit = recommendation.supervision.plan.unit.name
    if kind == ReminderKind.BEFORE_DUE:
        head = _("%(unit)s awaits your answer by %(due)s to its recommendation:") % {"unit": unit, "due": due}
    else:
        head = _("The answer to this recommendation of %(unit)s was due on %(due)s:") % {"unit": unit, "due": due}
    return f"{head}\n{recommendation.text}\n({recommendation.supervision.topic})"


def chase(
    actor: Any, recommendation: Recommendation, kind: str = ReminderKind.MANUAL, message: str = ""
) -> RecommendationReminder | None:
    """Chase an unanswered recommendation: stored, and e-mailed to the addressee (where its address
    is known) and to the supervising unit's officers. Automatic chases go once per due date and kind;
    an answered recommendation is not chased."""
    require_edit(actor, recommendation.supervision.plan.unit)
    if recommendation.answer == Answer.ANSWERED:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        text = nfc_lines(message) or _message(recommendation, kind)
        subject = _("[Đoàn Kết] Recommendation awaiting an answer: %(topic)s") % {
            "topic": recommendation.supervision.topic[:100]
        }
    try:
        with transaction.atomic():
            reminder = RecommendationReminder.objects.create(
                recommendation=recommendation,
                kind=kind,
                due_on=recommendation.due_on,
                message=text,
                sent_by=audit.user_of(actor),
            )
            audit.record(actor, AuditAction.CREATE, reminder)
    except IntegrityError:
        return None  # this automatic chase was already sent
    emails = account_services.unit_emails(recommendation.supervision.plan.unit)
    if recommendation.addressee_email:
        emails = [recommendation.addressee_email, *emails]
    if emails and (str(getattr(settings, "EMAIL_HOST", "")) or "locmem" in settings.EMAIL_BACKEND):
        send_mail(subject=subject, message=text, from_email=None, recipient_list=emails)
        RecommendationReminder.objects.filter(pk=reminder.pk).update(emailed_to=emails)
    return reminder


def send_due_reminders(today: dt.date | None = None, days_before: int = 7) -> int:
    """The scheduled job: chase the recommendations due within ``days_before`` days and those
    overdue and not fully answered. Safe to run as often as wanted."""
    today = today or timezone.localdate()
    waiting = Recommendation.objects.exclude(answer=Answer.ANSWERED).select_related("supervision__plan__unit")
    soon = waiting.filter(answer=Answer.NONE, due_on__gte=today, due_on__lte=today + dt.timedelta(days=days_before))
    late = waiting.filter(due_on__lt=today)
    sent = 0
    for kind, queryset in ((ReminderKind.BEFORE_DUE, soon), (ReminderKind.OVERDUE, late)):
        already = set(
            RecommendationReminder.objects.filter(kind=kind, recommendation__in=queryset).values_list(
                "recommendation_id", "due_on"
            )
        )
        for recommendation in queryset:
            if (recommendation.pk, recommendation.due_on) not in already and chase(None, recommendation, kind):
                sent += 1
    return sent


def readable_recommendations(user: Any) -> QuerySet[Recommendation]:
    """The recommendations of the user's units, those of an ethics supervision only for the
    officers assigned to it (they may name the person supervised)."""
    hidden = Q(supervision__kind=Kind.ETHICS) & ~Q(supervision__assigned=getattr(user, "pk", None))
    return Recommendation.objects.filter(
        authz.scope_q(user, Perm.VIEW_PROGRAM, "supervision__plan__unit__path")
    ).exclude(hidden)


def state_q(state: str, today: dt.date) -> Q:
    """The recommendations in ``state`` (as ``Recommendation.state`` says), as a filter."""
    return {
        State.ANSWERED: Q(answer=Answer.ANSWERED),
        State.PARTLY: Q(answer=Answer.PARTLY),
        State.WAITING: Q(answer=Answer.NONE, due_on__gte=today),
        State.OVERDUE: Q(answer=Answer.NONE, due_on__lt=today),
    }[State(state)]


def _counts(today: dt.date) -> dict[str, Count]:
    """How many in all and in each state, as aggregates (the rule of :func:`state_q`)."""
    return {"total": Count("pk"), **{state.value: Count("pk", filter=state_q(state, today)) for state in State}}


def tally(recommendations: QuerySet[Recommendation], today: dt.date) -> dict[str, int]:
    """How many recommendations are in each state: one query."""
    found = recommendations.aggregate(**_counts(today))
    return {key: int(value or 0) for key, value in found.items()}


def tally_by_supervision(supervisions: Sequence[Supervision], today: dt.date) -> dict[int, dict[str, int]]:
    rows: Any = (
        Recommendation.objects.filter(supervision__in=[s.pk for s in supervisions])
        .values("supervision_id")
        .annotate(**_counts(today))
    )
    return {
        int(row["supervision_id"]): {key: int(value or 0) for key, value in row.items() if key != "supervision_id"}
        for row in rows
    }


# --- The commune's boards -------------------------------------------------------------------------


def _require_board(board: Unit, kind: str) -> None:
    if board.kind != kind:
        raise SupervisionError(
            _("%(unit)s is not a %(board)s.") % {"unit": board.name, "board": str(UnitKind(kind).label).lower()}
        )


@transaction.atomic
def add_inspection(
    actor: Any, board: Unit, *, subject: str, held_on: dt.date, findings: str, recommendations: str = ""
) -> Inspection:
    require_edit(actor, board)
    _require_board(board, UnitKind.PEOPLES_INSPECTION_BOARD)
    if not (nfc(subject) and nfc_lines(findings)):
        raise SupervisionError(_("Say what was inspected and what was found."))
    made = Inspection.objects.create(
        board=board,
        subject=subject,
        held_on=held_on,
        findings=findings,
        recommendations=recommendations,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def add_project(
    actor: Any,
    board: Unit,
    *,
    name: str,
    owner: str,
    budget: int,
    starts_on: dt.date | None = None,
    progress: int = 0,
    issues: str = "",
) -> Project:
    require_edit(actor, board)
    _require_board(board, UnitKind.COMMUNITY_INVESTMENT_BOARD)
    if not (nfc(name) and nfc(owner)):
        raise SupervisionError(_("Give the project's name and its investor."))
    if budget < 0 or not 0 <= progress <= 100:
        raise SupervisionError(_("The budget is a number of đồng and the progress a percentage from 0 to 100."))
    made = Project.objects.create(
        board=board, name=name, owner=owner, budget=budget, starts_on=starts_on, progress=progress, issues=issues
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def update_project(actor: Any, project: Project, *, progress: int, issues: str) -> Project:
    require_edit(actor, project.board)
    if not 0 <= progress <= 100:
        raise SupervisionError(_("The budget is a number of đồng and the progress a percentage from 0 to 100."))
    before = audit.snapshot(project)
    project.progress, project.issues, project.updated_at = progress, issues, timezone.now()
    project.save()
    audit.record(actor, AuditAction.UPDATE, project, before=before)
    return project
