"""An uploaded file to plain text — DOCX, PDF, TXT or Markdown — or a clear refusal.

:func:`read_document` decides the format from the content, checks it against the file name,
and returns :class:`ExtractedText`: NFC text with "\\n" line ends, paragraphs separated by a
blank line, a page break as a line holding only "\\f". A "\\f" line with blank lines around it
falls between paragraphs; one without (``"…end of page\\n\\f\\nstart of next…"``) falls inside
a paragraph that goes on over the page.

Anything it cannot read raises :class:`DocumentError` with a ``code`` and an English message
(a msgid); ``str(error)`` is the message in the active language.
"""

from __future__ import annotations

import bisect
import ctypes
import io
import itertools
import math
import re
import statistics
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # python-docx holds every part in memory
UNPACK_RATIO = 50
MAX_PDF_PAGES = 2000
MIN_CHARS_PER_PAGE = 20  # fewer on average: a scan without a text layer

FORMAT_OF_EXTENSION = {
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".dotm": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
}

# --- Messages (English msgids; the Vietnamese is in the catalogue) ---------------------------

MSG_EMPTY = gettext_noop("The file %(name)s is empty.")
MSG_NO_TEXT = gettext_noop("The file %(name)s contains no text.")
MSG_TOO_LARGE = gettext_noop("The file %(name)s is %(size)s MB, more than the limit of %(limit)s MB.")
MSG_UNPACKS_TOO_LARGE = gettext_noop(
    "The Word document %(name)s unpacks to more than %(limit)s MB, too much to read. Save it again in Word "
    "(remove large pictures) and upload the new copy."
)
MSG_TOO_MANY_PAGES = gettext_noop("The PDF %(name)s has %(pages)s pages; at most %(limit)s pages can be read.")
MSG_UNSUPPORTED = gettext_noop(
    "The file %(name)s is not in a format that can be read. Upload a Word document (.docx), a PDF (.pdf) "
    "or a text file (.txt or .md)."
)
MSG_LEGACY_DOC = gettext_noop(
    "The file %(name)s is an old Word document (.doc), which cannot be read. Open it in Word, save it as "
    "a Word Document (.docx) and upload that file."
)
MSG_MISMATCH_PDF = gettext_noop(
    "The file %(name)s is named %(extension)s but it is really a PDF. Upload it with the .pdf extension."
)
MSG_MISMATCH_DOCX = gettext_noop(
    "The file %(name)s is named %(extension)s but it is really a Word document. Upload it with the .docx extension."
)
MSG_MISMATCH_DOC = gettext_noop(
    "The file %(name)s is named %(extension)s but it is really an old Word document (.doc). Open it in Word, "
    "save it as a Word Document (.docx) and upload that file."
)
MSG_MISMATCH_TEXT = gettext_noop(
    "The file %(name)s is named %(extension)s but it is really a plain text file. Upload it with the .txt extension."
)
MSG_MISMATCH_OTHER = gettext_noop(
    "The file %(name)s is named %(extension)s but its content is neither a Word document, nor a PDF, nor text."
)
MSG_ENCRYPTED_DOCX = gettext_noop(
    "The Word document %(name)s is protected with a password. Open it in Word, remove the password, save it "
    "and upload it again."
)
MSG_ENCRYPTED_PDF = gettext_noop("The PDF %(name)s is protected with a password. Upload a copy without the password.")
MSG_NO_TEXT_LAYER = gettext_noop(
    "The PDF %(name)s has no text layer: it seems to be a scan. Run text recognition (OCR) on it first, "
    "or upload the Word or text version of the document."
)
MSG_LEGACY_ENCODING = gettext_noop(
    "The file %(name)s seems to be in an old Vietnamese encoding, such as TCVN3 (ABC), VNI or Windows-1258. "
    "Convert it to Unicode (UTF-8), for example with Unikey's converter, and upload it again."
)
MSG_LEGACY_NAMED = gettext_noop(
    "The file %(name)s seems to be in the old Vietnamese encoding %(encoding)s. Convert it to Unicode (UTF-8), "
    "for example with Unikey's converter, and upload it again."
)
MSG_LEGACY_FONT = gettext_noop(
    "The text of %(name)s seems to be in the old Vietnamese encoding %(encoding)s (fonts such as .VnTime or "
    "VNI-Times). Convert it to Unicode, for example with Unikey's converter, and upload it again."
)
MSG_CORRUPT_DOCX = gettext_noop(
    "The Word document %(name)s is damaged and cannot be read. Open it in Word, save it again and upload the new copy."
)
MSG_CORRUPT_PDF = gettext_noop("The PDF %(name)s is damaged and cannot be read.")
MSG_CORRUPT_TEXT = gettext_noop("The text file %(name)s is damaged and cannot be read.")


