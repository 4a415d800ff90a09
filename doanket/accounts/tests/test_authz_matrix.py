"""Every URL × every role × inside and outside the role's scope.

A URL added to the project without a case here makes ``test_every_url_has_a_case`` fail.
Outside the scope the answer is 404 (never the record's name), for links and forms alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import People, World, login, make_unit
from doanket.accounts import tokens
from doanket.accounts.authz import ROLE_PERMISSIONS, Perm
from doanket.accounts.models import ApiToken, Role, RoleGrant, User
from doanket.congresses.models import Congress, Step, Target
from doanket.emulation.models import AwardDecision, Exemplar, Movement, Nomination, Review
from doanket.funds.models import (
    Allocation,
    BankAccount,
    Campaign,
    CampaignKind,
    Evidence,
    House,
    Household,
    Receipt,
    Statement,
    StatementImport,
)
from doanket.news.models import Activity, NewsItem
from doanket.organizations.models import Level, Person, Term, Unit, UnitKind
from doanket.organizations.services import create_unit
from doanket.outreach.models import HotSpot
from doanket.petitions import services as petition_services
from doanket.petitions.models import (
    Attachment,
    Petition,
    Reception,
    Synthesis,
    Theme,
    ThemeMember,
    VoterMeeting,
)
from doanket.petitions.services import Sender
from doanket.programs.models import Assignment, Directive, Item, Program, ProgressUpdate
from doanket.reporting import services as reporting_services
from doanket.reporting.models import Report, ReportForm, Schedule
from doanket.reporting.periods import Frequency, parse
from doanket.supervision.models import (
    CriticismPoint,
    Draft,
    Project,
    Recommendation,
    Supervision,
    SupervisionPlan,
)
from doanket.training.models import Attendance, Course, Material

ROLES = [
    "province_officer",
    "commune_officer",
    "other_commune_officer",
    "member_org_officer",
    "viewer",
    "leader",
    "unit_admin",
    "system_admin",
]


def scope_of(role_name: str, w: World) -> tuple[Unit, Unit | None]:
    """A unit inside the role's scope and one outside it (None: nothing is outside)."""
    return {
        "province_officer": (w.bac_ha_village, w.lang_son),
        "commune_officer": (w.bac_ha_village, w.sa_pa),
        "other_commune_officer": (w.sa_pa_village, w.bac_ha),
        "member_org_officer": (w.farmers_union, w.bac_ha),
        "viewer": (w.bac_ha, w.lang_son),
        "leader": (w.bac_ha, w.lang_son),
        "unit_admin": (w.bac_ha, w.lang_son),
        "system_admin": (w.lang_son, None),
    }[role_name]


def holds(user: User, perm: Perm) -> bool:
    if user.is_superuser:
        return True
    return any(perm in ROLE_PERMISSIONS[Role(g.role)] for g in user.grants.all())


@dataclass
class Case:
    """How to build the URL for a target unit, and the permission it needs on that unit."""

    url: Callable[[Unit | None], str]
    perm: Perm | None  # None: any logged-in user
    targeted: bool  # True: the URL names a record, so scope applies
    method: str = "get"  # "post": an action; success is a redirect (302) instead of a page (200)
    api: bool = False  # JSON: anonymous callers get 401 instead of a redirect to the login page
    ok: int | None = None  # the success status when it is not the method's usual one (an HTMX POST: 200)
    json: dict[str, Any] | None = None  # an API write's body

    def send(self, client: Client, url: str) -> Any:
        if self.json is None:
            return getattr(client, self.method)(url)
        return getattr(client, self.method)(url, self.json, content_type="application/json")


def _person_in(unit: Unit | None) -> int:
    assert unit is not None
    return Person.objects.get_or_create(unit=unit, full_name=f"Người thử {unit.pk}")[0].pk


def _grant_in(unit: Unit | None) -> int:
    """An account holding an officer role on ``unit`` (and nowhere else); returns the grant."""
    assert unit is not None
    user = User.objects.get_or_create(username=f"thu_{unit.pk}", defaults={"full_name": f"Tài khoản thử {unit.pk}"})[0]
    return RoleGrant.objects.get_or_create(user=user, unit=unit, role=Role.OFFICER)[0].pk


def _account_in(unit: Unit | None) -> int:
    return RoleGrant.objects.get(pk=_grant_in(unit)).user_id


def _program_in(unit: Unit | None) -> int:
    assert unit is not None
    program, created = Program.objects.get_or_create(unit=unit, title=f"Chương trình thử {unit.pk}")
    if created:
        Item.objects.create(program=program, number="1", title="Việc thử", position=1)
        program.source_file.save("ke-hoach.txt", ContentFile("KẾ HOẠCH".encode()), save=True)
    return program.pk


def _item_in(unit: Unit | None) -> int:
    return Item.objects.get(program_id=_program_in(unit), number="1").pk


def _assignment_in(unit: Unit | None) -> int:
    assert unit is not None
    item = Item.objects.get(pk=_item_in(unit))
    return Assignment.objects.get_or_create(item=item, unit=unit, defaults={"program": item.program})[0].pk


def _directive_in(unit: Unit | None) -> int:
    assert unit is not None
    directive, created = Directive.objects.get_or_create(
        unit=unit, code_key=f"{unit.pk}/KH", defaults={"code": f"{unit.pk}/KH-MTTQ-BTT", "type": "plan"}
    )
    if created:
        directive.file.save("toan-van.txt", ContentFile("Toàn văn".encode()), save=True)
    return directive.pk


