"""Social criticism of draft policies (phản biện xã hội, Quyết định 217-QĐ/TW).

A state body sends a draft; the unit registers it with its text, read into its numbered parts by
the work-programme importer (Điều 1, Điều 2 …), and its deadline. Opinions are gathered — experts,
the advisory councils, member organisations, a criticism conference — each against the part it
addresses. The criticism's points are drafted from them (one per part, the officers edit them), the
criticism is sent under a number, date and signer and written out in the official layout, and the
drafting body's answer is recorded point by point.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.documents.export import export_docx
from doanket.documents.parser import parse
from doanket.documents.readers import DocumentError, read_document
from doanket.documents.structure import ParsedDocument, Section, Signatory
from doanket.organizations.models import Level, Unit
from doanket.supervision.models import (
    CriticismOpinion,
    CriticismPoint,
    Draft,
    DraftPart,
    DraftState,
    Reception,
    SourceKind,
)
from doanket.supervision.services import SupervisionError, require_edit

SOURCES_VI = {
    SourceKind.EXPERT: "chuyên gia",
    SourceKind.COUNCIL: "Hội đồng tư vấn",
    SourceKind.MEMBER: "tổ chức thành viên",
    SourceKind.CONFERENCE: "hội nghị phản biện",
    SourceKind.OTHER: "ý kiến khác",
}


def _flat(section: Section) -> str:
    lines = [section.text] if section.text else []
    for child in section.children:
        head = f"{child.number}. {child.title}" if child.number else child.title
        lines.append(f"{head} {_flat(child)}".strip())
    return nfc_lines("\n".join(lines))


def read_draft(data: bytes, filename: str) -> tuple[ParsedDocument, str]:
    try:
        text = read_document(data, filename).text
    except DocumentError as exc:
        raise SupervisionError(str(exc)) from exc
    return parse(text), text


@transaction.atomic
def register(
    actor: Any,
    unit: Unit,
    *,
    drafting_body: str,
    received_on: dt.date,
    due_on: dt.date,
    title: str = "",
    text: str = "",
    source_name: str = "",
) -> Draft:
    """A draft received for criticism; its parts read from its text."""
    require_edit(actor, unit)
    if unit.level == Level.VILLAGE:
        raise SupervisionError(_("A village board does not conduct social criticism; its commune's committee does."))
    if due_on < received_on:
        raise SupervisionError(_("The criticism is due before the draft was received."))
    text = nfc_lines(text)
    parsed = parse(text) if text.strip() else None
    title = nfc(title) or (nfc(parsed.title) if parsed else "")
    if not title or not nfc(drafting_body):
        raise SupervisionError(_("Give the draft's title and the body that drafted it."))
    draft = Draft.objects.create(
        unit=unit,
        title=title[:500],
        drafting_body=drafting_body,
        received_on=received_on,
        due_on=due_on,
        text=text,
        source_name=source_name[:255],
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, draft)
    if parsed is not None:
        DraftPart.objects.bulk_create(
            DraftPart(draft=draft, position=n, number=s.number[:40], title=nfc(s.title)[:500], text=_flat(s))
            for n, s in enumerate(parsed.sections, 1)
        )
    return draft


def _gathering(draft: Draft) -> None:
    """Refuse once the criticism is sent, as the database says (another officer may have sent it)."""
    if Draft.objects.filter(pk=draft.pk).values_list("state", flat=True).first() != DraftState.GATHERING:
        raise SupervisionError(_("The criticism of this draft has been sent: its opinions and points are closed."))


@transaction.atomic
def add_opinion(
    actor: Any, draft: Draft, *, source_kind: str, author: str, text: str, part: DraftPart | None = None
) -> CriticismOpinion:
    require_edit(actor, draft.unit)
    _gathering(draft)
    if part is not None and part.draft_id != draft.pk:
        raise SupervisionError(_("The part chosen is not a part of this draft."))
    if not (nfc(author) and nfc_lines(text)):
        raise SupervisionError(_("Say whose opinion it is and what it says."))
    made = CriticismOpinion.objects.create(
        draft=draft, part=part, source_kind=source_kind, author=author, text=text, recorded_by=audit.user_of(actor)
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def compose(actor: Any, draft: Draft) -> list[CriticismPoint]:
    """Draft the criticism's points from the opinions: one per part that drew opinions (the draft
    as a whole first), each opinion a line with its source. Replaces the points drafted before."""
    require_edit(actor, draft.unit)
    _gathering(draft)
    opinions = list(draft.opinions.select_related("part"))
    if not opinions:
        raise SupervisionError(_("Gather opinions on the draft before drafting the criticism."))
    by_part: dict[int | None, list[CriticismOpinion]] = defaultdict(list)
    for opinion in opinions:
        by_part[opinion.part_id].append(opinion)
    order = sorted(by_part, key=lambda pk: -1 if pk is None else by_part[pk][0].part.position)  # type: ignore[union-attr]
    old = list(draft.points.all())
    audit.record_all(audit.entry(actor, AuditAction.DELETE, p) for p in old)
    draft.points.all().delete()
    made = []
    for position, part_id in enumerate(order, 1):
        lines = [f"- {o.text} ({SOURCES_VI[SourceKind(o.source_kind)]}: {o.author})" for o in by_part[part_id]]
        point = CriticismPoint(draft=draft, position=position, part_id=part_id, text="\n".join(lines))
        point.save()
        made.append(point)
    audit.record_all(audit.entry(actor, AuditAction.CREATE, p) for p in made)
    return made


@transaction.atomic
def edit_point(actor: Any, point: CriticismPoint, *, text: str) -> CriticismPoint:
    require_edit(actor, point.draft.unit)
    _gathering(point.draft)
    if not nfc_lines(text):
        raise SupervisionError(_("A point of the criticism cannot be empty."))
    before = audit.snapshot(point)
    point.text = text
    point.save()
    audit.record(actor, AuditAction.UPDATE, point, before=before)
    return point


@transaction.atomic
def issue(actor: Any, draft: Draft, *, number: str, issued_on: dt.date, signer: str, signer_title: str) -> Draft:
    """Send the criticism: its number, date and signer; the points are closed from then on."""
    require_edit(actor, draft.unit)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    _gathering(draft)
    if not draft.points.exists():
        raise SupervisionError(_("Draft the criticism's points before sending it."))
    if not (nfc(number) and nfc(signer) and nfc(signer_title)):
        raise SupervisionError(_("Give the criticism's number, its signer and the signer's title."))
    before = audit.snapshot(draft)
    draft.number, draft.issued_on, draft.signer, draft.signer_title = number, issued_on, signer, signer_title
    draft.state = DraftState.ISSUED
    draft.save()
    audit.record(actor, AuditAction.UPDATE, draft, before=before)
    return draft


@transaction.atomic
def record_reception(actor: Any, point: CriticismPoint, *, reception: str, answer_text: str) -> CriticismPoint:
    """The drafting body's answer to one point; the draft is answered when every point is."""
    require_edit(actor, point.draft.unit)
    draft = Draft.objects.select_for_update().get(pk=point.draft_id)
    if draft.state == DraftState.GATHERING:
        raise SupervisionError(_("The criticism has not been sent yet: there is no answer to record."))
    if reception != Reception.NONE and not nfc_lines(answer_text) and reception != Reception.ACCEPTED:
        raise SupervisionError(_("Write what the drafting body answered."))
    before = audit.snapshot(point)
    point.reception, point.answer_text = reception, answer_text
    point.save()
    audit.record(actor, AuditAction.UPDATE, point, before=before)
    answered = not draft.points.filter(reception=Reception.NONE).exists()
    state = DraftState.ANSWERED if answered else DraftState.ISSUED
    if draft.state != state:
        before = audit.snapshot(draft)
        draft.state = state
        draft.save(update_fields=["state"])
        audit.record(actor, AuditAction.UPDATE, draft, before=before)
    return point