class DocumentError(Exception):
    """A file that cannot be read, with a code for programs and a msgid for people."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.params: dict[str, Any] = params

    def __str__(self) -> str:
        return gettext(self.message) % self.params


@dataclass
class ExtractedText:
    text: str
    format: str  # "docx" | "pdf" | "txt" | "md"
    pages: int | None = None


def read_document(data: bytes, filename: str, *, max_bytes: int | None = None) -> ExtractedText:
    """The text of an uploaded file, or :class:`DocumentError` saying why not."""
    name = _display_name(filename)
    limit = max_bytes if max_bytes is not None else int(getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
    if not data:
        raise DocumentError("empty", MSG_EMPTY, name=name)
    if len(data) > limit:
        size = megabytes(len(data), up=True)
        raise DocumentError("too_large", MSG_TOO_LARGE, name=name, size=size, limit=megabytes(limit))

    extension = _extension(name)
    wanted = FORMAT_OF_EXTENSION.get(extension)
    content = _sniff(data)
    if content == "encrypted-office" and (wanted == "docx" or extension == ".doc"):
        raise DocumentError("encrypted", MSG_ENCRYPTED_DOCX, name=name)
    if wanted is None:
        if extension == ".doc":
            raise DocumentError("unsupported", MSG_LEGACY_DOC, name=name)
        raise DocumentError("unsupported", MSG_UNSUPPORTED, name=name)

    if wanted == "docx":
        if content == "docx":
            return _finish(_read_docx(data, name, limit), "docx", None, name)
        if content == "ole":
            raise DocumentError("unsupported", MSG_LEGACY_DOC, name=name)
        if content in ("zip-broken", "zip-word"):
            raise DocumentError("corrupt", MSG_CORRUPT_DOCX, name=name)
    elif wanted == "pdf":
        if content == "pdf":
            text, pages = _read_pdf(data, name)
            return _finish(text, "pdf", pages, name)
    elif content == "text":
        return _finish(_decode_text(data, name), wanted, None, name)
    raise _mismatch(content, name, extension)


# --- Deciding the format ------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
BINARY_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"{\\rtf", b"\x7fELF", b"MZ", b"Rar!")


def _sniff(data: bytes) -> str:
    """What the bytes are: docx, zip-word, zip-broken, zip, pdf, encrypted-office, ole, text or binary."""
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    start = data.find(b"%PDF-", 0, 1024)
    if start == 0 or (start > 0 and not _looks_textual(data[:start])):
        return "pdf"  # readers accept a PDF header after some junk, not inside a text that names it
    if data.startswith(OLE_MAGIC):
        return "encrypted-office" if ENCRYPTED_PACKAGE in data else "ole"
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        return "text"
    if data.startswith(BINARY_MAGICS):
        return "binary"
    controls = sum(1 for byte in data[:4096] if byte < 32 and byte not in (9, 10, 12, 13, 26))
    return "binary" if controls * 20 > min(len(data), 4096) else "text"


def _looks_textual(prefix: bytes) -> bool:
    return all(32 <= byte < 127 or byte in (9, 10, 13) for byte in prefix) and bool(prefix.strip())


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {info.filename.lower() for info in archive.infolist()}
            if "word/document.xml" in names:
                return "docx"
            if "[content_types].xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                if any(main in types for main in WORD_MAIN_TYPES):
                    return "zip-word"
            if any(name.startswith("word/") for name in names):
                return "zip-word"
            return "zip"
    except Exception:  # noqa: BLE001 - zipfile raises many kinds of error on a damaged archive
        return "zip-broken"


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of text saved as UTF-16 without a byte order mark, if that is what it is.

    Latin-script text has a NUL in every other byte for its ASCII letters; the decoded text must
    then be Latin (Vietnamese included), so that binary data full of NULs does not pass as text.
    """
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd * 5 >= half * 2 and even * 20 < half:
        codec = "utf-16-le"
    elif even * 5 >= half * 2 and odd * 20 < half:
        codec = "utf-16-be"
    else:
        return None
    text = sample.decode(codec, "replace")
    latin = sum(1 for ch in text if ch < "\u0250" or "\u1e00" <= ch <= "\u1eff" or "\u2000" <= ch <= "\u206f")
    return codec if latin * 10 >= len(text) * 9 else None


def _mismatch(content: str, name: str, extension: str) -> DocumentError:
    message = {
        "pdf": MSG_MISMATCH_PDF,
        "docx": MSG_MISMATCH_DOCX,
        "zip-word": MSG_MISMATCH_DOCX,
        "encrypted-office": MSG_MISMATCH_DOCX,
        "ole": MSG_MISMATCH_DOC,
        "text": MSG_MISMATCH_TEXT,
    }.get(content, MSG_MISMATCH_OTHER)
    return DocumentError("mismatch", message, name=name, extension=extension)


def _display_name(filename: str) -> str:
    # Some browsers send a full path ("C:\fakepath\x.docx").
    return re.split(r"[\\/]", filename or "")[-1].strip() or "?"


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def megabytes(size: int, *, up: bool = False) -> str:
    """Megabytes to one decimal, "20" rather than "20.0"; rounded up for a size over a limit, so it shows."""
    tenths = size * 10 / (1024 * 1024)
    text = f"{(math.ceil(tenths) if up else round(tenths)) / 10:.1f}"
    return text.removesuffix(".0")


# --- Normalising and checking the text ----------------------------------------------------------

# Control characters but \t \n \f, and invisible ones (soft hyphen, zero-width, stray BOM).
_REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACE_LIKE = re.compile("[\u00a0\u2000-\u200a\u202f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x85\u2028\u2029]")
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)


def normalize_text(text: str) -> str:
    """NFC, "\\n" line ends, no control characters but \\t \\n \\f, plain spaces, no trailing spaces."""
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING.sub("", _SPACE_LIKE.sub(" ", _REMOVED.sub("", text)))
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and lines[start].strip(" \t\f") == "":
        start += 1
    while end > start and lines[end - 1].strip(" \t\f") == "":
        end -= 1
    return "\n".join(lines[start:end])


