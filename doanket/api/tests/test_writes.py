"""Writing through the API: a progress update, a report's figures, a petition received, a donation.
Each goes through the page's lookup, permission, form and service: a write token writes within its
unit, a read token is refused, a unit outside is a 404 naming nothing, a bad body is a 400 naming
the field in Vietnamese and English, every write is audited, a refusal keeps nothing, and a retry
with the same Idempotency-Key writes once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import People, World, login
from doanket.accounts import tokens
from doanket.accounts.models import ApiTokenUse
from doanket.api.models import IdempotencyKey
from doanket.core.models import AuditEntry
from doanket.funds.models import Campaign, CampaignKind, Receipt
from doanket.petitions.models import Petition
from doanket.programs.models import Assignment, Item, Program, ProgressUpdate
from doanket.programs.models import Status as AssignmentStatus
from doanket.reporting import services as reporting
from doanket.reporting.models import Report, Schedule
from doanket.reporting.models import Status as ReportStatus
from doanket.reporting.periods import Frequency, parse


def _bearer(text: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {text}", **more}


def post(client: Client, url: str, body: Any, token: str | None = None, **headers: str) -> Any:
    sent = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        url, sent, content_type="application/json", headers=_bearer(token, **headers) if token else headers
    )


def _assignment(unit: Any) -> Assignment:
    program = Program.objects.create(unit=unit, title=f"Chương trình {unit.pk}", year=2026)
    item = Item.objects.create(program=program, number="1", title="Tuyên truyền", position=1)
    return Assignment.objects.create(program=program, item=item, unit=unit)


def _report(unit: Any) -> Report:
    """A quarterly report ``unit`` owes: a required number and a required text."""
    version = reporting.create_form(
        None, unit, f"bc-{unit.pk}", f"Báo cáo {unit.pk}",
        [{"title": "Số liệu", "indicators": [
            {"code": "so_ho", "label": "Số hộ", "type": "integer"},
            {"code": "ket_qua", "label": "Kết quả", "type": "long_text"},
        ]}],
    )  # fmt: skip
    schedule = Schedule.objects.create(
        unit=unit, form=version.form, name=f"Lịch {unit.pk}", level=unit.level, kind=unit.kind, include_self=True,
        frequency=Frequency.QUARTERLY, starts=parse("2026-Q1").start, ends=parse("2026-Q1").end,
    )  # fmt: skip
    reporting.open_period(schedule, parse("2026-Q1"))
    return Report.objects.get(schedule=schedule, unit=unit)


@pytest.fixture
def write(world: World, users: People) -> str:
    return tokens.issue(users.unit_admin, world.bac_ha, name="Phần mềm xã", access="write")[1]


@pytest.fixture
def read(world: World, users: People) -> str:
    return tokens.issue(users.unit_admin, world.bac_ha, name="Bảng tin", access="read")[1]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (ProgressUpdate, Petition, Receipt, AuditEntry, IdempotencyKey)}


def _field_error(response: Any, name: str) -> dict[str, str]:
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["message"] != body["message_en"]  # Vietnamese and English
    found: dict[str, str] = body["fields"][name]
    assert found["message"] and found["message_en"]
    return found


def test_a_write_token_posts_progress_on_its_units_assignment_audited(world: World, write: str) -> None:
    assignment = _assignment(world.bac_ha)
    api = Client()
    answer = post(api, f"/api/v1/assignments/{assignment.pk}/updates/", {"text": "Đã họp dân", "progress": 40}, write)
    assert answer.status_code == 201, answer.content
    assert answer.json()["assignment"]["progress"] == 40 and answer.json()["assignment"]["status"] == "in_progress"
    assignment.refresh_from_db()
    assert (assignment.progress, assignment.status) == (40, AssignmentStatus.IN_PROGRESS)
    update = ProgressUpdate.objects.get()
    assert update.text == "Đã họp dân" and update.author is not None and update.author.username.startswith("api-")
    logged = AuditEntry.objects.filter(model="programs.progressupdate", object_id=str(update.pk)).get()
    assert logged.actor == update.author
    assert ApiTokenUse.objects.filter(method="POST", status=201).count() == 1


def test_a_read_token_a_revoked_token_and_a_unit_outside_are_refused(
    world: World, users: People, read: str, write: str
) -> None:
    inside, outside = _assignment(world.bac_ha), _assignment(world.sa_pa)
    api = Client()
    body = {"text": "Xong", "progress": 100}
    before = _counts()
    refused = post(api, f"/api/v1/assignments/{inside.pk}/updates/", body, read)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only_token"
    hidden = post(api, f"/api/v1/assignments/{outside.pk}/updates/", body, write)
    assert hidden.status_code == 404 and "Sa Pa" not in hidden.content.decode()
    assert post(api, "/api/v1/assignments/99999999/updates/", body, write).status_code == 404
    assert _counts() == before
    token = tokens.authenticate(write)
    assert token is not None
    tokens.revoke(users.unit_admin, token)
    assert post(api, f"/api/v1/assignments/{inside.pk}/updates/", body, write).status_code == 401
    assert ProgressUpdate.objects.count() == 0


def test_a_bad_body_names_the_field_in_both_languages_and_keeps_nothing(world: World, write: str) -> None:
    assignment = _assignment(world.bac_ha)
    url, api = f"/api/v1/assignments/{assignment.pk}/updates/", Client()
    before = _counts()
    over = _field_error(post(api, url, {"text": "Xong", "progress": 150}, write), "progress")
    assert "100" in over["message"] and "100" in over["message_en"]
    _field_error(post(api, url, {"progress": 10}, write), "text")
    _field_error(post(api, url, {"text": "Xong", "progress": 10, "extra": 1}, write), "extra")
    _field_error(post(api, url, {"text": ["a"], "progress": 10}, write), "text")
    for broken in ("not json", "[1, 2]", ""):
        response = post(api, url, broken, write)
        assert response.status_code == 400 and response.json()["error"]["code"] in ("bad_json", "invalid")
    assert _counts() == before
    assignment.refresh_from_db()
    assert assignment.progress == 0


def test_a_reports_figures_are_kept_then_submitted_and_a_refusal_changes_nothing(world: World, write: str) -> None:
    report = _report(world.bac_ha)
    url, api = f"/api/v1/reports/{report.pk}/figures/", Client()
    draft = post(api, url, {"values": {"so_ho": "1.250"}}, write)
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft" and draft.json()["values"] == {"so_ho": 1250}
    report.refresh_from_db()
    revision, audited = report.revision, AuditEntry.objects.filter(model="reporting.report").count()

    incomplete = post(api, url, {"submit": True}, write)
    required = _field_error(incomplete, "values.ket_qua")
    assert required["message"] != required["message_en"]
    wrong = _field_error(post(api, url, {"values": {"so_ho": "nhiều"}}, write), "values.so_ho")
    assert "nhiều" in wrong["message"] and "nhiều" in wrong["message_en"]
    _field_error(post(api, url, {"values": {"khong_co": 1}}, write), "values.khong_co")
    _field_error(post(api, url, {"values": [1]}, write), "values")
    stale = post(api, url, {"values": {"so_ho": 5}, "revision": revision - 1}, write)
    assert stale.status_code == 409 and stale.json()["error"]["fields"]["__all__"]["message_en"].startswith("Someone")
    report.refresh_from_db()
    assert (report.revision, report.values, report.status) == (revision, {"so_ho": 1250}, ReportStatus.DRAFT)
    assert AuditEntry.objects.filter(model="reporting.report").count() == audited

    done = post(api, url, {"values": {"ket_qua": "Tốt", "so_ho": 1300}, "submit": True, "revision": revision}, write)
    assert done.status_code == 200 and done.json()["status"] == "submitted", done.content
    assert done.json()["values"] == {"so_ho": 1300, "ket_qua": "Tốt"}
    again = post(api, url, {"submit": True}, write)
    assert again.status_code == 409
    messages = again.json()["error"]["fields"]["__all__"]
    assert (
        messages["message_en"] == "This report has already been submitted."
        and messages["message"] != messages["message_en"]
    )
    assert AuditEntry.objects.filter(model="reporting.report").count() == audited + 1


def test_a_report_outside_or_not_the_callers_to_fill_is_refused(
    client: Client, world: World, users: People, write: str
) -> None:
    outside = _report(world.sa_pa)
    assert post(Client(), f"/api/v1/reports/{outside.pk}/figures/", {}, write).status_code == 404
    mine = _report(world.bac_ha)
    login(client, users.viewer)  # reads the province's reports, fills none
    refused = post(client, f"/api/v1/reports/{mine.pk}/figures/", {"values": {"so_ho": 1}})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


PETITION = {
    "channel": "letter",
    "received_on": "2026-03-02",
    "kind": "petition",
    "urgency": "normal",
    "title": "Đường liên thôn xuống cấp",
    "content": "Đề nghị sửa đoạn đường qua thôn Na Hối.",
    "sender_name": "Nguyễn Văn Bình",
    "sender_phone": "0912 345 678",
}


def test_a_petition_is_registered_at_the_callers_committee_and_its_sender_stays_inside(
    world: World, write: str
) -> None:
    api = Client()
    answer = post(api, "/api/v1/petitions/", {**PETITION, "unit": world.bac_ha.pk}, write)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["unit_id"] == world.bac_ha.pk and body["code"] and body["status"] == "received"
    assert "Bình" not in answer.content.decode() and "0912" not in answer.content.decode()
    petition = Petition.objects.get(pk=body["id"])
    assert petition.sender_name == "Nguyễn Văn Bình" and petition.sender_phone == "0912345678"
    assert timezone.localtime(petition.received_at).date() == dt.date(2026, 3, 2)
    assert AuditEntry.objects.filter(model="petitions.petition", object_id=str(petition.pk)).exists()
    listed = api.get("/api/v1/petitions/", headers=_bearer(write)).json()["results"]
    assert [p["id"] for p in listed] == [petition.pk]


def test_a_petition_for_a_committee_outside_or_badly_filled_is_refused_whole(
    world: World, write: str, read: str
) -> None:
    api = Client()
    before = _counts()
    outside = post(api, "/api/v1/petitions/", {**PETITION, "unit": world.sa_pa.pk}, write)
    assert outside.status_code == 404 and "Sa Pa" not in outside.content.decode()
    assert post(api, "/api/v1/petitions/", {**PETITION, "unit": world.bac_ha.pk}, read).status_code == 403
    _field_error(post(api, "/api/v1/petitions/", PETITION, write), "unit")
    _field_error(post(api, "/api/v1/petitions/", {**PETITION, "unit": world.bac_ha.pk, "kind": "x"}, write), "kind")
    future = {**PETITION, "unit": world.bac_ha.pk, "received_on": "2999-01-01"}
    _field_error(post(api, "/api/v1/petitions/", future, write), "received_on")
    no_phone = {**PETITION, "unit": world.bac_ha.pk, "sender_phone": "", "notify_sms": True}
    refused = post(api, "/api/v1/petitions/", no_phone, write)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "refused"
    reason = refused.json()["error"]["fields"]["__all__"]
    assert (
        reason["message_en"] == "Give a phone number to be told by SMS." and reason["message"] != reason["message_en"]
    )
    assert _counts() == before


def test_a_donation_is_recorded_into_a_fund_of_the_callers_unit(
    client: Client, world: World, users: People, write: str
) -> None:
    mine = Campaign.objects.create(unit=world.bac_ha, kind=CampaignKind.RELIEF, name="Cứu trợ Bắc Hà",
                                   starts_on=dt.date(2026, 9, 1))  # fmt: skip
    other = Campaign.objects.create(unit=world.sa_pa, kind=CampaignKind.RELIEF, name="Cứu trợ Sa Pa",
                                    starts_on=dt.date(2026, 9, 1))  # fmt: skip
    gift = {"kind": "cash", "received_on": "02/09/2026", "amount": 500_000, "donor_kind": "person",
            "donor_name": "Trần Thị Mai", "receipt_number": "PT-01", "show_donor": False}  # fmt: skip
    api = Client()
    answer = post(api, f"/api/v1/campaigns/{mine.pk}/donations/", gift, write)
    assert answer.status_code == 201, answer.content
    receipt = Receipt.objects.get()
    assert (receipt.amount, receipt.donor_name, receipt.show_donor) == (500_000, "Trần Thị Mai", False)
    assert receipt.received_on == dt.date(2026, 9, 2) and answer.json()["campaign_id"] == mine.pk
    assert AuditEntry.objects.filter(model="funds.receipt", object_id=str(receipt.pk)).exists()

    before = _counts()
    assert post(api, f"/api/v1/campaigns/{other.pk}/donations/", gift, write).status_code == 404
    twice = post(api, f"/api/v1/campaigns/{mine.pk}/donations/", gift, write)
    assert twice.status_code == 400 and "PT-01" in twice.json()["error"]["fields"]["__all__"]["message"]
    no_receipt = post(api, f"/api/v1/campaigns/{mine.pk}/donations/", {**gift, "receipt_number": ""}, write)
    assert no_receipt.json()["error"]["fields"]["__all__"]["message_en"] == (
        "A cash donation needs the number of its receipt."
    )
    _field_error(post(api, f"/api/v1/campaigns/{mine.pk}/donations/", {**gift, "amount": 0}, write), "amount")
    login(client, users.viewer)  # reads the fund, does not handle it
    assert post(client, f"/api/v1/campaigns/{mine.pk}/donations/", gift).status_code == 403
    assert _counts() == before


def test_a_sessions_write_needs_its_csrf_token_and_a_tokens_does_not(world: World, users: People, write: str) -> None:
    assignment = _assignment(world.bac_ha)
    url, body = f"/api/v1/assignments/{assignment.pk}/updates/", {"text": "Đã làm", "progress": 10}
    browser = Client(enforce_csrf_checks=True)
    login(browser, users.commune_officer)
    refused = post(browser, url, body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    browser.get("/api/v1/docs/")  # any page sets the CSRF cookie
    accepted = post(browser, url, body, **{"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert accepted.status_code == 201
    integration = Client(enforce_csrf_checks=True)
    assert post(integration, url, body, write).status_code == 201
    assert ProgressUpdate.objects.count() == 2


def test_a_retry_with_the_same_idempotency_key_writes_once(world: World, users: People, write: str) -> None:
    assignment = _assignment(world.bac_ha)
    url, api = f"/api/v1/assignments/{assignment.pk}/updates/", Client()
    body = {"text": "Đã họp", "progress": 30}
    first = post(api, url, body, write, **{"Idempotency-Key": "lan-1"})
    again = post(api, url, body, write, **{"Idempotency-Key": "lan-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ProgressUpdate.objects.count() == 1
    reused = post(api, url, {**body, "progress": 50}, write, **{"Idempotency-Key": "lan-1"})
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
    assert post(api, url, body, write, **{"Idempotency-Key": "có dấu"}).status_code == 400
    assert post(api, url, body, write, **{"Idempotency-Key": "lan-2"}).status_code == 201
    assert ProgressUpdate.objects.count() == 2
    other = tokens.issue(users.unit_admin, world.bac_ha, name="Khác", access="write")[1]
    assert post(api, url, body, other, **{"Idempotency-Key": "lan-1"}).status_code == 201  # keys are per caller
    failed = post(api, url, {"progress": 5}, write, **{"Idempotency-Key": "lan-3"})
    assert failed.status_code == 400 and not IdempotencyKey.objects.filter(key="lan-3").exists()
    assert ProgressUpdate.objects.count() == 3
