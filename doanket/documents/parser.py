"""Understand a Vietnamese administrative document from its text.

The genre (Nghị định 30/2020/NĐ-CP, and how documents really arrive):

* a header laid out as a two-column table — issuer | national motto, number | place and date —
  that arrives either column by column or as one line per row once converted to text; it may
  be missing entirely, or preceded by a web page's banner and a photo caption;
* the kind in capitals ("KẾ HOẠCH"), then the title (trích yếu) on one or more lines;
* a body of numbered sections and items, numbered as written: "I.", "1.", "2.1.", "a)", "-",
  "Điều 1.", "BƯỚC MỘT", "PHẦN I" — gaps and repeats included;
* recipients (Nơi nhận) and the signatory block (TM./KT., title, name), which again may share
  lines when a two-column table was flattened.

``parse(text)`` is a pure function: text in, :class:`ParsedDocument` out. It never raises on
odd input; what it cannot find stays empty and a warning says so.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from dataclasses import dataclass

from doanket.core.text import fold, fold_aligned

from .events import find_events
from .references import find_references
from .structure import ParsedDocument, Section, Signatory

# --- Words of the genre, matched on folded text ------------------------------------------

KIND_WORDS: list[tuple[str, str]] = [
    ("chuong trinh", "work_program"),
    ("ke hoach", "plan"),
    ("phat dong", "emulation_launch"),
    ("bao cao", "report"),
    ("huong dan", "guidance"),
    ("quyet dinh", "decision"),
    ("thong tri", "circular_letter"),
    ("thong bao", "notice"),
    ("nghi quyet", "other"),
    ("loi keu goi", "other"),
    ("to trinh", "other"),
    ("cong van", "other"),
    ("quy che", "other"),
    ("quy dinh", "other"),
    ("ket luan", "other"),
    ("chi thi", "other"),
    ("bien ban", "other"),
    ("de an", "other"),
    ("thu keu goi", "other"),
    ("thu moi", "other"),
]
COORDINATION = "phoi hop va thong nhat hanh dong"

MOTTO_NATION = re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam")
MOTTO_FREEDOM = re.compile(r"doc\s*lap\s*[-–—]+\s*tu\s*do\s*[-–—]+\s*hanh\s*phuc")
NUMBER_START = re.compile(r"(?<![\w])so\s*[:.]?\s*(?=[\d/\-–\s]|$)")
PLACE_DATE = re.compile(
    r",\s*ngay\s*(?P<d>\d{1,2})?\s*(?:thang|/)\s*(?P<m>\d{1,2})?\s*(?:nam|/)\s*(?P<y>\d{4})?",
)
DATE_ONLY = re.compile(r"^ngay\s*(?P<d>\d{1,2})?\s*thang\s*(?P<m>\d{1,2})?\s*nam\s*(?P<y>\d{4})\s*$")
SEPARATOR = re.compile(r"^[\s\-–—_=*.~]+$")

# Noise around a document copied from a web page.
NOISE_START = re.compile(
    r"^(?:trang chu|cong thong tin|cap nhat|luot xem|ngay dang|dang luc|tac gia|nguon|anh\s*:|\(anh|tin lien quan|"
    r"chia se|in bai|gui email|tin khac|ban quyen|copyright|facebook|zalo|twitter|doc them|xem them|tu khoa|tags?\s*:|"
    r"binh luan|quay lai|len dau trang|trang \d+ / \d+|\d+\s*/\s*\d+$)"
)
TRAILING_NOISE = re.compile(
    r"^(?:tin lien quan|chia se|in bai|gui email|tin khac|ban quyen|copyright|doc them|xem them|tu khoa|tags?\s*:|"
    r"binh luan|quay lai|len dau trang|cac tin khac|tin cung chuyen muc)"
)

# Openings of a body paragraph (not a title line).
BODY_OPENERS = re.compile(
    r"^(?:can cu|thuc hien|de |nham |tren co so|nam \d{4}|ngay \d|qua |trong nam|theo |xet |sau |huong ung|"
    r"ban thuong truc|uy ban|thuc hien|voi muc dich)"
)

SIGN_PREFIX = re.compile(r"^(?:T\.?M\.?|T/M|K\.?T\.?|K/T|T\.?L\.?|T/L|TUQ\.?|Q\.|Q/)\s+\S", re.IGNORECASE)
SIGN_TITLES = re.compile(
    r"^(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|TRƯỞNG\s+BAN|BÍ\s+THƯ|CHÁNH\s+VĂN\s+PHÒNG|GIÁM\s+ĐỐC|TRƯỞNG\s+PHÒNG|CHỦ\s+NHIỆM|"
    r"ỦY\s+VIÊN|UỶ\s+VIÊN|TỔNG\s+BIÊN\s+TẬP|TRƯỞNG\s+THÔN|TRƯỞNG\s+BẢN|TỔ\s+TRƯỞNG|THƯ\s+KÝ|NGƯỜI\s+KÝ|"
    r"CHÁNH\s+THANH\s+TRA|TRƯỞNG\s+KHU|ĐẠI\s+DIỆN)\b"
)
SIGN_NOTE = re.compile(r"^[(\[]?\s*(?:đã ký|da ky|ký tên|ky ten|ký, ghi rõ|ký và|\[?daky\]?)", re.IGNORECASE)

ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
NUMBER_WORDS = {
    "mot",
    "hai",
    "ba",
    "bon",
    "tu",
    "nam",
    "sau",
    "bay",
    "tam",
    "chin",
    "muoi",
    "thu nhat",
    "thu hai",
    "thu ba",
    "thu tu",
    "thu nam",
    "thu sau",
    "cuoi",
}

MARKER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(r"^(?P<num>(?:PHẦN|Phần)\s+(?:THỨ\s+\S+|thứ\s+\S+|[IVXLC]+|\d+|[A-ZĐ]))\b\s*[.:\-–]?\s*")),
    ("chapter", re.compile(r"^(?P<num>(?:CHƯƠNG|Chương)\s+(?:[IVXLC]+|\d+))\b\s*[.:\-–]?\s*")),
    ("article", re.compile(r"^(?P<num>Điều\s+\d+[a-z]?)\s*[.:]\s*|^(?P<num2>Điều\s+\d+[a-z]?)\s+(?=[A-ZĐÀ-Ỹ])")),
    ("step", re.compile(r"^(?P<num>(?:BƯỚC|Bước)\s+(?:\d+|[^\s.:]+(?:\s+(?:NHẤT|nhất|HAI|hai|BA|ba))?))\s*[.:\-–]\s*")),
    (
        "ordinal",
        re.compile(
            r"^(?P<num>(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười(?: một| hai)?)\s+là|"
            r"Thứ\s+(?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))\s*[,:]\s*"
        ),
    ),
    ("roman", re.compile(r"^(?P<num>[IVXLC]{1,6})\s*[.)/]\s*(?=\S)")),
    ("upper", re.compile(r"^(?P<num>[A-ZĐ])\s*[.)]\s+(?=\S)")),
    ("decimal", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?P<delim>[.)]?)(?:\s+|(?<=[.)])(?=[A-ZĐÀ-Ỹ“\"]))")),
    ("letter", re.compile(r"^(?P<num>[a-zđ])\s*[.)]\s*(?=\S)")),
    ("bullet", re.compile(r"^(?P<num>[-–—•●▪◦+∗])\s*(?=\S)")),
    ("circle", re.compile(r"^(?P<num>o)\s+(?=[A-ZĐÀ-Ỹ“\"(])")),  # Word's second-level bullet, as text
]


@dataclass
class _Para:
    text: str
    blank_before: bool  # a blank line or page break preceded it


# --- Text clean-up -----------------------------------------------------------------------


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([\\.\-*_#()\[\]!+>])")
_BOLD = re.compile(r"\*\*|__")
_EMPH_OPEN = re.compile(r"(?<![\w*])\*(?=[^\s*])")
_EMPH_CLOSE = re.compile(r"(?<=[^\s*])\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


def _clean_line(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    bullet = ""
    stripped = line.lstrip()
    if re.match(r"^[*+]\s+\S", stripped) and not stripped.startswith("**"):
        # A Markdown bullet "* item": keep it as a bullet, not as emphasis.
        bullet = "- " if stripped[0] == "*" else "+ "
        stripped = stripped[2:]
    line = _BOLD.sub("", stripped)
    line = _EMPH_OPEN.sub("", line)
    line = _EMPH_CLOSE.sub("", line)
    line = _MD_ESCAPE.sub(r"\1", line)
    line = line.replace("<br>", " ").replace("<br/>", " ")
    return bullet + _SPACES.sub(" ", line).strip()


_CELL_BREAK = re.compile(r"(?<=\S)(?:\t+| {3,})(?=\S)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", re.IGNORECASE)


_LONE_MARKER = re.compile(
    r"^(?:[-–—•●▪◦+*o]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|[IVXLC]{1,6}[.)]|Điều\s+\d+[.:]?|[A-ZĐ][.)])$"
)


def _cells(line: str) -> list[str]:
    """A flattened table row ("left<TAB>right", "left      right", "| left | right |") as its cells,
    each on its own line: the header's and the signature block's two columns come apart."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _TABLE_RULE.match(stripped):
            return []
        return [cell.strip() for cell in stripped.strip("|").split("|")]
    if not _CELL_BREAK.search(stripped):
        return [line]
    cells: list[str] = []
    start = 0
    for match in _CELL_BREAK.finditer(stripped):
        left, right = stripped[start : match.start()], stripped[match.end() :]
        # Blanks left for a number or a day to be written in by hand are not column breaks:
        # "Số:    /KH-MTTQ-BTT", "ngày     tháng 10 năm 2025"; nor is the tab after a list
        # marker that Word leaves when a list is copied as text ("-<TAB>Tuyên truyền").
        if left.endswith(":") or fold(left).endswith((" ngay", " thang", "ngay")) or right[:1] in "/-–":
            continue
        if _LONE_MARKER.match(left[left.rfind("\t") + 1 :] if start else left):
            continue
        if fold(right).startswith(("thang ", "nam ")):
            continue
        cells.append(left)
        start = match.end()
    cells.append(stripped[start:])
    return cells