def _finish(raw: str, fmt: str, pages: int | None, name: str) -> ExtractedText:
    encoding = looks_legacy(raw)
    if encoding:
        raise DocumentError("legacy_encoding", MSG_LEGACY_FONT, name=name, encoding=encoding)
    text = normalize_text(raw)
    if not text.replace("\f", "").strip():
        raise DocumentError("empty", MSG_NO_TEXT, name=name)
    return ExtractedText(text=text, format=fmt, pages=pages)


# --- Old Vietnamese encodings -------------------------------------------------------------------

# TCVN3 (ABC) and VNI text shows as Windows-1252 characters when a document typed in .VnTime or
# VNI-Times is read without those fonts: "MÆt trËn" (TCVN3), "Maët traän" (VNI) for "Mặt trận".
# To tell it from French or German, each suspect word is decoded back and must come out as a
# Vietnamese syllable.
_TCVN3 = dict(
    zip(
        "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦",
        "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
        strict=True,
    )
)
# Characters that only the old encodings leave in a word (Vietnamese Latin-1 letters prove nothing).
_TCVN3_SIGNS = frozenset(_TCVN3) - frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_VNI_LETTERS = dict(zip("ñÑôÔöÖæÆóÓòÒîÎ", "đĐơƠưƯỉỈĩĨịỊỵỴ", strict=True))
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT, _CIRCUMFLEX, _BREVE = "\u0301\u0300\u0309\u0303\u0323\u0302\u0306"
_VNI_TONES = dict(zip("ùøûõïÙØÛÕÏ", [_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT] * 2, strict=True))
_VNI_HATS = dict(zip("âáàåãäÂÁÀÅÃÄ", ["", _ACUTE, _GRAVE, _HOOK, _TILDE, _DOT] * 2, strict=True))
_VNI_BREVES = dict(zip("êéèúüëÊÉÈÚÜË", ["", _ACUTE, _GRAVE, _HOOK, _TILDE, _DOT] * 2, strict=True))
_VNI_SIGNS = frozenset("øûïüëåäæîñöØÛÏÜËÅÄÆÎÑÖ")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_TONES = re.compile(f"[{_TONE_MARKS}]")
_NUCLEI = "iêu oai oay oeo uây uôi uya uyê uyu ươi ươu yêu ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ"
_NUCLEI += " ue uê ui uô uơ uy ưa ưi ưu ươ yê a ă â e ê i o ô ơ u ư y"
_INITIALS = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
_SYLLABLE = re.compile(_INITIALS + "(?:" + "|".join(_NUCLEI.split()) + r")(?:ch|ng|nh|[cmnpt])?")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SIGN_CLASS = "[" + re.escape("".join(sorted(_TCVN3_SIGNS | _VNI_SIGNS))) + "]"
_SIGN = re.compile(_SIGN_CLASS)
_ALL_SIGNS = _TCVN3_SIGNS | _VNI_SIGNS
# Letters only real Unicode Vietnamese has (Windows-1252 cannot produce them).
_PROPER = re.compile("[ăâđơưĂĐƠƯĩũĨŨ\u1ea0-\u1ef9]")
_ASCII_LETTER = re.compile("[A-Za-z]")


def looks_legacy(text: str) -> str | None:
    """The old 8-bit font encoding ("TCVN3" or "VNI") that Vietnamese text is in, or None.

    Looks at the whole text, then at each paragraph, so that a header typed in .VnTime above a
    Unicode body is caught too.
    """
    text = unicodedata.normalize("NFC", text)
    suspects = list(_suspect_words(text))
    if not suspects:
        return None
    found = _judge([word for _, word in suspects], partial(_count_proper, text, 0, len(text)), minimum=5)
    if found:
        return found
    breaks = [m.start() for m in _PARAGRAPHS.finditer(text)]
    by_paragraph: dict[int, list[str]] = {}
    for position, word in suspects:
        by_paragraph.setdefault(bisect.bisect(breaks, position), []).append(word)
    for index, words in by_paragraph.items():
        start = breaks[index - 1] if index else 0
        end = breaks[index] if index < len(breaks) else len(text)
        found = _judge(words, partial(_count_proper, text, start, end), minimum=3)
        if found:
            return found
    return None


def _suspect_words(text: str, limit: int = 20_000) -> Iterator[tuple[int, str]]:
    """(position, word) of the words holding a sign of an old encoding and a plain letter ("MÆt", not "×")."""
    end = 0
    for count, sign in enumerate(_SIGN.finditer(text)):
        if sign.start() < end:
            continue
        if count > limit:
            return
        start, end = sign.start(), sign.end()
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] in _ALL_SIGNS):
            start -= 1
        while end < len(text) and (text[end].isalpha() or text[end] in _ALL_SIGNS):
            end += 1
        word = text[start:end]
        if _ASCII_LETTER.search(word):
            yield start, word


def _count_proper(text: str, start: int, end: int) -> int:
    return len(_PROPER.findall(text, start, end))


