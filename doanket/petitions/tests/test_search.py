"""Searching petitions through the indexes (FTS5 on SQLite, pg_trgm on PostgreSQL) finds exactly
what a plain scan of the folded text finds: words for the staff, any part for the portal."""

from __future__ import annotations

import re

import pytest

from conftest import People, World
from doanket.core.text import fold
from doanket.organizations.models import Level
from doanket.petitions import search, services
from doanket.petitions.models import Channel, Petition
from doanket.petitions.services import Sender

TEXTS = [
    ("Hỗ trợ người nghèo", "Đề nghị tăng mức hỗ trợ cho người nghèo ở thôn Na Hối."),
    ("Hoà giải tranh chấp", "Đề nghị tổ hoà giải thôn xem xét tranh chấp đất."),
    ("Khóa học nghề", "Mở khoá học nghề cho thanh niên; học phí 100% được hỗ trợ."),
    ('Trích dẫn "lạ"', "Nội dung có dấu ngoặc kép \"như thế này\" và dấu nháy 'đơn'."),
]


@pytest.fixture
def petitions(world: World, users: People) -> list[Petition]:
    made = []
    for title, content in TEXTS:
        petition = services.receive(
            None,
            place=world.bac_ha_village,
            level=Level.COMMUNE,
            channel=Channel.PORTAL,
            title=title,
            content=content,
            sender=Sender(),
        )
        made.append(petition)
    return made


def _scan(query: str) -> set[int]:
    """What the staff search must find, by a plain scan in Python: the query's words in order as
    words of the folded text, the last one possibly unfinished (two letters or more)."""
    words = search.WORD.findall(fold(query))
    if not words:
        return {p.pk for p in Petition.objects.all() if fold(query) in p.search_key}
    end = "" if len(words[-1]) >= search.PREFIX_FROM else r"(?![^\W_])"
    rule = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(words) + end)
    return {p.pk for p in Petition.objects.all() if rule.search(p.search_key)}


@pytest.mark.parametrize(
    "query, some",
    [("nguoi ngheo", True), ("người nghèo", True), ("hòa giải", True), ("hoa giai", True), ("khóa học", True),
     ("khoa hoc", True), ("100%", True), ("100", True), ('"như thế', True), ("'đơn'", True), ("na", True),
     ("ng", True), ("x", False), ("không có", False), ("thôn", True), ("nghe", True), ("hoi", True),
     ("ho tro nguoi ng", True), ("tro nguoi", True), ("ien thon", False), ("%", True), ("thon na hoi", True)],
)  # fmt: skip
def test_the_index_finds_what_a_scan_finds(petitions: list[Petition], query: str, some: bool) -> None:
    expected = _scan(query)
    assert bool(expected) == some  # the case is the one meant: something to find, or nothing
    assert set(search.matching(Petition.objects.all(), query).values_list("pk", flat=True)) == expected


def test_words_are_found_whole_or_begun_never_by_their_middle(petitions: list[Petition]) -> None:
    everything = Petition.objects.all()
    poor, reconcile, course = petitions[0], petitions[1], petitions[2]
    assert set(search.matching(everything, "nghèo")) == {poor}
    assert set(search.matching(everything, "nghe")) == {poor, course}  # nghèo, nghề: begun (not nghị)
    assert not search.matching(everything, "gheo").exists()  # the middle of "nghèo"
    assert set(search.matching(everything, "tranh chấp đất")) == {reconcile}
    assert not search.matching(everything, "chấp tranh").exists()  # the order counts
    assert set(search.matching(everything, poor.code.lower())) == {poor}  # the tracking code is a word


def test_the_index_follows_edits_and_publication(petitions: list[Petition], users: People) -> None:
    first = petitions[0]
    assert [p.pk for p in search.matching(Petition.objects.all(), "nguoi ngheo")] == [first.pk]
    first.title = "Hỗ trợ hộ cận nghèo"
    first.content = "Đề nghị hỗ trợ hộ cận nghèo."
    first.save()
    assert not search.matching(Petition.objects.all(), "nguoi ngheo").exists()
    assert search.matching(Petition.objects.all(), "can ngheo").get() == first
    assert not search.matching(Petition.objects.all(), "can ngheo", "public_key").exists()
    first.published = True
    first.public_title = "Hỗ trợ hộ cận nghèo"
    first.save()
    assert search.matching(Petition.objects.all(), "can ngheo", "public_key").get() == first
    first.delete()
    assert not search.matching(Petition.objects.all(), "can ngheo").exists()
