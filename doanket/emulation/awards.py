"""Awards: nomination → review → decision, the decision written in the official layout, and each
award on the recipient's record.

A unit proposes an award (Giấy khen, Bằng khen, Cờ thi đua, Bằng ghi công, or an upper body's) for
a unit or a person of its own subtree, to itself or to a unit above it, which decides. The
deciding unit reviews each nomination — for decision, or returned with a comment — and decides
several at once by a numbered, dated, signed decision. The recipient's past awards are shown
beside every nomination, so that no one decides without knowing who was commended, for what,
and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from doanket.accounts.authz import require_edit
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.documents.export import export_docx
from doanket.documents.structure import ParsedDocument, Section, Signatory
from doanket.emulation.models import AwardDecision, AwardKind, Movement, Nomination, NominationStatus
from doanket.emulation.services import EmulationError
from doanket.organizations.models import Person, Unit


@transaction.atomic
def nominate(
    actor: Any,
    *,
    proposed_by: Unit,
    decided_by: Unit,
    kind: str,
    achievement: str,
    recipient_unit: Unit | None = None,
    recipient_person: Person | None = None,
    movement: Movement | None = None,
) -> Nomination:
    """``proposed_by`` proposes ``kind`` for a unit or person of its own subtree to ``decided_by``
    (itself or a unit above it)."""
    require_edit(actor, proposed_by)
    if (recipient_unit is None) == (recipient_person is None):
        raise EmulationError(_("Name either the unit or the person to be awarded."))
    if not proposed_by.is_within(decided_by):
        raise EmulationError(
            _("%(unit)s decides no award proposed by %(proposer)s: choose the unit itself or one above it.")
            % {"unit": decided_by.name, "proposer": proposed_by.name}
        )
    recipient_home = recipient_unit if recipient_unit is not None else recipient_person.unit  # type: ignore[union-attr]
    if recipient_home is None or not recipient_home.is_within(proposed_by):
        raise EmulationError(_("%(unit)s proposes awards only within its own units.") % {"unit": proposed_by.name})
    achievement = nfc_lines(achievement)
    if not achievement:
        raise EmulationError(_("Describe the achievement the award is for."))
    made = Nomination.objects.create(
        movement=movement,
        proposed_by=proposed_by,
        decided_by=decided_by,
        kind=kind,
        recipient_unit=recipient_unit,
        recipient_person=recipient_person,
        achievement=achievement,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def review(actor: Any, nomination: Nomination, *, accept: bool, comment: str = "") -> Nomination:
    """The deciding unit puts the nomination forward for decision, or returns it with a comment."""
    require_edit(actor, nomination.decided_by)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.PROPOSED:
        raise EmulationError(_("This nomination has already been reviewed."))
    comment = nfc_lines(comment)
    if not accept and not comment:
        raise EmulationError(_("Say why the nomination is returned."))
    before = audit.snapshot(nomination)
    nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.RETURNED
    nomination.review_comment = comment
    nomination.save(update_fields=["status", "review_comment"])
    audit.record(actor, AuditAction.UPDATE, nomination, before=before)
    return nomination


def decide(
    actor: Any,
    unit: Unit,
    nominations: Sequence[Nomination],
    *,
    number: str,
    decided_on: dt.date,
    signer: str,
    signer_title: str,
    public: bool = False,
) -> AwardDecision:
    """One decision of ``unit`` awarding the nominations it reviewed for decision."""
    require_edit(actor, unit)
    number, signer, signer_title = nfc(number), nfc(signer), nfc(signer_title)
    if not (number and signer and signer_title):
        raise EmulationError(_("Give the decision's number, its signer and the signer's title."))
    if not nominations:
        raise EmulationError(_("Choose the nominations the decision awards."))
    try:
        with transaction.atomic():
            chosen = list(Nomination.objects.select_for_update().filter(pk__in=[n.pk for n in nominations]))
            if any(n.decided_by_id != unit.pk or n.status != NominationStatus.ACCEPTED for n in chosen):
                raise EmulationError(_("A decision awards only nominations its unit reviewed for decision."))
            decision = AwardDecision.objects.create(
                unit=unit,
                number=number,
                decided_on=decided_on,
                signer=signer,
                signer_title=signer_title,
                public=public,
                created_by=audit.user_of(actor),
            )
            audit.record(actor, AuditAction.CREATE, decision)
            for nomination in chosen:
                before = audit.snapshot(nomination)
                nomination.status, nomination.decision = NominationStatus.DECIDED, decision
                nomination.save(update_fields=["status", "decision"])
                audit.record(actor, AuditAction.UPDATE, nomination, before=before)
            return decision
    except IntegrityError as exc:
        raise EmulationError(
            _("%(unit)s already has a decision numbered %(number)s.") % {"unit": unit.name, "number": number}
        ) from exc


def history(nomination: Nomination) -> QuerySet[Nomination]:
    """The recipient's awards already decided, latest first."""
    decided = Nomination.objects.filter(status=NominationStatus.DECIDED).select_related("decision", "decided_by")
    if nomination.recipient_unit_id:
        decided = decided.filter(recipient_unit_id=nomination.recipient_unit_id)
    else:
        decided = decided.filter(recipient_person_id=nomination.recipient_person_id)
    return decided.exclude(pk=nomination.pk).order_by("-decision__decided_on", "-pk")


