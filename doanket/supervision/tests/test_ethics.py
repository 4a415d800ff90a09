"""An ethics supervision (Quy định 124-QĐ/TW): its persons, opinions and conclusions are read only by
the officers assigned — not by the unit's other officers, its leader or a system administrator —
each reading is logged, and the audit log keeps a fingerprint, never the words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_user
from doanket.core.models import AuditEntry
from doanket.supervision import services
from doanket.supervision.models import Form, Kind, SensitiveReading, Supervision
from doanket.supervision.services import SupervisionError

SECRET_NAME = "Trần Văn Bảo Mật"
SECRET_OPINION = "Nhân dân nơi cư trú phản ánh ông có biệt thự lớn"
SECRET_CONCLUSION = "Chưa gương mẫu trong việc kê khai tài sản"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def ethics(world: World, users: People) -> Supervision:
    plan = services.create_plan(users.province_officer, world.lao_cai, year=2026, title="Kế hoạch giám sát 2026")
    return services.add_supervision(
        users.province_officer, plan, topic="Giám sát đạo đức, lối sống người đứng đầu", kind=Kind.ETHICS,
        form=Form.DOCUMENTS, subject="Người đứng đầu một sở", assigned=[users.province_officer],
    )  # fmt: skip


def test_an_ethics_supervision_needs_its_officers_and_only_officers_of_its_unit(world: World, users: People) -> None:
    plan = services.create_plan(users.province_officer, world.lao_cai, year=2026)
    with pytest.raises(SupervisionError, match="Assign the officers"):
        services.add_supervision(users.province_officer, plan, topic="Đạo đức", kind=Kind.ETHICS, form=Form.TEAM)
    with pytest.raises(SupervisionError, match="Only officers of"):
        services.add_supervision(
            users.province_officer, plan, topic="Đạo đức", kind=Kind.ETHICS, form=Form.TEAM,
            assigned=[users.commune_officer],
        )  # fmt: skip
    assert not Supervision.objects.exists()


def test_only_the_assigned_officers_read_the_persons_opinions_and_conclusions(
    world: World, users: People, ethics: Supervision
) -> None:
    officer = users.province_officer
    person = services.add_person(officer, ethics, full_name=SECRET_NAME, office="Giám đốc sở")
    services.add_opinion(officer, person, source="Chi bộ khu dân cư", text=SECRET_OPINION)
    services.update_supervision(officer, ethics, findings=SECRET_CONCLUSION)
    colleague = make_user("tinh2", world.lao_cai)  # an officer of the same unit, not assigned
    for outsider in (colleague, users.leader, users.unit_admin, users.system_admin):
        assert not services.can_read_sensitive(outsider, ethics)
        with pytest.raises(PermissionDenied):
            services.add_person(outsider, ethics, full_name="X")
        with pytest.raises(PermissionDenied):
            services.add_opinion(outsider, person, source="X", text="Y")
    with pytest.raises(PermissionDenied):
        services.update_supervision(colleague, ethics, findings="Ghi đè")
    services.update_supervision(colleague, ethics, progress="under_way")  # the progress is anyone's of the unit
    # The audit log says what changed, never the words.
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.filter(model__startswith="supervision."))
    assert SECRET_NAME not in logged and SECRET_OPINION not in logged and SECRET_CONCLUSION not in logged
    assert "sha256:" in logged


def test_the_page_shows_the_protected_part_to_the_assigned_only_and_logs_each_reading(
    client: Client, world: World, users: People, ethics: Supervision
) -> None:
    officer = users.province_officer
    person = services.add_person(officer, ethics, full_name=SECRET_NAME)
    services.add_opinion(officer, person, source="Chi bộ", text=SECRET_OPINION)
    services.update_supervision(officer, ethics, findings=SECRET_CONCLUSION)
    url = reverse("supervision:supervision", args=[ethics.pk])
    login(client, officer)
    page = client.get(url).content.decode()
    assert SECRET_NAME in page and SECRET_OPINION in page and SECRET_CONCLUSION in page
    assert SensitiveReading.objects.filter(supervision=ethics, user=officer).count() == 1
    client.get(url)
    assert SensitiveReading.objects.filter(supervision=ethics, user=officer).count() == 2

    colleague = make_user("tinh2", world.lao_cai)
    for reader in (colleague, users.leader, users.viewer, users.system_admin):
        other = Client()
        login(other, reader)
        shown = other.get(url)
        assert shown.status_code == 200, reader.username  # the supervision exists in their plan …
        body = shown.content.decode()
        assert 'data-testid="protected-notice"' in body
        assert SECRET_NAME not in body and SECRET_OPINION not in body and SECRET_CONCLUSION not in body
        # … and the report they can download does not name the person either.
        report = other.get(reverse("supervision:plan_report", args=[ethics.plan_id]))
        assert SECRET_NAME.encode() not in report.content
    assert SensitiveReading.objects.exclude(user=officer).count() == 0
    other = Client()
    login(other, colleague)
    assert other.post(reverse("supervision:person_add", args=[ethics.pk]), {"full_name": "X"}).status_code == 403
    assert (
        other.post(
            reverse("supervision:opinion_add", args=[ethics.pk]), {"person": person.pk, "source": "X", "text": "Y"}
        ).status_code
        == 403
    )
    # A colleague's progress form has no findings field; posting one changes nothing.
    other.post(reverse("supervision:supervision_update", args=[ethics.pk]), {"progress": "done", "findings": "Ghi đè"})
    ethics.refresh_from_db()
    assert ethics.findings == SECRET_CONCLUSION and ethics.progress == "done"
    commune = Client()
    login(commune, users.commune_officer)
    assert commune.get(url).status_code == 404


def test_an_ethics_supervisions_recommendations_are_the_assigned_officers_too(
    client: Client, world: World, users: People, ethics: Supervision
) -> None:
    import datetime as dt

    officer = users.province_officer
    made = services.recommend(officer, ethics, text=f"Đề nghị kiểm điểm {SECRET_NAME}", addressee="Cấp ủy",
                              due_on=dt.date(2026, 12, 1))  # fmt: skip
    login(client, officer)
    assert SECRET_NAME in client.get(reverse("supervision:supervision", args=[ethics.pk])).content.decode()
    assert SECRET_NAME in client.get(reverse("supervision:recommendations")).content.decode()
    colleague = Client()
    login(colleague, make_user("tinh2", world.lao_cai))
    assert SECRET_NAME not in colleague.get(reverse("supervision:supervision", args=[ethics.pk])).content.decode()
    assert SECRET_NAME not in colleague.get(reverse("supervision:recommendations")).content.decode()
    answer = {"answer": "answered", "answer_text": "Đã kiểm điểm", "answered_on": "2026-11-01"}
    assert colleague.post(reverse("supervision:answer", args=[made.pk]), answer).status_code == 404
    assert SECRET_NAME not in str(colleague.get("/api/v1/recommendations/").json())
