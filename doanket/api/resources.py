"""The records the API reads, each declared once: which model, which permission and path field
scope it (the pages' rule), which fields it shows, which filters it takes. The views and the
OpenAPI schema are both made from these declarations, so they cannot drift apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.funds.models import Campaign, CampaignKind, Disbursement, DonorKind, PaymentMethod, Receipt, ReceiptKind
from doanket.organizations.models import Gender, Person
from doanket.petitions.models import PROTECTED_KINDS, Petition
from doanket.petitions.models import Kind as PetitionKind
from doanket.petitions.models import Status as PetitionStatus
from doanket.programs.models import Assignment, Program
from doanket.programs.models import Kind as ProgramKind
from doanket.programs.models import Status as AssignmentStatus
from doanket.reporting.models import Report, Schedule
from doanket.reporting.models import Status as ReportStatus
from doanket.supervision.models import Answer, Recommendation
from doanket.supervision.services import readable_recommendations

Getter = Callable[[Any], Any]
BIGGEST = 2**63 - 1  # a database integer: a longer number names nothing (found by the fuzzer: it was a 500)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def _moment(value: dt.datetime) -> str:
    """In UTC, as stored: a local time far in the past carries a local mean time offset of
    seconds (+07:06:30), which is not RFC 3339 (found by the fuzzer)."""
    return value.astimezone(dt.UTC).isoformat()


@dataclass(frozen=True)
class Field:
    type: str  # OpenAPI type: string, integer, boolean, object
    get: Getter
    format: str | None = None
    nullable: bool = False
    description: str = ""
    personal: bool = False  # personal data: null unless the caller may see it on the person's unit


@dataclass(frozen=True)
class Filter:
    lookup: str
    type: str = "string"
    enum: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    model: type[models.Model]
    perm: Perm
    scope: Callable[[Any], Q]
    fields: dict[str, Field]
    filters: dict[str, Filter] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    personal_path: Getter | None = None  # the unit path on which VIEW_PERSONAL_DATA shows the personal fields

    def queryset(self, user: Any) -> models.QuerySet[Any]:
        rows = self.model._default_manager.filter(self.scope(user))
        return rows.select_related(*self.related) if self.related else rows

    def json(self, obj: Any, user: Any = None) -> dict[str, Any]:
        """The record's fields; the personal ones only to a caller who sees personal data on the
        record's unit (the pages' rule: ``Perm.VIEW_PERSONAL_DATA``), else null."""
        shown = self.personal_path is None or authz.can_path(user, Perm.VIEW_PERSONAL_DATA, self.personal_path(obj))
        return {name: f.get(obj) if shown or not f.personal else None for name, f in self.fields.items()}


def _scope(perm: Perm, path_field: str, *, upward: bool = False) -> Callable[[Any], Q]:
    if upward:
        return lambda user: authz.scope_q_with_ancestors(user, perm, path_field)
    return lambda user: authz.scope_q(user, perm, path_field)


def _assignments_scope(user: Any) -> Q:
    """An assignment is read by the units it was given to and by the programme's unit."""
    return authz.scope_q(user, Perm.VIEW_PROGRAM, "unit__path") | authz.scope_q(
        user, Perm.VIEW_PROGRAM, "program__unit__path"
    )


def _petition_text(name: str) -> Getter:
    """A complaint's or a denunciation's words may name its sender: never through the API."""
    return lambda p: None if p.kind in PROTECTED_KINDS else getattr(p, name)


ID = Field("integer", lambda o: o.pk)
UNIT = Field("integer", lambda o: o.unit_id, description="the unit's id (/api/v1/units/{id}/)")

