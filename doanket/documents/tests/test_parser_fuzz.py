"""The parser never fails on what it is given: generated text, mutated seeds, odd structures."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doanket.documents.parser import parse

SEEDS = [
    p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).resolve().parents[3] / "demo" / "documents").glob("*.txt"))
]
GENRE = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: /KH-MTTQ-BTT",
    "Lào Cai, ngày   tháng 11 năm 2025",
    "KẾ HOẠCH",
    "I. MỤC ĐÍCH",
    "1. Việc",
    "2.1. Việc con",
    "a) Ý",
    "- Gạch đầu dòng",
    "+ Cộng",
    "Điều 1.",
    "BƯỚC MỘT:",
    "Nơi nhận:",
    "TM. BAN THƯỜNG TRỰC",
    "KT. CHỦ TỊCH",
    "Nguyễn Văn A",
    "kỷ niệm 92 năm Ngày thành lập (3/2/1930 - 3/2/2022)",
    "(mùng 10/3 âm lịch)",
    "Nghị định số 93/2021/NĐ-CP ngày 27/10/2021 của Chính phủ",
    "Đề án 15 ĐA/TU và 16-ĐA/TU ngày 31/2/2021",
    "**đậm** *nghiêng*",
    "| ô | ô |",
    "\f",
    "\t",
    "",
]

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    doc = parse(text)
    json.dumps(doc.to_json(), ensure_ascii=False)  # always serialisable
    for section in doc.walk():
        assert isinstance(section.number, str) and isinstance(section.title, str)


@FAST
@given(st.text(max_size=3000))
def test_any_text(text: str) -> None:
    _check(text)


@FAST
@given(st.lists(st.sampled_from(GENRE), max_size=80), st.lists(st.text(max_size=40), max_size=10))
def test_lines_of_the_genre_in_any_order(lines: list[str], noise: list[str]) -> None:
    _check("\n".join(lines + noise))


@FAST
@given(st.sampled_from(SEEDS), st.data())
def test_mutated_seeds(seed: str, data: st.DataObject) -> None:
    text = seed
    for _ in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 400)))
        action = data.draw(st.sampled_from(["cut", "repeat", "insert", "swap"]))
        if action == "cut":
            text = text[:start] + text[end:]
        elif action == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        elif action == "insert":
            text = text[:start] + data.draw(st.sampled_from([*GENRE, "\n", "\n\n", "(", ")", "“", "/"])) + text[start:]
        else:
            text = text[start:] + text[:start]
    _check(text)
