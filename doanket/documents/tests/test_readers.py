"""Reading uploads: real DOCX, PDF and text files made here, and every way of refusing one."""

from __future__ import annotations

import ctypes
import hashlib
import io
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from django.conf import settings
from django.utils import translation
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from doanket.documents.readers import DocumentError, ExtractedText, looks_legacy, read_document

SEEDS = sorted((Path(settings.BASE_DIR) / "demo" / "documents").glob("*.txt"))
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT = next(
    (path for d in FONT_DIRS for path in (d / "DejaVuSerif.ttf", d / "LiberationSerif-Regular.ttf") if path.exists()),
    None,
)
needs_font = pytest.mark.skipif(FONT is None, reason="no TrueType font with Vietnamese glyphs installed")
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

HEADER_LEFT = ["ỦY BAN MTTQ VIỆT NAM", "TỈNH LÀO CAI", "Số: 16/KH-MTTQ-BTT"]
HEADER_RIGHT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Lào Cai, ngày 15 tháng 01 năm 2022",
]


def error_of(data: bytes, filename: str, **kwargs: Any) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_document(data, filename, **kwargs)
    str(caught.value)  # the message formats with its parameters
    return caught.value


# --- Making DOCX files --------------------------------------------------------------------------


def docx_bytes(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def header_table(document: Any) -> None:
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (HEADER_LEFT, HEADER_RIGHT), strict=True):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)


NUMBERING = f"""
<w:abstractNum {W_NS} w:abstractNumId="20">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%4)"/></w:lvl>
  <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
  <w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="+"/></w:lvl>
</w:abstractNum>
<w:abstractNum {W_NS} w:abstractNumId="21">
  <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/>
    <w:pStyle w:val="Muc"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/>
    <w:lvlRestart w:val="0"/></w:lvl>
</w:abstractNum>
<w:num {W_NS} w:numId="1"><w:abstractNumId w:val="20"/></w:num>
<w:num {W_NS} w:numId="2"><w:abstractNumId w:val="20"/>
  <w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
<w:num {W_NS} w:numId="3"><w:abstractNumId w:val="21"/></w:num>
"""