class _PageBreakInParagraph(str):
    """A blank line to everything that reads lines, except ``_paragraphs``, which knows by identity
    that the paragraph goes on over a page break."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False


CONTINUES = _PageBreakInParagraph("")


def _lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\ufeff", "")
    lines: list[str] = []
    for page in text.split("\f"):
        raw_lines = page.split("\n")
        # A page number stands among the first or last lines of a page, never in the middle
        # (a lone "36" inside a table of figures is a figure).
        filled = [i for i, raw in enumerate(raw_lines) if raw.strip()]
        edges = set(filled[:2] + filled[-2:]) if "\f" in text else set()
        for i, raw in enumerate(raw_lines):
            if i in edges and _PAGE_NUMBER.match(raw):
                continue  # a page number left by a PDF converter
            for cell in _cells(raw):
                lines.append(_clean_line(cell))
        # The readers write "text\n\f\ntext" for a paragraph cut by a page break, and
        # "\n\n\f\n\n" between paragraphs: keep the difference.
        lines.append(CONTINUES if page.endswith("\n") and not page.endswith("\n\n") else "")
    lines.pop()
    return lines


def _f(line: str) -> str:
    return fold(line)


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _kind_of_line(line: str, *, loose: bool = False) -> tuple[str, str, str] | None:
    """(kind, kind word as written, rest of the line) when ``line`` is the document's kind line.
    ``loose``: a sentence-case "Kế hoạch tổ chức ..." counts too (found by the caller's checks)."""
    folded = _f(line).rstrip(" :.")
    for word, kind in KIND_WORDS:
        if folded == word or folded.startswith(word + " "):
            rest = line[len(word) :].strip(" :.-–")
            # "KẾ HOẠCH" alone, or all in capitals ("KẾ HOẠCH TỔ CHỨC ..."), or "Kế hoạch" alone.
            head = line[: len(word)]
            if loose or folded == word or (_is_caps(head) and (not rest or _is_caps(line) or rest[:1].isupper())):
                return kind, head, rest
    return None


# --- Header ------------------------------------------------------------------------------


@dataclass
class _Header:
    issuer_lines: list[str]
    number: str | None = None
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    found: bool = False  # a motto, a number or a place-and-date line was seen


def _remove_span(line: str, folded: str, pattern: re.Pattern[str]) -> tuple[str, str, bool]:
    match = pattern.search(folded)
    if not match:
        return line, folded, False
    return (
        line[: match.start()] + " " + line[match.end() :],
        folded[: match.start()] + " " + folded[match.end() :],
        True,
    )


_PLACE_LOWER = {"phố", "xã", "trấn", "khu"}


def _place_before(text: str) -> tuple[str | None, int]:
    """The place name just before ", ngày": proper-case words, read backwards."""
    words = text.rstrip().split(" ")
    kept: list[str] = []
    for word in reversed(words):
        if not word:
            continue
        if kept and word in _PLACE_LOWER:  # "Thành phố Hồ Chí Minh", "Thị xã Sa Pa"
            kept.append(word)
            continue
        if word in ("TP.", "Tp.", "TX.", "Tx.") or (
            word[:1].isupper() and not _is_caps(word) and not any(ch.isdigit() or ch in "/-" for ch in word)
        ):
            kept.append(word)
            if len(kept) >= 6:
                break
            continue
        if len(word) == 1 and word.isupper() and kept:  # "Đ" in a name is rare; stop
            break
        break
    while kept and kept[-1] in _PLACE_LOWER:
        kept.pop()
    place = " ".join(reversed(kept)).strip(" ,") or None
    cut = len(text.rstrip()) - len(" ".join(reversed(kept))) if kept else len(text)
    return place, cut


def _clean_number(raw: str) -> str | None:
    number = re.sub(r"\s*([/\-–])\s*", r"\1", raw.strip(" ,;:")).replace("–", "-")
    number = re.sub(r"\s+", "", number)
    if not number or not re.search(r"[A-Za-zĐ]", number):
        return None
    return number


# Marks that stand in the header but are not the issuer's name.
_MARKS = re.compile(r"\b(?:DỰ THẢO|DU THAO|HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|TỐI MẬT|MẬT)\b")


def _parse_header(lines: list[str]) -> _Header:
    header = _Header(issuer_lines=[])
    for raw in lines:
        line, folded = raw, fold_aligned(raw)
        line, folded, nation = _remove_span(line, folded, MOTTO_NATION)
        line, folded, freedom = _remove_span(line, folded, MOTTO_FREEDOM)
        header.found = header.found or nation or freedom
        date_match = PLACE_DATE.search(folded) or DATE_ONLY.match(folded)
        if date_match:
            header.found = True
            before = line[: date_match.start()]
            place, cut = _place_before(before)
            if place:
                header.place = place
            groups = date_match.groupdict()
            if groups["y"]:
                header.year = int(groups["y"])
                if groups["d"] and groups["m"]:
                    try:
                        header.date = dt.date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
                    except ValueError:
                        header.date = None
            line, folded = before[:cut], folded[:cut]
        number_match = NUMBER_START.search(folded)
        if number_match and (number_match.start() == 0 or _is_caps(line[: number_match.start()])):
            header.found = True
            header.number = _clean_number(line[number_match.end() :]) or header.number
            line = line[: number_match.start()]
        line = _MARKS.sub(" ", line).strip(" -–—_*")
        if line and _is_caps(line) and not SEPARATOR.match(line):
            header.issuer_lines.append(_SPACES.sub(" ", line))
    return header


# --- Body paragraphs ---------------------------------------------------------------------


def _marker(text: str) -> tuple[str, str, str] | None:
    """(type, number as written, rest) for a numbered or bulleted paragraph."""
    for type_, pattern in MARKER_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        number = match.group("num") or (match.groupdict().get("num2") or "")
        rest = text[match.end() :].strip()
        if type_ == "roman" and not ROMAN.match(number):
            continue
        if type_ == "upper" and ROMAN.match(number):
            continue
        if type_ == "decimal":
            if "." not in number and not match.group("delim"):
                continue  # "2022 là năm" or "15 xã": a bare number is not a marker
            type_ = f"decimal{number.count('.') + 1}"
            number = number.rstrip(".")
        if type_ == "step":
            word = _f(number.split(None, 1)[1]) if " " in number else ""
            if not (word.isdigit() or word in NUMBER_WORDS):
                continue
        if type_ == "letter" and number not in VI_LETTERS:
            continue
        if type_ == "bullet":
            if not any(ch.isalpha() for ch in rest):
                continue  # "+36", "-270": a signed figure in a table, not an item
            type_ = "plus" if number == "+" else "bullet"
            if number == "∗":
                number = "-"
        if not rest:
            if type_ in ("bullet", "plus", "letter", "upper"):
                continue
        return type_, number, rest
    return None


_TERMINAL = tuple(".:;!?…")


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(" ”\"')»")
    return stripped.endswith(_TERMINAL) or text.rstrip().endswith("/.")


def _paragraphs(lines: list[str]) -> list[_Para]:
    """Lines to paragraphs: one paragraph per line or per blank-separated block, rejoined where
    a page break or a hard wrap cut a sentence."""
    nonblank = [line for line in lines if line]
    if not nonblank:
        return []
    lengths = [len(line) for line in nonblank]
    wrapped = (
        len(nonblank) >= 8
        and statistics.median(lengths) < 110
        and max(lengths) < 140
        and sum(1 for line in nonblank if _ends_sentence(line)) < 0.5 * len(nonblank)
        and sum(1 for line in nonblank if len(line) > 55) > 0.5 * len(nonblank)
    )
    paras: list[_Para] = []
    blank = False
    goes_on = False
    for line in lines:
        if line is CONTINUES:
            goes_on = True
            continue
        if not line:
            blank = True
            continue
        if paras and ((goes_on and not _marker(line)) or _continues(paras[-1], line, blank, wrapped)):
            paras[-1].text = _join(paras[-1].text, line)
        else:
            paras.append(_Para(line, blank))
        blank = False
        goes_on = False
    return paras


def _join(previous: str, line: str) -> str:
    if previous.endswith("-") and not previous.endswith(" -") and line[:1].islower():
        return previous + line  # a word hyphenated across lines
    return previous.rstrip() + " " + line.lstrip()


def _continues(previous: _Para, line: str, blank: bool, wrapped: bool) -> bool:
    if _marker(line) or SIGN_PREFIX.match(line):
        return False
    prev = previous.text
    if _is_caps(prev) and not _is_caps(line):
        return False
    first = line[:1]
    if first.islower() or first in ",;)":
        return not _ends_sentence(prev) or first in ",;)" or not blank
    if _ends_sentence(prev):
        return False
    if wrapped and not blank:
        return True
    # A capitalised word after a page break: the previous paragraph was cut mid-sentence
    # only if it is long and ends on a word ("... với thực hiện Nghị quyết" / "Trung ương 4 ...").
    last = prev.rstrip()[-1:]
    return (last.isalnum() or last == ",") and len(prev) > 150 and not _is_caps(line)


# --- Footer: recipients and signatory ----------------------------------------------------


def _split_sign_part(line: str) -> tuple[str, str]:
    """Split "- Như trên; KT. CHỦ TỊCH" into the recipient and the signatory column's text."""
    match = re.search(r"(?<=[;.,:])\s+(?=(?:T\.?M\.?|K\.?T\.?|T\.?L\.?|TUQ\.?|T/M|K/T)\s)", line)
    if match:
        return line[: match.start()], line[match.end() :]
    # A trailing run of capitals after the recipient's ";" (the title line of the signatory).
    match = re.search(r"(?<=[;.,:])\s+([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s.]{3,})$", line)
    if match and _is_caps(match.group(1)) and SIGN_TITLES.match(match.group(1).strip()):
        return line[: match.start()], match.group(1)
    match = re.search(r"(?<=[;.,:])\s+((?:\(|\[)?(?:Đã ký|đã ký|Ký tên|ký tên)[^)\]]*(?:\)|\])?)$", line)
    if match:
        return line[: match.start()], match.group(1)
    return line, ""


_RANKS = re.compile(r"^(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|úy|tướng)\s+")


def _is_name(line: str) -> bool:
    line = _RANKS.sub("", line)  # "Đại tá Phạm Quang Vinh"
    words = line.split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in line):
        return False
    if _is_caps(line) or SIGN_PREFIX.match(line) or any(ch in line for ch in ".:;,()"):
        return False
    return all(w[:1].isupper() for w in words) and not SIGN_TITLES.match(line.upper())