def awards_of(person: Person) -> list[dict[str, Any]]:
    """The nominations and awards of ``person`` (for the export of their data)."""
    return [
        {
            "award": str(n.get_kind_display()),
            "status": str(n.get_status_display()),
            "proposed_by": str(n.proposed_by.name),
            "achievement": n.achievement,
            "decision": n.decision.number if n.decision else None,
            "decided_on": n.decision.decided_on.isoformat() if n.decision else None,
        }
        for n in Nomination.objects.filter(recipient_person=person)
        .select_related("proposed_by", "decision")
        .order_by("created_at", "pk")
    ]


# The awards as the decision names them (the document is Vietnamese whatever the reader's language).
OFFICIAL_NAMES: dict[str, str] = {
    AwardKind.CERTIFICATE: "Giấy khen",
    AwardKind.MERIT: "Bằng khen",
    AwardKind.FLAG: "Cờ thi đua",
    AwardKind.RECOGNITION: "Bằng ghi công",
    AwardKind.UPPER: "Hình thức khen thưởng của cấp trên",
}
ARTICLE_2 = "Các tập thể, cá nhân được khen thưởng được ghi nhận thành tích theo quy định."
ARTICLE_3 = "Các đơn vị liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."


def decision_document(decision: AwardDecision) -> ParsedDocument:
    """The decision as the official document: the unit's header, "QUYẾT ĐỊNH" and its title, the
    grounds, Article 1 listing each recipient with the award and the achievement, the articles
    that follow, and the signature."""
    unit = decision.unit
    awarded = list(decision.nominations.select_related("recipient_unit", "recipient_person").order_by("pk"))
    kinds = sorted({OFFICIAL_NAMES[n.kind] for n in awarded})
    items = [
        Section(number="-", title=f"{n.recipient_name}: {OFFICIAL_NAMES[n.kind]}", text=n.achievement) for n in awarded
    ]
    return ParsedDocument(
        kind="decision",
        title=f"Về việc tặng {', '.join(kinds)}",
        issuer=str(unit.name),
        parent_issuer=str(unit.parent.name) if unit.parent else None,
        number=decision.number,
        date=decision.decided_on,
        place=None,
        preamble=(
            "Căn cứ Luật Thi đua, khen thưởng năm 2022;\n"
            "Căn cứ Điều lệ Mặt trận Tổ quốc Việt Nam;\n"
            "Xét đề nghị của các đơn vị và kết quả xét duyệt,"
        ),
        sections=[
            Section(number="Điều 1.", title="Tặng khen thưởng cho các tập thể, cá nhân sau:", children=items),
            Section(number="Điều 2.", title=ARTICLE_2),
            Section(number="Điều 3.", title=ARTICLE_3),
        ],
        recipients=["Như Điều 3;", "Lưu: VT."],
        signatory=Signatory(name=decision.signer, title=decision.signer_title),
    )


def decision_docx(decision: AwardDecision) -> bytes:
    return export_docx(decision_document(decision))