def numbered_document() -> Any:
    """Word auto-numbering only: no "I.", "1.", "a)" or "-" in the paragraphs' own text."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for element in parse_xml(f"<w:numbering {W_NS}>{NUMBERING}</w:numbering>"):
        numbering.append(element)
    # A list style: paragraphs take their number from the style, the level from the numbering.
    muc = document.styles.add_style("Muc", WD_STYLE_TYPE.PARAGRAPH)
    muc.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="3"/></w:numPr>'))
    con = document.styles.add_style("Muc con", WD_STYLE_TYPE.PARAGRAPH)
    con.base_style = muc
    con.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="1"/></w:numPr>'))
    return document


def numbered(document: Any, text: str, ilvl: int | None = None, num_id: int = 1, style: str | None = None) -> None:
    paragraph = document.add_paragraph(text, style=style)
    if ilvl is not None or num_id == 0:
        inner = f'<w:ilvl w:val="{ilvl or 0}"/>' if ilvl is not None else ""
        xml = f'<w:numPr {W_NS}>{inner}<w:numId w:val="{num_id}"/></w:numPr>'
        paragraph._p.get_or_add_pPr().append(parse_xml(xml))


# --- Making PDF files ---------------------------------------------------------------------------


class PdfWriter:
    """A real PDF with real text objects, drawn by pdfium in an embedded TrueType font."""

    def __init__(self, font: Path) -> None:
        self.pdf = pdfium.PdfDocument.new()
        data = font.read_bytes()
        self._font_data = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        self.font = pdfium_raw.FPDFText_LoadFont(self.pdf, self._font_data, len(data), pdfium_raw.FPDF_FONT_TRUETYPE, 1)
        assert self.font

    def _text(self, text: str, size: float) -> Any:
        obj = pdfium_raw.FPDFPageObj_CreateTextObj(self.pdf, self.font, size)
        wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
        assert pdfium_raw.FPDFText_SetText(obj, ctypes.cast(wide, pdfium_raw.FPDF_WIDESTRING))
        return obj

    def width(self, text: str, size: float) -> float:
        obj = self._text(text, size)
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        pdfium_raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        pdfium_raw.FPDFPageObj_Destroy(obj)
        return right.value - left.value

    def page(self, items: list[tuple[float, float, float, str]]) -> None:
        page = self.pdf.new_page(595, 842)
        try:
            for x, y, size, text in items:
                obj = self._text(text, size)
                pdfium_raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
                pdfium_raw.FPDFPage_InsertObject(page, obj)
            page.gen_content()
        finally:
            page.close()

    def finish(self) -> bytes:
        try:
            pdfium_raw.FPDFFont_Close(self.font)
            out = io.BytesIO()
            self.pdf.save(out)
            return out.getvalue()
        finally:
            self.pdf.close()


@dataclass
class Block:
    text: str
    indent: float = 28.0  # first-line indent, as Vietnamese documents have
    centre: bool = False
    size: float = 13.0


LEFT, RIGHT, TOP, BOTTOM = 85.0, 540.0, 780.0, 70.0


def typeset(writer: PdfWriter, blocks: list[Block], *, header: bool = False, numbers: bool = True) -> None:
    """Lay paragraphs out like a word processor: wrap at the margin, 6 pt between paragraphs, page numbers."""
    pages: list[list[tuple[float, float, float, str]]] = [[]]
    y = TOP
    if header:
        for left, right in zip(HEADER_LEFT, HEADER_RIGHT, strict=True):
            pages[-1].append(((LEFT + 265 - writer.width(left, 12)) / 2, y, 12, left))
            pages[-1].append(((265 + RIGHT - writer.width(right, 12)) / 2, y, 12, right))
            y -= 16
        y -= 20
    for block in blocks:
        lines = wrap(writer, block.text, 0 if block.centre else block.indent, block.size)
        for i, line in enumerate(lines):
            if y < BOTTOM:
                pages.append([])
                y = TOP
            if block.centre:
                x = (LEFT + RIGHT - writer.width(line, block.size)) / 2
            else:
                x = LEFT + (block.indent if i == 0 else 0)
            pages[-1].append((x, y, block.size, line))
            y -= block.size * 1.3
        y -= 6
    for number, items in enumerate(pages, start=1):
        if numbers:
            items.append((295, 40, 11, str(number)))
        writer.page(items)


def tiny_pdf(pages: list[list[str]], *, password: str | None = None) -> bytes:
    """A hand-written PDF in Helvetica (ASCII text); with ``password``, RC4-encrypted (Standard handler, R2)."""
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 "}
    objects[3] += b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    kids = []
    streams: dict[int, bytes] = {}
    number = 4
    for lines in pages:
        content = b"BT /F1 12 Tf 72 760 Td 15 TL " + b" ".join(b"(%s) Tj T*" % line.encode() for line in lines) + b" ET"
        objects[number] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >>"
        objects[number] += b" >> /Contents %d 0 R >>" % (number + 1)
        streams[number + 1] = content
        kids.append(b"%d 0 R" % number)
        number += 2
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    file_id = hashlib.md5(b"doanket", usedforsecurity=False).digest()
    trailer_extra = b""
    key = b""
    if password is not None:
        pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")

        def padded(word: str) -> bytes:
            return (word.encode("latin-1") + pad)[:32]

        permissions = -4
        owner = rc4(hashlib.md5(padded("owner-" + password), usedforsecurity=False).digest()[:5], padded(password))
        digest = hashlib.md5(
            padded(password) + owner + struct.pack("<i", permissions) + file_id, usedforsecurity=False
        ).digest()
        key = digest[:5]
        user = rc4(key, pad)
        objects[number] = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            owner.hex().encode(),
            user.hex().encode(),
            permissions,
        )
        trailer_extra = b" /Encrypt %d 0 R" % number
    for obj_number, content in streams.items():
        if key:
            object_key = hashlib.md5(key + struct.pack("<I", obj_number)[:3] + b"\0\0", usedforsecurity=False)
            content = rc4(object_key.digest()[:10], content)
        objects[obj_number] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for obj_number in sorted(objects):
        offsets[obj_number] = len(out)
        out += b"%d 0 obj\n" % obj_number + objects[obj_number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for obj_number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[obj_number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (size, file_id.hex().encode(), file_id.hex().encode())
    out += trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


# --- Making OLE2 compound files (old .doc, password-protected .docx) ---------------------------


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal but valid Compound File Binary (v3): one FAT sector, one directory sector."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    assert len(streams) <= 3
    # Streams of 4096 bytes or more live in ordinary sectors, so no mini stream is needed.
    bodies = {name: data.ljust(4096, b"\0") for name, data in streams.items()}
    names = sorted(bodies, key=lambda n: (len(n), n.upper()))  # the directory's red-black tree order
    fat = [fat_sector, end]
    starts = {}
    for name in names:
        count = len(bodies[name]) // 512 + (len(bodies[name]) % 512 > 0)
        starts[name] = len(fat)
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [end]
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + b"\0" * 16
            + struct.pack("<I", 0)
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, no_stream, end, 0)
    for k, name in enumerate(names, start=1):
        right = k + 1 if k < len(names) else no_stream
        directory += entry(name, 2, no_stream, right, starts[name], len(streams[name]))
    directory = directory.ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == 512
    body = b"".join(bodies[name].ljust(-(-len(bodies[name]) // 512) * 512, b"\0") for name in names)
    return header + struct.pack("<128I", *fat) + directory + body


# --- Old Vietnamese encodings, to make legacy text with ---------------------------------------

# TCVN3 (ABC), as Windows-1252 shows its bytes. Capitals with tones share the small letters' codes
# (the .VnTimeH font draws them as capitals).
TCVN3 = dict(
    zip(
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦",
        strict=True,
    )
)
# VNI: a base letter followed by a mark character.
VNI_TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_cp1258_form(text: str) -> str:
    """Windows-1258's shape of Vietnamese: ă â ê ô ơ ư đ whole, the tone as a combining mark after."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones)) + tones)
    return "".join(out)