def _parse_signatory(lines: list[str]) -> Signatory | None:
    on_behalf: list[str] = []
    signing_for: list[str] = []
    title: list[str] = []
    name = ""
    for line in lines:
        line = line.strip()
        if not line or SIGN_NOTE.match(line) or SEPARATOR.match(line):
            continue
        if SIGN_PREFIX.match(line):
            if on_behalf and not title and re.match(r"^(?:K\.?T\.?|K/T)\s", line, re.IGNORECASE):
                signing_for.append(line)
            elif not on_behalf:
                on_behalf.append(line)
            else:
                signing_for.append(line)
            continue
        if _is_caps(line):
            if SIGN_TITLES.match(line) or title or not on_behalf:
                title.append(line)
            elif signing_for:
                signing_for.append(line)
            else:
                on_behalf.append(line)
            continue
        if _is_name(line):
            name = line
    if not (name or title):
        return None
    names = [line.strip() for line in lines if _is_name(line.strip())]
    parties = [line.strip() for line in lines if re.match(r"^(?:T\.?M\.?|T/M)\s", line.strip(), re.IGNORECASE)]
    if len(names) >= 2 or len(parties) >= 2:
        # Two signature columns side by side (a joint programme): their lines come interleaved.
        # The first column is the issuing committee's: its first party, title and name.
        first_party = parties[0] if parties else (on_behalf[0] if on_behalf else None)
        first_title = next((line.strip() for line in lines if SIGN_TITLES.match(line.strip())), " ".join(title))
        return Signatory(name=names[0] if names else name, title=first_title, on_behalf_of=first_party)
    if not title and signing_for:
        title = [signing_for.pop()]
    signatory = Signatory(name=name, title=" ".join(title), on_behalf_of=" ".join(on_behalf) or None)
    if signing_for:
        signatory.signing_for = " ".join(signing_for)
    return signatory