def _update_in(unit: Unit | None) -> int:
    assignment = Assignment.objects.get(pk=_assignment_in(unit))
    update = ProgressUpdate.objects.filter(assignment=assignment).first()
    if update is None:
        update = ProgressUpdate(assignment=assignment, text="Ảnh", progress=10)
        update.attachment.save("anh.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return update.pk


def _program_above(unit: Unit | None) -> int:
    assert unit is not None and unit.parent is not None
    return _program_in(unit.parent)


def _schedule_in(unit: Unit | None) -> int:
    """A quarterly schedule of ``unit`` on which the unit itself reports, with Q1 2026 opened."""
    assert unit is not None
    schedule = Schedule.objects.filter(unit=unit).first()
    if schedule is None:
        version = reporting_services.create_form(
            None,
            unit,
            f"thu-{unit.pk}",
            f"Báo cáo thử {unit.pk}",
            [
                {
                    "title": "Số liệu",
                    "indicators": [
                        {"code": "so_ho", "label": "Số hộ", "type": "integer"},
                        {"code": "ket_qua", "label": "Kết quả", "type": "long_text"},
                    ],
                }
            ],
        )
        schedule = Schedule.objects.create(
            unit=unit,
            form=version.form,
            name=f"Lịch báo cáo thử {unit.pk}",
            level=unit.level,
            kind=unit.kind,
            include_self=True,
            frequency=Frequency.QUARTERLY,
            starts=parse("2026-Q1").start,
            ends=parse("2026-Q1").end,
        )
        reporting_services.open_period(schedule, parse("2026-Q1"))
    return schedule.pk


def _form_in(unit: Unit | None) -> int:
    return ReportForm.objects.get(schedules=_schedule_in(unit)).pk


def _report_in(unit: Unit | None) -> int:
    return Report.objects.get(schedule_id=_schedule_in(unit), unit=unit).pk


def _report_below(unit: Unit | None) -> int:
    """A report of a unit directly below ``unit``: what ``unit`` reviews and chases."""
    assert unit is not None
    child = Unit.objects.filter(parent=unit, name="Đơn vị báo cáo thử").first() or create_unit(
        None, parent=unit, name="Đơn vị báo cáo thử", level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD
    )
    return _report_in(child)


def _rollup_url(name: str) -> Callable[[Unit | None], str]:
    def url(unit: Unit | None) -> str:
        assert unit is not None
        return reverse(f"reporting:{name}", args=[_schedule_in(unit)]) + f"?unit={unit.pk}&period=2026-Q1"

    return url


def _petition_in(unit: Unit | None) -> int:
    """An ordinary petition handled at ``unit``, with a photo the sender attached."""
    assert unit is not None
    found = Petition.objects.filter(unit=unit, title="Kiến nghị thử").first()
    if found is None:
        photo = SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, content_type="image/jpeg")
        found = petition_services.receive(
            None,
            place=unit,
            level=unit.level,
            unit=unit,
            channel="letter",
            title="Kiến nghị thử",
            content="Nội dung kiến nghị thử.",
            sender=Sender(name="Người gửi thử", phone="0912345678"),
            files=[photo],
        )
    return found.pk


def _meeting_in(unit: Unit | None) -> int:
    assert unit is not None
    meeting = VoterMeeting.objects.filter(unit=unit).first() or VoterMeeting.objects.create(
        unit=unit, body="commune_council", deputies="Đại biểu thử", title="Tiếp xúc cử tri thử",
        starts_at=timezone.now(), place="Nhà văn hóa",
    )  # fmt: skip
    return meeting.pk


def _attachment_in(unit: Unit | None) -> int:
    return Attachment.objects.get(petition_id=_petition_in(unit)).pk


def _synthesis_in(unit: Unit | None) -> int:
    """A grouped synthesis of ``unit`` with one theme holding its test petition."""
    assert unit is not None
    found = Synthesis.objects.filter(unit=unit).first()
    if found is None:
        today = timezone.localdate()
        found = Synthesis.objects.create(unit=unit, title="Tổng hợp thử", start=today, end=today, state="ready")
        petition = _petition_in(unit)
        theme = Theme.objects.create(synthesis=found, position=1, title="Nhóm thử", representative_id=petition)
        ThemeMember.objects.create(synthesis=found, theme=theme, petition_id=petition)
    return found.pk


def _reception_in(unit: Unit | None) -> int:
    assert unit is not None
    found = Reception.objects.filter(unit=unit).first() or Reception.objects.create(
        unit=unit, received_at=timezone.now(), host="Cán bộ thử", visitors="Công dân thử", subject="Việc thử",
        summary="Nội dung thử.",
    )  # fmt: skip
    return found.pk


def _theme_in(unit: Unit | None) -> int:
    return Theme.objects.get(synthesis_id=_synthesis_in(unit)).pk


def _campaign_in(unit: Unit | None) -> int:
    assert unit is not None
    found = Campaign.objects.filter(unit=unit).first() or Campaign.objects.create(
        unit=unit, kind=CampaignKind.RELIEF, name=f"Cứu trợ thử {unit.pk}", starts_on=dt.date(2026, 9, 1)
    )
    return found.pk


def _statement_in(unit: Unit | None) -> int:
    campaign = Campaign.objects.get(pk=_campaign_in(unit))
    account = campaign.accounts.first() or BankAccount.objects.create(
        campaign=campaign, bank="Vietcombank", number=f"00710000{campaign.pk:04d}", holder="Ban Vận động"
    )
    found = account.statements.first() or Statement.objects.create(
        account=account, name="sao-ke.csv", digest=f"{account.pk:064d}", layout="table", line_count=0
    )
    return found.pk


def _receipt_in(unit: Unit | None) -> int:
    campaign = Campaign.objects.get(pk=_campaign_in(unit))
    found = campaign.receipts.first() or Receipt.objects.create(
        campaign=campaign,
        kind="cash",
        received_on=dt.date(2026, 9, 2),
        amount=100_000,
        donor_kind="anonymous",
        receipt_number="PT-1",
    )
    return found.pk


def _import_in(unit: Unit | None) -> int:
    account = Statement.objects.get(pk=_statement_in(unit)).account
    found = account.imports.first() or StatementImport.objects.create(account=account, name="sao-ke.pdf")
    return found.pk


def _allocation_in(unit: Unit | None) -> int:
    campaign = Campaign.objects.get(pk=_campaign_in(unit))
    found = campaign.allocations.first() or Allocation.objects.create(
        campaign=campaign,
        recipient_kind="project",
        project="Trường học",
        amount=1_000_000,
        purpose="Sửa mái",
        decision_number="1/QĐ",
        decision_date=dt.date(2026, 9, 3),
        decision_signer="Chủ tịch",
    )
    return found.pk