def _judge(words: list[str], proper: Callable[[], int], minimum: int) -> str | None:
    best: tuple[int, str] = (0, "")
    for name, signs, decode in (("TCVN3", _TCVN3_SIGNS, _from_tcvn3), ("VNI", _VNI_SIGNS, _from_vni)):
        suspects = [word for word in words if not signs.isdisjoint(word)]
        decoded = sum(1 for word in suspects if _is_syllable(decode(word)))
        # Most suspect words must decode to syllables, and not be a stray few within real Vietnamese.
        if decoded >= max(minimum, best[0] + 1) and decoded * 10 >= len(suspects) * 6 and decoded * 3 >= proper():
            best = (decoded, name)
    return best[1] or None


def _from_tcvn3(word: str) -> str:
    return "".join(_TCVN3.get(ch, ch) for ch in word)


def _from_vni(word: str) -> str:
    out: list[str] = []
    for ch in word:
        base = out[-1] if out else ""
        vowel = base.lower() in ("a", "e", "o", "u", "y", "i", "ơ", "ư") and base != ""
        if vowel and ch in _VNI_TONES:
            out[-1] = unicodedata.normalize("NFC", base + _VNI_TONES[ch])
        elif vowel and base.lower() in ("a", "e", "o") and ch in _VNI_HATS:
            out[-1] = unicodedata.normalize("NFC", base + _CIRCUMFLEX + _VNI_HATS[ch])
        elif vowel and base.lower() == "a" and ch in _VNI_BREVES:
            out[-1] = unicodedata.normalize("NFC", base + _BREVE + _VNI_BREVES[ch])
        else:
            out.append(_VNI_LETTERS.get(ch, ch))
    return "".join(out)


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if len(_TONES.findall(decomposed)) > 1:
        return False
    bare = unicodedata.normalize("NFC", _TONES.sub("", decomposed))
    return _SYLLABLE.fullmatch(bare) is not None


def _guess_legacy_bytes(data: bytes) -> str | None:
    """Which old encoding undecodable text bytes are in, when it shows."""
    found = looks_legacy(data.decode("cp1252", "replace"))
    if found:
        return found
    # Windows-1258 writes tones as combining marks after the letter.
    text = data.decode("cp1258", "replace")
    marks = sum(1 for a, b in itertools.pairwise(text) if a.isalpha() and b in _TONE_MARKS)
    return "Windows-1258" if marks >= 3 else None


# --- Text files ---------------------------------------------------------------------------------


def _decode_text(data: bytes, name: str) -> str:
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-8":
                    break
                raise DocumentError("corrupt", MSG_CORRUPT_TEXT, name=name) from None
    else:
        codec = _utf16_without_bom(data) or ""
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise DocumentError("corrupt", MSG_CORRUPT_TEXT, name=name) from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    encoding = _guess_legacy_bytes(data)
    if encoding:
        raise DocumentError("legacy_encoding", MSG_LEGACY_NAMED, name=name, encoding=encoding)
    raise DocumentError("legacy_encoding", MSG_LEGACY_ENCODING, name=name)


# --- Word documents -----------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCX_MAIN = WORD_MAIN_TYPES[0]
PAGE = "\f"

# Inside a paragraph: what never shows as body text (deletions, field codes, text boxes, notes).
_SKIP_IN_PARAGRAPH = {
    W + "pPr",
    W + "rPr",
    W + "del",
    W + "moveFrom",
    W + "delText",
    W + "instrText",
    W + "drawing",
    W + "pict",
    W + "object",
    W + "txbxContent",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    MC + "Choice",  # of an mc:AlternateContent: a drawing; its mc:Fallback is read (text boxes inside are skipped)
}


def _read_docx(data: bytes, name: str, limit: int) -> str:
    try:
        data = _checked_docx(data, name, limit)
        document = docx.Document(io.BytesIO(data))
        reader = _DocxReader(_related_xml(document, "numbering"), _related_xml(document, "styles"))
        blocks = reader.body(document.element.body)
    except DocumentError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds of error on damaged files
        raise DocumentError("corrupt", MSG_CORRUPT_DOCX, name=name) from error
    return _join_blocks(blocks)


def _checked_docx(data: bytes, name: str, limit: int) -> bytes:
    """Refuse zip bombs; give macro documents and templates the plain document type python-docx wants."""
    document_limit = min(UNPACK_RATIO * limit, MAX_UNPACKED_BYTES)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        for info in infos:
            if info.filename.lower() == "word/document.xml" and info.file_size > document_limit:
                raise DocumentError("too_large", MSG_UNPACKS_TOO_LARGE, name=name, limit=megabytes(document_limit))
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise DocumentError("too_large", MSG_UNPACKS_TOO_LARGE, name=name, limit=megabytes(MAX_UNPACKED_BYTES))
        types = archive.read("[Content_Types].xml").decode("utf-8")
        if DOCX_MAIN in types or not any(main in types for main in WORD_MAIN_TYPES[1:]):
            return data
        for main in WORD_MAIN_TYPES[1:]:
            types = types.replace(main, DOCX_MAIN)
        patched = io.BytesIO()
        with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as out:
            for info in infos:
                content = types.encode("utf-8") if info.filename == "[Content_Types].xml" else archive.read(info)
                out.writestr(info, content)
        return patched.getvalue()


def _related_xml(document: Any, which: str) -> Any:
    """The numbering or styles part's root element, or None when the document has none."""
    relationship = RT.NUMBERING if which == "numbering" else RT.STYLES
    try:
        part = document.part.part_related_by(relationship)
    except KeyError:
        return None
    element = getattr(part, "element", None)
    return element if element is not None else parse_xml(part.blob)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None
    legal: bool = False
    style: str | None = None