def _parse_footer(lines: list[str]) -> tuple[list[str], Signatory | None]:
    recipients: list[str] = []
    sign_lines: list[str] = []
    started = False
    for line in lines:
        folded = _f(line)
        if not started and folded.startswith("noi nhan"):
            started = True
            rest = line.split(":", 1)[1] if ":" in line[:12] else line[len("Nơi nhận") :]
            rest = rest.strip()
            if rest:
                if rest.startswith(("-", "+", "•")):
                    recipient, sign = _split_sign_part(rest)
                    recipients.append(recipient)
                    if sign:
                        sign_lines.append(sign)
                else:
                    sign_lines.append(rest)
            continue
        if started and line.startswith(("-", "+", "•", "–")):
            recipient, sign = _split_sign_part(line)
            recipients.append(recipient)
            if sign:
                sign_lines.append(sign)
            continue
        sign_lines.append(line)
    cleaned = []
    for recipient in recipients:
        text = recipient.lstrip("-+•– ").rstrip(" ;,.")
        if text:
            cleaned.append(text)
    return cleaned, _parse_signatory(sign_lines)


def _footer_start(lines: list[str]) -> int:
    """Index of the first line of the recipients/signatory block (len(lines) when none): "Nơi
    nhận", or a signature block just above it (joint programmes sign first) or at the end."""
    recipients = next((i for i, line in enumerate(lines) if _f(line).startswith("noi nhan")), None)
    end = recipients if recipients is not None else len(lines)
    sign = _signature_start(lines, max(0, end - 16), end)
    if sign is not None:
        return sign
    if recipients is not None:
        return recipients
    return _loose_signature_start(lines)


