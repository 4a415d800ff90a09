"""A parsed programme written back as DOCX, in the layout of Nghị định 30/2020/NĐ-CP.

A4 with margins 20/20/30/15 mm (top/bottom/left/right), Times New Roman throughout; the header
as a borderless two-column table (issuer and number | national motto and place-date), the kind
and title centred in bold, the body justified with a 1 cm first-line indent, then recipients
and the signatory side by side. Numbers are written out as text ("I.", "2.1.", "a)", "-"),
never as Word lists, so that the file reads back to the same structure.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt

from doanket.core.text import fold

from .structure import ParsedDocument, Section, Signatory

# The media types the download views send (one place, not a copy per module).
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FONT = "Times New Roman"
BODY_SIZE = 14
HEADER_SIZE = 13
LEFT_COLUMN = Mm(70)
RIGHT_COLUMN = Mm(95)  # with the left one: the 165 mm between the margins

KIND_NAMES = {
    "work_program": "CHƯƠNG TRÌNH",
    "coordination_program": "CHƯƠNG TRÌNH",
    "plan": "KẾ HOẠCH",
    "emulation_launch": "PHÁT ĐỘNG",
    "report": "BÁO CÁO",
    "guidance": "HƯỚNG DẪN",
    "decision": "QUYẾT ĐỊNH",
    "circular_letter": "THÔNG TRI",
    "notice": "THÔNG BÁO",
    "social_criticism": "VĂN BẢN PHẢN BIỆN XÃ HỘI",  # the Front's criticism of a draft (Quyết định 217-QĐ/TW)
}
COORDINATION_TITLE = "Phối hợp và thống nhất hành động"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def export_docx(doc: ParsedDocument) -> bytes:
    """The document as a .docx file's bytes."""
    document = docx.Document()
    _page_setup(document)
    _header(document, doc)

    kind = KIND_NAMES.get(doc.kind)
    title = doc.title.strip()
    if doc.kind == "coordination_program" and not fold(title).startswith(fold(COORDINATION_TITLE)):
        # The parser (and the reader) tell a coordination programme by its title's opening words.
        title = f"{COORDINATION_TITLE} {title}".strip()
    if kind:
        _centred(document, kind, size=BODY_SIZE, bold=True, space_before=12)
    if title:
        _centred(document, title, size=BODY_SIZE, bold=True)
        _rule(document, Mm(40), Mm(165))

    theme = (doc.theme or "").strip()
    preamble = _paragraphs(doc.preamble)
    if theme and not _mentions(doc, theme):
        # The theme is otherwise quoted in the text ("Chủ đề ... “…”"), where the parser finds it.
        preamble.append(f"Chủ đề năm {doc.year}: “{theme}”." if doc.year else f"Chủ đề: “{theme}”.")
    for text in preamble:
        _body(document, text)
    for section in doc.sections:
        _section(document, section)
    for text in _paragraphs(doc.closing):
        _body(document, text)
    _footer(document, doc.recipients, doc.signatory)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Page and header -----------------------------------------------------------------------------


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _all_scripts(normal.element.get_or_add_rPr())
    # The complex-script size as well, which Word uses for any text it classes as complex script.
    normal.element.get_or_add_rPr().insert_element_before(
        parse_xml(f'<w:szCs {nsdecls("w")} w:val="{BODY_SIZE * 2}"/>'), *_AFTER_SZCS
    )
    normal.paragraph_format.space_after = Pt(0)


def _header(document: Any, doc: ParsedDocument) -> None:
    left, right = _two_columns(document)
    if doc.parent_issuer:
        _centred(left, doc.parent_issuer.upper(), size=HEADER_SIZE)
    if doc.issuer:
        _centred(left, doc.issuer.upper(), size=HEADER_SIZE, bold=True)
        _rule(left, Mm(25), LEFT_COLUMN)
    _centred(left, f"Số: {doc.number or '     /'}", size=HEADER_SIZE)
    _centred(right, NATION, size=12, bold=True)
    _centred(right, MOTTO, size=HEADER_SIZE, bold=True)
    _rule(right, Mm(45), RIGHT_COLUMN)
    _centred(right, _place_and_date(doc.place, doc.date, doc.year), size=HEADER_SIZE, italic=True)


def _place_and_date(place: str | None, date: dt.date | None, year: int | None) -> str:
    """ND30: days under 10 and the months January and February take a leading zero."""
    if date is not None:
        month = f"{date.month:02d}" if date.month < 3 else str(date.month)
        when = f"ngày {date.day:02d} tháng {month} năm {date.year}"
    else:
        when = f"ngày      tháng      năm {year or ''}".rstrip()
    return f"{place}, {when}" if place else when[:1].upper() + when[1:]