def to_tcvn3(text: str) -> str:
    return "".join(TCVN3.get(ch, TCVN3.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        upper = base.isupper()
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        tone = next((m for m in marks if m in VNI_TONES), "")
        if base.lower() == "i" and tone:
            piece = VNI_I[tone]
        elif base.lower() == "y" and tone == "\u0323":
            piece = "î"
        elif shape == "\u031b":  # horn: ơ and ư are letters of their own
            piece = ("ô" if base.lower() == "o" else "ö") + VNI_TONES.get(tone, "")
        elif shape == "\u0302":
            piece = base.lower() + VNI_CIRCUMFLEX[tone]
        elif shape == "\u0306":
            piece = base.lower() + VNI_BREVE[tone]
        else:
            piece = base.lower() + VNI_TONES.get(tone, "")
        out.append(piece.upper() if upper else piece)
    return "".join(out)


LEGACY_SAMPLE = (
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai xây dựng chương trình phối hợp và thống nhất hành động "
    "năm 2022, tập trung tuyên truyền vận động Nhân dân tham gia phòng, chống dịch bệnh."
)


# --- Text files -------------------------------------------------------------------------------


def test_utf8_text_is_read_as_is() -> None:
    result = read_document("Kế hoạch\n\nNăm 2022 là năm đầy mạnh.\n".encode(), "ke-hoach.txt")
    assert result == ExtractedText("Kế hoạch\n\nNăm 2022 là năm đầy mạnh.", "txt", None)


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"", "utf-16-le"),  # UTF-16 without a byte order mark, as some editors save it
    ],
)
def test_byte_order_marks(data: bytes, codec: str) -> None:
    result = read_document(data + "Mặt trận\r\nTổ quốc".encode(codec), "a.txt")
    assert result.text == "Mặt trận\nTổ quốc"


def test_line_ends_spaces_controls_and_nfc() -> None:
    raw = "Dòng một  \r\nDòng\u00a0hai\rDòng ba\x00\x07\t\n\n\n" + unicodedata.normalize("NFD", "Việt Nam") + "\u200b"
    result = read_document(raw.encode(), "a.md")
    assert result.format == "md"
    assert result.text == "Dòng một\nDòng hai\nDòng ba\n\n\nViệt Nam"
    assert unicodedata.is_normalized("NFC", result.text)


def test_damaged_utf16_text() -> None:
    error = error_of(b"\xff\xfe" + "Mặt trận".encode("utf-16-le") + b"\x00\xd8", "a.txt")  # a lone surrogate
    assert error.code == "corrupt"
    assert error.message == "The text file %(name)s is damaged and cannot be read."


def test_markdown_extensions() -> None:
    assert read_document(b"# Title", "notes.markdown").format == "md"
    assert read_document(b"# Title", "NOTES.MD").format == "md"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_seed_documents_read_unchanged(seed: Path) -> None:
    source = seed.read_text("utf-8")
    result = read_document(seed.read_bytes(), seed.name)
    # Non-breaking spaces (the seeds have some) become plain spaces.
    source_nfc = unicodedata.normalize("NFC", source).replace("\u00a0", " ")
    expected = "\n".join(line.rstrip() for line in source_nfc.split("\n")).strip("\n")
    assert result.text == expected
    assert looks_legacy(source) is None


def test_seeds_exist() -> None:
    assert len(SEEDS) >= 2


# --- Old Vietnamese encodings -----------------------------------------------------------------


def test_encoders_match_known_samples() -> None:
    assert to_tcvn3("Mặt trận") == "MÆt trËn"
    assert to_tcvn3("Việt Nam") == "ViÖt Nam"
    assert to_tcvn3("Ủy ban") == "ñy ban"
    assert to_vni("Việt Nam") == "Vieät Nam"
    assert to_vni("Mặt trận") == "Maët traän"


@pytest.mark.parametrize(("encode", "name"), [(to_tcvn3, "TCVN3"), (to_vni, "VNI")])
def test_looks_legacy_finds_font_encoded_vietnamese(encode: Callable[[str], str], name: str) -> None:
    assert looks_legacy(encode(LEGACY_SAMPLE)) == name
    assert looks_legacy(encode(LEGACY_SAMPLE.upper())) == name
    # A header typed in an old font above a Unicode body.
    assert looks_legacy(encode("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM") + "\n\n" + SEEDS[0].read_text()) == name