def _signature_start(lines: list[str], start: int, end: int) -> int | None:
    """The first line of a signature block within ``lines[start:end]``: TM./KT. or a title,
    followed within a few lines by a name, and nothing but signature lines after it."""
    for i in range(start, end):
        line = lines[i]
        if not line:
            continue
        if (SIGN_PREFIX.match(line) and len(line) < 120) or (_is_caps(line) and SIGN_TITLES.match(line)):
            rest = [x for x in lines[i:end] if x]
            if any(_is_name(x) for x in rest) and all(_is_sign_line(x) for x in rest):
                # The signing bodies' names in capitals just above (two parties of a joint programme).
                while i > start and lines[i - 1] and _is_caps(lines[i - 1]) and not _marker(lines[i - 1]):
                    i -= 1
                return i
    return None


def _is_sign_line(line: str) -> bool:
    return bool(
        SIGN_PREFIX.match(line) or _is_caps(line) or SIGN_NOTE.match(line) or _is_name(line) or SEPARATOR.match(line)
    )


def _loose_signature_start(lines: list[str]) -> int:
    """No "Nơi nhận" and no clean block: TM./KT. or a capitals title followed by a name, near the end."""
    tail_start = max(0, len(lines) - 12)
    for i in range(tail_start, len(lines)):
        line = lines[i]
        if not line:
            continue
        if SIGN_PREFIX.match(line) and len(line) < 120:
            return i
        if _is_caps(line) and SIGN_TITLES.match(line) and len(line) < 60:
            following = [x for x in lines[i + 1 : i + 6] if x]
            if any(_is_name(x) for x in following):
                return i
    return len(lines)