def _evidence_in(unit: Unit | None) -> int:
    assert unit is not None
    allocation = Allocation.objects.get(pk=_allocation_in(unit))
    found = allocation.evidence.first()
    if found is None:
        found = Evidence(allocation=allocation, unit=unit, name="qd.pdf", content_type="application/pdf")
        found.file.save("qd.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return found.pk


def _household_in(unit: Unit | None) -> int:
    assert unit is not None
    return Household.objects.get_or_create(
        unit=unit, head_name=f"Hộ thử {unit.pk}", defaults={"status": "poor", "classified_year": 2026}
    )[0].pk


def _house_in(unit: Unit | None) -> int:
    household = Household.objects.get(pk=_household_in(unit))
    found = household.houses.first() or House.objects.create(
        household=household,
        unit=household.unit,
        work="new",
        decision_number="2/QĐ",
        approved_on=dt.date(2026, 9, 3),
        from_budget=40_000_000,
    )
    return found.pk


def _movement_in(unit: Unit | None) -> int:
    """A movement launched by ``unit`` (made directly: a village launches none through the pages)."""
    assert unit is not None
    found = Movement.objects.filter(unit=unit).first() or Movement.objects.create(
        unit=unit,
        title=f"Phong trào thi đua {unit.pk}",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        level=Level.VILLAGE,
        participant_kind=UnitKind.VILLAGE_BOARD,
    )
    return found.pk


def _review_in(unit: Unit | None) -> int:
    movement = Movement.objects.get(pk=_movement_in(unit))
    found = movement.reviews.first() or Review.objects.create(
        movement=movement, stage="interim", period_from=movement.starts_on, period_to=movement.ends_on
    )
    return found.pk


def _review_of_unit_url(unit: Unit | None) -> str:
    """The page of ``unit``'s scores in a review of a movement its parent launched for units
    like it: the unit's side of a review."""
    assert unit is not None
    launcher = unit.parent or unit
    movement = Movement.objects.filter(unit=launcher, level=unit.level, participant_kind=unit.kind).first()
    if movement is None:
        movement = Movement.objects.create(
            unit=launcher,
            title=f"Phong trào cho {unit.pk}",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            level=unit.level,
            participant_kind=unit.kind,
        )
    review = movement.reviews.first() or Review.objects.create(
        movement=movement, stage="final", period_from=movement.starts_on, period_to=movement.ends_on
    )
    return reverse("emulation:review_unit", args=[review.pk, unit.pk])


def _nomination_in(unit: Unit | None) -> int:
    """A nomination proposed and decided by ``unit`` for itself (made directly)."""
    assert unit is not None
    found = Nomination.objects.filter(decided_by=unit).first() or Nomination.objects.create(
        proposed_by=unit, decided_by=unit, kind="merit", recipient_unit=unit, achievement="Thành tích thử"
    )
    return found.pk


def _decision_in(unit: Unit | None) -> int:
    assert unit is not None
    found = AwardDecision.objects.filter(unit=unit).first() or AwardDecision.objects.create(
        unit=unit, number=f"{unit.pk}/QĐ", decided_on=dt.date(2026, 11, 20), signer="Người ký", signer_title="CHỦ TỊCH"
    )
    return found.pk


def _exemplar_in(unit: Unit | None) -> int:
    """An exemplary model of ``unit`` with a photo as evidence (made directly)."""
    assert unit is not None
    found = Exemplar.objects.filter(unit=unit).first()
    if found is None:
        found = Exemplar(unit=unit, kind="model", title=f"Mô hình thử {unit.pk}", description="Cách làm")
        found.evidence.save("minh-chung.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32), save=False)
        found.evidence_name, found.evidence_type = "minh-chung.png", "image/png"
        found.save()
    return found.pk


def _supervision_plan_in(unit: Unit | None) -> int:
    assert unit is not None
    return SupervisionPlan.objects.get_or_create(unit=unit, year=2026, defaults={"title": f"Kế hoạch {unit.pk}"})[0].pk


def _supervision_in(unit: Unit | None) -> int:
    return Supervision.objects.get_or_create(plan_id=_supervision_plan_in(unit), topic="Giám sát thử")[0].pk


def _recommendation_in(unit: Unit | None) -> int:
    return Recommendation.objects.get_or_create(
        supervision_id=_supervision_in(unit), text="Kiến nghị thử", addressee="Sở", due_on=dt.date(2026, 12, 1)
    )[0].pk


def _board_in(unit: Unit | None) -> int:
    """A Community Investment Supervision Board under ``unit`` (a unit of the tree, made directly)."""
    assert unit is not None
    found = Unit.objects.filter(parent=unit, kind=UnitKind.COMMUNITY_INVESTMENT_BOARD).first()
    return (found or make_unit(unit, f"Ban GSĐTCCĐ {unit.pk}", unit.level, UnitKind.COMMUNITY_INVESTMENT_BOARD)).pk


def _project_in(unit: Unit | None) -> int:
    return Project.objects.get_or_create(board_id=_board_in(unit), name="Đường thử", owner="UBND", budget=1)[0].pk


def _draft_in(unit: Unit | None) -> int:
    assert unit is not None
    return Draft.objects.get_or_create(
        unit=unit, title=f"Dự thảo {unit.pk}", drafting_body="Sở",
        received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 31),
    )[0].pk  # fmt: skip


def _point_in(unit: Unit | None) -> int:
    return CriticismPoint.objects.get_or_create(draft_id=_draft_in(unit), position=1, text="Ý kiến phản biện")[0].pk


def _hot_spot_in(unit: Unit | None) -> int:
    assert unit is not None
    return HotSpot.objects.get_or_create(
        unit=unit, title=f"Điểm nóng {unit.pk}", description="Tranh chấp", flagged_on=dt.date(2026, 9, 1)
    )[0].pk


def _news_in(unit: Unit | None) -> int:
    """A draft news item of ``unit``, with a photo."""
    assert unit is not None
    item, created = NewsItem.objects.get_or_create(
        unit=unit, title=f"Tin thử {unit.pk}", defaults={"summary": "Tóm tắt", "body": "Nội dung"}
    )
    if created:
        item.photo_type, item.photo_size = "image/png", 8
        item.photo.save("tin.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return item.pk


def _activity_in(unit: Unit | None) -> int:
    assert unit is not None
    defaults = {"held_on": dt.date(2026, 9, 1), "kind": "border_guard", "place": "Cột mốc", "summary": "Tuần tra"}
    return Activity.objects.get_or_create(unit=unit, partner=f"Đồn Biên phòng {unit.pk}", defaults=defaults)[0].pk


# --- training ---
def _course_in(unit: Unit | None) -> int:
    assert unit is not None
    return Course.objects.get_or_create(
        unit=unit, topic=f"Lớp bồi dưỡng {unit.pk}",
        defaults={"trainers": "Giảng viên", "start_date": dt.date(2026, 5, 4), "end_date": dt.date(2026, 5, 6),
                  "place": "Hội trường"},
    )[0].pk  # fmt: skip


def _material_in(unit: Unit | None) -> int:
    course = Course.objects.get(pk=_course_in(unit))
    material = course.materials.first()
    if material is None:
        material = Material(course=course, name="tai-lieu.pdf", content_type="application/pdf")
        material.file.save("tai-lieu.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return material.pk


def _attendance_in(unit: Unit | None) -> int:
    return Attendance.objects.get_or_create(course_id=_course_in(unit), person_id=_person_in(unit))[0].pk


def _training(name: str, record: Callable[[Unit | None], int]) -> Case:
    """A write of the training pages on a record of the unit: its organiser's officers only."""
    return Case(lambda u: reverse(f"training:{name}", args=[record(u)]), Perm.EDIT_PROGRAM, True, method="post")


def _token_in(unit: Unit | None) -> int:
    assert unit is not None
    found = ApiToken.objects.filter(unit=unit).first()
    return (found or tokens.issue(None, unit, name=f"Tích hợp {unit.pk}", access="read")[0]).pk


# --- congresses ----------------------------------------------------------------------------------


def _congress_in(unit: Unit | None) -> int:
    assert unit is not None
    term = Term.objects.get_or_create(unit=unit, name="2026–2031", defaults={"start_date": dt.date(2026, 10, 1)})[0]
    congress, created = Congress.objects.get_or_create(
        unit=unit, term=term, defaults={"name": f"Đại hội thử {unit.pk}", "planned_on": dt.date(2026, 10, 1)}
    )
    if created:
        Step.objects.create(congress=congress, kind="documents")
    return congress.pk


def _congress_step_in(unit: Unit | None) -> int:
    return Step.objects.filter(congress_id=_congress_in(unit)).values_list("pk", flat=True)[0]


def _congress_target_in(unit: Unit | None) -> int:
    return Target.objects.create(congress_id=_congress_in(unit), text="Chỉ tiêu thử", value=10).pk


def _congressing(name: str, record: Callable[[Unit | None], int], perm: Perm, post: bool = False) -> Case:
    return Case(
        (lambda u: reverse(f"congresses:{name}", args=[record(u)])), perm, True, method="post" if post else "get"
    )


def _supervising(name: str, record: Callable[[Unit | None], int], perm: Perm, post: bool = False) -> Case:
    return Case(
        (lambda u: reverse(f"supervision:{name}", args=[record(u)])), perm, True, method="post" if post else "get"
    )


def _fund(name: str, record: Callable[[Unit | None], int], perm: Perm, post: bool = False) -> Case:
    return Case(lambda u: reverse(f"funds:{name}", args=[record(u)]), perm, True, method="post" if post else "get")


def _on(name: str, record: Callable[[Unit | None], int], perm: Perm = Perm.HANDLE_PETITION, post: bool = False) -> Case:
    """A petitions URL naming the record ``record`` makes in the target unit."""
    return Case(lambda u: reverse(f"petitions:{name}", args=[record(u)]), perm, True, method="post" if post else "get")


def _petition_action(name: str, perm: Perm = Perm.HANDLE_PETITION, ok: int | None = None) -> Case:
    return Case(lambda u: reverse(f"petitions:{name}", args=[_petition_in(u)]), perm, True, method="post", ok=ok)


CASES: dict[str, Case] = {
    # assistant: answers only from what the asker sees (scope tested in assistant/tests/test_assistant.py)
    "assistant:ask": Case(lambda u: reverse("assistant:ask") + "?q=nghi+dinh+93+cong+khai", Perm.VIEW_UNIT, False),
    "api:unit_list": Case(lambda u: reverse("api:unit_list"), Perm.VIEW_UNIT, False, api=True),
    "api:unit_detail": Case(
        lambda u: reverse("api:unit_detail", args=[u.pk if u else 0]), Perm.VIEW_UNIT, True, api=True
    ),
    "api:resource_list": Case(
        lambda u: reverse("api:resource_list", args=["programs"]), Perm.VIEW_PROGRAM, False, api=True
    ),
    "api:resource_detail": Case(
        lambda u: reverse("api:resource_detail", args=["programs", _program_in(u)]), Perm.VIEW_PROGRAM, True, api=True
    ),
    "api:schema": Case(lambda u: reverse("api:schema"), None, False, api=True),
    "api:rollup": Case(
        lambda u: reverse("api:rollup", args=[_schedule_in(u)]) + f"?unit={u.pk if u else 0}&period=2026-Q1",
        Perm.VIEW_REPORT,
        True,
        api=True,
    ),
    # Its POST (a petition registered at a committee named in the body): api/tests/test_writes.py
    # walks every role inside and outside, as the committee a role handles depends on its unit.
    "api:petitions": Case(lambda u: reverse("api:petitions"), Perm.VIEW_PETITION, False, api=True),
    "api:assignment_update": Case(
        lambda u: reverse("api:assignment_update", args=[_assignment_in(u)]),
        Perm.EDIT_PROGRAM,
        True,
        method="post",
        api=True,
        ok=201,
        json={"text": "Đã làm", "progress": 10},
    ),
    "api:report_figures": Case(
        lambda u: reverse("api:report_figures", args=[_report_in(u)]),
        Perm.EDIT_REPORT,
        True,
        method="post",
        api=True,
        ok=200,
        json={"values": {"so_ho": 3}},
    ),
    "api:donation_create": Case(
        lambda u: reverse("api:donation_create", args=[_campaign_in(u)]),
        Perm.HANDLE_FUND,
        True,
        method="post",
        api=True,
        ok=201,
        json={
            "kind": "cash",
            "received_on": "2026-09-02",
            "amount": 100_000,
            "donor_kind": "anonymous",
            "receipt_number": "PT-API",
        },
    ),
    "api:docs": Case(lambda u: reverse("api:docs"), None, False),
    "home": Case(lambda u: reverse("home"), None, False),
    "organizations:unit_list": Case(lambda u: reverse("organizations:unit_list"), Perm.VIEW_UNIT, False),
    "organizations:unit_create": Case(
        lambda u: reverse("organizations:unit_create") + (f"?parent={u.pk}" if u else ""), Perm.EDIT_UNIT, True
    ),
    "organizations:unit_detail": Case(
        lambda u: reverse("organizations:unit_detail", args=[u.pk if u else 0]), Perm.VIEW_UNIT, True
    ),
    "organizations:unit_edit": Case(
        lambda u: reverse("organizations:unit_edit", args=[u.pk if u else 0]), Perm.EDIT_UNIT, True
    ),
    "organizations:person_list": Case(lambda u: reverse("organizations:person_list"), Perm.VIEW_PEOPLE, False),
    "organizations:person_create": Case(lambda u: reverse("organizations:person_create"), Perm.EDIT_PEOPLE, False),
    "organizations:person_detail": Case(
        lambda u: reverse("organizations:person_detail", args=[_person_in(u)]), Perm.VIEW_PEOPLE, True
    ),
    "organizations:person_export": Case(
        lambda u: reverse("organizations:person_export", args=[_person_in(u)]), Perm.VIEW_PERSONAL_DATA, True
    ),
    "organizations:person_edit": Case(
        lambda u: reverse("organizations:person_edit", args=[_person_in(u)]), Perm.EDIT_PEOPLE, True
    ),
    "accounts:audit_log": Case(lambda u: reverse("accounts:audit_log"), Perm.VIEW_AUDIT, False),
    "accounts:user_list": Case(lambda u: reverse("accounts:user_list"), Perm.MANAGE_ACCOUNTS, False),
    "accounts:user_create": Case(lambda u: reverse("accounts:user_create"), Perm.MANAGE_ACCOUNTS, False),
    "accounts:user_detail": Case(
        lambda u: reverse("accounts:user_detail", args=[_account_in(u)]), Perm.MANAGE_ACCOUNTS, True
    ),
    "accounts:grant_revoke": Case(
        lambda u: reverse("accounts:grant_revoke", args=[_grant_in(u)]), Perm.MANAGE_ACCOUNTS, True, method="post"
    ),
    "programs:list": Case(lambda u: reverse("programs:list"), Perm.VIEW_PROGRAM, False),
    "programs:my_tasks": Case(lambda u: reverse("programs:my_tasks"), Perm.VIEW_PROGRAM, False),
    "programs:import": Case(lambda u: reverse("programs:import"), Perm.EDIT_PROGRAM, False),
    # Deriving reads the programme of the unit above (upward) and writes into the user's own units.
    "programs:derive": Case(lambda u: reverse("programs:derive", args=[_program_above(u)]), Perm.EDIT_PROGRAM, False),
    **{
        f"programs:{name}": Case(
            (lambda n: lambda u: reverse(f"programs:{n}", args=[_program_in(u)]))(name), Perm.VIEW_PROGRAM, True
        )
        for name in ("detail", "board", "uptake", "export", "revisions", "source")
    },
    "programs:revise": Case(lambda u: reverse("programs:revise", args=[_program_in(u)]), Perm.EDIT_PROGRAM, True),
    "programs:item_add": Case(lambda u: reverse("programs:item_add", args=[_program_in(u)]), Perm.EDIT_PROGRAM, True),
    "programs:update_attachment": Case(
        lambda u: reverse("programs:update_attachment", args=[_update_in(u)]), Perm.VIEW_PROGRAM, True
    ),
    "programs:item": Case(lambda u: reverse("programs:item", args=[_item_in(u)]), Perm.VIEW_PROGRAM, True),
    "programs:item_edit": Case(lambda u: reverse("programs:item_edit", args=[_item_in(u)]), Perm.EDIT_PROGRAM, True),
    "programs:item_assign": Case(
        lambda u: reverse("programs:item_assign", args=[_item_in(u)]), Perm.EDIT_PROGRAM, True, method="post"
    ),
    "programs:assignment_update": Case(
        lambda u: reverse("programs:assignment_update", args=[_assignment_in(u)]),
        Perm.EDIT_PROGRAM,
        True,
        method="post",
    ),
    "programs:assignment_remind": Case(
        lambda u: reverse("programs:assignment_remind", args=[_assignment_in(u)]), Perm.REMIND, True, method="post"
    ),
    "library:list": Case(lambda u: reverse("library:list"), Perm.VIEW_PROGRAM, False),
    "library:detail": Case(lambda u: reverse("library:detail", args=[_directive_in(u)]), Perm.VIEW_PROGRAM, True),
    "library:file": Case(lambda u: reverse("library:file", args=[_directive_in(u)]), Perm.VIEW_PROGRAM, True),
    "library:edit": Case(lambda u: reverse("library:edit", args=[_directive_in(u)]), Perm.EDIT_PROGRAM, True),
    "calendar:month": Case(
        lambda u: reverse("calendar:month") + (f"?unit={u.pk}" if u else ""), Perm.VIEW_PROGRAM, True
    ),
    "reporting:inbox": Case(lambda u: reverse("reporting:inbox"), Perm.VIEW_REPORT, False),
    "reporting:schedules": Case(lambda u: reverse("reporting:schedules"), Perm.VIEW_REPORT, False),
    "reporting:schedule_new": Case(lambda u: reverse("reporting:schedule_new"), Perm.MANAGE_REPORTING, False),
    "reporting:report": Case(lambda u: reverse("reporting:report", args=[_report_in(u)]), Perm.VIEW_REPORT, True),
    "reporting:xlsx": Case(lambda u: reverse("reporting:xlsx", args=[_report_in(u)]), Perm.VIEW_REPORT, True),
    "reporting:check": Case(
        lambda u: reverse("reporting:check", args=[_report_in(u)]), Perm.EDIT_REPORT, True, method="post", ok=200
    ),
    "reporting:narrative": Case(
        lambda u: reverse("reporting:narrative", args=[_report_in(u), "ket_qua"]), Perm.EDIT_REPORT, True
    ),
    "reporting:upload": Case(
        lambda u: reverse("reporting:upload", args=[_report_in(u)]), Perm.EDIT_REPORT, True, method="post"
    ),
    "reporting:correct": Case(
        lambda u: reverse("reporting:correct", args=[_report_in(u)]), Perm.EDIT_REPORT, True, method="post"
    ),
    # The unit above reviews and chases: the report is of a unit below the target.
    "reporting:review": Case(
        lambda u: reverse("reporting:review", args=[_report_below(u)]), Perm.REVIEW_REPORT, True, method="post"
    ),
    "reporting:remind": Case(
        lambda u: reverse("reporting:remind", args=[_report_below(u)]), Perm.REMIND, True, method="post"
    ),
    "reporting:schedule": Case(lambda u: reverse("reporting:schedule", args=[_schedule_in(u)]), Perm.VIEW_REPORT, True),
    "reporting:schedule_open": Case(
        lambda u: reverse("reporting:schedule_open", args=[_schedule_in(u)]),
        Perm.MANAGE_REPORTING,
        True,
        method="post",
    ),
    "reporting:remind_missing": Case((lambda u: _rollup_url("remind_missing")(u)), Perm.REMIND, True, method="post"),
    "reporting:form_new": Case(lambda u: reverse("reporting:form_new"), Perm.MANAGE_REPORTING, False),
    "reporting:form_definition": Case(
        lambda u: reverse("reporting:form_definition", args=[_form_in(u)]), Perm.VIEW_REPORT, True
    ),
    "reporting:form_version_new": Case(
        lambda u: reverse("reporting:form_version_new", args=[_form_in(u)]),
        Perm.MANAGE_REPORTING,
        True,
        method="post",
    ),
    "reporting:form": Case(lambda u: reverse("reporting:form", args=[_form_in(u)]), Perm.VIEW_REPORT, True),
    **{
        f"reporting:{name}": Case(_rollup_url(name), Perm.VIEW_REPORT, True)
        for name in ("rollup", "missing", "rollup_xlsx", "rollup_docx")
    },
    "reporting:dashboard": Case(
        lambda u: reverse("reporting:dashboard") + (f"?unit={u.pk}" if u else ""), Perm.VIEW_REPORT, True
    ),
    "petitions:inbox": Case(lambda u: reverse("petitions:inbox"), Perm.VIEW_PETITION, False),
    "petitions:new": Case(lambda u: reverse("petitions:new"), Perm.HANDLE_PETITION, False),
    "petitions:detail": Case(lambda u: reverse("petitions:detail", args=[_petition_in(u)]), Perm.VIEW_PETITION, True),
    "petitions:identity": _petition_action("identity", Perm.VIEW_PERSONAL_DATA, ok=200),
    **{
        f"petitions:{name}": _petition_action(name)
        for name in ("classify", "assign", "merge", "forward", "pass", "answer", "publish")
    },
    "petitions:attachment": Case(
        lambda u: reverse("petitions:attachment", args=[_attachment_in(u)]), Perm.VIEW_PETITION, True
    ),
    "petitions:agencies": Case(lambda u: reverse("petitions:agencies"), Perm.VIEW_PETITION, False),
    "petitions:agency_new": Case(lambda u: reverse("petitions:agency_new"), Perm.HANDLE_PETITION, False),
    "petitions:meetings": Case(lambda u: reverse("petitions:meetings"), Perm.VIEW_PETITION, False),
    "petitions:meeting_new": Case(lambda u: reverse("petitions:meeting_new"), Perm.HANDLE_PETITION, False),
    "petitions:meeting": Case(lambda u: reverse("petitions:meeting", args=[_meeting_in(u)]), Perm.VIEW_PETITION, True),
    "petitions:meeting_synthesise": Case(
        lambda u: reverse("petitions:meeting_synthesise", args=[_meeting_in(u)]),
        Perm.HANDLE_PETITION,
        True,
        method="post",
    ),
    "petitions:receptions": Case(lambda u: reverse("petitions:receptions"), Perm.VIEW_PETITION, False),
    "petitions:reception_new": Case(lambda u: reverse("petitions:reception_new"), Perm.HANDLE_PETITION, False),
    "petitions:reception": _on("reception", _reception_in, Perm.VIEW_PETITION),
    "petitions:syntheses": Case(lambda u: reverse("petitions:syntheses"), Perm.VIEW_PETITION, False),
    "petitions:synthesis_new": Case(lambda u: reverse("petitions:synthesis_new"), Perm.HANDLE_PETITION, False),
    **{
        f"petitions:{n}": _on(n, _synthesis_in, Perm.VIEW_PETITION)
        for n in ("synthesis", "synthesis_docx", "synthesis_xlsx")
    },
    **{f"petitions:{n}": _on(n, _synthesis_in, post=True) for n in ("synthesis_regroup", "synthesis_merge")},
    "petitions:theme": _on("theme", _theme_in, Perm.VIEW_PETITION),
    **{f"petitions:{n}": _on(n, _theme_in, post=True) for n in ("theme_rename", "theme_move", "theme_split")},
    "emulation:list": Case(lambda u: reverse("emulation:list"), Perm.VIEW_PROGRAM, False),
    "emulation:new": Case(lambda u: reverse("emulation:new"), Perm.EDIT_PROGRAM, False),
    "emulation:movement": Case(
        lambda u: reverse("emulation:movement", args=[_movement_in(u)]), Perm.VIEW_PROGRAM, True
    ),
    **{
        f"emulation:{name}": Case(
            (lambda n: lambda u: reverse(f"emulation:{n}", args=[_movement_in(u)]))(name),
            Perm.EDIT_PROGRAM,
            True,
            method="post",
        )
        for name in ("criterion_add", "register", "review_new")
    },
    "emulation:review": Case(lambda u: reverse("emulation:review", args=[_review_in(u)]), Perm.VIEW_PROGRAM, True),
    **{
        f"emulation:{name}": Case(
            (lambda n: lambda u: reverse(f"emulation:{n}", args=[_review_in(u)]))(name),
            Perm.EDIT_PROGRAM,
            True,
            method="post",
        )
        for name in ("review_compute", "review_score", "review_self")
    },
    "emulation:review_unit": Case(_review_of_unit_url, Perm.VIEW_PROGRAM, True),
    "emulation:awards": Case(lambda u: reverse("emulation:awards"), Perm.VIEW_PROGRAM, False),
    "emulation:award_new": Case(lambda u: reverse("emulation:award_new"), Perm.EDIT_PROGRAM, False),
    "supervision:list": Case(lambda u: reverse("supervision:list"), Perm.VIEW_PROGRAM, False),
    "supervision:plan_new": Case(lambda u: reverse("supervision:plan_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "supervision:plan": _supervising("plan", _supervision_plan_in, Perm.VIEW_PROGRAM),
    "supervision:plan_report": _supervising("plan_report", _supervision_plan_in, Perm.VIEW_PROGRAM),
    "supervision:supervision_add": _supervising("supervision_add", _supervision_plan_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:supervision": _supervising("supervision", _supervision_in, Perm.VIEW_PROGRAM),
    **{
        f"supervision:{name}": _supervising(name, _supervision_in, Perm.EDIT_PROGRAM, post=True)
        for name in ("supervision_update", "person_add", "opinion_add", "recommend")
    },
    "supervision:recommendations": Case(lambda u: reverse("supervision:recommendations"), Perm.VIEW_PROGRAM, False),
    "supervision:answer": _supervising("answer", _recommendation_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:chase": _supervising("chase", _recommendation_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:boards": Case(lambda u: reverse("supervision:boards"), Perm.VIEW_PROGRAM, False),
    "supervision:board": _supervising("board", _board_in, Perm.VIEW_PROGRAM),
    "supervision:inspection_add": _supervising("inspection_add", _board_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:project_add": _supervising("project_add", _board_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:project_update": _supervising("project_update", _project_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:drafts": Case(lambda u: reverse("supervision:drafts"), Perm.VIEW_PROGRAM, False),
    "supervision:draft_new": Case(lambda u: reverse("supervision:draft_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "supervision:draft": _supervising("draft", _draft_in, Perm.VIEW_PROGRAM),
    "supervision:draft_docx": _supervising("draft_docx", _draft_in, Perm.VIEW_PROGRAM),
    **{
        f"supervision:{name}": _supervising(name, _draft_in, Perm.EDIT_PROGRAM, post=True)
        for name in ("draft_opinion", "draft_compose", "draft_issue")
    },
    "supervision:point_edit": _supervising("point_edit", _point_in, Perm.EDIT_PROGRAM, post=True),
    "supervision:point_answer": _supervising("point_answer", _point_in, Perm.EDIT_PROGRAM, post=True),
    # congresses
    "congresses:overview": Case(
        lambda u: reverse("congresses:overview") + f"?unit={u.pk if u else ''}", Perm.VIEW_PROGRAM, True
    ),
    "congresses:new": Case(lambda u: reverse("congresses:new"), Perm.EDIT_PROGRAM, False),
    "congresses:detail": _congressing("detail", _congress_in, Perm.VIEW_PROGRAM),
    "congresses:edit": _congressing("edit", _congress_in, Perm.EDIT_PROGRAM),
    "congresses:people": _congressing("people", _congress_in, Perm.EDIT_PROGRAM),
    "congresses:review": _congressing("review", _congress_in, Perm.VIEW_PROGRAM),
    "congresses:review_docx": _congressing("review_docx", _congress_in, Perm.VIEW_PROGRAM),
    **{
        f"congresses:{name}": _congressing(name, _congress_in, Perm.EDIT_PROGRAM, post=True)
        for name in ("step_add", "elect", "resolution", "target_add")
    },
    "congresses:step": _congressing("step", _congress_step_in, Perm.EDIT_PROGRAM, post=True),
    "congresses:target_delete": _congressing("target_delete", _congress_target_in, Perm.EDIT_PROGRAM, post=True),
    "outreach:people": Case(lambda u: reverse("outreach:people"), Perm.VIEW_PERSONAL_DATA, False),
    "outreach:people_options": Case(
        lambda u: reverse("outreach:people_options") + "?person_q=nguoi", Perm.EDIT_PROGRAM, False
    ),
    "outreach:visits": Case(lambda u: reverse("outreach:visits"), Perm.VIEW_PROGRAM, False),
    "outreach:visit_new": Case(lambda u: reverse("outreach:visit_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "outreach:hot_spots": Case(lambda u: reverse("outreach:hot_spots"), Perm.VIEW_PROGRAM, False),
    "outreach:hot_spot_new": Case(lambda u: reverse("outreach:hot_spot_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "outreach:hot_spot": Case(lambda u: reverse("outreach:hot_spot", args=[_hot_spot_in(u)]), Perm.VIEW_PROGRAM, True),
    "outreach:hot_spot_act": Case(
        lambda u: reverse("outreach:hot_spot_act", args=[_hot_spot_in(u)]), Perm.EDIT_PROGRAM, True, method="post"
    ),
    # news: the officers' side (the public pages are under portal:news*, in EXEMPT)
    "news:list": Case(lambda u: reverse("news:list"), Perm.VIEW_PROGRAM, False),
    "news:new": Case(lambda u: reverse("news:new"), Perm.EDIT_PROGRAM, False),
    "news:item": Case(lambda u: reverse("news:item", args=[_news_in(u)]), Perm.VIEW_PROGRAM, True),
    "news:photo": Case(lambda u: reverse("news:photo", args=[_news_in(u)]), Perm.VIEW_PROGRAM, True),
    "news:publish": Case(lambda u: reverse("news:publish", args=[_news_in(u)]), Perm.EDIT_PROGRAM, True, method="post"),
    "news:withdraw": Case(
        lambda u: reverse("news:withdraw", args=[_news_in(u)]), Perm.EDIT_PROGRAM, True, method="post"
    ),
    "news:activities": Case(lambda u: reverse("news:activities"), Perm.VIEW_PROGRAM, False),
    "news:activity_new": Case(lambda u: reverse("news:activity_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "news:activity_draft": Case(
        lambda u: reverse("news:activity_draft", args=[_activity_in(u)]), Perm.EDIT_PROGRAM, True, method="post"
    ),
    # training
    "training:courses": Case(lambda u: reverse("training:courses"), Perm.VIEW_PROGRAM, False),
    "training:course_new": Case(lambda u: reverse("training:course_new"), Perm.EDIT_PROGRAM, False, method="post"),
    "training:course": Case(lambda u: reverse("training:course", args=[_course_in(u)]), Perm.VIEW_PROGRAM, True),
    "training:course_edit": Case(
        lambda u: reverse("training:course_edit", args=[_course_in(u)]), Perm.EDIT_PROGRAM, True
    ),
    **{
        f"training:{name}": _training(name, _course_in)
        for name in ("attendees_add", "attendees_import", "material_add")
    },
    "training:material": Case(lambda u: reverse("training:material", args=[_material_in(u)]), Perm.VIEW_PROGRAM, True),
    **{f"training:{name}": _training(name, _attendance_in) for name in ("attendance_result", "attendance_remove")},
    "training:person": Case(lambda u: reverse("training:person", args=[_person_in(u)]), Perm.VIEW_PEOPLE, True),
    "training:untrained": Case(lambda u: reverse("training:untrained"), Perm.VIEW_PEOPLE, False),
    "training:untrained_commune": Case(
        lambda u: reverse("training:untrained_commune", args=[u.pk if u else 0]), Perm.VIEW_PEOPLE, True
    ),
    "accounts:tokens": Case(lambda u: reverse("accounts:tokens"), Perm.MANAGE_ACCOUNTS, False),
    "accounts:token_new": Case(lambda u: reverse("accounts:token_new"), Perm.MANAGE_ACCOUNTS, False, method="post"),
    "accounts:token": Case(lambda u: reverse("accounts:token", args=[_token_in(u)]), Perm.MANAGE_ACCOUNTS, True),
    "accounts:token_revoke": Case(
        lambda u: reverse("accounts:token_revoke", args=[_token_in(u)]), Perm.MANAGE_ACCOUNTS, True, method="post"
    ),
    "emulation:award_people": Case(
        lambda u: reverse("emulation:award_people") + "?recipient_person_q=nguoi", Perm.EDIT_PROGRAM, False
    ),
    "emulation:award_decide": Case(
        lambda u: reverse("emulation:award_decide"), Perm.EDIT_PROGRAM, False, method="post"
    ),
    "emulation:award": Case(lambda u: reverse("emulation:award", args=[_nomination_in(u)]), Perm.VIEW_PROGRAM, True),
    "emulation:award_review": Case(
        lambda u: reverse("emulation:award_review", args=[_nomination_in(u)]), Perm.EDIT_PROGRAM, True, method="post"
    ),
    **{
        f"emulation:{name}": Case(
            (lambda n: lambda u: reverse(f"emulation:{n}", args=[_decision_in(u)]))(name), Perm.VIEW_PROGRAM, True
        )
        for name in ("decision", "decision_docx")
    },
    "emulation:exemplars": Case(lambda u: reverse("emulation:exemplars"), Perm.VIEW_PROGRAM, False),
    "emulation:exemplar_new": Case(lambda u: reverse("emulation:exemplar_new"), Perm.EDIT_PROGRAM, False),
    **{
        f"emulation:{name}": Case(
            (lambda n: lambda u: reverse(f"emulation:{n}", args=[_exemplar_in(u)]))(name), Perm.VIEW_PROGRAM, True
        )
        for name in ("exemplar", "exemplar_evidence")
    },
    **{
        f"emulation:{name}": Case(
            (lambda n: lambda u: reverse(f"emulation:{n}", args=[_exemplar_in(u)]))(name),
            Perm.EDIT_PROGRAM,
            True,
            method="post",
        )
        for name in ("exemplar_adopt", "exemplar_nominate")
    },
    "funds:campaigns": Case(lambda u: reverse("funds:campaigns"), Perm.VIEW_FUND, False),
    "funds:campaign_new": Case(lambda u: reverse("funds:campaign_new"), Perm.HANDLE_FUND, False),
    "funds:campaign": _fund("campaign", _campaign_in, Perm.VIEW_FUND),
    "funds:account_new": _fund("account_new", _campaign_in, Perm.HANDLE_FUND, post=True),
    "funds:statement_import": _fund("statement_import", _campaign_in, Perm.HANDLE_FUND),
    "funds:statement": _fund("statement", _statement_in, Perm.VIEW_FUND),
    "funds:receipts": _fund("receipts", _campaign_in, Perm.VIEW_FUND),
    "funds:receive_transfers": _fund("receive_transfers", _statement_in, Perm.HANDLE_FUND, post=True),
    "funds:statement_import_job": _fund("statement_import_job", _import_in, Perm.VIEW_FUND),
    "funds:statement_import_retry": _fund("statement_import_retry", _import_in, Perm.HANDLE_FUND, post=True),
    "funds:publish": _fund("publish", _campaign_in, Perm.HANDLE_FUND, post=True),
    "funds:receipt_correct": _fund("receipt_correct", _receipt_in, Perm.HANDLE_FUND),
    "funds:allocations": _fund("allocations", _campaign_in, Perm.VIEW_FUND),
    "funds:recipients": Case(
        lambda u: reverse("funds:recipients", args=[_campaign_in(u)]) + "?kind=household&household_q=nguyen",
        Perm.HANDLE_FUND,
        True,
    ),
    "funds:allocation": _fund("allocation", _allocation_in, Perm.VIEW_FUND),
    "funds:disburse": _fund("disburse", _allocation_in, Perm.HANDLE_FUND, post=True),
    "funds:allocation_evidence": _fund("allocation_evidence", _allocation_in, Perm.HANDLE_FUND, post=True),
    "funds:evidence": _fund("evidence", _evidence_in, Perm.VIEW_FUND),
    "funds:households": Case(lambda u: reverse("funds:households"), Perm.VIEW_PERSONAL_DATA, False),
    "funds:household": _fund("household", _household_in, Perm.VIEW_PERSONAL_DATA),
    "funds:houses": Case(lambda u: reverse("funds:houses"), Perm.VIEW_FUND, False),
    "funds:house": _fund("house", _house_in, Perm.VIEW_PERSONAL_DATA),
    "funds:house_advance": _fund("house_advance", _house_in, Perm.HANDLE_FUND, post=True),
    "funds:house_evidence": _fund("house_evidence", _house_in, Perm.HANDLE_FUND, post=True),
}

# URLs outside the unit scope, each with the test that covers it.
EXEMPT = {
    "accounts:login": "test_accounts.py: public login page",
    "accounts:sso_start": "test_oidc.py: single sign-on, for visitors not logged in",
    "accounts:sso_callback": "test_oidc.py: single sign-on, for visitors not logged in",
    "accounts:logout": "test_accounts.py: logging out",
    "accounts:two_factor_setup": "test_accounts.py: enrolment, the user's own device",
    "accounts:two_factor_verify": "test_accounts.py: second factor, the user's own device",
    # The user's own password and sessions (ASVS V6.2.2, V6.4.3, V7.5.2): no unit, only oneself.
    "accounts:password_change": "test_password_and_sessions.py: the signed-in user's own password (login and 2FA)",
    "accounts:sessions": "test_password_and_sessions.py: the user's own sessions only; another's row is not ended",
    **{
        f"accounts:{name}": "test_password_and_sessions.py: password reset for visitors, same answer for any address"
        for name in ("password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete")
    },
    "set_language": "browser test and test_shell.py: language switch",
    "healthz": "core/tests/test_healthz.py: public monitoring endpoint",
    "admin": "test_admin_is_for_system_administrators_only below",
    "calendar:subscribe": "programs/tests/test_calendar.py: the user's own feed address, nothing of a unit",
    "calendar:feed": "programs/tests/test_calendar.py: public by secret token (phones cannot log in); bad token → 404",
    "programs:import_preview": "programs/tests/test_views.py: needs a signed upload token (forged or foreign → 404)",
    "programs:import_save": "programs/tests/test_views.py: needs a signed upload token (forged or foreign → 404)",
    **{
        f"portal:{name}": "portal/tests/test_portal.py: the public portal, no login and nothing personal"
        for name in (
            *("home", "new", "sent", "forget_code", "track", "places", "answers", "answer", "meetings"),
            "recognition",
        )
    },
    **{
        f"portal:{name}": "portal/tests/test_funds.py: published entries and the public log, for everyone"
        for name in (
            *("funds", "fund", "fund_csv", "fund_json"),
            *("ledger_checkpoint", "ledger_keys", "ledger_tile", "ledger_proof", "ledger_consistency"),
        )
    },
    **{
        f"portal:{name}": "portal/tests/test_news.py: published news and its feeds, for everyone; drafts 404"
        for name in ("news", "news_unit", "news_item", "news_photo", "news_rss", "news_atom", "news_unit_rss")
    },
    "portal:news_unit_atom": "portal/tests/test_news.py: published news and its feeds, for everyone; drafts 404",
    **{
        f"api:{name}": "api/tests/test_reads.py: the public ledger through the API, what the portal shows anyone"
        for name in ("ledger", "ledger_campaign", "ledger_entries")
    },
}


def _names(patterns: list[Any], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                names.add("admin")
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_has_a_case() -> None:
    missing = _names(get_resolver().url_patterns) - CASES.keys() - EXEMPT.keys()
    assert not missing, f"URLs without an authorisation case: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_anonymous_visitors_are_sent_to_login(client: Client, world: World, name: str) -> None:
    case = CASES[name]
    response = case.send(client, case.url(world.bac_ha))
    if case.api:
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role_name", ROLES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_role_inside_and_outside_its_scope(
    client: Client, world: World, users: People, role_name: str, name: str
) -> None:
    user: User = getattr(users, role_name)
    case = CASES[name]
    inside, outside = scope_of(role_name, world)
    login(client, user)
    allowed = case.perm is None or holds(user, case.perm)

    def send(url: str) -> Any:
        response = case.send(client, url)
        # A file download is streamed: read it to the end, which closes the file through the
        # test client's wrapper. (Not response.close(): it fires request_finished, which would
        # close the test's database connection on PostgreSQL.)
        if response.streaming:
            b"".join(response.streaming_content)
        return response

    response = send(case.url(inside))
    if allowed:
        success = case.ok or (200 if case.method == "get" else 302)
        assert response.status_code == success, (role_name, name, "inside")
    else:
        assert response.status_code in (403, 404), (role_name, name, "inside")

    if outside is not None and case.targeted:
        response = send(case.url(outside))
        expected = (404,) if allowed else (403, 404)
        assert response.status_code in expected, (role_name, name, "outside")
        assert outside.name not in response.content.decode(), "a refused unit's name leaked"


@pytest.mark.parametrize("role_name", ROLES)
def test_lists_show_nothing_outside_the_scope(client: Client, world: World, users: People, role_name: str) -> None:
    inside, outside = scope_of(role_name, world)
    login(client, getattr(users, role_name))
    body = client.get(reverse("organizations:unit_list")).content.decode()
    assert inside.name in body
    if outside is not None:
        assert outside.name not in body


def test_admin_is_for_system_administrators_only(client: Client, users: People) -> None:
    login(client, users.unit_admin)
    assert client.get("/admin/").status_code == 302
    login(client, users.system_admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi"' in body
    assert "Quản trị Đoàn Kết" in body  # the Django admin speaks Vietnamese


def test_a_commune_officer_cannot_edit_another_commune_by_post(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    url = reverse("organizations:unit_edit", args=[world.sa_pa.pk])
    response = client.post(url, {"name": "Đã sửa", "level": "commune", "kind": "committee", "parent": world.lao_cai.pk})
    assert response.status_code == 404
    world.sa_pa.refresh_from_db()
    assert world.sa_pa.name == "Ủy ban MTTQ phường Sa Pa"


def test_a_form_field_cannot_place_a_unit_outside_the_scope(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    before = Unit.objects.count()
    response = client.post(
        reverse("organizations:unit_create"),
        {"name": "Thôn lạ", "level": "village", "kind": "village_board", "parent": world.sa_pa.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Unit.objects.count() == before
    assert world.sa_pa.name not in response.content.decode()


def test_a_person_cannot_be_moved_to_a_unit_outside_the_scope(client: Client, world: World, users: People) -> None:
    login(client, users.commune_officer)
    person = world.person_bac_ha
    response = client.post(
        reverse("organizations:person_edit", args=[person.pk]),
        {"full_name": person.full_name, "unit": world.lang_son.pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    person.refresh_from_db()
    assert person.unit_id == world.bac_ha.pk