RESOURCES: list[Resource] = [
    Resource(
        name="programs",
        title="Work programmes",
        model=Program,
        perm=Perm.VIEW_PROGRAM,
        scope=_scope(Perm.VIEW_PROGRAM, "unit__path", upward=True),
        fields={
            "id": ID,
            "unit_id": UNIT,
            "kind": Field("string", lambda p: p.kind),
            "title": Field("string", lambda p: p.title),
            "year": Field("integer", lambda p: p.year, nullable=True),
            "number": Field("string", lambda p: p.number),
            "date": Field("string", lambda p: _date(p.date), format="date", nullable=True),
        },
        filters={
            "year": Filter("year", "integer"),
            "kind": Filter("kind", enum=tuple(ProgramKind.values)),
            "unit": Filter("unit_id", "integer"),
        },
    ),
    Resource(
        name="assignments",
        title="Assignments of programme items and their progress",
        model=Assignment,
        perm=Perm.VIEW_PROGRAM,
        scope=_assignments_scope,
        related=("item",),
        fields={
            "id": ID,
            "program_id": Field("integer", lambda a: a.program_id),
            "unit_id": UNIT,
            "item": Field("string", lambda a: f"{a.item.number} {a.item.title}".strip()),
            "role": Field("string", lambda a: a.role),
            "due_date": Field("string", lambda a: _date(a.due_date), format="date", nullable=True),
            "status": Field("string", lambda a: a.status),
            "progress": Field("integer", lambda a: a.progress, description="percent"),
        },
        filters={
            "program": Filter("program_id", "integer"),
            "unit": Filter("unit_id", "integer"),
            "status": Filter("status", enum=tuple(AssignmentStatus.values)),
        },
    ),
    Resource(
        name="reports",
        title="Periodic reports and their figures",
        model=Report,
        perm=Perm.VIEW_REPORT,
        scope=_scope(Perm.VIEW_REPORT, "unit__path"),
        fields={
            "id": ID,
            "schedule_id": Field("integer", lambda r: r.schedule_id),
            "unit_id": UNIT,
            "period": Field("string", lambda r: r.period),
            "period_start": Field("string", lambda r: _date(r.period_start), format="date"),
            "period_end": Field("string", lambda r: _date(r.period_end), format="date"),
            "due_date": Field("string", lambda r: _date(r.due_date), format="date"),
            "status": Field("string", lambda r: r.status),
            "values": Field("object", lambda r: r.values, description="indicator code → figure or text"),
        },
        filters={
            "schedule": Filter("schedule_id", "integer"),
            "unit": Filter("unit_id", "integer"),
            "period": Filter("period"),
            "status": Filter("status", enum=tuple(ReportStatus.values)),
        },
    ),
    Resource(
        name="petitions",
        title="Opinions and petitions (never the sender; no text of complaints or denunciations)",
        model=Petition,
        perm=Perm.VIEW_PETITION,
        scope=_scope(Perm.VIEW_PETITION, "unit__path"),
        fields={
            "id": ID,
            "code": Field("string", lambda p: p.code),
            "unit_id": UNIT,
            "kind": Field("string", lambda p: p.kind),
            "channel": Field("string", lambda p: p.channel),
            "status": Field("string", lambda p: p.status),
            "title": Field("string", _petition_text("title"), nullable=True),
            "content": Field("string", _petition_text("content"), nullable=True),
            "received_at": Field("string", lambda p: _moment(p.received_at), format="date-time"),
            "due_date": Field("string", lambda p: _date(p.due_date), format="date"),
        },
        filters={
            "unit": Filter("unit_id", "integer"),
            "status": Filter("status", enum=tuple(PetitionStatus.values)),
            "kind": Filter("kind", enum=tuple(PetitionKind.values)),
        },
    ),
    Resource(
        name="campaigns",
        title="Fund campaigns and their published totals",
        model=Campaign,
        perm=Perm.VIEW_FUND,
        scope=_scope(Perm.VIEW_FUND, "unit__path"),
        fields={
            "id": ID,
            "unit_id": UNIT,
            "kind": Field("string", lambda c: c.kind),
            "name": Field("string", lambda c: c.name),
            "starts_on": Field("string", lambda c: _date(c.starts_on), format="date"),
            "ends_on": Field("string", lambda c: _date(c.ends_on), format="date", nullable=True),
            "published_amount": Field("integer", lambda c: c.published_amount, description="đồng"),
            "published_count": Field("integer", lambda c: c.published_count),
            "published_allocated": Field("integer", lambda c: c.published_allocated, description="đồng"),
            "published_disbursed": Field("integer", lambda c: c.published_disbursed, description="đồng"),
        },
        filters={"unit": Filter("unit_id", "integer"), "kind": Filter("kind", enum=tuple(CampaignKind.values))},
    ),
    Resource(
        name="recommendations",
        title="Supervision recommendations and their answers",
        model=Recommendation,
        perm=Perm.VIEW_PROGRAM,
        scope=lambda user: Q(pk__in=readable_recommendations(user).values("pk")),
        related=("supervision__plan",),
        fields={
            "id": ID,
            "unit_id": Field("integer", lambda r: r.supervision.plan.unit_id),
            "supervision": Field("string", lambda r: r.supervision.topic),
            "text": Field("string", lambda r: r.text),
            "addressee": Field("string", lambda r: r.addressee),
            "due_on": Field("string", lambda r: _date(r.due_on), format="date"),
            "state": Field("string", lambda r: r.state(), description="answered, partly, waiting or overdue"),
            "answer_text": Field("string", lambda r: r.answer_text),
            "answered_on": Field("string", lambda r: _date(r.answered_on), format="date", nullable=True),
        },
        filters={"answer": Filter("answer", enum=tuple(Answer.values))},
    ),
]