@dataclass
class _Numbering:
    """Word's automatic list numbers: definitions, and the counters as the document goes."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    abstract_link: dict[str, str] = field(default_factory=dict)  # abstractNumId -> numStyleLink
    nums: dict[str, tuple[str, dict[int, _Level]]] = field(default_factory=dict)
    style_numbering: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, numbering: Any, styles: Any) -> _Numbering:
        self = cls()
        if numbering is not None:
            for abstract in numbering.iterchildren(W + "abstractNum"):
                key = abstract.get(W + "abstractNumId", "")
                levels = abstract.iter(W + "lvl")
                self.abstract[key] = {_number(lvl.get(W + "ilvl")) or 0: _level(lvl) for lvl in levels}
                link = abstract.find(W + "numStyleLink")
                if link is not None:
                    self.abstract_link[key] = link.get(W + "val", "")
            for num in numbering.iterchildren(W + "num"):
                abstract_id = _val(num.find(W + "abstractNumId")) or ""
                overrides: dict[int, _Level] = {}
                for override in num.iterchildren(W + "lvlOverride"):
                    ilvl = _number(override.get(W + "ilvl")) or 0
                    lvl = override.find(W + "lvl")
                    start = _val(override.find(W + "startOverride"))
                    if lvl is not None:
                        overrides[ilvl] = _level(lvl)
                    elif start is not None:
                        overrides[ilvl] = _Level(start=_number(start) or 0, fmt="")  # fmt "": the rest from abstract
                self.nums[num.get(W + "numId", "")] = (abstract_id, overrides)
        if styles is not None:
            own: dict[str, tuple[str | None, int | None, str | None]] = {}
            for style in styles.iterchildren(W + "style"):
                num_pr = style.find(f"{W}pPr/{W}numPr")
                based = _val(style.find(W + "basedOn"))
                style_num = _val(num_pr.find(W + "numId")) if num_pr is not None else None
                style_ilvl = _val(num_pr.find(W + "ilvl")) if num_pr is not None else None
                own[style.get(W + "styleId", "")] = (style_num, _number(style_ilvl), based)
            for style_id in own:
                # numId and ilvl are inherited separately along basedOn: the nearest style setting each wins.
                seen: set[str] = set()
                found_id: str | None = None
                found_ilvl: int | None = None
                current: str | None = style_id
                while current and current in own and current not in seen:
                    seen.add(current)
                    own_id, own_ilvl, based = own[current]
                    found_id = found_id if found_id is not None else own_id
                    found_ilvl = found_ilvl if found_ilvl is not None else own_ilvl
                    current = based
                if found_id is not None:
                    self.style_numbering[style_id] = (found_id, found_ilvl)
        return self

    def levels(self, num_id: str) -> dict[int, _Level]:
        abstract_id, overrides = self.nums.get(num_id, ("", {}))
        for _ in range(5):  # a list style points at the abstract definition holding the levels
            link = self.abstract_link.get(abstract_id)
            if not link or link not in self.style_numbering:
                break
            abstract_id = self.nums.get(self.style_numbering[link][0] or "", ("", {}))[0]
        levels = dict(self.abstract.get(abstract_id, {}))
        for ilvl, override in overrides.items():
            if override.fmt:
                levels[ilvl] = override
            else:
                base = levels.get(ilvl, _Level())
                levels[ilvl] = _Level(base.fmt, base.text, override.start, base.restart, base.legal, base.style)
        return levels

    def marker(self, paragraph: Any) -> str:
        """The rendered list marker of the paragraph ("1.", "a)", "II.", "-"), or ""."""
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        style = _val(paragraph.find(f"{W}pPr/{W}pStyle"))
        num_id = _val(num_pr.find(W + "numId")) if num_pr is not None else None
        ilvl_text = _val(num_pr.find(W + "ilvl")) if num_pr is not None else None
        ilvl = _number(ilvl_text)
        if num_id is None and style in self.style_numbering:
            num_id, style_ilvl = self.style_numbering[style]
            ilvl = ilvl if ilvl is not None else style_ilvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        levels = self.levels(num_id)
        if ilvl is None:
            ilvl = next((k for k, lvl in levels.items() if style and lvl.style == style), 0)
        ilvl = max(0, min(ilvl, 8))
        level = levels.get(ilvl, _Level())
        # Word counts per list definition: every list entry pointing at the same abstract
        # definition continues one count (ECMA-376 §17.9), unless it overrides a start value.
        abstract_id = self.nums[num_id][0]
        key = num_id if self.nums[num_id][1] else f"abstract:{abstract_id}"
        counter = self.counters.setdefault(key, {})
        counter[ilvl] = counter[ilvl] + 1 if ilvl in counter else level.start
        for deeper in [k for k in counter if k > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            threshold = deeper if restart is None or restart - 1 >= deeper else restart
            if ilvl < threshold:
                del counter[deeper]
        if level.fmt == "bullet":
            # Word's own glyphs: a plus or an "o" mark a second level; symbol-font bullets are dashes.
            glyph = level.text.strip()
            return glyph if glyph in ("+", "o") else "-"

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            referenced = levels.get(k, _Level())
            value = counter.get(k, referenced.start)
            return _format_number(value, "decimal" if level.legal else referenced.fmt)

        return re.sub(r"%([1-9])", number, level.text).strip()


def _val(element: Any) -> str | None:
    return None if element is None else element.get(W + "val")


def _number(text: str | None) -> int | None:
    """A small whole number from an attribute; None when missing or malformed (one bad list is no reason to refuse)."""
    if text is None or not text.strip().isdigit() or len(text.strip()) > 6:
        return None
    return int(text)


def _level(lvl: Any) -> _Level:
    start = _number(_val(lvl.find(W + "start")))
    legal = lvl.find(W + "isLgl")
    return _Level(
        fmt=_val(lvl.find(W + "numFmt")) or "decimal",
        text=_val(lvl.find(W + "lvlText")) or "",
        start=start if start is not None else 1,
        restart=_number(_val(lvl.find(W + "lvlRestart"))),
        legal=legal is not None and _val(legal) not in ("0", "false", "off"),
        style=_val(lvl.find(W + "pStyle")),
    )


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
    (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = ""
        for amount, letters in _ROMAN:
            count, value = divmod(value, amount)
            roman += letters * count
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt in ("upperLetter", "lowerLetter") and 0 < value <= 26 * 10:  # "aaaaaaaaaa" at most
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


class _DocxReader:
    def __init__(self, numbering: Any, styles: Any) -> None:
        self.numbering = _Numbering.load(numbering, styles)

    def body(self, container: Any) -> list[str]:
        """Blocks of text in document order: a paragraph, a table cell, or PAGE."""
        blocks: list[str] = []
        for child in container.iterchildren():
            tag = child.tag
            if tag == W + "p":
                blocks.extend(self.paragraph(child))
            elif tag == W + "tbl":
                blocks.extend(self.table(child))
            elif tag in (W + "sdt", W + "customXml"):
                inner = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if inner is not None:
                    blocks.extend(self.body(inner))
        return blocks

    def paragraph(self, p: Any) -> list[str]:
        marker = self.numbering.marker(p)
        parts: list[str] = []
        self._runs(p, parts)
        text = "".join(parts)
        blocks: list[str] = []
        break_before = p.find(f"{W}pPr/{W}pageBreakBefore")
        if break_before is not None and _val(break_before) not in ("0", "false", "off"):
            blocks.append(PAGE)
        pieces = [piece.strip() for piece in text.split(PAGE)]
        if marker:
            first = next((i for i, piece in enumerate(pieces) if piece.strip()), None)
            if first is not None:
                pieces[first] = f"{marker} {pieces[first].lstrip()}"
        # A page break at the start or end of a paragraph falls between paragraphs; inside, it splits one.
        if len(pieces) > 1 and not pieces[0].strip():
            blocks.append(PAGE)
        inner = [piece for piece in pieces if piece.strip()]
        if inner:
            blocks.append("\n\f\n".join(inner))
        if len(pieces) > 1 and not pieces[-1].strip() and inner:
            blocks.append(PAGE)
        section = p.find(f"{W}pPr/{W}sectPr")
        if section is not None and _val(section.find(W + "type")) != "continuous":
            blocks.append(PAGE)
        return blocks

    def _runs(self, element: Any, parts: list[str]) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append("\t")
            elif tag == W + "br":
                parts.append(PAGE if child.get(W + "type") == "page" else "\n")
            elif tag == W + "cr":
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            else:
                self._runs(child, parts)

    def table(self, tbl: Any) -> list[str]:
        blocks: list[str] = []
        for row in _children(tbl, W + "tr"):
            for cell in _children(row, W + "tc"):
                properties = cell.find(W + "tcPr")
                if properties is not None:
                    # The continuation of a merged cell: its text was written with the first part.
                    v_merge = properties.find(W + "vMerge")
                    h_merge = properties.find(W + "hMerge")
                    if v_merge is not None and _val(v_merge) != "restart":
                        continue
                    if h_merge is not None and _val(h_merge) != "restart":
                        continue
                blocks.extend(self.cell(cell))
        return blocks

    def cell(self, cell: Any) -> list[str]:
        """A cell's paragraphs as the lines of one block; a nested table as blocks of its own."""
        blocks: list[str] = []
        lines: list[str] = []
        for child in cell.iterchildren():
            if child.tag == W + "tbl":
                if lines:
                    blocks.append("\n".join(lines))
                    lines = []
                blocks.extend(self.table(child))
            elif child.tag in (W + "p", W + "sdt", W + "customXml"):
                inner = self.paragraph(child) if child.tag == W + "p" else self.body(self._unwrap(child))
                lines.extend(block for block in inner if block != PAGE)
        if lines:
            blocks.append("\n".join(lines))
        return blocks

    @staticmethod
    def _unwrap(element: Any) -> Any:
        if element.tag == W + "sdt":
            content = element.find(W + "sdtContent")
            return content if content is not None else element.makeelement(W + "sdtContent")
        return element


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == W + "customXml":
            yield from _children(child, tag)