# --- The tree ----------------------------------------------------------------------------


def _build_tree(paras: list[_Para]) -> tuple[list[str], list[Section], list[str]]:
    """Paragraphs to (preamble, sections, closing)."""
    preamble: list[str] = []
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []
    texts: dict[int, list[str]] = {}
    last_section_index = -1
    for index, para in enumerate(paras):
        marker = _marker(para.text)
        if marker is None:
            if stack:
                texts.setdefault(id(stack[-1][1]), []).append(para.text)
            else:
                preamble.append(para.text)
            continue
        type_, number, rest = marker
        if type_ == "roman" and len(number) == 1:
            # "C." after "A.", "B." is the third letter, not a hundred; likewise I after H, V after U.
            previous = next((sec for t, sec in reversed(stack) if t == "upper"), None)
            if previous is not None and len(previous.number) == 1 and ord(number) == ord(previous.number) + 1:
                type_ = "upper"
        section = Section(number=number, title=rest)
        types = [t for t, _ in stack]
        if type_ in types:
            del stack[types.index(type_) :]
        if stack:
            stack[-1][1].children.append(section)
        else:
            roots.append(section)
        stack.append((type_, section))
        last_section_index = index

    # The closing: unnumbered paragraphs after the last item that read as a closing
    # ("Trên đây là ...", "... kêu gọi ...").
    closing: list[str] = []
    if stack and last_section_index >= 0:
        tail = [p.text for p in paras[last_section_index + 1 :] if _marker(p.text) is None]
        for i, text in enumerate(tail):
            folded = _f(text)
            if folded.startswith("tren day la") or " keu goi " in f" {folded} ":
                closing = tail[i:]
                owner = stack[-1][1]
                kept = texts.get(id(owner), [])
                texts[id(owner)] = kept[: len(kept) - len(closing)] if len(kept) >= len(closing) else kept
                break

    def fill(section: Section) -> None:
        section.text = "\n\n".join(texts.get(id(section), []))
        for child in section.children:
            fill(child)

    for root in roots:
        fill(root)
    return preamble, roots, closing


