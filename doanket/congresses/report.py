"""The review of a term's resolution as a DOCX report (``documents.export``)."""

from __future__ import annotations

from doanket.congresses.services import Review, ReviewKind
from doanket.documents.export import export_docx
from doanket.documents.structure import ParsedDocument, Section
from doanket.reporting.values import format_number


def _figure(value: object) -> str:
    return format_number(value) if isinstance(value, int | float) else "chưa có số liệu"


def document(result: Review) -> ParsedDocument:
    congress = result.congress
    unit = congress.unit
    word = "Sơ kết giữa nhiệm kỳ" if result.kind == ReviewKind.MID else "Tổng kết nhiệm kỳ"
    lines = []
    for n, line in enumerate(result.lines, start=1):
        target = line.target
        text = f"Chỉ tiêu: {format_number(target.value)} {target.measure}".rstrip()
        text += f". Thực hiện đến {result.until:%d/%m/%Y}: {_figure(line.actual)} {target.measure}".rstrip()
        if line.percent is not None:
            text += f" ({line.percent}%)"
        text += ", đạt." if line.reached else ", chưa đạt." if line.actual is not None else "."
        if line.source_label:
            text += f"\nNguồn: báo cáo “{line.source_label}”, tổng hợp của {unit.name}."
        lines.append(Section(number=f"{n}.", title=target.text, text=text))
    sections = [
        Section(
            number="I.",
            title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            text=(
                f"Từ {result.start:%d/%m/%Y} đến {result.until:%d/%m/%Y}, theo số liệu báo cáo đã tổng hợp "
                "trên hệ thống."
            ),
            children=lines,
        )
    ]
    return ParsedDocument(
        kind="report",
        title=f"{word} thực hiện Nghị quyết {congress.name}, nhiệm kỳ {congress.term.name}",
        issuer=str(unit.name),
        parent_issuer=str(unit.parent.name) if unit.parent else None,
        date=result.until,
        year=result.until.year,
        sections=sections,
        recipients=["Thường trực cấp ủy cùng cấp;", "Lưu: VT."],
    )


def review_docx(result: Review) -> bytes:
    return export_docx(document(result))