def _join_blocks(blocks: list[str]) -> str:
    tidy: list[str] = []
    for block in blocks:
        if block == PAGE and (not tidy or tidy[-1] == PAGE):
            continue
        tidy.append(block)
    while tidy and tidy[-1] == PAGE:
        tidy.pop()
    return "\n\n".join(tidy)


# --- PDF ----------------------------------------------------------------------------------------

# pdfium is not thread-safe; a web process may serve uploads from several threads.
_PDFIUM_LOCK = threading.Lock()
# A bare number is no marker here: wrapped lines often start with a year ("2022 là năm ...").
LIST_MARKER = re.compile(r"^\s*([IVXLC]+\.|\d+(\.\d+)*[.)]|[a-zđ][.)]|[-–+•])\s")
PAGE_NUMBER = re.compile(r"^[\s\-–—]*(?:trang\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—]*$", re.IGNORECASE)
SENTENCE_END = (".", ":", ";", "!", "?", "./.")


@dataclass
class _Line:
    text: str
    left: float
    right: float
    baseline: float
    size: float
    column: int = 0  # the line's place among text sharing its baseline (0 = leftmost)


def _read_pdf(data: bytes, name: str) -> tuple[str, int]:
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            if error.err_code in (pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY):
                raise DocumentError("encrypted", MSG_ENCRYPTED_PDF, name=name) from error
            raise DocumentError("corrupt", MSG_CORRUPT_PDF, name=name) from error
        except Exception as error:  # anything else pdfium says about a bad file
            raise DocumentError("corrupt", MSG_CORRUPT_PDF, name=name) from error
        try:
            count = len(pdf)
            if count > MAX_PDF_PAGES:
                raise DocumentError("too_large", MSG_TOO_MANY_PAGES, name=name, pages=count, limit=MAX_PDF_PAGES)
            pages = [_pdf_page_lines(pdf, index) for index in range(count)]
        except DocumentError:
            raise
        except Exception as error:  # a damaged page
            raise DocumentError("corrupt", MSG_CORRUPT_PDF, name=name) from error
        finally:
            pdf.close()
    characters = sum(len(line.text.replace(" ", "")) for lines in pages for line in lines)
    if characters < MIN_CHARS_PER_PAGE * max(count, 1):
        raise DocumentError("no_text_layer", MSG_NO_TEXT_LAYER, name=name)
    return _reflow(pages), count