def document(draft: Draft) -> ParsedDocument:
    """The criticism in the official layout: the unit's header, "VĂN BẢN PHẢN BIỆN XÃ HỘI", the
    grounds and how the opinions were gathered, the general and the specific points, the signature."""
    unit = draft.unit
    points = list(draft.points.select_related("part"))
    counted = Counter(draft.opinions.values_list("source_kind", flat=True))
    gathered = ", ".join(f"{n} ý kiến {SOURCES_VI[SourceKind(kind)]}" for kind, n in sorted(counted.items()))
    general = [p for p in points if p.part is None]
    specific = [p for p in points if p.part is not None]
    sections = []
    if general:
        sections.append(Section(number="I.", title="Ý KIẾN CHUNG", text="\n".join(p.text for p in general)))
    sections.append(
        Section(
            number="II." if general else "I.",
            title="Ý KIẾN CỤ THỂ",
            children=[Section(number="-", title=str(p.part), text=p.text) for p in specific],
        )
    )
    return ParsedDocument(
        kind="social_criticism",
        title=f"Đối với dự thảo: {draft.title}",
        issuer=str(unit.name),
        parent_issuer=str(unit.parent.name) if unit.parent else None,
        number=draft.number or None,
        date=draft.issued_on,
        preamble=(
            "Căn cứ Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị ban hành Quy chế giám sát và "
            "phản biện xã hội của Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội;\n"
            f"Thực hiện đề nghị của {draft.drafting_body} (nhận ngày {draft.received_on:%d/%m/%Y}), "
            f"{unit.name} đã tổ chức lấy ý kiến phản biện ({gathered or 'chưa có ý kiến'}) và có ý kiến "
            "phản biện như sau:"
        ),
        sections=sections,
        recipients=[f"{draft.drafting_body};", "Lưu: VT."],
        signatory=Signatory(name=draft.signer, title=draft.signer_title) if draft.signer else None,
    )


def criticism_docx(draft: Draft) -> bytes:
    return export_docx(document(draft))