def _personal(type_: str, name: str, fmt: str | None = None) -> Field:
    get: Getter = (lambda p: _date(getattr(p, name))) if fmt == "date" else (lambda p: getattr(p, name))
    return Field(type_, get, format=fmt, nullable=True, personal=True, description="personal data")


RESOURCES += [
    Resource(
        name="people",
        title="People of the units (personal data only to the roles that see it on the pages)",
        model=Person,
        perm=Perm.VIEW_PEOPLE,
        scope=_scope(Perm.VIEW_PEOPLE, "unit__path"),
        related=("unit",),
        personal_path=lambda p: p.unit.path or "",
        fields={
            "id": ID,
            "unit_id": UNIT,
            "full_name": Field("string", lambda p: p.full_name),
            "gender": Field("string", lambda p: p.gender),
            "is_prestigious_person": Field("boolean", lambda p: p.is_prestigious_person),
            "is_elder": Field("boolean", lambda p: p.is_elder),
            "is_advisory_member": Field("boolean", lambda p: p.is_advisory_member),
            "birth_date": _personal("string", "birth_date", "date"),
            "ethnicity": _personal("string", "ethnicity"),
            "religion": _personal("string", "religion"),
            "community": _personal("string", "community"),
            "phone": _personal("string", "phone"),
            "email": _personal("string", "email"),
            "is_religious_dignitary": _personal("boolean", "is_religious_dignitary"),
        },
        filters={"unit": Filter("unit_id", "integer"), "gender": Filter("gender", enum=tuple(Gender.values))},
    ),
    Resource(
        name="donations",
        title="Donations received by the funds (as the fund's receipts page shows them)",
        model=Receipt,
        perm=Perm.VIEW_FUND,
        scope=_scope(Perm.VIEW_FUND, "campaign__unit__path"),
        fields={
            "id": ID,
            "campaign_id": Field("integer", lambda r: r.campaign_id),
            "kind": Field("string", lambda r: r.kind),
            "received_on": Field("string", lambda r: _date(r.received_on), format="date"),
            "amount": Field("integer", lambda r: r.amount, description="đồng"),
            "donor_kind": Field("string", lambda r: r.donor_kind),
            "donor_name": Field("string", lambda r: r.donor_name, description="empty when anonymous"),
            "show_donor": Field("boolean", lambda r: r.show_donor, description="the name may be published"),
            "receipt_number": Field("string", lambda r: r.receipt_number),
            "goods": Field("string", lambda r: r.goods),
            "description": Field("string", lambda r: r.description),
        },
        filters={
            "campaign": Filter("campaign_id", "integer"),
            "kind": Filter("kind", enum=tuple(ReceiptKind.values)),
            "donor_kind": Filter("donor_kind", enum=tuple(DonorKind.values)),
        },
    ),
    Resource(
        name="disbursements",
        title="Payments made from the funds' allocations",
        model=Disbursement,
        perm=Perm.VIEW_FUND,
        scope=_scope(Perm.VIEW_FUND, "allocation__campaign__unit__path"),
        related=("allocation",),
        fields={
            "id": ID,
            "campaign_id": Field("integer", lambda d: d.allocation.campaign_id),
            "allocation_id": Field("integer", lambda d: d.allocation_id),
            "paid_on": Field("string", lambda d: _date(d.paid_on), format="date"),
            "amount": Field("integer", lambda d: d.amount, description="đồng"),
            "method": Field("string", lambda d: d.method),
            "voucher": Field("string", lambda d: d.voucher),
        },
        filters={
            "campaign": Filter("allocation__campaign_id", "integer"),
            "allocation": Filter("allocation_id", "integer"),
            "method": Filter("method", enum=tuple(PaymentMethod.values)),
        },
    ),
    Resource(
        name="schedules",
        title="Reporting schedules (their roll-ups: /api/v1/rollups/{id}/)",
        model=Schedule,
        perm=Perm.VIEW_REPORT,
        scope=_scope(Perm.VIEW_REPORT, "unit__path", upward=True),
        fields={
            "id": ID,
            "unit_id": UNIT,
            "name": Field("string", lambda s: s.name),
            "frequency": Field("string", lambda s: s.frequency),
            "starts": Field("string", lambda s: _date(s.starts), format="date"),
            "ends": Field("string", lambda s: _date(s.ends), format="date", nullable=True),
            "active": Field("boolean", lambda s: s.active),
        },
        filters={"unit": Filter("unit_id", "integer")},
    ),
]
BY_NAME = {resource.name: resource for resource in RESOURCES}
