"""The report of a year's supervision (báo cáo kết quả giám sát) in the official layout: each
supervision with its subject, form, time, findings and recommendations with their answers. An
ethics supervision appears by its topic only: its persons and conclusions are reported separately
by the officers assigned, never in a document anyone in the unit can download."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doanket.documents.export import export_docx
from doanket.documents.structure import ParsedDocument, Section
from doanket.supervision import services
from doanket.supervision.models import Answer, Recommendation, State, SupervisionPlan

# The document is Vietnamese whatever the reader's language.
FORMS_VI = {
    "documents": "Nghiên cứu văn bản, báo cáo",
    "team": "Đoàn giám sát",
    "inspection_board": "Thông qua Ban Thanh tra nhân dân",
    "community_board": "Thông qua Ban Giám sát đầu tư của cộng đồng",
    "conference": "Hội nghị, đối thoại",
}
PROGRESS_VI = {"planned": "Chưa tiến hành", "under_way": "Đang tiến hành", "done": "Đã hoàn thành"}
STATES_VI = {
    State.ANSWERED: "đã trả lời",
    State.PARTLY: "trả lời một phần",
    State.WAITING: "chưa trả lời (còn hạn)",
    State.OVERDUE: "quá hạn chưa trả lời",
}


def _when(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    return f"{(start or end):%d/%m/%Y}" if (start or end) else "chưa định"


def _recommendation(rec: Recommendation, today: dt.date) -> Section:
    line = f"Gửi {rec.addressee}, hạn trả lời {rec.due_on:%d/%m/%Y}: {STATES_VI[State(rec.state(today))]}."
    if rec.answer != Answer.NONE:
        line += f" Trả lời ngày {rec.answered_on:%d/%m/%Y}: {rec.answer_text}"
    return Section(number="-", title=rec.text, text=line)


def document(plan: SupervisionPlan, today: dt.date | None = None) -> ParsedDocument:
    today = today or timezone.localdate()
    supervisions = list(plan.supervisions.prefetch_related("recommendations"))
    totals = services.tally(Recommendation.objects.filter(supervision__plan=plan), today)
    done = sum(1 for s in supervisions if s.progress == "done")
    sections = [
        Section(
            number="I.",
            title="KẾT QUẢ CHUNG",
            text=(
                f"Kế hoạch có {len(supervisions)} cuộc giám sát, đã hoàn thành {done}. "
                f"Đã kiến nghị {totals['total']} nội dung: {totals[State.ANSWERED]} đã được trả lời, "
                f"{totals[State.PARTLY]} trả lời một phần, {totals[State.WAITING]} chưa đến hạn, "
                f"{totals[State.OVERDUE]} quá hạn chưa trả lời."
            ),
        )
    ]
    items = []
    for position, supervision in enumerate(supervisions, 1):
        if supervision.sensitive:
            items.append(
                Section(
                    number=f"{position}.",
                    title=supervision.topic,
                    text=(
                        f"Hình thức: {FORMS_VI[supervision.form]}. Thời gian: "
                        f"{_when(supervision.starts_on, supervision.ends_on)}. Tiến độ: "
                        f"{PROGRESS_VI[supervision.progress]}. Kết quả giám sát theo Quy định 124-QĐ/TW "
                        "được báo cáo riêng theo chế độ mật."
                    ),
                )
            )
            continue
        text = (
            f"Đối tượng giám sát: {supervision.subject or 'chưa ghi'}. Hình thức: {FORMS_VI[supervision.form]}. "
            f"Thời gian: {_when(supervision.starts_on, supervision.ends_on)}. "
            f"Tiến độ: {PROGRESS_VI[supervision.progress]}."
        )
        if supervision.findings:
            text += f"\nKết quả: {supervision.findings}"
        items.append(
            Section(
                number=f"{position}.",
                title=supervision.topic,
                text=text,
                children=[_recommendation(r, today) for r in supervision.recommendations.all()],
            )
        )
    sections.append(Section(number="II.", title="KẾT QUẢ TỪNG CUỘC GIÁM SÁT", children=items))
    sections.append(
        Section(
            number="III.",
            title="KIẾN NGHỊ CHƯA ĐƯỢC TRẢ LỜI",
            text="Đề nghị các cơ quan, đơn vị có kiến nghị quá hạn trả lời bằng văn bản trong tháng tới."
            if totals[State.OVERDUE]
            else "Không có kiến nghị quá hạn.",
        )
    )
    unit = plan.unit
    return ParsedDocument(
        kind="report",
        title=f"Kết quả thực hiện {plan.title[:1].lower()}{plan.title[1:]}",
        issuer=str(unit.name),
        parent_issuer=str(unit.parent.name) if unit.parent else None,
        date=today,
        year=plan.year,
        sections=sections,
        recipients=["Thường trực cấp ủy cùng cấp;", "Lưu: VT."],
    )


def report_docx(plan: SupervisionPlan, today: dt.date | None = None) -> bytes:
    return export_docx(document(plan, today))