@pytest.mark.parametrize(
    "text",
    [
        LEGACY_SAMPLE,
        unicodedata.normalize("NFD", LEGACY_SAMPLE),
        "Hoà bình, khoẻ mạnh, thuỷ lợi, quý vị; hòa, khỏe, thủy — “Đoàn kết” «Nghị quyết» ©2022",
        "The Fatherland Front plan for 2022, © Acme® «quoted» — naïve café in München, señor, Ørsted.",
        "",
        "1234 ... ---",
    ],
)
def test_looks_legacy_leaves_proper_text_alone(text: str) -> None:
    assert looks_legacy(text) is None


@pytest.mark.parametrize(("encode", "name"), [(to_tcvn3, "TCVN3"), (to_vni, "VNI")])
def test_font_encoded_text_saved_as_utf8_is_refused(encode: Callable[[str], str], name: str) -> None:
    error = error_of(encode(LEGACY_SAMPLE).encode(), "a.txt")
    assert error.code == "legacy_encoding"
    assert error.params["encoding"] == name
    assert "Unikey" in error.message


@pytest.mark.parametrize(("encode", "name"), [(to_tcvn3, "TCVN3"), (to_vni, "VNI")])
def test_legacy_bytes_name_their_encoding(encode: Callable[[str], str], name: str) -> None:
    error = error_of(encode(LEGACY_SAMPLE).encode("cp1252"), "a.txt")
    assert (error.code, error.params["encoding"]) == ("legacy_encoding", name)
    with translation.override("en"):
        assert f"encoding {name}. Convert it to Unicode" in str(error)


def test_windows_1258_bytes() -> None:
    # Windows-1258 writes a tone as a combining mark; Python's codec emits the decomposed form.
    data = to_cp1258_form(LEGACY_SAMPLE).encode("cp1258")
    error = error_of(data, "a.txt")
    assert (error.code, error.params["encoding"]) == ("legacy_encoding", "Windows-1258")


def test_other_undecodable_text_asks_for_utf8() -> None:
    error = error_of("Résumé of the meeting, façade".encode("latin-1"), "a.txt")
    assert error.code == "legacy_encoding"
    assert "TCVN3 (ABC), VNI or Windows-1258" in error.message
    assert "a.txt" in str(error)


def test_docx_in_an_old_font_is_refused() -> None:
    document = docx.Document()
    for line in (to_tcvn3("ỦY BAN MTTQ VIỆT NAM"), to_tcvn3(LEGACY_SAMPLE)):
        document.add_paragraph().add_run(line).font.name = ".VnTime"
    error = error_of(docx_bytes(document), "cu.docx")
    assert (error.code, error.params["encoding"]) == ("legacy_encoding", "TCVN3")


# --- Word documents ---------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_document_order() -> None:
    document = docx.Document()
    header_table(document)
    document.add_paragraph("KẾ HOẠCH")
    paragraph = document.add_paragraph("Dòng đầu")
    paragraph.add_run().add_break()  # a soft line break stays inside the paragraph
    paragraph.add_run("dòng sau\tcó tab")
    document.add_paragraph("")
    document.add_paragraph("   ")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Ô một"
    table.cell(0, 1).text = "Ô hai"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Ô gộp ngang"  # gridSpan: one cell
    document.add_paragraph("Nơi nhận:")
    result = read_document(docx_bytes(document), "ke-hoach.docx")
    assert result.format == "docx"
    assert result.pages is None
    assert result.text == "\n\n".join(
        [
            "\n".join(HEADER_LEFT),
            "\n".join(HEADER_RIGHT),
            "KẾ HOẠCH",
            "Dòng đầu\ndòng sau\tcó tab",
            "Ô một",
            "Ô hai",
            "Ô gộp ngang",
            "Nơi nhận:",
        ]
    )


def test_docx_vertical_merge_and_nested_table() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Gộp dọc"
    table.cell(0, 1).text = "Trên"
    nested_cell = table.cell(1, 1)
    nested_cell.text = "Trước bảng con"
    nested = nested_cell.add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Con trái"
    nested.cell(0, 1).text = "Con phải"
    nested_cell.add_paragraph("Sau bảng con")
    text = read_document(docx_bytes(document), "a.docx").text
    assert text == "Gộp dọc\n\nTrên\n\nTrước bảng con\n\nCon trái\n\nCon phải\n\nSau bảng con"


