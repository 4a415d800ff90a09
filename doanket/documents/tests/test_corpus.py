"""The importer on a corpus of the genre: documents of other provinces, levels, kinds and years,
each with what a careful reader extracts from it (``*.expected.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from doanket.core.text import fold
from doanket.documents.parser import parse
from doanket.documents.structure import Section

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.with_suffix(".expected.json").exists())


def test_every_corpus_document_has_its_expectations() -> None:
    documents = [p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md"]
    assert len(documents) >= 15
    assert all(p.with_suffix(".expected.json").exists() for p in documents)


def _paths(sections: list[Section], prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for section in sections:
        path = (*prefix, section.number)
        found.add(path)
        found |= _paths(section.children, path)
    return found


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_corpus_document(path: Path) -> None:
    expected: dict[str, Any] = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    doc = parse(path.read_text(encoding="utf-8"))
    got = doc.to_json()
    problems: list[str] = []

    def check(key: str, value: Any, actual: Any) -> None:
        if value != actual:
            problems.append(f"{key}: expected {value!r}, got {actual!r}")

    for key in ("kind", "number", "place", "date", "year"):
        if key in expected:
            check(key, expected[key], got[key])
    if "theme" in expected:
        check("theme", expected["theme"], got["theme"])
    for fragment in expected.get("issuer_contains", []):
        if fold(fragment) not in fold(got["issuer"] or ""):
            problems.append(f"issuer {got['issuer']!r} lacks {fragment!r}")
    if "title_startswith" in expected and not fold(got["title"]).startswith(fold(expected["title_startswith"])):
        problems.append(f"title {got['title']!r} does not start with {expected['title_startswith']!r}")
    if "key_tasks_count" in expected:
        check("key_tasks_count", expected["key_tasks_count"], len(got["key_tasks"]))
    if "top_sections" in expected:
        check("top_sections", expected["top_sections"], [s["number"] for s in got["sections"]])
    paths = _paths(doc.sections)
    for section_path in expected.get("section_paths", []):
        if tuple(section_path) not in paths:
            problems.append(f"section path {section_path} missing")
    if "references" in expected:
        want = {(r["code"], r["date"]) for r in expected["references"]}
        have = {(r["code"], r["date"]) for r in got["references"]}
        if want != have:
            problems.append(f"references: missing {sorted(want - have)}, unexpected {sorted(have - want)}")
    if "events" in expected:
        want_events = [(e["origin_date"], e["date"], e["anniversary"], e["lunar"]) for e in expected["events"]]
        have_events = [(e["origin_date"], e["date"], e["anniversary"], e["lunar"]) for e in got["events"]]
        if sorted(want_events, key=str) != sorted(have_events, key=str):
            problems.append(f"events: expected {want_events}, got {have_events}")
    if "recipients_count" in expected:
        check("recipients_count", expected["recipients_count"], len(got["recipients"]))
    if "recipients_first" in expected:
        check("recipients_first", expected["recipients_first"], (got["recipients"] or [None])[0])
    if "signatory" in expected:
        want_sign = expected["signatory"]
        have_sign = got["signatory"]
        if want_sign is None or have_sign is None:
            check("signatory", want_sign, have_sign)
        else:
            for key in ("name", "title", "on_behalf_of"):
                if key in want_sign:
                    check(f"signatory.{key}", want_sign[key], have_sign.get(key))
    assert not problems, "\n".join(problems)