# --- Putting it together -----------------------------------------------------------------

ISSUER_IN_TEXT = re.compile(
    r"(?:Ban Thường trực\s+)?(?:Ủy|Uỷ|ỦY|UỶ)\s+ban\s+(?:MTTQ|Mặt trận Tổ quốc|MẶT TRẬN TỔ QUỐC)(?:\s+Việt Nam)?"
    r"(?:\s+(?:tỉnh|thành phố|xã|phường|huyện|quận|thị xã|thị trấn|đặc khu)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)+)"
    r"|(?:Ban Thường trực\s+)?(?:Ủy|Uỷ) ban Trung ương (?:MTTQ|Mặt trận Tổ quốc) Việt Nam"
)


def _issuer_from_text(title: str, texts: list[str]) -> str:
    """No header: the committee named in the title, else the one the text names most (the last on a tie)."""
    match = ISSUER_IN_TEXT.search(title)
    if match:
        return match.group(0)
    found = [m.group(0) for text in texts for m in ISSUER_IN_TEXT.finditer(text)]
    if not found:
        return ""
    counts: dict[str, int] = {}
    for name in found:
        counts[fold(name)] = counts.get(fold(name), 0) + 1
    best = max(range(len(found)), key=lambda i: (counts[fold(found[i])], i))
    return found[best]


def _kind(kind: str, title: str) -> str:
    if kind == "work_program" and _f(title).startswith(COORDINATION):
        return "coordination_program"
    return kind


def _header_like(line: str) -> bool:
    """A line of the header's left column: the issuer in capitals, a rule, the number, the date."""
    if not line or _is_caps(line) or SEPARATOR.match(line):
        return True
    folded = fold_aligned(line)
    return bool(NUMBER_START.match(folded) or PLACE_DATE.search(folded) or DATE_ONLY.match(folded))


def _start_index(lines: list[str]) -> int:
    """Skip a web page's banner, breadcrumbs and captions before the document."""
    for i, line in enumerate(lines[:60]):
        folded = _f(line)
        if not line:
            continue
        if MOTTO_NATION.search(folded) or MOTTO_FREEDOM.search(folded) or _kind_of_line(line):
            # The issuer's lines stand just above the motto when columns were emitted one by one.
            j = i
            while j > 0 and i - j < 20 and _header_like(lines[j - 1]):
                j -= 1
            while j < i and not lines[j]:
                j += 1
            return j
    for i, line in enumerate(lines):
        if line and not NOISE_START.match(_f(line)):
            return i
    return 0