def test_docx_word_auto_numbering() -> None:
    document = numbered_document()
    document.add_paragraph("KẾ HOẠCH")
    numbered(document, "MỤC ĐÍCH, YÊU CẦU", 0)
    numbered(document, "Mục đích", 1)
    numbered(document, "Yêu cầu", 1)
    numbered(document, "Chi tiết thứ nhất", 2)
    numbered(document, "Chi tiết thứ hai", 2)
    numbered(document, "một chữ cái", 3)
    numbered(document, "hai chữ cái", 3)
    numbered(document, "gạch đầu dòng", 4)
    numbered(document, "dấu cộng", 5)
    numbered(document, "NHIỆM VỤ", 0)
    numbered(document, "Lại từ một", 1)
    numbered(document, "Cấp ba mới", 2)
    numbered(document, "Danh sách khởi đầu lại từ năm", 1, num_id=2)
    document.add_paragraph("Mục lớn theo kiểu", style="Muc")
    document.add_paragraph("Mục con theo kiểu", style="Muc con")
    document.add_paragraph("Mục lớn thứ hai", style="Muc")
    document.add_paragraph("Không khởi đầu lại", style="Muc con")
    numbered(document, "Đã tắt số", num_id=0)
    text = read_document(docx_bytes(document), "a.docx").text
    assert text.split("\n\n") == [
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "2.1. Chi tiết thứ nhất",
        "2.2. Chi tiết thứ hai",
        "a) một chữ cái",
        "b) hai chữ cái",
        "- gạch đầu dòng",
        "+ dấu cộng",  # Word's own "+" glyph at that level is kept: it nests under the dashes
        "II. NHIỆM VỤ",
        "1. Lại từ một",
        "1.1. Cấp ba mới",
        "5. Danh sách khởi đầu lại từ năm",
        "C. Mục lớn theo kiểu",
        "1. Mục con theo kiểu",
        "D. Mục lớn thứ hai",
        "2. Không khởi đầu lại",
        "Đã tắt số",
    ]


def test_docx_numbering_of_the_default_list_style() -> None:
    document = docx.Document()  # python-docx's template: "List Number" is numbered through its style
    document.add_paragraph("Một", style="List Number")
    document.add_paragraph("Hai", style="List Number")
    document.add_paragraph("Chấm", style="List Bullet")
    assert read_document(docx_bytes(document), "a.docx").text == "1. Một\n\n2. Hai\n\n- Chấm"


def test_docx_page_breaks() -> None:
    document = docx.Document()
    document.add_paragraph("Trang một.")
    run = document.add_paragraph().add_run()
    run.add_break(WD_BREAK.PAGE)  # a paragraph that only breaks the page: between paragraphs
    middle = document.add_paragraph("Đoạn bị ngắt ")
    middle.add_run().add_break(WD_BREAK.PAGE)
    middle.add_run("giữa chừng.")
    rendered = document.add_paragraph("Ngắt đã vẽ ")
    # Word's note of where it last drew a page break is not a break.
    rendered.runs[0]._r.append(parse_xml(f"<w:lastRenderedPageBreak {W_NS}/>"))
    rendered.add_run("không tính.")
    text = read_document(docx_bytes(document), "a.docx").text
    assert text == "Trang một.\n\n\f\n\nĐoạn bị ngắt\n\f\ngiữa chừng.\n\nNgắt đã vẽ không tính."


def test_docx_headers_footers_and_text_boxes_are_left_out() -> None:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Trang đầu"
    section.footer.paragraphs[0].text = "1"
    paragraph = document.add_paragraph("Nội dung")
    deleted = f'<w:del {W_NS} w:id="1" w:author="a"><w:r><w:delText>đã xoá</w:delText></w:r></w:del>'
    paragraph._p.append(parse_xml(deleted))
    paragraph._p.append(parse_xml(TEXT_BOX))
    text = read_document(docx_bytes(document), "a.docx").text
    assert text == "Nội dung"