def _pdf_page_lines(pdf: Any, index: int) -> list[_Line]:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return _text_lines(textpage)
        finally:
            textpage.close()
    finally:
        page.close()


def _text_lines(textpage: Any) -> list[_Line]:
    """The page's visual lines, split where text sharing a baseline is far apart (table columns)."""
    count = pdfium_raw.FPDFText_CountChars(textpage)
    lines: list[_Line] = []
    current: list[tuple[int, str]] = []
    # The page's text in one call, one character per character index when nothing lies outside the
    # Basic Multilingual Plane (Vietnamese never does); else one call per character, as pdfium counts.
    whole = textpage.get_text_range(0, count) if count > 0 else ""
    codes = [ord(ch) for ch in whole] if len(whole) == count else None
    for i in range(max(count, 0)):
        code = codes[i] if codes is not None else pdfium_raw.FPDFText_GetUnicode(textpage, i)
        if code in (10, 13):
            lines.extend(_segments(textpage, current))
            current = []
        elif 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            current.append((i, chr(code)))
    lines.extend(_segments(textpage, current))
    return lines


def _segments(textpage: Any, chars: list[tuple[int, str]]) -> list[_Line]:
    visible = [k for k, (_, ch) in enumerate(chars) if not ch.isspace()]
    if not visible:
        return []

    def box(k: int) -> tuple[float, float, float, float]:
        rect = pdfium_raw.FS_RECTF()
        if not pdfium_raw.FPDFText_GetLooseCharBox(textpage, chars[k][0], rect):
            return (0.0, 0.0, 0.0, 0.0)
        return (rect.left, rect.bottom, rect.right, rect.top)

    # Text sharing a baseline but far apart is two columns of a table (the header, the signature block).
    # A space pdfium made up (no space in the file) means separately placed text: a lower bar.
    cuts = [0]
    for before, after in itertools.pairwise(visible):
        if after > before + 1:  # spaces between: how wide is the gap?
            made_up = all(pdfium_raw.FPDFText_IsGenerated(textpage, chars[k][0]) == 1 for k in range(before + 1, after))
            if not made_up and after == before + 2:
                continue  # one real space: a word gap (measuring every one is what makes big PDFs slow)
            left_box, right_box = box(before), box(after)
            size = max(left_box[3] - left_box[1], 1.0)
            if right_box[0] - left_box[2] > (0.5 if made_up else 1.5) * size:
                cuts.append(before + 1)
    cuts.append(len(chars))
    segments: list[_Line] = []
    for column, (start, end) in enumerate(itertools.pairwise(cuts)):
        inside = [v for v in visible if start <= v < end]
        if not inside:
            continue
        first, last = box(inside[0]), box(inside[-1])
        x, y = ctypes.c_double(), ctypes.c_double()
        baseline = y.value if pdfium_raw.FPDFText_GetCharOrigin(textpage, chars[inside[0]][0], x, y) else first[1]
        text = "".join(ch for _, ch in chars[inside[0] : inside[-1] + 1])
        segments.append(_Line(text, first[0], last[2], baseline, max(first[3] - first[1], 1.0), column))
    return _glue_list_markers(segments)


_MARKER_ONLY = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|[-–+•o▪●])$")


def _glue_list_markers(segments: list[_Line]) -> list[_Line]:
    """Word prints a list's number and its text as separate runs with a tab between: a segment that
    is only a list marker belongs with the text to its right, not in a column of its own."""
    glued: list[_Line] = []
    for segment in segments:
        if glued and _MARKER_ONLY.match(glued[-1].text.strip()) and glued[-1].column == len(glued) - 1:
            marker = glued.pop()
            segment = _Line(
                f"{marker.text.strip()} {segment.text}",
                marker.left,
                segment.right,
                segment.baseline,
                max(marker.size, segment.size),
                marker.column,
            )
        glued.append(segment)
    for column, segment in enumerate(glued):
        segment.column = column
    return glued


