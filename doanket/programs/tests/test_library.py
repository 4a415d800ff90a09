"""The directive library: search without accents or by code, who reads and edits, citations,
full-text uploads with audit, and a fixed number of queries however large the library grows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from conftest import People, World, login, make_user
from doanket.core.models import AuditEntry
from doanket.documents.parser import parse
from doanket.documents.readers import DocumentError
from doanket.organizations.models import Unit
from doanket.programs import library
from doanket.programs.models import Citation, Directive, Program
from doanket.programs.services import save_program

pytestmark = pytest.mark.django_db

PROGRAM_TEXT = """ỦY BAN MTTQ VIỆT NAM
TỈNH LÀO CAI
Số: 12/CTr-MTTQ-BTT

CHƯƠNG TRÌNH
Công tác vận động năm 2025

Căn cứ Nghị định số 93/2021/NĐ-CP ngày 27/10/2021 của Chính phủ về vận động, tiếp nhận, phân phối và sử dụng
các nguồn đóng góp tự nguyện;

I. MỤC ĐÍCH, YÊU CẦU

1. Tuyên truyền Nghị định số 93/2021/NĐ-CP

Phổ biến Nghị định số 93/2021/NĐ-CP đến các khu dân cư.

2. Thực hiện Đề án 15 ĐA/TU