# A floating text box as Word writes it: a DrawingML shape, and a VML copy for older readers.
TEXT_BOX = f"""
<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
      <w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p>
    </w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>Hộp chữ</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def test_docm_and_templates_are_read() -> None:
    document = docx.Document()
    document.add_paragraph("Mẫu văn bản")
    data = rewrite_zip(
        docx_bytes(document),
        "[Content_Types].xml",
        lambda xml: xml.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"),
    )
    assert b"template.main+xml" in zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    assert read_document(data, "mau.dotx").text == "Mẫu văn bản"
    assert read_document(data, "mau.docx").text == "Mẫu văn bản"


def rewrite_zip(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == member else content)
    return out.getvalue()


def simple_docx(text: str = "Nội dung") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    return docx_bytes(document)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: rewrite_zip(data, "word/document.xml", lambda xml: xml[:-40]),  # XML broken off
        lambda data: rewrite_zip(data, "[Content_Types].xml", lambda xml: b"<Types/>"),  # no part types
    ],
    ids=["truncated", "broken-xml", "no-content-types"],
)
def test_damaged_docx_is_corrupt(damage: Callable[[bytes], bytes]) -> None:
    error = error_of(damage(simple_docx()), "hong.docx")
    assert error.code == "corrupt"
    assert error.message.startswith("The Word document %(name)s is damaged")


def test_docx_zip_bomb_is_refused() -> None:
    padding = b"<!--" + b" " * 600_000 + b"-->"
    data = rewrite_zip(simple_docx(), "word/document.xml", lambda xml: xml.replace(b"?>", b"?>" + padding, 1))
    assert len(data) < 50_000
    error = error_of(data, "bom.docx", max_bytes=10_000)  # 50 x 10 kB = 500 kB unpacked at most
    assert error.code == "too_large"
    assert read_document(data, "bom.docx").text == "Nội dung"  # under the default limit it is fine


def test_password_protected_docx() -> None:
    data = compound_file({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x99" * 5000})
    for name in ("mat-khau.docx", "mat-khau.doc"):
        error = error_of(data, name)
        assert error.code == "encrypted"
        assert "password" in error.message


def test_old_word_doc_is_unsupported() -> None:
    data = compound_file({"WordDocument": b"\xec\xa5" + b"\0" * 5000, "1Table": b"\0" * 4096})
    for name in ("cu.doc", "cu.docx"):
        error = error_of(data, name)
        assert error.code == "unsupported"
        assert ".docx" in error.message
    assert error_of(data, "cu.pdf").code == "mismatch"


# --- PDF --------------------------------------------------------------------------------------

BODY = [
    Block("KẾ HOẠCH", indent=0, centre=True, size=14),
    Block("Tổ chức các hoạt động kỷ niệm 92 năm Ngày thành lập Mặt trận Dân tộc thống nhất Việt Nam", 0, True, 14),
    Block(
        "Căn cứ Nghị quyết Đại hội MTTQ Việt Nam tỉnh Lào Cai lần thứ XV, nhiệm kỳ 2019-2024; Thông báo số "
        "139/TB-MTTW-BTT ngày 26/8/2021 của Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam về định hướng một số "
        "trọng tâm công tác năm 2022, Ban Thường trực xây dựng kế hoạch như sau:"
    ),
    Block("I. MỤC ĐÍCH, YÊU CẦU", indent=0),
    Block(
        "1. Tuyên truyền sâu rộng về truyền thống vẻ vang của Mặt trận Tổ quốc Việt Nam, khơi dậy niềm tự hào "
        "và phát huy sức mạnh khối đại đoàn kết toàn dân tộc trong các tầng lớp Nhân dân."
    ),
    Block("- Tổ chức gặp mặt.", indent=0),
    Block(
        "- Biểu dương những gương điển hình tiên tiến trong phong trào thi đua yêu nước và cuộc vận động "
        "toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh.",
        indent=0,
    ),
    Block("Ngắn.", indent=0),
    Block("Một đoạn không thụt đầu dòng nhưng đứng sau một dòng ngắn, nên vẫn là đoạn mới.", indent=0),
]


@needs_font
def test_pdf_lines_reflow_into_paragraphs() -> None:
    assert FONT is not None
    writer = PdfWriter(FONT)
    typeset(writer, BODY, header=True)
    result = read_document(writer.finish(), "ke-hoach.pdf")
    assert result.format == "pdf"
    assert result.pages == 1
    assert result.text.split("\n\n") == HEADER_LEFT + HEADER_RIGHT + [block.text for block in BODY]


@needs_font
def test_pdf_pages_and_page_numbers() -> None:
    assert FONT is not None
    long = Block(" ".join(["Đoàn kết, dân chủ; năng động, sáng tạo; tận tụy, trách nhiệm; chất lượng, hiệu quả"] * 25))
    short = [Block(f"Đoạn số {n} đủ dài để chiếm một dòng.") for n in range(30)]
    blocks = [Block("Mở đầu."), long, Block("Kết thúc."), *short]
    writer = PdfWriter(FONT)
    typeset(writer, blocks)
    result = read_document(writer.finish(), "dai.pdf")
    assert result.pages == 2
    assert "\f" in result.text
    # The page numbers at the foot of each page are gone; the break falls between two paragraphs.
    texts = [block.text for block in blocks]
    assert result.text == "\n\n".join(texts[:9]) + "\n\n\f\n\n" + "\n\n".join(texts[9:])


@needs_font
def test_pdf_paragraph_split_over_pages_is_marked_as_going_on() -> None:
    assert FONT is not None
    long = Block(" ".join(["Tập trung tuyên truyền vận động Nhân dân tham gia phòng, chống dịch bệnh"] * 40))
    writer = PdfWriter(FONT)
    typeset(writer, [Block("Mở đầu ngắn."), long])
    text = read_document(writer.finish(), "dai.pdf").text
    first, second = text.split("\n\f\n")
    assert first.startswith("Mở đầu ngắn.\n\nTập trung")
    assert (first.split("\n\n")[1] + " " + second) == long.text


@needs_font
def test_pdf_of_a_seed_document_reflows_to_its_paragraphs() -> None:
    assert FONT is not None
    paragraphs = [" ".join(p.split()) for p in SEEDS[0].read_text("utf-8").split("\n\n") if p.strip()]
    writer = PdfWriter(FONT)
    typeset(writer, [Block(p) for p in paragraphs])
    result = read_document(writer.finish(), SEEDS[0].with_suffix(".pdf").name)
    assert result.pages is not None and result.pages > 5
    # Page breaks fall between paragraphs ("\n\n\f\n\n") or inside one that goes on ("\n\f\n").
    assert "\n\f\n" in result.text.replace("\n\n\f\n\n", "")
    flat = result.text.replace("\n\n\f\n\n", "\n\n").replace("\n\f\n", " ")
    assert flat.split("\n\n") == paragraphs


@needs_font
def test_pdf_signature_block_columns() -> None:
    assert FONT is not None
    writer = PdfWriter(FONT)
    body = "Trên đây là Kế hoạch của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Lào Cai."
    rows = [("Nơi nhận:", "TM. BAN THƯỜNG TRỰC"), ("- Ban TT UB TWMTTQ Việt Nam;", "CHỦ TỊCH"), ("- Lưu VT.", "")]
    items = [(LEFT + 28, 700.0, 13.0, body)]
    y = 660.0
    for left, right in rows:
        items.append((LEFT, y, 11.0, left))
        if right:
            items.append((400 - writer.width(right, 13) / 2, y, 13.0, right))
        y -= 15
    items.append((400 - writer.width("Giàng Seo Vân", 13) / 2, y - 60, 13.0, "Giàng Seo Vân"))
    writer.page(items)
    text = read_document(writer.finish(), "a.pdf").text
    assert text.split("\n\n") == [
        body,
        "Nơi nhận:",
        "- Ban TT UB TWMTTQ Việt Nam;",
        "TM. BAN THƯỜNG TRỰC",
        "CHỦ TỊCH",
        "- Lưu VT.",
        "Giàng Seo Vân",
    ]


FILLER = "Đa dạng hóa cách thức để lắng nghe, tập hợp, tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân".split() * 8


@needs_font
def test_pdf_line_starting_like_a_list_item_inside_a_sentence() -> None:
    assert FONT is not None
    writer = PdfWriter(FONT)
    # Find a paragraph that wraps right before "- xã hội" and one that wraps before "2022. Đây".
    found: list[str] = []
    for ending in ("phát triển kinh tế - xã hội của tỉnh", "hoàn thành trong năm 2022. Đây là nhiệm vụ trọng tâm"):
        for count in range(200):
            text = " ".join([*FILLER[:count], ending])
            lines = wrap(writer, text)
            if any(line.startswith(("- xã", "2022.")) for line in lines[1:]):
                found.append(text)
                break
    assert len(found) == 2
    typeset(writer, [Block(text) for text in found])
    assert read_document(writer.finish(), "a.pdf").text.split("\n\n") == found


def wrap(writer: PdfWriter, text: str, indent: float = 28.0, size: float = 13.0) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        room = RIGHT - LEFT - (indent if len(lines) <= 1 else 0)
        if lines and writer.width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def test_ascii_pdf_without_embedded_font() -> None:
    data = tiny_pdf([["KE HOACH", "Noi dung cua ke hoach, du dai de doc.", "", "Dong cuoi cung cua van ban."]])
    result = read_document(data, "a.pdf")
    assert result.pages == 1
    assert "KE HOACH" in result.text
    assert "Dong cuoi cung cua van ban." in result.text


def test_pdf_without_text_layer() -> None:
    data = tiny_pdf([[], [], ["12"]])  # blank scans: no text but a stray number
    error = error_of(data, "scan.pdf")
    assert error.code == "no_text_layer"
    assert "OCR" in error.message


def test_encrypted_pdf() -> None:
    data = tiny_pdf([["Secret minutes of the meeting, long enough to count as text."]], password="matkhau")
    # The file is really encrypted: pdfium opens it with the password and reads the text.
    pdf = pdfium.PdfDocument(data, password="matkhau")
    try:
        page = pdf[0]
        textpage = page.get_textpage()
        assert "Secret minutes" in textpage.get_text_range()
        textpage.close()
        page.close()
    finally:
        pdf.close()
    error = error_of(data, "mat.pdf")
    assert error.code == "encrypted"
    assert "password" in error.message


def test_damaged_pdf() -> None:
    assert error_of(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "hong.pdf").code == "corrupt"
    assert error_of(tiny_pdf([["Some text on a page of the file."]])[:200], "hong.pdf").code == "corrupt"


def test_pdf_with_too_many_pages() -> None:
    data = tiny_pdf([["Page text long enough to count."]] * 2001)
    error = error_of(data, "dai.pdf")
    assert error.code == "too_large"
    assert error.params["pages"] == 2001


# --- Refusals by name and size ----------------------------------------------------------------


def test_empty_files() -> None:
    assert error_of(b"", "a.docx").code == "empty"
    whitespace = error_of(b" \r\n\t\n", "a.txt")
    assert whitespace.code == "empty"
    assert whitespace.message == "The file %(name)s contains no text."
    assert error_of(docx_bytes(docx.Document()), "a.docx").code == "empty"


def test_size_limit(settings: Any) -> None:
    error = error_of(b"x" * 3 * 1024 * 1024, "a.txt", max_bytes=2 * 1024 * 1024)
    assert error.code == "too_large"
    assert (error.params["size"], error.params["limit"]) == ("3", "2")
    with translation.override("en"):
        assert str(error) == "The file a.txt is 3 MB, more than the limit of 2 MB."
    just_over = error_of(b"x" * (20 * 1024 * 1024 + 1000), "a.txt", max_bytes=20 * 1024 * 1024)
    assert (just_over.params["size"], just_over.params["limit"]) == ("20.1", "20")
    settings.DOCUMENT_MAX_BYTES = 100
    assert error_of(b"x" * 101, "a.txt").code == "too_large"
    assert read_document(b"x" * 100, "a.txt").text == "x" * 100


@pytest.mark.parametrize("name", ["bang.xlsx", "a.odt", "khong-duoi", "anh.png", ".docx"])
def test_unknown_extensions(name: str) -> None:
    error = error_of(simple_docx(), name)
    assert error.code == "unsupported"
    assert ".docx" in error.message
    assert ".pdf" in error.message


def test_mismatched_content() -> None:
    pdf = tiny_pdf([["Some text on a page of the file."]])
    cases = {
        (pdf, "a.docx"): "really a PDF",
        (simple_docx(), "a.pdf"): "really a Word document",
        (simple_docx(), "a.txt"): "really a Word document",
        (pdf, "a.txt"): "really a PDF",
        (b"Just some text", "a.docx"): "really a plain text file",
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a.txt"): "neither a Word document",
        (zip_of({"xl/workbook.xml": b"<workbook/>"}), "a.docx"): "neither a Word document",
    }
    for (data, name), words in cases.items():
        error = error_of(data, name)
        assert error.code == "mismatch", name
        assert words in error.message, name
        assert name in str(error)
        assert error.params["extension"] == "." + name.rsplit(".", 1)[1]


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_file_name_without_its_path() -> None:
    error = error_of(b"", "C:\\fakepath\\Kế hoạch.docx")
    assert error.params["name"] == "Kế hoạch.docx"


def test_str_is_the_message_with_its_parameters() -> None:
    error = error_of(b"", "a.txt")
    with translation.override("en"):
        assert str(error) == "The file a.txt is empty."


# --- Fuzzing: only ExtractedText or DocumentError, never anything else -------------------------


def _seeds() -> Iterator[tuple[bytes, str]]:
    document = numbered_document()
    header_table(document)
    numbered(document, "MỤC ĐÍCH", 0)
    numbered(document, "Mục đích", 1)
    yield docx_bytes(document), "a.docx"
    yield tiny_pdf([["KE HOACH", "Noi dung cua ke hoach du dai de doc."]]), "a.pdf"
    yield SEEDS[1].read_bytes()[:3000], "a.txt"
    yield "\ufeffKế hoạch\r\n".encode("utf-16"), "a.md"


FUZZ_SEEDS = list(_seeds())


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    seed, name = draw(st.sampled_from(FUZZ_SEEDS))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "zero"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            data[at : at + 64] = b"\0" * len(data[at : at + 64])
    name = draw(st.sampled_from([name, name, "b.docx", "b.pdf", "b.txt"]))
    return bytes(data), name


def _only_expected_outcomes(data: bytes, name: str) -> None:
    try:
        result = read_document(data, name)
    except DocumentError as error:
        assert error.code in {
            "empty",
            "too_large",
            "unsupported",
            "mismatch",
            "encrypted",
            "no_text_layer",
            "legacy_encoding",
            "corrupt",
        }
        str(error)
    else:
        assert isinstance(result, ExtractedText)
        assert unicodedata.is_normalized("NFC", result.text)
        assert "\r" not in result.text


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_fuzz_mutated_files(case: tuple[bytes, str]) -> None:
    _only_expected_outcomes(*case)


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from(["a.docx", "a.pdf", "a.txt", "a.md", "a.doc"]))
def test_fuzz_random_bytes(data: bytes, name: str) -> None:
    _only_expected_outcomes(data, name)
