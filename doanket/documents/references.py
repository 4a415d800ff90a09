"""References to other documents: find them, give each one canonical code, count mentions.

Vietnamese documents cite each other by number and symbol ("số, ký hiệu"). The same document
is written many ways: "Đề án 15 ĐA/TU", "Đề án số 15-ĐA/TU"; "Thông báo số 139/TB- MTTW-BTT";
"15/2024/TT - BTC". Two conventions exist and the canonical code follows the one the
document's own issuer uses:

* Party documents (symbol ending in a Party body: TW, TU, HU, ĐU ...): ``15-ĐA/TU``;
* State, Front and other documents: ``93/2021/NĐ-CP``, ``139/TB-MTTW-BTT``.

The scanner looks for codes first, then reads the type word before them ("Nghị định",
"Luật Đất đai") and the date and issuer after them ("ngày 18/5/2021 của Bộ Chính trị").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from doanket.core.text import fold, fold_aligned

from .structure import Reference

# Type words as written, longest first, to the glossary's names. Matched on folded text.
TYPE_WORDS: list[tuple[str, str]] = [
    ("nghi quyet lien tich", "joint_resolution"),
    ("thong tu lien tich", "joint_circular"),
    ("chuong trinh hanh dong", "action_program"),
    ("chuong trinh phoi hop", "coordination_program"),
    ("chuong trinh", "program"),
    ("nghi quyet", "resolution"),
    ("ket luan", "conclusion"),
    ("chi thi", "directive"),
    ("quy dinh", "regulation"),
    ("quyet dinh", "decision"),
    ("thong bao", "notice"),
    ("thong tri", "circular_letter"),
    ("huong dan", "guidance"),
    ("nghi dinh", "decree"),
    ("thong tu", "circular"),
    ("de an", "scheme"),
    ("ke hoach", "plan"),
    ("bo luat", "code_of_law"),
    ("luat", "law"),
    ("phap lenh", "ordinance"),
    ("hien phap", "constitution"),
    ("cong van", "official_letter"),
    ("van ban", "document"),
    ("quy che", "rules"),
    ("bao cao", "report"),
    ("to trinh", "submission"),
    ("dieu le", "charter"),
    ("cong dien", "telegram"),
]

# When no type word precedes the code, the symbol's first part says what it is.
SYMBOL_TYPES = {
    "NQ": "resolution",
    "NQLT": "joint_resolution",
    "KL": "conclusion",
    "CT": "directive",
    "QĐ": "decision",
    "QD": "decision",
    "NĐ": "decree",
    "TT": "circular",
    "TTLT": "joint_circular",
    "TB": "notice",
    "HD": "guidance",
    "ĐA": "scheme",
    "KH": "plan",
    "CTR": "program",
    "BC": "report",
    "TTR": "submission",
    "CV": "official_letter",
    "QC": "rules",
}

# The Party's bodies: their documents are numbered "N-XX/YY".
PARTY_SUFFIXES = {"TW", "TƯ", "TU", "HU", "QU", "TVU", "ĐU", "ĐUK", "ĐĐ", "BCS", "BCSĐ", "ĐUQSTW", "BTGTW", "BDVTW"}

# Symbol tokens are capitals and digits; "TTg" (Thủ tướng) and "CTr"/"Ctr" (chương trình)
# are the common mixed-case exceptions.
_TOKEN = r"(?:[A-ZĐ][A-ZĐ0-9]*(?:tr|g|r)?[A-ZĐ0-9]*|TTg|Ctr)(?![A-Za-zÀ-ỹĐđ0-9])"  # noqa: S105 (a regex, not a secret)
_SEP = r"\s*[-–/]\s*"
CODE_RE = re.compile(
    r"(?<![\w/.-])"
    r"(?P<num>\d{1,5})"
    r"(?:\s*/\s*(?P<year>(?:19|20)\d{2}))?"
    r"(?P<sep>\s*[-–/]\s*|\s+(?=" + _TOKEN + r"\s*/))"
    r"(?P<sym>" + _TOKEN + r"(?:" + _SEP + _TOKEN + r")*)"
)

_DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?ngày\s+(?:" + _DATE_NUMERIC + "|" + _DATE_WORDS + ")", re.IGNORECASE
)
ISSUER_AFTER_RE = re.compile(r"\s*,?\s*của\s+(?P<issuer>[^,;.:()“”\"]{2,160})")
TITLE_AFTER_RE = re.compile(r"\s*[“\"](?P<title>[^”\"]{3,300})[”\"]")

# Words that end an issuer's name ("của Bộ Chính trị về tiếp tục ...").
_ISSUER_STOP = {
    "ve",
    "trong",
    "doi",
    "phe",
    "quy",
    "huong",
    "nham",
    "de",
    "giai",
    "tai",
    "voi",
    "den",
    "lan",
    "cho",
    "thuc",
    "tiep",
    "day",
    "trien",
    "keu",
    "sua",
    "nam",
    "ngay",
    "theo",
    "da",
    "va",
    "gan",
    "la",
    "co",
    "duoc",
    "to",
    "hang",
    "cac",
    "nhung",
    "xay",
    "bao",
    "phat",
    "nang",
    "tang",
    "chi",
    "ho",
    "viec",
    "nhu",
    "thi",
    "tu",
    "o",
    "mot",
    "so",
}
_ISSUER_LOWER_OK = {
    "tỉnh",
    "thành",
    "phố",
    "huyện",
    "xã",
    "phường",
    "khóa",
    "khoá",
    "thị",
    "trấn",
    "đặc",
    "khu",
    "bộ",
    "trực",
    "trị",
    "phủ",
    "thư",
    "hành",
    "tướng",
    "tịch",
    "ủy",
    "uỷ",
    "ương",
    "quốc",
    "hội",
    "dân",
}


@dataclass
class _Mention:
    key: str
    code: str
    type: str
    date: dt.date | None
    issuer: str | None
    title: str | None


def make_date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    try:
        return dt.date(int(year or ""), int(month or ""), int(day or ""))
    except ValueError:
        return None


def _canonical_token(token: str) -> str:
    """Symbols are capitals, but for the conventional lower-case letters: "TTg" (Thủ tướng),
    "CTr" (chương trình, also written "Ctr"), "CTrPH" (chương trình phối hợp)."""
    if token.upper() == "CTR":
        return "CTr"
    if any(ch.islower() for ch in token[1:]):
        return token
    return token.upper()


def canonical_code(num: str, year: str | None, sym: str, sep: str = "/") -> str:
    """``15``, ``None``, ``ĐA/TU`` → ``15-ĐA/TU``; ``139``, ``None``, ``TB- MTTW-BTT`` → ``139/TB-MTTW-BTT``.

    ``sep`` is what stood between the number and the symbol: a hyphen is the Party's style and
    kept; a space ("15 ĐA/TU") or a slash before a Party body ("12/NQ/TU") become the hyphen.
    """
    parts = re.split(r"\s*([-–/])\s*", sym.strip())
    tokens = [_canonical_token(p) for p in parts[0::2]]
    seps = ["-" if s == "–" else s for s in parts[1::2]]
    body = tokens[0] + "".join(s + tok for s, tok in zip(seps, tokens[1:], strict=False))
    if year:
        return f"{num}/{year}/{body}"
    sep = sep.strip() or " "
    party = len(tokens) >= 2 and seps[0] == "/" and (tokens[1] in PARTY_SUFFIXES or sep in "-–")
    if sep in "-–" or (party and (sep == " " or tokens[1] in PARTY_SUFFIXES)):
        return f"{num}-{body}"
    return f"{num}/{body}"


def code_key(code: str) -> str:
    """What makes two codes the same document: case, separators and leading zeros aside."""
    folded = fold(code).upper().replace("–", "-")
    match = re.match(r"0*(\d+)(.*)", folded)
    if match:
        folded = match.group(1) + match.group(2)
    return re.sub(r"[-/\s]+", "/", folded)


def _type_before(folded_text: str, start: int) -> str | None:
    """The type word nearest before a code, within the same clause."""
    window = folded_text[max(0, start - 90) : start]
    cut = max(window.rfind(ch) for ch in ';:()“”"')
    if cut >= 0:
        window = window[cut + 1 :]
    best: tuple[int, str] | None = None
    for word, type_ in TYPE_WORDS:
        for match in re.finditer(r"\b" + word + r"\b", window):
            # The nearest word wins; at equal positions the longer (listed first) wins.
            if best is None or match.start() > best[0]:
                best = (match.start(), type_)
    return best[1] if best else None


def _clean_issuer(raw: str) -> str | None:
    """ "Bộ Chính trị khóa XII về ..." → "Bộ Chính trị khóa XII": an issuer's name runs until a
    lower-case word that starts what the document is about."""
    kept: list[str] = []
    words = raw.split()
    for index, word in enumerate(words):
        bare = word.strip("“”\"'")
        if not bare or (bare[0].islower() and fold(bare) in _ISSUER_STOP):
            break
        if bare == "ban" and index + 1 < len(words) and words[index + 1] == "hành":
            break  # "... ban hành": the issuer ended before
        kept.append(bare)
        if len(kept) >= 14:
            break
    while kept and kept[-1][0].islower() and kept[-1] not in _ISSUER_LOWER_OK:
        kept.pop()
    return " ".join(kept) or None


def find_references(text: str, *, exclude: str | None = None) -> list[Reference]:
    """Every document cited in ``text``, once each, in order of first mention."""
    folded = fold_aligned(text)  # same length as text, for aligned offsets
    exclude_key = code_key(exclude) if exclude else None
    mentions: list[_Mention] = []
    ends: list[tuple[int, int]] = []
    for match in CODE_RE.finditer(text):
        sym = match.group("sym")
        first = re.split(r"\s*[-–/]\s*", sym)[0]
        if first.isdigit():
            continue
        code = canonical_code(match.group("num"), match.group("year"), sym, match.group("sep"))
        key = code_key(code)
        if key == exclude_key:
            continue
        type_ = _type_before(folded, match.start()) or SYMBOL_TYPES.get(first.upper())
        if match.group("year") and "QH" in sym.upper() and type_ is None:
            type_ = "law"
        if type_ is None:
            # A bare code with nothing saying it is a document ("năm 2020-2025" never gets here,
            # "số 12/KH" does): keep it only when the text says "số" just before it.
            if not re.search(r"\bso\s*$", folded[max(0, match.start() - 6) : match.start()]):
                continue
            type_ = "document"
        rest = text[match.end() :]
        date = None
        date_match = DATE_AFTER_RE.match(rest)
        if date_match:
            groups = date_match.groupdict()
            date = make_date(groups["d"] or groups["d2"], groups["m"] or groups["m2"], groups["y"] or groups["y2"])
            rest = rest[date_match.end() :]
        issuer = None
        issuer_match = ISSUER_AFTER_RE.match(rest)
        if issuer_match:
            issuer = _clean_issuer(issuer_match.group("issuer"))
            if issuer:
                rest = rest[issuer_match.start("issuer") + len(issuer) :]
        title = None
        title_match = TITLE_AFTER_RE.match(rest)
        if title_match:
            title = title_match.group("title").strip()
        mentions.append(_Mention(key, code, type_, date, issuer, title))
        ends.append((match.start(), match.end()))

    # "Quyết định 217-QĐ/TW và 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị": one date and issuer
    # for a list of codes.
    for index in range(len(mentions) - 2, -1, -1):
        between = text[ends[index][1] : ends[index + 1][0]]
        if re.fullmatch(r"\s*(?:,|;|và|,\s*và)\s*", between):
            mention, following = mentions[index], mentions[index + 1]
            mention.date = mention.date or following.date
            mention.issuer = mention.issuer or following.issuer
    merged: dict[str, Reference] = {}
    for mention in mentions:
        ref = merged.get(mention.key)
        if ref is None:
            merged[mention.key] = Reference(
                code=mention.code,
                type=mention.type,
                date=mention.date,
                issuer=mention.issuer,
                title=mention.title,
                mentions=1,
            )
            continue
        ref.mentions += 1
        ref.date = ref.date or mention.date
        ref.issuer = ref.issuer or mention.issuer
        ref.title = ref.title or mention.title
        if ref.type in ("document", "program") and mention.type not in ("document", "program"):
            ref.type = mention.type
    return list(merged.values())