Triển khai Đề án số 15-ĐA/TU của Tỉnh ủy.
"""


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _program(unit: Unit, actor: Any = None) -> Program:
    return save_program(actor, unit, parse(PROGRAM_TEXT))


def _decree(unit: Unit) -> Directive:
    return Directive.objects.get(unit=unit, code="93/2021/NĐ-CP")


def _link(directive: Directive) -> str:
    """What a list row shows (the query echoed in the search box would not do)."""
    return f'href="{reverse("library:detail", args=[directive.pk])}"'


def _list(client: Client, **params: str) -> str:
    response = client.get(reverse("library:list"), params)
    assert response.status_code == 200
    return response.content.decode()


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["nghi dinh 93", "Nghị định 93", "93/2021/nd-cp", "93/2021/nđ-cp", "Nghị định số 93/2021/NĐ-CP", "93 2021 ND CP"],
)
def test_the_decree_is_found_by_its_name_or_its_code(client: Client, world: World, users: People, query: str) -> None:
    _program(world.lao_cai, users.province_officer)
    login(client, users.province_officer)
    body = _list(client, q=query)
    assert _link(_decree(world.lao_cai)) in body
    assert _link(Directive.objects.get(code="15-ĐA/TU")) not in body
    assert "27/10/2021" in body  # dd/mm/yyyy
    assert "Chính phủ" in body


def test_a_party_code_is_found_however_it_is_written(world: World) -> None:
    _program(world.lao_cai)
    entries = Directive.objects.filter(unit=world.lao_cai)
    for query in ("15 ĐA/TU", "15-đa/tu", "Đề án 15 ĐA/TU", "de an so 15"):
        assert [d.code for d in library.search_directives(entries, query)] == ["15-ĐA/TU"], query


def test_a_type_word_does_not_match_another_type(world: World) -> None:
    _program(world.lao_cai)
    entries = Directive.objects.filter(unit=world.lao_cai)
    assert not library.search_directives(entries, "nghi quyet 93").exists()
    assert library.search_directives(entries, "").count() == entries.count()


def test_search_ignores_accents_and_tone_placement(client: Client, world: World, users: People) -> None:
    plan = Directive.objects.create(
        unit=world.lao_cai,
        code="05/KH-UBND",
        code_key="5/KH/UBND",
        type="plan",
        issuer="Ủy ban nhân dân xã Hoà Bình",  # old-style tone placement
        title="Xây dựng gia đình hòa thuận",  # new-style tone placement
    )
    login(client, users.province_officer)
    for query in ("xa hòa bình", "xã hoà bình", "gia dinh hoà thuận", "gia đình hòa thuận", "HOA THUAN"):
        assert _link(plan) in _list(client, q=query), query
    assert _link(plan) not in _list(client, q="hòa hợp")


def test_the_list_filters_by_type_and_names_the_type(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    login(client, users.province_officer)
    body = _list(client, type="decree")
    assert "93/2021/NĐ-CP" in body
    assert "Decree" in body or "Nghị định" in body
    assert "15-ĐA/TU" not in body
    assert "15-ĐA/TU" in _list(client, type="scheme")
    assert "93/2021/NĐ-CP" in _list(client, type="nonsense")  # an unknown type is no filter


def test_the_list_filters_by_unit(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    Directive.objects.create(unit=world.bac_ha, code="3/KH-MTTQ", code_key="3/KH/MTTQ", type="plan")
    login(client, users.commune_officer)
    body = _list(client, unit=str(world.bac_ha.pk))
    assert "3/KH-MTTQ" in body
    assert "93/2021/NĐ-CP" not in body
    # A unit outside what the user reads filters everything out, without naming it.
    body = _list(client, unit=str(world.lang_son.pk))
    assert "Lạng Sơn" not in body
    assert "3/KH-MTTQ" not in body


def test_the_htmx_search_returns_only_the_rows(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    login(client, users.province_officer)
    response = client.get(reverse("library:list"), {"q": "nghi dinh"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "93/2021/NĐ-CP" in body


# --- Who reads, who edits ----------------------------------------------------------------------


def test_a_commune_reads_the_province_library_but_cannot_edit_it(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    login(client, users.commune_officer)
    assert "93/2021/NĐ-CP" in _list(client)
    detail = client.get(reverse("library:detail", args=[decree.pk]))
    assert detail.status_code == 200
    assert reverse("library:edit", args=[decree.pk]) not in detail.content.decode()
    assert client.get(reverse("library:edit", args=[decree.pk])).status_code == 404
    response = client.post(reverse("library:edit", args=[decree.pk]), {"title": "Đổi", "type": "decree"})
    assert response.status_code == 404
    decree.refresh_from_db()
    assert decree.title == ""


def test_the_province_edits_its_own_and_the_commune_library(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    commune_entry = Directive.objects.create(unit=world.bac_ha, code="3/KH-MTTQ", code_key="3/KH/MTTQ")
    login(client, users.province_officer)
    for entry in (_decree(world.lao_cai), commune_entry):
        body = client.get(reverse("library:detail", args=[entry.pk])).content.decode()
        assert reverse("library:edit", args=[entry.pk]) in body
        assert client.get(reverse("library:edit", args=[entry.pk])).status_code == 200


def test_another_province_sees_nothing_of_lao_cai(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    central_entry = Directive.objects.create(unit=world.central, code="01/HD-MTTW", code_key="1/HD/MTTW")
    login(client, make_user("langson", world.lang_son))
    body = _list(client)
    assert "93/2021/NĐ-CP" not in body
    assert "15-ĐA/TU" not in body
    assert "01/HD-MTTW" in body  # the central committee's library reaches every province
    assert _link(decree) not in _list(client, q="93/2021/NĐ-CP")
    assert client.get(reverse("library:detail", args=[decree.pk])).status_code == 404
    assert client.get(reverse("library:edit", args=[decree.pk])).status_code == 404
    assert client.get(reverse("library:edit", args=[central_entry.pk])).status_code == 404


def test_the_library_needs_a_login(client: Client, world: World) -> None:
    response = client.get(reverse("library:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Detail -----------------------------------------------------------------------------------


def test_the_detail_lists_the_citing_programme_and_items(client: Client, world: World, users: People) -> None:
    program = _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    item = program.items.get(number="1")
    login(client, users.commune_officer)
    body = client.get(reverse("library:detail", args=[decree.pk])).content.decode()
    assert "Công tác vận động năm 2025" in body
    assert reverse("programs:detail", args=[program.pk]) in body
    assert reverse("programs:item", args=[item.pk]) in body
    assert "Tuyên truyền Nghị định số 93/2021/NĐ-CP" in body
    assert "(2 mentions)" in body or "(2 " in body  # "1." cites it in its title and its text
    assert "27/10/2021" in body
    assert 'data-testid="full-text"' not in body
    # The scheme is cited by item 2 only.
    scheme = Directive.objects.get(unit=world.lao_cai, code="15-ĐA/TU")
    body = client.get(reverse("library:detail", args=[scheme.pk])).content.decode()
    assert reverse("programs:item", args=[program.items.get(number="2").pk]) in body
    assert reverse("programs:item", args=[item.pk]) not in body


def test_the_detail_lists_only_citations_of_programmes_the_user_can_see(
    client: Client, world: World, users: People
) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    hidden = Program.objects.create(unit=world.lang_son, title="Chương trình của Lạng Sơn")
    Citation.objects.create(directive=decree, program=hidden)
    login(client, users.commune_officer)
    body = client.get(reverse("library:detail", args=[decree.pk])).content.decode()
    assert "Công tác vận động năm 2025" in body
    assert "Lạng Sơn" not in body
    login(client, users.system_admin)
    assert "Chương trình của Lạng Sơn" in client.get(reverse("library:detail", args=[decree.pk])).content.decode()


# --- Editing and the full text ---------------------------------------------------------------

FULL_TEXT = (
    "NGHỊ ĐỊNH\nVề vận động, tiếp nhận, phân phối và sử dụng các nguồn đóng góp tự nguyện\n\nĐiều 1. Phạm vi điều chỉnh"
)


def test_uploading_a_text_file_stores_the_full_text_and_audits_it(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    login(client, users.province_officer)
    upload = SimpleUploadedFile("nghi-dinh-93.txt", FULL_TEXT.encode(), content_type="text/plain")
    response = client.post(
        reverse("library:edit", args=[decree.pk]),
        {
            "title": "Về vận động, tiếp nhận, phân phối và sử dụng các nguồn đóng góp tự nguyện",
            "issuer": "Chính phủ",
            "date": "27/10/2021",
            "type": "decree",
            "file": upload,
        },
    )
    assert response.status_code == 302
    decree.refresh_from_db()
    assert decree.full_text.startswith("NGHỊ ĐỊNH\nVề vận động")
    stored_name = decree.file.name or ""
    assert stored_name.startswith("library/") and stored_name.endswith(".txt")
    with decree.file.open("rb") as stored:
        assert stored.read() == FULL_TEXT.encode()
    assert decree.title.startswith("Về vận động")
    assert decree.date == dt.date(2021, 10, 27)
    entries = AuditEntry.objects.filter(model="programs.directive", object_id=str(decree.pk), action="update")
    assert [e.actor for e in entries] == [users.province_officer] * 2
    changes = {key: value for e in entries for key, value in e.changes.items()}
    assert changes["title"] == ["", decree.title]
    assert changes["full_text_chars"] == [0, len(decree.full_text)]
    assert changes["file"] == ["", decree.file.name]
    # The full text is searchable and shown, folded away in a <details>.
    assert "93/2021/NĐ-CP" in _list(client, q="pham vi dieu chinh")
    body = client.get(reverse("library:detail", args=[decree.pk])).content.decode()
    assert 'data-testid="full-text"' in body
    assert "Điều 1. Phạm vi điều chỉnh" in body
    download = client.get(reverse("library:file", args=[decree.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == FULL_TEXT.encode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trong.txt", b""),
        ("rac.pdf", b"\x00\x01\x02 not a pdf at all \xff\xfe" * 10),
        ("anh.docx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("bang.xlsx", b"PK\x03\x04 whatever"),
    ],
)
def test_a_file_that_cannot_be_read_shows_why_and_changes_nothing(
    client: Client, world: World, users: People, name: str, data: bytes
) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    audited = AuditEntry.objects.count()
    login(client, users.province_officer)
    with pytest.raises(DocumentError) as expected:
        library.attach_full_text(users.province_officer, decree, data, name)
    response = client.post(
        reverse("library:edit", args=[decree.pk]),
        {
            "title": "Tiêu đề mới",
            "issuer": "Chính phủ",
            "date": "",
            "type": "decree",
            "file": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(str(expected.value)) in body
    assert 'class="error"' in body
    decree.refresh_from_db()
    assert decree.title == ""
    assert decree.full_text == ""
    assert not decree.file
    assert decree.date == dt.date(2021, 10, 27)
    assert AuditEntry.objects.count() == audited


def test_editing_without_a_file_keeps_the_full_text(client: Client, world: World, users: People) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    library.attach_full_text(users.province_officer, decree, FULL_TEXT.encode(), "nd93.md")
    login(client, users.province_officer)
    page = client.get(reverse("library:edit", args=[decree.pk])).content.decode()
    assert 'value="27/10/2021"' in page
    response = client.post(
        reverse("library:edit", args=[decree.pk]),
        {"title": "", "issuer": "Chính phủ", "date": "", "type": "decree"},
    )
    assert response.status_code == 302
    decree.refresh_from_db()
    assert decree.date is None
    assert decree.full_text.startswith("NGHỊ ĐỊNH")
    entry = AuditEntry.objects.filter(model="programs.directive", action="update").latest("pk")
    assert entry.changes == {"date": ["2021-10-27", None]}


def test_saving_nothing_new_records_nothing(world: World, users: People) -> None:
    _program(world.lao_cai)
    decree = _decree(world.lao_cai)
    before = AuditEntry.objects.count()
    library.save_directive(users.province_officer, decree, issuer=" Chính  phủ ", date=decree.date, type="decree")
    assert AuditEntry.objects.count() == before
    with pytest.raises(TypeError):
        library.save_directive(users.province_officer, decree, code="1/NĐ-CP")


# --- Cost -------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_number_of_queries_for_1_or_30_entries(
    client: Client, world: World, users: People
) -> None:
    Directive.objects.create(unit=world.lao_cai, code="1/KH-MTTQ", code_key="1/KH/MTTQ", type="plan")
    login(client, users.commune_officer)
    urls = [
        reverse("library:list"),
        reverse("library:list") + "?q=ke+hoach&type=plan",
        reverse("library:list") + f"?unit={world.lao_cai.pk}",
    ]
    small = [_queries(client, url) for url in urls]
    for n in range(2, 31):
        unit = (world.lao_cai, world.bac_ha, world.central)[n % 3]
        entry = Directive.objects.create(
            unit=unit, code=f"{n}/KH-MTTQ", code_key=f"{n}/KH/MTTQ", type="plan", date=dt.date(2025, 1, n % 28 + 1)
        )
        program = Program.objects.create(unit=unit, title=f"Kế hoạch {n}")
        Citation.objects.create(directive=entry, program=program, mentions=2)
    large = [_queries(client, url) for url in urls]
    assert small == large
    assert max(large) <= 12
    body = _list(client)
    assert body.count('data-testid="citations">1<') == 29
    # Newest date first.
    assert body.index("28/01/2025") < body.index("01/01/2025")
