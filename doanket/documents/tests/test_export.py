"""Exporting a programme as DOCX: the layout of Nghị định 30/2020/NĐ-CP, and a round trip through the parser."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from doanket.documents.export import export_docx
from doanket.documents.parser import parse
from doanket.documents.readers import read_document
from doanket.documents.structure import ParsedDocument, Section, Signatory

THEME = "Đoàn kết, dân chủ; năng động, sáng tạo; tận tụy, trách nhiệm; chất lượng, hiệu quả"


def plan() -> ParsedDocument:
    return ParsedDocument(
        kind="plan",
        title="Tổ chức các hoạt động kỷ niệm 92 năm Ngày thành lập Mặt trận Dân tộc thống nhất Việt Nam",
        issuer="ỦY BAN MTTQ VIỆT NAM TỈNH LÀO CAI",
        place="Lào Cai",
        date=dt.date(2022, 1, 15),
        year=2022,
        number="16/KH-MTTQ-BTT",
        theme=THEME,
        preamble=(
            "Căn cứ Nghị quyết Đại hội MTTQ Việt Nam tỉnh Lào Cai lần thứ XV, nhiệm kỳ 2019-2024, "
            "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh xây dựng kế hoạch như sau:"
        ),
        sections=[
            Section("I", "CHỦ ĐỀ CÔNG TÁC NĂM", f"Chủ đề hoạt động trong công tác Mặt trận năm 2022 “{THEME}”."),
            Section(
                "II",
                "MỤC ĐÍCH, YÊU CẦU",
                children=[
                    Section("1", "Mục đích", "Tuyên truyền sâu rộng về truyền thống vẻ vang của Mặt trận."),
                    Section(
                        "2",
                        "Yêu cầu",
                        children=[
                            Section(
                                "2.1",
                                "Về nội dung",
                                "Bảo đảm thiết thực, hiệu quả.\n\nPhù hợp với tình hình thực tế.",
                                children=[
                                    Section("-", "Bám sát chủ đề công tác năm."),
                                    Section("-", "Tiết kiệm, tránh hình thức."),
                                ],
                            ),
                            Section("2.2", "Về hình thức", "Phong phú, đa dạng."),
                        ],
                    ),
                ],
            ),
        ],
        closing="Trên đây là Kế hoạch của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Lào Cai.",
        recipients=["Ban TT UB TWMTTQ Việt Nam", "TT Tỉnh ủy; HĐND, UBND tỉnh;", "Lưu VT."],
        signatory=Signatory(name="Giàng Seo Vân", title="CHỦ TỊCH", on_behalf_of="TM. BAN THƯỜNG TRỰC"),
    )


def opened(doc: ParsedDocument) -> Any:
    return docx.Document(io.BytesIO(export_docx(doc)))


def texts(container: Any) -> list[str]:
    return [p.text for p in container.paragraphs if p.text.strip()]


def paragraph(document: Any, starting: str) -> Any:
    return next(p for p in document.paragraphs if p.text.startswith(starting))


def is_bold(paragraph: Any) -> bool:
    return all(run.bold for run in paragraph.runs if run.text.strip())


def is_italic(paragraph: Any) -> bool:
    return all(run.italic for run in paragraph.runs if run.text.strip())


def sizes(paragraph: Any) -> set[float]:
    return {run.font.size.pt for run in paragraph.runs if run.text.strip()}


def all_paragraphs(document: Any) -> list[Any]:
    found = list(document.paragraphs)
    for table in document.tables:
        for cell in table._cells:
            found.extend(cell.paragraphs)
    return found


# --- Layout --------------------------------------------------------------------------------------


def test_a4_page_and_margins() -> None:
    section = opened(plan()).sections[0]
    measured = {
        "width": section.page_width.mm,
        "height": section.page_height.mm,
        "top": section.top_margin.mm,
        "bottom": section.bottom_margin.mm,
        "left": section.left_margin.mm,
        "right": section.right_margin.mm,
    }
    expected = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
    assert measured == pytest.approx(expected, abs=0.1)


def test_times_new_roman_everywhere() -> None:
    document = opened(plan())
    runs = [run for p in all_paragraphs(document) for run in p.runs if run.text.strip()]
    assert runs
    for run in runs:
        fonts = run._r.rPr.rFonts
        assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
        assert 11 <= run.font.size.pt <= 14
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_header_table() -> None:
    document = opened(plan())
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert texts(left) == ["ỦY BAN MTTQ VIỆT NAM TỈNH LÀO CAI", "Số: 16/KH-MTTQ-BTT"]
    issuer, number = (p for p in left.paragraphs if p.text.strip())
    assert is_bold(issuer) and sizes(issuer) == {13}
    assert not any(run.bold for run in number.runs) and sizes(number) == {13}
    assert texts(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 15 tháng 01 năm 2022",
    ]
    nation, motto, date = (p for p in right.paragraphs if p.text.strip())
    assert is_bold(nation) and is_bold(motto) and not is_italic(motto)
    assert is_italic(date) and not any(run.bold for run in date.runs)
    for p in left.paragraphs + right.paragraphs:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # Borderless, and two rules: under the issuer and under the motto.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    ruled = [p for p in left.paragraphs + right.paragraphs if p._p.pPr.find(qn("w:pBdr")) is not None]
    assert len(ruled) == 2 and all(not p.text for p in ruled)


def test_parent_issuer_and_missing_number() -> None:
    doc = plan()
    doc.parent_issuer = "Ủy ban Trung ương MTTQ Việt Nam"
    doc.number = None
    left = opened(doc).tables[0].rows[0].cells[0]
    parent, issuer, number = (p for p in left.paragraphs if p.text.strip())
    assert parent.text == "ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM"
    assert not any(run.bold for run in parent.runs)
    assert is_bold(issuer)
    assert number.text.replace(" ", "") == "Số:/"


@pytest.mark.parametrize(
    ("date", "year", "expected"),
    [
        (dt.date(2022, 1, 15), 2022, "Lào Cai, ngày 15 tháng 01 năm 2022"),
        (dt.date(2022, 2, 5), 2022, "Lào Cai, ngày 05 tháng 02 năm 2022"),
        (dt.date(2022, 3, 9), 2022, "Lào Cai, ngày 09 tháng 3 năm 2022"),
        (dt.date(2021, 12, 20), 2021, "Lào Cai, ngày 20 tháng 12 năm 2021"),
        (None, 2023, "Lào Cai, ngày      tháng      năm 2023"),
        (None, None, "Lào Cai, ngày      tháng      năm"),
    ],
)
def test_place_and_date_line(date: dt.date | None, year: int | None, expected: str) -> None:
    doc = plan()
    doc.date, doc.year = date, year
    right = opened(doc).tables[0].rows[0].cells[1]
    assert texts(right)[-1] == expected


@pytest.mark.parametrize(
    ("kind", "line"),
    [
        ("work_program", "CHƯƠNG TRÌNH"),
        ("plan", "KẾ HOẠCH"),
        ("emulation_launch", "PHÁT ĐỘNG"),
        ("report", "BÁO CÁO"),
        ("guidance", "HƯỚNG DẪN"),
        ("decision", "QUYẾT ĐỊNH"),
        ("circular_letter", "THÔNG TRI"),
        ("notice", "THÔNG BÁO"),
    ],
)
def test_kind_and_title_lines(kind: str, line: str) -> None:
    doc = plan()
    doc.kind = kind
    document = opened(doc)
    body = texts(document)
    assert body[:2] == [line, doc.title]
    for p in document.paragraphs[:2]:
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and is_bold(p) and sizes(p) == {14}


def test_other_kind_has_no_kind_line() -> None:
    doc = plan()
    doc.kind = "other"
    assert texts(opened(doc))[0] == doc.title


def test_coordination_programme_title() -> None:
    doc = plan()
    doc.kind = "coordination_program"
    doc.title = "năm 2022 của Ủy ban MTTQ Việt Nam tỉnh Lào Cai"
    expected = "Phối hợp và thống nhất hành động năm 2022 của Ủy ban MTTQ Việt Nam tỉnh Lào Cai"
    assert texts(opened(doc))[:2] == ["CHƯƠNG TRÌNH", expected]
    doc.title = "Phối hợp và thống nhất hành động năm 2022"
    assert texts(opened(doc))[1] == "Phối hợp và thống nhất hành động năm 2022"


def test_body_paragraphs() -> None:
    document = opened(plan())
    preamble = paragraph(document, "Căn cứ")
    layout = preamble.paragraph_format
    assert preamble.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert layout.first_line_indent.cm == pytest.approx(1, abs=0.01)
    assert layout.space_before.pt == 6
    assert sizes(preamble) == {14}
    assert "Trên đây là Kế hoạch" in texts(document)[-1]


def test_section_numbers_as_written() -> None:
    doc = plan()
    doc.sections.append(
        Section(
            "III",
            "TỔ CHỨC THỰC HIỆN",
            children=[
                Section("a", "Chữ cái", children=[Section("+", "Dấu cộng")]),
                Section("Điều 1", "Phạm vi"),
                Section("3", "", "Một mục chỉ có lời."),
            ],
        )
    )
    document = opened(doc)
    body = texts(document)
    for line in (
        "I. CHỦ ĐỀ CÔNG TÁC NĂM",
        "1. Mục đích",
        "2. Yêu cầu",
        "2.1. Về nội dung",
        "- Bám sát chủ đề công tác năm.",
        "2.2. Về hình thức",
        "a) Chữ cái",
        "+ Dấu cộng",
        "Điều 1. Phạm vi",
        "3. Một mục chỉ có lời.",
    ):
        assert line in body
    assert body.index("2.1. Về nội dung") + 1 == body.index("Bảo đảm thiết thực, hiệu quả.")
    assert is_bold(paragraph(document, "I. CHỦ ĐỀ"))
    assert is_bold(paragraph(document, "2. Yêu cầu"))  # has children
    assert not any(run.bold for run in paragraph(document, "1. Mục đích").runs)  # a leaf
    numbered = paragraph(document, "2.1. Về")
    assert is_bold(numbered) and is_italic(numbered)
    assert not any(run.bold for run in paragraph(document, "2.2. Về").runs)
    assert not any(run.bold for run in paragraph(document, "a) Chữ").runs)
    assert is_bold(paragraph(document, "Điều 1."))


def test_recipients_and_signatory() -> None:
    document = opened(plan())
    left, right = document.tables[-1].rows[0].cells
    assert texts(left) == [
        "Nơi nhận:",
        "- Ban TT UB TWMTTQ Việt Nam;",
        "- TT Tỉnh ủy; HĐND, UBND tỉnh;",
        "- Lưu VT.",
    ]
    heading, *recipients = (p for p in left.paragraphs if p.text.strip())
    assert is_bold(heading) and is_italic(heading) and sizes(heading) == {12}
    assert all(sizes(p) == {11} for p in recipients)
    lines = [p.text for p in right.paragraphs]
    assert lines == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "", "", "", "Giàng Seo Vân"]
    assert all(is_bold(p) for p in right.paragraphs if p.text)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right.paragraphs)


def test_signing_for_line() -> None:
    doc = plan()
    doc.signatory = Signatory(name="Nguyễn Văn A", title="PHÓ CHỦ TỊCH", on_behalf_of="TM. BAN THƯỜNG TRỰC")
    doc.signatory.signing_for = "KT. CHỦ TỊCH"
    right = opened(doc).tables[-1].rows[0].cells[1]
    assert texts(right) == ["TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]


def test_empty_parts_are_left_out() -> None:
    doc = ParsedDocument(kind="notice", title="Về lịch làm việc", issuer="BAN THƯỜNG TRỰC")
    document = opened(doc)
    assert len(document.tables) == 1  # no recipients, no signatory: no signature table
    assert texts(document) == ["THÔNG BÁO", "Về lịch làm việc"]


def test_theme_not_in_the_text_is_stated() -> None:
    doc = plan()
    doc.sections = doc.sections[1:]
    assert f"Chủ đề năm 2022: “{THEME}”." in texts(opened(doc))
    assert parse(read_document(export_docx(doc), "a.docx").text).theme == THEME


# --- Round trip: export, read back, parse --------------------------------------------------------


def test_round_trip_through_reader_and_parser() -> None:
    original = plan()
    extracted = read_document(export_docx(original), "ke-hoach-16.docx")
    assert extracted.format == "docx"
    back = parse(extracted.text)
    assert back.kind == original.kind
    assert back.title == original.title
    assert back.issuer == original.issuer
    assert back.number == original.number
    assert back.place == original.place
    assert back.date == original.date
    assert back.year == original.year
    assert back.theme == original.theme
    assert back.preamble == original.preamble
    assert [s.to_json() for s in back.sections] == [s.to_json() for s in original.sections]
    assert back.closing == original.closing
    assert back.recipients == ["Ban TT UB TWMTTQ Việt Nam", "TT Tỉnh ủy; HĐND, UBND tỉnh", "Lưu VT"]
    assert back.signatory is not None and original.signatory is not None
    assert (back.signatory.name, back.signatory.title, back.signatory.on_behalf_of) == (
        original.signatory.name,
        original.signatory.title,
        original.signatory.on_behalf_of,
    )


def test_round_trip_of_a_coordination_programme_without_a_date() -> None:
    original = plan()
    original.kind = "coordination_program"
    original.title = "Phối hợp và thống nhất hành động năm 2022"
    original.date = None
    back = parse(read_document(export_docx(original), "a.docx").text)
    assert (back.kind, back.title, back.date, back.year, back.place) == (
        "coordination_program",
        original.title,
        None,
        2022,
        "Lào Cai",
    )
