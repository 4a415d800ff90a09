"""A year's supervision plan: imported from its document, supervisions with their findings,
recommendations chased until answered, the year's report in the official layout."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_unit
from doanket.core.models import AuditEntry
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.reporting import sources
from doanket.supervision import report, services
from doanket.supervision.models import (
    Answer,
    Form,
    Kind,
    Progress,
    RecommendationReminder,
    State,
    Supervision,
    SupervisionPlan,
)
from doanket.supervision.services import SupervisionError

PLAN = Path(__file__).resolve().parents[3] / "demo" / "documents" / "ke-hoach-giam-sat-2026-lao-cai.txt"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _plan(world: World, users: People) -> SupervisionPlan:
    document = services.read_plan(PLAN.read_bytes(), PLAN.name)
    return services.create_plan(
        users.province_officer, world.lao_cai, year=2026, document=document, source_name=PLAN.name
    )


def test_the_plan_document_becomes_the_years_supervisions(world: World, users: People) -> None:
    plan = _plan(world, users)
    assert plan.title == "Giám sát của Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh năm 2026"
    rows = list(plan.supervisions.values_list("kind", "form", "subject", "starts_on", "ends_on"))
    assert rows == [
        (Kind.GENERAL, Form.TEAM, "Sở Xây dựng tỉnh Lào Cai", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (Kind.DEMOCRACY, Form.INSPECTION_BOARD, "Ủy ban nhân dân các xã Bắc Hà, Sa Pa", dt.date(2026, 7, 1),
         dt.date(2026, 9, 30)),
        (Kind.ETHICS, Form.DOCUMENTS, "Người đứng đầu một cơ quan cấp tỉnh", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
        (Kind.GENERAL, Form.DOCUMENTS, "Ủy ban nhân dân tỉnh Lào Cai", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ]  # fmt: skip
    assert plan.supervisions.first().topic.startswith("Giám sát việc thực hiện chính sách hỗ trợ nhà ở")  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(model="supervision.supervision").count() == 4


def test_a_plan_is_refused_with_its_reason_and_nothing_half_saved(world: World, users: People) -> None:
    text = "KẾ HOẠCH\nTuyên truyền năm 2026\nI. MỤC ĐÍCH\n1. Nâng cao nhận thức.\n".encode()
    with pytest.raises(SupervisionError, match=r"tuyen-truyen\.txt lists no supervision"):
        services.create_plan(
            users.province_officer, world.lao_cai, year=2026, document=services.read_plan(text, "tuyen-truyen.txt"),
            source_name="tuyen-truyen.txt",
        )  # fmt: skip
    assert not SupervisionPlan.objects.exists()
    _plan(world, users)
    with pytest.raises(SupervisionError, match="already has a supervision plan for 2026"):
        _plan(world, users)
    assert SupervisionPlan.objects.count() == 1 and Supervision.objects.count() == 4
    with pytest.raises(SupervisionError, match="village board has no supervision plan"):
        services.create_plan(users.commune_officer, world.bac_ha_village, year=2026)
    with pytest.raises(PermissionDenied):
        services.create_plan(users.commune_officer, world.lao_cai, year=2027)
    with pytest.raises(SupervisionError, match=r"cannot be read|not a document|empty|unsupported|format"):
        services.read_plan(b"\x00\x01binary", "ke-hoach.xyz")


def test_recommendations_are_chased_until_answered(world: World, users: People, settings: object) -> None:
    plan = _plan(world, users)
    housing = plan.supervisions.get(position=1)
    officer = users.province_officer
    first = services.recommend(
        officer, housing, text="Rà soát lại danh sách hộ được hỗ trợ nhà ở", addressee="Sở Xây dựng tỉnh Lào Cai",
        addressee_email="soxaydung@laocai.gov.vn", due_on=dt.date(2026, 8, 31),
    )  # fmt: skip
    second = services.recommend(
        officer, housing, text="Công khai kinh phí hỗ trợ tại thôn", addressee="UBND xã Bắc Hà",
        due_on=dt.date(2026, 12, 15),
    )  # fmt: skip
    assert first.state(dt.date(2026, 8, 1)) == State.WAITING
    assert first.state(dt.date(2026, 9, 1)) == State.OVERDUE
    assert services.tally(housing.recommendations.all(), dt.date(2026, 9, 1)) == {
        "total": 2, "answered": 0, "partly": 0, "waiting": 1, "overdue": 1,
    }  # fmt: skip

    # The job chases the overdue one once, by e-mail to its addressee; and the one due within a week.
    assert services.send_due_reminders(dt.date(2026, 9, 1)) == 1
    assert services.send_due_reminders(dt.date(2026, 9, 2)) == 0  # once per due date
    chased = RecommendationReminder.objects.get()
    assert (chased.recommendation, chased.kind) == (first, "overdue") and "31/08/2026" in chased.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to[0] == "soxaydung@laocai.gov.vn"
    assert services.send_due_reminders(dt.date(2026, 12, 10)) == 1  # the second, due soon (the first: chased already)
    assert RecommendationReminder.objects.filter(recommendation=second, kind="before_due").count() == 1

    with pytest.raises(SupervisionError, match="Write what the addressee answered"):
        services.record_answer(officer, first, answer=Answer.PARTLY, answer_text=" ", answered_on=dt.date(2026, 9, 5))
    services.record_answer(
        officer, first, answer=Answer.ANSWERED, answer_text="Đã rà soát, bổ sung 12 hộ", answered_on=dt.date(2026, 9, 5)
    )
    first.refresh_from_db()
    assert first.state(dt.date(2026, 12, 31)) == State.ANSWERED
    assert services.chase(officer, first) is None  # an answered recommendation is not chased
    with pytest.raises(PermissionDenied):
        services.record_answer(users.commune_officer, second, answer=Answer.ANSWERED, answer_text="x",
                               answered_on=dt.date(2026, 9, 5))  # fmt: skip
    assert AuditEntry.objects.filter(model="supervision.recommendation", action="update").count() == 1


def test_the_year_report_lists_findings_and_answers_but_not_an_ethics_supervisions_persons(
    world: World, users: People
) -> None:
    plan = _plan(world, users)
    officer = users.province_officer
    housing, ethics = plan.supervisions.get(position=1), plan.supervisions.get(kind=Kind.ETHICS)
    services.update_supervision(officer, housing, progress=Progress.DONE, findings="Hỗ trợ đúng đối tượng 95% số hộ.")
    services.recommend(officer, housing, text="Rà soát 5% còn lại", addressee="Sở Xây dựng", due_on=dt.date(2026, 7, 1))
    ethics.assigned.add(officer)
    services.update_supervision(officer, ethics, findings="Kết luận mật về ông A")
    services.add_person(officer, ethics, full_name="Trần Văn Bí Mật", office="Giám đốc sở")
    text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(report.report_docx(plan, dt.date(2026, 12, 31)))).paragraphs
    )
    assert "BÁO CÁO" in text and "Hỗ trợ đúng đối tượng 95% số hộ." in text and "Rà soát 5% còn lại" in text
    assert "quá hạn chưa trả lời" in text and "đã hoàn thành 1" in text.lower()
    assert "Trần Văn Bí Mật" not in text and "Kết luận mật" not in text and "báo cáo riêng" in text


def test_the_figures_reach_the_reporting_forms(world: World, users: People) -> None:
    plan = _plan(world, users)
    officer = users.province_officer
    housing = plan.supervisions.get(position=1)
    services.update_supervision(officer, housing, progress=Progress.DONE)
    made = services.recommend(officer, housing, text="Rà soát", addressee="Sở", due_on=dt.date(2026, 12, 1))
    services.record_answer(
        officer, made, answer=Answer.ANSWERED, answer_text="Đã làm", answered_on=made.created_at.date()
    )
    board = make_unit(
        world.bac_ha, "Ban Thanh tra nhân dân xã Bắc Hà", Level.COMMUNE, UnitKind.PEOPLES_INSPECTION_BOARD
    )
    services.add_inspection(
        users.commune_officer, board, subject="Chi trả chế độ chính sách", held_on=dt.date(2026, 5, 10),
        findings="Đúng quy định",
    )  # fmt: skip
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    this_year = (made.created_at.date().replace(month=1, day=1), made.created_at.date().replace(month=12, day=31))

    def figure(name: str, unit: Unit, period: tuple[dt.date, dt.date]) -> int:
        assert name in dict(sources.choices()), f"{name} is offered to the forms"
        return sources.prefill([("x", name)], unit, *period)["x"]  # what a report page fills in

    assert figure("supervision.done", world.lao_cai, year) == 1
    assert figure("supervision.recommendations", world.lao_cai, this_year) == 1
    assert figure("supervision.answered", world.lao_cai, this_year) == 1
    assert figure("supervision.inspections", world.lao_cai, year) == 1  # the province counts its communes' boards
    assert figure("supervision.inspections", world.sa_pa, year) == 0


def test_a_plan_from_its_upload_to_the_report_through_the_pages(client: Client, world: World, users: People) -> None:
    login(client, users.province_officer)
    upload = SimpleUploadedFile(PLAN.name, PLAN.read_bytes(), content_type="text/plain")
    made = client.post(reverse("supervision:plan_new"), {"unit": world.lao_cai.pk, "year": 2026, "file": upload})
    plan = SupervisionPlan.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("supervision:plan", args=[plan.pk])
    page = client.get(made["Location"]).content.decode()
    assert page.count('data-testid="supervision-row"') == 4 and "Sở Xây dựng tỉnh Lào Cai" in page
    housing = plan.supervisions.get(position=1)
    url = reverse("supervision:supervision", args=[housing.pk])
    assert client.post(
        reverse("supervision:supervision_update", args=[housing.pk]),
        {"progress": "done", "subject": housing.subject, "starts_on": "2026-04-01", "ends_on": "2026-06-30",
         "findings": "Hỗ trợ đúng đối tượng"},
    )["Location"] == url  # fmt: skip
    added = client.post(
        reverse("supervision:recommend", args=[housing.pk]),
        {"text": "Rà soát danh sách hộ", "addressee": "Sở Xây dựng", "due_on": "2026-08-31"},
    )
    assert added.status_code == 302
    recommendation = housing.recommendations.get()
    refused = client.post(reverse("supervision:recommend", args=[housing.pk]), {"text": "", "addressee": "Sở"})
    assert refused.status_code == 302 and housing.recommendations.count() == 1
    shown = client.get(url).content.decode()
    assert "Hỗ trợ đúng đối tượng" in shown and "Rà soát danh sách hộ" in shown
    answered = client.post(
        reverse("supervision:answer", args=[recommendation.pk]),
        {"answer": "partly", "answer_text": "Đã rà soát 2 xã", "answered_on": "2026-09-01"},
    )
    assert answered.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.answer, recommendation.answered_on) == ("partly", dt.date(2026, 9, 1))
    assert client.post(reverse("supervision:chase", args=[recommendation.pk])).status_code == 302
    assert recommendation.reminders.filter(kind="manual").count() == 1
    listed = client.get(reverse("supervision:recommendations"), {"state": "partly"}).content.decode()
    assert "Rà soát danh sách hộ" in listed
    assert (
        "Rà soát danh sách hộ"
        not in client.get(reverse("supervision:recommendations"), {"state": "overdue"}).content.decode()
    )
    download = client.get(reverse("supervision:plan_report", args=[plan.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")
    assert "Đã rà soát 2 xã" in "\n".join(p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs)

    # A commune reads neither the province's plan nor its supervisions.
    commune = Client()
    login(commune, users.commune_officer)
    assert commune.get(reverse("supervision:plan", args=[plan.pk])).status_code == 404
    assert commune.get(url).status_code == 404
    assert "Rà soát danh sách hộ" not in commune.get(reverse("supervision:recommendations")).content.decode()


def test_the_plan_page_and_the_recommendations_keep_their_number_of_queries(
    client: Client, world: World, users: People
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = _plan(world, users)
    first = plan.supervisions.get(position=1)
    services.recommend(users.province_officer, first, text="Một", addressee="Sở", due_on=dt.date(2026, 12, 1))
    login(client, users.province_officer)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("supervision:plan", args=[plan.pk]), reverse("supervision:recommendations"),
            reverse("supervision:list"), reverse("supervision:supervision", args=[first.pk])]  # fmt: skip
    before = [count(u) for u in urls]
    for supervision in plan.supervisions.all():
        for n in range(5):
            services.recommend(users.province_officer, supervision, text=f"Kiến nghị {n}", addressee="Sở",
                               due_on=dt.date(2026, 12, 1))  # fmt: skip
    services.add_supervision(users.province_officer, plan, topic="Giám sát thêm", form=Form.TEAM)
    assert [count(u) for u in urls] == before
