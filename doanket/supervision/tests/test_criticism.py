"""Social criticism: a draft registered with its parts, opinions gathered against them, the
criticism drafted, sent and written in the official layout, the drafting body's answer point by point."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.supervision import criticism
from doanket.supervision.models import CriticismPoint, Draft, DraftState, Reception, SourceKind
from doanket.supervision.services import SupervisionError

DRAFT = Path(__file__).resolve().parents[3] / "demo" / "documents" / "du-thao-nghi-quyet-ho-tro-nha-o.txt"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _draft(world: World, users: People) -> Draft:
    return criticism.register(
        users.province_officer, world.lao_cai, drafting_body="Sở Xây dựng tỉnh Lào Cai",
        received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 31), text=DRAFT.read_text(),
        source_name=DRAFT.name,
    )  # fmt: skip


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_draft_goes_from_its_parts_to_the_answer_point_by_point(world: World, users: People) -> None:
    officer = users.province_officer
    draft = _draft(world, users)
    assert draft.title.startswith("Quy định chính sách hỗ trợ nhà ở cho hộ nghèo")
    parts = list(draft.parts.all())
    assert [p.number for p in parts] == ["Điều 1", "Điều 2", "Điều 3", "Điều 4", "Điều 5"]
    assert "50 triệu đồng/hộ" in parts[2].text  # the article's items are its text
    support, scope = parts[2], parts[1]
    criticism.add_opinion(officer, draft, part=support, source_kind=SourceKind.EXPERT, author="TS. Nguyễn Văn An",
                          text="Mức 50 triệu đồng chưa đủ xây nhà ở vùng cao; đề nghị 70 triệu đồng")  # fmt: skip
    criticism.add_opinion(officer, draft, part=support, source_kind=SourceKind.MEMBER, author="Hội Nông dân tỉnh",
                          text="Đề nghị ưu tiên hộ có người khuyết tật")  # fmt: skip
    criticism.add_opinion(officer, draft, part=scope, source_kind=SourceKind.CONFERENCE, author="Hội nghị phản biện",
                          text="Bổ sung hộ mới thoát nghèo")  # fmt: skip
    criticism.add_opinion(officer, draft, source_kind=SourceKind.COUNCIL, author="Hội đồng tư vấn dân tộc",
                          text="Cần đánh giá tác động đến đồng bào dân tộc thiểu số")  # fmt: skip
    points = criticism.compose(officer, draft)
    assert [p.part for p in points] == [None, scope, support]  # the draft as a whole first, then in order
    assert (
        "70 triệu đồng" in points[2].text and "khuyết tật" in points[2].text and "TS. Nguyễn Văn An" in points[2].text
    )
    criticism.edit_point(officer, points[2], text="Đề nghị nâng mức hỗ trợ xây mới lên 70 triệu đồng/hộ.")
    with pytest.raises(SupervisionError, match="has not been sent yet"):
        criticism.record_reception(officer, points[0], reception=Reception.ACCEPTED, answer_text="")
    with pytest.raises(SupervisionError, match="number, its signer"):
        criticism.issue(officer, draft, number=" ", issued_on=dt.date(2026, 10, 25), signer="A", signer_title="B")
    draft = criticism.issue(officer, draft, number="45/PB-MTTQ", issued_on=dt.date(2026, 10, 25),
                            signer="Nguyễn Văn Thắng", signer_title="CHỦ TỊCH")  # fmt: skip
    with pytest.raises(SupervisionError, match="has been sent"):
        criticism.add_opinion(officer, draft, source_kind=SourceKind.OTHER, author="X", text="Y")
    text = _text(criticism.criticism_docx(draft))
    assert "VĂN BẢN PHẢN BIỆN XÃ HỘI" in text and "45/PB-MTTQ" in text
    assert "Điều 3. Mức hỗ trợ" in text and "70 triệu đồng/hộ" in text and "Sở Xây dựng tỉnh Lào Cai" in text
    assert "1 ý kiến chuyên gia" in text and "Nguyễn Văn Thắng" in text and "Đối với dự thảo: Quy định" in text

    criticism.record_reception(officer, points[0], reception=Reception.ACCEPTED, answer_text="")
    criticism.record_reception(officer, points[1], reception=Reception.PARTLY, answer_text="Bổ sung trong 2 năm đầu")
    draft.refresh_from_db()
    assert draft.state == DraftState.ISSUED  # one point still unanswered
    with pytest.raises(SupervisionError, match="Write what the drafting body answered"):
        criticism.record_reception(officer, points[2], reception=Reception.REJECTED, answer_text=" ")
    criticism.record_reception(officer, points[2], reception=Reception.REJECTED, answer_text="Ngân sách chưa cho phép")
    draft.refresh_from_db()
    assert draft.state == DraftState.ANSWERED
    assert AuditEntry.objects.filter(model="supervision.criticismpoint", action="update").count() == 4


def test_a_draft_is_refused_with_its_reason(world: World, users: People) -> None:
    with pytest.raises(SupervisionError, match="due before the draft was received"):
        criticism.register(users.province_officer, world.lao_cai, drafting_body="Sở", title="Dự thảo",
                           received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 9, 1))  # fmt: skip
    with pytest.raises(SupervisionError, match="title and the body"):
        criticism.register(users.province_officer, world.lao_cai, drafting_body=" ",
                           received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 9))  # fmt: skip
    with pytest.raises(PermissionDenied):
        criticism.register(users.commune_officer, world.lao_cai, drafting_body="Sở", title="Dự thảo",
                           received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 9))  # fmt: skip
    draft = _draft(world, users)
    with pytest.raises(SupervisionError, match="Gather opinions"):
        criticism.compose(users.province_officer, draft)
    other = criticism.register(users.province_officer, world.lao_cai, drafting_body="Sở", title="Dự thảo khác",
                               received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 9))  # fmt: skip
    with pytest.raises(SupervisionError, match="not a part of this draft"):
        criticism.add_opinion(users.province_officer, other, part=draft.parts.first(), source_kind="expert",
                              author="X", text="Y")  # fmt: skip
    assert Draft.objects.count() == 2 and not CriticismPoint.objects.exists()


def test_a_draft_through_the_pages(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    upload = SimpleUploadedFile(DRAFT.name, DRAFT.read_bytes(), content_type="text/plain")
    made = client.post(
        reverse("supervision:draft_new"),
        {"unit": world.lao_cai.pk, "drafting_body": "Sở Xây dựng", "received_on": "2026-10-01",
         "due_on": "2026-10-31", "file": upload},
    )  # fmt: skip
    draft = Draft.objects.get()
    assert made["Location"] == reverse("supervision:draft", args=[draft.pk]) and draft.parts.count() == 5
    support = draft.parts.get(number="Điều 3")
    opinion = {"part": support.pk, "source_kind": "expert", "author": "TS. An", "text": "Nâng mức hỗ trợ"}
    assert client.post(reverse("supervision:draft_opinion", args=[draft.pk]), opinion).status_code == 302
    assert client.post(reverse("supervision:draft_compose", args=[draft.pk])).status_code == 302
    point = draft.points.get()
    client.post(reverse("supervision:point_edit", args=[point.pk]), {"text": "Đề nghị nâng lên 70 triệu đồng/hộ"})
    page = client.get(made["Location"]).content.decode()
    assert "Đề nghị nâng lên 70 triệu đồng/hộ" in page and 'data-testid="criticism-docx"' not in page
    client.post(reverse("supervision:draft_issue", args=[draft.pk]),
                {"number": "45/PB-MTTQ", "issued_on": "2026-10-25", "signer": "Nguyễn Văn Thắng",
                 "signer_title": "CHỦ TỊCH"})  # fmt: skip
    draft.refresh_from_db()
    assert draft.state == DraftState.ISSUED
    download = client.get(reverse("supervision:draft_docx", args=[draft.pk]))
    assert download.status_code == 200 and "70 triệu đồng/hộ" in _text(download.content)
    client.post(reverse("supervision:point_answer", args=[point.pk]),
                {"reception": "partly", "answer_text": "Nâng lên 60 triệu đồng"})  # fmt: skip
    draft.refresh_from_db()
    assert draft.state == DraftState.ANSWERED
    assert "Nâng lên 60 triệu đồng" in client.get(made["Location"]).content.decode()
    commune = Client()
    login(commune, users.commune_officer)
    assert commune.get(made["Location"]).status_code == 404