def _reflow(pages: list[list[_Line]]) -> str:
    """Join hard-wrapped PDF lines into paragraphs, page by page."""
    pages = [_drop_page_numbers(_columns_in_order(lines)) for lines in pages]
    # Margins and line spacing hold for the whole document; one page may have too few lines to tell.
    stats = _Stats.of(pages)
    out: list[str] = []
    previous: _Line | None = None
    for lines in pages:
        if not lines:
            continue
        paragraphs: list[list[_Line]] = [[lines[0]]]
        for before, line in itertools.pairwise(lines):
            if _starts_paragraph(before, line, stats):
                paragraphs.append([line])
            else:
                paragraphs[-1].append(line)
        if previous is not None:
            goes_on = not _ends_paragraph(previous, lines[0], stats) and not _indented(lines[0], stats)
            out.append("\n\f\n" if goes_on else "\n\n\f\n\n")
        out.append("\n\n".join(_join_lines(paragraph) for paragraph in paragraphs))
        previous = lines[-1]
    return "".join(out)


def _columns_in_order(lines: list[_Line]) -> list[_Line]:
    """Where consecutive lines are split in columns (a header table), read each column top to bottom."""
    result: list[_Line] = []
    i = 0
    while i < len(lines):
        if lines[i].column == 0 and i + 1 < len(lines) and lines[i + 1].column == 1:
            band: list[_Line] = []
            while i < len(lines) and (lines[i].column > 0 or (i + 1 < len(lines) and lines[i + 1].column > 0)):
                band.append(lines[i])
                i += 1
            result.extend(sorted(band, key=lambda line: line.column))  # stable: top to bottom in each column
        else:
            result.append(lines[i])
            i += 1
    return result


def _drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    if not lines:
        return lines
    top = max(lines, key=lambda line: line.baseline)
    bottom = min(lines, key=lambda line: line.baseline)
    return [line for line in lines if not ((line is top or line is bottom) and PAGE_NUMBER.match(line.text))]


@dataclass
class _Stats:
    left: float
    right: float
    pitch: float | None

    @classmethod
    def of(cls, pages: list[list[_Line]]) -> _Stats:
        lines = [line for page in pages for line in page]
        if not lines:
            return cls(0.0, 0.0, None)
        lefts = sorted(line.left for line in lines)
        needed = max(2, len(lines) // 5)
        left = lefts[0]
        for value in lefts:  # the body's margin: the leftmost edge many lines share
            if bisect.bisect_right(lefts, value + 2) - bisect.bisect_left(lefts, value - 2) >= needed:
                left = value
                break
        near = [line.right for line in lines if line.left <= left + 3 * line.size]
        right = max(near or [line.right for line in lines])
        gaps = [
            before.baseline - line.baseline
            for page in pages
            for before, line in itertools.pairwise(page)
            if 0.8 * line.size < before.baseline - line.baseline < 3 * line.size
        ]
        return cls(left, right, statistics.median(gaps) if gaps else None)


def _indented(line: _Line, stats: _Stats) -> bool:
    return line.left > stats.left + max(0.6 * line.size, 6.0)


def _centred(line: _Line, stats: _Stats) -> bool:
    width = stats.right - stats.left
    return _indented(line, stats) and abs((line.left + line.right) - (stats.left + stats.right)) / 2 < 0.04 * width


def _starts_paragraph(before: _Line, line: _Line, stats: _Stats) -> bool:
    if line.column != before.column or (LIST_MARKER.match(line.text) and _ends_paragraph(before, line, stats)):
        return True
    drop = before.baseline - line.baseline
    if drop <= 0.3 * line.size or drop > 3 * line.size:
        return True  # back up the page, beside, or far below: not the next line of the same text
    if stats.pitch is not None and drop > 1.3 * stats.pitch + 1:
        return True
    width = stats.right - stats.left
    if _centred(before, stats) and _centred(line, stats):
        # A long centred title wraps onto a second centred line.
        return before.right - before.left < 0.55 * width or abs(before.size - line.size) > 0.5
    return _indented(line, stats) or _stops_short(before, line, stats)


def _ends_paragraph(before: _Line, line: _Line, stats: _Stats) -> bool:
    """A list item may follow: the line before ends a sentence or stops short ("kinh tế\n- xã hội" goes on)."""
    return before.text.rstrip().endswith(SENTENCE_END) or _stops_short(before, line, stats)


def _stops_short(before: _Line, line: _Line, stats: _Stats) -> bool:
    """The last line of a paragraph stops short: the next line's first word would have fit on it."""
    first_word = line.text.split(" ", 1)[0]
    char_width = (line.right - line.left) / max(len(line.text), 1)
    return stats.right - before.right > char_width * (len(first_word) + 2)


def _join_lines(lines: list[_Line]) -> str:
    text = ""
    for line in lines:
        piece = line.text.strip()
        if text.endswith("\x02"):  # pdfium's mark for a hyphen that split a word at the line end
            text = text[:-1] + piece
        else:
            text = f"{text} {piece}" if text else piece
    return text
