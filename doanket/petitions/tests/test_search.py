"""Searching petitions through the substring indexes (FTS5 trigram on SQLite, pg_trgm on
PostgreSQL) finds exactly what a plain scan of the folded text finds."""

from __future__ import annotations

import pytest

from conftest import People, World
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


@pytest.mark.parametrize(
    "query",
    ["nguoi ngheo", "người nghèo", "hòa giải", "hoa giai", "khóa học", "khoa hoc", "100%", '"như thế', "'đơn'",
     "na", "ng", "x", "không có", "thôn"],
)  # fmt: skip
def test_the_index_finds_what_a_scan_finds(petitions: list[Petition], query: str) -> None:
    from doanket.core.text import fold

    everything = Petition.objects.all()
    expected = set(everything.filter(search_key__contains=fold(query)).values_list("pk", flat=True))
    assert set(search.matching(everything, query).values_list("pk", flat=True)) == expected


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