def parse(text: str) -> ParsedDocument:
    """What a Vietnamese administrative document says, from its text."""
    doc = ParsedDocument()
    lines = _lines(text)
    start = _start_index(lines)
    lines = lines[start:]

    # Trailing web noise ("Tin liên quan", "Chia sẻ") ends the document.
    for i, line in enumerate(lines):
        if line and TRAILING_NOISE.match(_f(line)) and i > len(lines) // 3:
            lines = lines[:i]
            break

    # The kind line, within the first lines; what comes before it is the header.
    kind_at = None
    for i, line in enumerate(lines[:60]):
        if line and _kind_of_line(line):
            kind_at = i
            break
    if kind_at is None:
        # Copied from a web page, the kind may stand in sentence case with the title on its line:
        # "Kế hoạch tổ chức Ngày hội ..." — accepted when short, not a sentence, before any item.
        for i, line in enumerate(lines[:30]):
            if not line:
                continue
            if _marker(line):
                break
            folded = _f(line)
            word = next((w for w, _k in KIND_WORDS if folded.startswith(w + " ")), None)
            if word and len(line) < 250 and not _ends_sentence(line) and line[:1].isupper():
                kind_at = i
                break
    header = _parse_header([line for line in lines[: kind_at or 0] if line]) if kind_at else None
    if header is None:
        # No kind line: a header may still be there (motto, number, date) before the body.
        top = []
        for line in lines[:20]:
            if line and (_is_caps(line) or PLACE_DATE.search(_f(line)) or NUMBER_START.match(_f(line))):
                top.append(line)
            elif line:
                break
        candidate = _parse_header(top)
        if candidate.found:
            header = candidate
            kind_at_body = lines.index(top[-1]) + 1 if top else 0
        else:
            kind_at_body = 0
    title_lines: list[str] = []
    body_from = 0
    if kind_at is not None:
        kind, _word, rest = _kind_of_line(lines[kind_at], loose=True) or ("other", "", "")
        doc.kind = kind
        if rest:
            title_lines.append(rest)
        i = kind_at + 1
        while i < len(lines) and len(title_lines) < 6:
            line = lines[i]
            if not line:
                i += 1
                continue
            if SEPARATOR.match(line):
                i += 1
                if title_lines:
                    break
                continue
            folded = _f(line)
            if line[:1].islower() and title_lines:
                title_lines.append(line)
                i += 1
                continue
            if (
                _marker(line)
                or BODY_OPENERS.match(folded)
                or (title_lines and _ends_sentence(line) and not line.endswith((")", ":")))
                or len(line) > (400 if not title_lines else 220)
                or (not title_lines and len(line) > 220 and _ends_sentence(line))
                or (title_lines and _ends_sentence(title_lines[-1]) and not title_lines[-1].endswith(":"))
                or (title_lines and _is_caps(line) and not _is_caps(title_lines[-1]))
                or (title_lines and len(line) > 160)
            ):
                break
            title_lines.append(line)
            i += 1
        body_from = i
    else:
        body_from = kind_at_body
        doc.warnings.append("kind_not_found")

    doc.title = " ".join(title_lines).strip()
    doc.kind = _kind(doc.kind, doc.title)

    body_lines = lines[body_from:]
    footer_at = _footer_start(body_lines)
    doc.recipients, doc.signatory = _parse_footer(body_lines[footer_at:])
    paras = _paragraphs(body_lines[:footer_at])
    preamble, doc.sections, closing = _build_tree(paras)
    doc.preamble = "\n\n".join(preamble)
    doc.closing = "\n\n".join(closing)

    if header is not None:
        doc.issuer = " ".join(header.issuer_lines)
        doc.number = header.number
        doc.place = header.place
        doc.date = header.date
        doc.year = header.year
    if not doc.issuer:
        doc.issuer = _issuer_from_text(doc.title, [*preamble, *closing])
    if doc.year is None:
        years = re.findall(r"\bnăm\s+((?:19|20)\d{2})\b", doc.title)
        if years:
            doc.year = int(years[-1])
        elif doc.date:
            doc.year = doc.date.year
    if doc.year is None:
        found = re.findall(r"\bnăm\s+((?:19|20)\d{2})\b", doc.preamble)
        if found:
            doc.year = int(max(set(found), key=found.count))

    _theme_and_key_tasks(doc)
    body_text = "\n".join([doc.title, doc.preamble, *(_section_texts(doc.sections)), doc.closing])
    doc.references = find_references(body_text, exclude=doc.number)
    doc.events = find_events(body_text, doc.year)
    if not doc.number:
        doc.warnings.append("number_not_found")
    if not doc.date:
        doc.warnings.append("date_not_found")
    if not doc.sections:
        doc.warnings.append("no_sections")
    return doc


def _section_texts(sections: list[Section]) -> list[str]:
    out: list[str] = []
    for section in sections:
        for node in section.walk():
            out.append(node.title)
            if node.text:
                out.append(node.text)
    return out


_QUOTED = re.compile(r"[“\"]([^”\"]{3,300})[”\"]")


def _theme_and_key_tasks(doc: ParsedDocument) -> None:
    for section in doc.walk():
        folded = _f(section.title)
        if doc.theme is None and "chu de" in folded and len(section.title) < 200:
            source = " ".join([section.title, section.text, *(c.title for c in section.children)])
            quoted = _QUOTED.search(source)
            if quoted:
                doc.theme = quoted.group(1).strip()
            elif section.text:
                doc.theme = section.text.split("\n\n")[0].strip()
        if not doc.key_tasks and "nhiem vu trong tam" in folded and len(section.title) < 200:
            if section.children:
                doc.key_tasks = [_full_text(child) for child in section.children]
            elif section.text:
                doc.key_tasks = [p for p in section.text.split("\n\n") if p.strip()]
    if doc.theme is None:
        for paragraph in doc.preamble.split("\n\n"):
            folded = _f(paragraph)
            at = folded.find("chu de")
            if at >= 0:
                quoted = _QUOTED.search(paragraph, at)
                if quoted:
                    doc.theme = quoted.group(1).strip()
                    break


def _full_text(section: Section) -> str:
    return " ".join(part for part in (section.title, section.text.replace("\n\n", " ")) if part).strip()