def _two_columns(document: Any) -> tuple[Any, Any]:
    """A borderless one-row table of two cells (header, signature block)."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    table._tbl.tblPr.insert_element_before(
        parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"), *_AFTER_TBLBORDERS
    )
    for column, width in zip(table.columns, (LEFT_COLUMN, RIGHT_COLUMN), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table.cell(0, 0), table.cell(0, 1)


# --- Body ----------------------------------------------------------------------------------------


def _section(document: Any, section: Section) -> None:
    has_children = bool(section.children)
    marker, bold, italic = _marker(section.number, has_children)
    texts = _paragraphs(section.text)
    title = section.title.strip()
    paragraph = _body_paragraph(document)
    if marker:
        _run(paragraph, marker, size=BODY_SIZE, bold=bold, italic=italic)
    if title:
        _run(paragraph, title, size=BODY_SIZE, bold=bold, italic=italic)
    elif texts:
        _run(paragraph, texts.pop(0), size=BODY_SIZE)  # an item whose words are all text: "- Tổ chức ..."
    for text in texts:
        _body(document, text)
    for child in section.children:
        _section(document, child)


_ROMAN = re.compile(r"[IVXLC]+")
_WORD_NUMBER = re.compile(r"(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|BƯỚC|Bước|ĐIỀU|Điều)\s+\S+")


def _marker(number: str, has_children: bool) -> tuple[str, bool, bool]:
    """(marker as written, bold, italic) for a section number as the source wrote it."""
    number = number.strip()
    if number in ("-", "–", "—", "•", "+"):
        return ("+ " if number == "+" else "- "), False, False
    number = number.rstrip(".)").strip()
    if not number:
        return "", False, False
    if _ROMAN.fullmatch(number):
        return f"{number}. ", True, False
    if number.isdigit():
        return f"{number}. ", has_children, False
    if re.fullmatch(r"\d+(?:\.\d+)+", number):
        return f"{number}. ", has_children, has_children
    if re.fullmatch(r"[a-zđ]", number):
        return f"{number}) ", False, False
    if re.fullmatch(r"[A-ZĐ]", number) or _WORD_NUMBER.fullmatch(number):
        return f"{number}. ", True, False
    return f"{number} ", False, False


def _body(document: Any, text: str) -> None:
    _run(_body_paragraph(document), text, size=BODY_SIZE)


def _body_paragraph(document: Any) -> Any:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.first_line_indent = Cm(1)
    layout.space_before = Pt(6)
    layout.space_after = Pt(0)
    return paragraph


# --- Recipients and signatory --------------------------------------------------------------------


def _footer(document: Any, recipients: list[str], signatory: Signatory | None) -> None:
    names = [recipient.strip().rstrip(" ;,.") for recipient in recipients if recipient.strip(" ;,.")]
    if not names and signatory is None:
        return
    _centred(document, "", size=BODY_SIZE)  # air between the body and the signature block
    left, right = _two_columns(document)
    if names:
        heading = _cell_paragraph(left)
        _run(heading, "Nơi nhận:", size=12, bold=True, italic=True)
        for index, name in enumerate(names):
            line = _cell_paragraph(left)
            _run(line, f"- {name}{'.' if index == len(names) - 1 else ';'}", size=11)
    if signatory is not None:
        if signatory.on_behalf_of:
            _centred(right, signatory.on_behalf_of.upper(), size=BODY_SIZE, bold=True)
        if signatory.signing_for:
            _centred(right, signatory.signing_for.upper(), size=BODY_SIZE, bold=True)
        if signatory.title:
            _centred(right, signatory.title.upper(), size=BODY_SIZE, bold=True)
        for _ in range(3):
            _centred(right, "", size=BODY_SIZE)  # room for the signature and the seal
        if signatory.name:
            _centred(right, signatory.name, size=BODY_SIZE, bold=True)


# --- Small pieces ----------------------------------------------------------------------------------

# Elements that must follow the ones added here: Word refuses properties out of the schema's order.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_SZCS = (
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
    "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text or "") if part.strip()]


def _mentions(doc: ParsedDocument, words: str) -> bool:
    target = fold(words)
    texts = [doc.title, doc.preamble, doc.closing, *(f"{s.title} {s.text}" for s in doc.walk())]
    return any(target in fold(text) for text in texts)


def _new_paragraph(container: Any) -> Any:
    """A new paragraph at the end of the document or cell (a new cell's empty first one is used)."""
    if hasattr(container, "_tc"):
        first = container.paragraphs[0]
        if len(container.paragraphs) == 1 and not first.runs and first._p.pPr is None:
            return first
    return container.add_paragraph()


def _cell_paragraph(cell: Any) -> Any:
    paragraph = _new_paragraph(cell)
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _centred(
    container: Any,
    text: str,
    *,
    size: int,
    bold: bool = False,
    italic: bool = False,
    space_before: int = 0,
) -> Any:
    paragraph = _new_paragraph(container)
    layout = paragraph.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout.space_before = Pt(space_before)
    layout.space_after = Pt(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    else:
        _mark_size(paragraph, size)
    return paragraph


def _rule(container: Any, width: Any, available: Any) -> None:
    """ND30's short horizontal line: an empty centred paragraph with a bottom border, narrowed by indents."""
    paragraph = _new_paragraph(container)
    layout = paragraph.paragraph_format
    layout.alignment = WD_ALIGN_PARAGRAPH.CENTER
    layout.left_indent = layout.right_indent = Emu(max((available - width) // 2, 0))
    layout.space_after = Pt(6)
    properties = paragraph._p.get_or_add_pPr()
    border = f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
    properties.insert_element_before(parse_xml(border), *_AFTER_PBDR)
    _mark_size(paragraph, 4)  # a thin paragraph: the line sits close under the text above


def _mark_size(paragraph: Any, size: int) -> None:
    """Font and size of the paragraph mark: an empty paragraph's height."""
    properties = paragraph._p.get_or_add_pPr()
    mark = parse_xml(
        f'<w:rPr {nsdecls("w")}><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/></w:rPr>'
    )
    properties.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _run(paragraph: Any, text: str, *, size: int, bold: bool = False, italic: bool = False) -> Any:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    properties = run._r.get_or_add_rPr()
    _all_scripts(properties)
    properties.insert_element_before(parse_xml(f'<w:szCs {nsdecls("w")} w:val="{size * 2}"/>'), *_AFTER_SZCS)
    return run


def _all_scripts(properties: Any) -> None:
    """Times New Roman in every script slot, so that no part of Vietnamese falls back to another font."""
    fonts = properties.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
