"""The reporting cycle on a real database: open a period, fill, submit, return, approve, correct,
roll up, chase, and keep the roll-up right when units move or merge."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from conftest import World, make_unit, make_user
from doanket.core.models import AuditEntry
from doanket.documents.parser import parse
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.organizations.services import merge_units
from doanket.programs import services as program_services
from doanket.programs.models import Assignment, ProgressUpdate
from doanket.reporting import aggregate, periods, services, sources
from doanket.reporting.models import (
    FormVersion,
    Indicator,
    ReminderKind,
    Report,
    ReportReminder,
    ReportVersion,
    RollupCell,
    Schedule,
    Status,
)
from doanket.reporting.periods import DueRule, Frequency

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = periods.parse("2026-Q1")  # due 20/03/2026
Q2 = periods.parse("2026-Q2")
Q3 = periods.parse("2026-Q3")

SECTIONS: list[dict[str, Any]] = [
    {
        "number": "I",
        "title": "Công tác vận động",
        "indicators": [
            {"code": "ho_ngheo", "label": "Số hộ nghèo được hỗ trợ", "type": "integer", "key": True},
            {"code": "quy", "label": "Quỹ Vì người nghèo", "type": "money", "measure": "đồng"},
            {"code": "ty_le", "label": "Tỷ lệ hộ tham gia", "type": "percent", "rollup": "avg", "required": False},
        ],
    },
    {
        "number": "II",
        "title": "Đánh giá",
        "indicators": [
            {
                "code": "xep_loai",
                "label": "Xếp loại",
                "type": "choice",
                "choices": ["Tốt", "Khá", "Trung bình"],
                "required": False,
            },
            {"code": "hop", "label": "Có họp định kỳ", "type": "boolean", "required": False},
            {"code": "so_to", "label": "Số tổ tự quản", "type": "integer", "rollup": "latest", "required": False},
            {"code": "nhan_xet", "label": "Nhận xét", "type": "long_text", "required": False},
        ],
    },
]


class Clock:
    """``timezone.now`` under the test's control: a second passes at every reading, so times
    are distinct and in order."""

    def __init__(self) -> None:
        self.at = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)

    def __call__(self) -> dt.datetime:
        self.at += dt.timedelta(seconds=1)
        return self.at

    def set(self, day: dt.date, hour: int = 9) -> None:
        self.at = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    return c


@dataclass
class Tree:
    world: World
    province: Unit
    bac_ha: Unit
    sa_pa: Unit
    v1: Unit  # Bắc Hà
    v2: Unit  # Bắc Hà
    v3: Unit  # Sa Pa
    v4: Unit  # Sa Pa
    gone: Unit  # Sa Pa, dissolved on 15/02/2026
    future: Unit  # Sa Pa, from 01/07/2026
    village_committee: Unit  # Sa Pa, a village of another kind
    ls_commune: Unit  # Lạng Sơn
    ls_village: Unit
    form_version: FormVersion
    schedule: Schedule

    @property
    def villages(self) -> list[Unit]:
        return [self.v1, self.v2, self.v3, self.v4]


def make_schedule(unit: Unit, version: FormVersion, **extra: Any) -> Schedule:
    fields: dict[str, Any] = {
        "name": "Báo cáo quý của các Ban công tác Mặt trận",
        "level": Level.VILLAGE,
        "kind": UnitKind.VILLAGE_BOARD,
        "frequency": Frequency.QUARTERLY,
        "due_rule": DueRule.DAY_OF_LAST_MONTH,
        "due_day": 20,
        "starts": dt.date(2026, 1, 1),
        # Made before its periods, as schedules are: reports due before a schedule existed are not chased.
        "created_at": dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC),
    }
    fields.update(extra)
    return services.create_schedule(None, Schedule(unit=unit, form=version.form, **fields))


@pytest.fixture
def tree(world: World) -> Tree:
    sa_pa = world.sa_pa
    ls_commune = make_unit(world.lang_son, "Ủy ban MTTQ xã Chi Lăng", Level.COMMUNE)
    version = services.create_form(None, world.lao_cai, "bao-cao-quy", "Báo cáo công tác quý", SECTIONS)
    return Tree(
        world=world,
        province=world.lao_cai,
        bac_ha=world.bac_ha,
        sa_pa=sa_pa,
        v1=world.bac_ha_village,
        v2=make_unit(world.bac_ha, "Ban công tác Mặt trận thôn Bản Phố", Level.VILLAGE, UnitKind.VILLAGE_BOARD),
        v3=world.sa_pa_village,
        v4=make_unit(sa_pa, "Ban công tác Mặt trận tổ dân phố 6", Level.VILLAGE, UnitKind.VILLAGE_BOARD),
        gone=make_unit(
            sa_pa,
            "Ban công tác Mặt trận tổ dân phố 9 (cũ)",
            Level.VILLAGE,
            UnitKind.VILLAGE_BOARD,
            valid_to=dt.date(2026, 2, 15),
        ),
        future=make_unit(
            sa_pa,
            "Ban công tác Mặt trận tổ dân phố 10",
            Level.VILLAGE,
            UnitKind.VILLAGE_BOARD,
            valid_from=dt.date(2026, 7, 1),
        ),
        village_committee=make_unit(sa_pa, "Chi hội thôn", Level.VILLAGE, UnitKind.MEMBER_ORGANIZATION),
        ls_commune=ls_commune,
        ls_village=make_unit(ls_commune, "Ban công tác Mặt trận thôn Đồng Mỏ", Level.VILLAGE, UnitKind.VILLAGE_BOARD),
        form_version=version,
        schedule=make_schedule(world.lao_cai, version),
    )


def report_of(tree: Tree, unit: Unit, period: periods.Period = Q1, schedule: Schedule | None = None) -> Report:
    return Report.objects.get(schedule=schedule or tree.schedule, unit=unit, period=period.key)


def cell(schedule: Schedule, unit: Unit, period: periods.Period = Q1) -> RollupCell:
    return RollupCell.objects.get(schedule=schedule, unit=unit, period=period.key)


def counts(schedule: Schedule, unit: Unit, period: periods.Period = Q1) -> tuple[int, int, int, int]:
    c = cell(schedule, unit, period)
    return c.expected, c.arrived, c.on_time, c.approved


def figure(schedule: Schedule, unit: Unit, code: str, rollup: str = "sum", period: periods.Period = Q1) -> Any:
    return aggregate.result(cell(schedule, unit, period).data.get(code), rollup)


def all_cells(schedule: Schedule) -> dict[tuple[int, str], tuple[int, int, int, int, dict[str, Any]]]:
    return {
        (c.unit_id, c.period): (c.expected, c.arrived, c.on_time, c.approved, c.data)
        for c in RollupCell.objects.filter(schedule=schedule)
    }


def assert_cells_match_rebuild(schedule: Schedule) -> None:
    """The incrementally kept cells are exactly those a rebuild from the reports makes."""
    before = all_cells(schedule)
    for period in set(Report.objects.filter(schedule=schedule).values_list("period", flat=True)):
        services.rebuild(schedule, period)
    assert all_cells(schedule) == before


FULL = {"ho_ngheo": "12", "quy": "1.500.000", "ty_le": "50", "xep_loai": "tốt", "hop": "có", "so_to": "3"}


def submit(report: Report, raw: dict[str, Any] | None = None, actor: Any = None) -> Report:
    fresh = Report.objects.get(pk=report.pk)
    return services.submit(actor, fresh, raw if raw is not None else FULL, fresh.revision)


def approve(report: Report, actor: Any = None) -> Report:
    fresh = Report.objects.get(pk=report.pk)
    return services.approve(actor, fresh, fresh.revision)


# --- Forms and periods ------------------------------------------------------------------------------


def test_create_form_keeps_sections_and_indicators_in_order(tree: Tree) -> None:
    version = tree.form_version
    form = version.form
    assert (form.code, form.title, form.unit) == ("bao-cao-quy", "Báo cáo công tác quý", tree.province)
    assert version.number == 1 and form.current_version() == version
    assert [(s.number, s.title) for s in version.sections.all()] == [("I", "Công tác vận động"), ("II", "Đánh giá")]
    indicators = services.indicators_of(version)
    assert [i.code for i in indicators] == ["ho_ngheo", "quy", "ty_le", "xep_loai", "hop", "so_to", "nhan_xet"]
    assert [i.position for i in indicators] == [1, 2, 3, 4, 5, 6, 7]
    assert indicators[3].section.number == "II" and indicators[3].choices == ["Tốt", "Khá", "Trung bình"]
    assert AuditEntry.objects.filter(model="reporting.reportform", object_id=str(form.pk), action="create").exists()
    assert AuditEntry.objects.filter(model="reporting.formversion", object_id=str(version.pk)).exists()


def test_a_new_version_is_used_by_periods_opened_after_it(tree: Tree) -> None:
    services.open_period(tree.schedule, Q1)
    described = services.describe(tree.form_version)
    assert described[0]["indicators"][0]["code"] == "ho_ngheo" and len(described) == 2
    described[1]["indicators"].append({"code": "moi", "label": "Chỉ tiêu mới", "type": "integer", "required": False})
    v2 = services.new_version(None, tree.form_version.form, described, "Thêm chỉ tiêu mới")
    assert v2.number == 2 and tree.form_version.form.current_version() == v2
    assert [i.code for i in services.indicators_of(v2)][-1] == "moi"
    services.open_period(tree.schedule, Q2)
    assert set(Report.objects.filter(period="2026-Q1").values_list("version", flat=True)) == {tree.form_version.pk}
    assert set(Report.objects.filter(period="2026-Q2").values_list("version", flat=True)) == {v2.pk}
    # The earlier version is untouched.
    assert len(services.indicators_of(tree.form_version)) == 7


def test_open_period_makes_the_expected_reports_of_active_units_only(tree: Tree) -> None:
    made = services.open_period(tree.schedule, Q1)
    assert made == 4
    reports = Report.objects.filter(schedule=tree.schedule, period="2026-Q1")
    assert {r.unit for r in reports} == set(tree.villages)
    for report in reports:
        assert report.status == Status.NOT_STARTED and report.revision == 0
        assert (report.period_start, report.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
        assert report.due_date == dt.date(2026, 3, 20)
        assert report.version == tree.form_version
    # A period's cells: the schedule's unit and every unit between it and the reporters.
    assert counts(tree.schedule, tree.province) == (4, 0, 0, 0)
    assert counts(tree.schedule, tree.bac_ha) == (2, 0, 0, 0)
    assert counts(tree.schedule, tree.sa_pa) == (2, 0, 0, 0)
    assert RollupCell.objects.filter(schedule=tree.schedule).count() == 3
    # Opening again makes nothing new.
    assert services.open_period(tree.schedule, Q1) == 0
    assert reports.count() == 4
    assert counts(tree.schedule, tree.province) == (4, 0, 0, 0)


def test_units_that_begin_or_end_are_expected_only_while_they_exist(tree: Tree) -> None:
    services.open_period(tree.schedule, Q3)
    units = set(Report.objects.filter(period="2026-Q3").values_list("unit", flat=True))
    assert units == {u.pk for u in [*tree.villages, tree.future]}
    assert tree.gone.pk not in units
    # A unit that ends on the last day of the period still reports for it.
    tree.v4.valid_to = dt.date(2026, 6, 30)
    tree.v4.save()
    tree.v3.valid_to = dt.date(2026, 6, 29)
    tree.v3.save()
    services.open_period(tree.schedule, Q2)
    units = set(Report.objects.filter(period="2026-Q2").values_list("unit", flat=True))
    assert units == {tree.v1.pk, tree.v2.pk, tree.v4.pk}


def test_a_schedule_with_include_self_makes_its_unit_report_too(tree: Tree, clock: Clock) -> None:
    schedule = make_schedule(tree.bac_ha, tree.form_version, include_self=True, name="Xã và thôn")
    services.open_period(schedule, Q1)
    units = set(Report.objects.filter(schedule=schedule).values_list("unit", flat=True))
    assert units == {tree.bac_ha.pk, tree.v1.pk, tree.v2.pk}  # the unit itself, whatever its kind
    assert counts(schedule, tree.bac_ha) == (3, 0, 0, 0)
    for unit, households in [(tree.v1, "2"), (tree.bac_ha, "40")]:
        report = Report.objects.get(schedule=schedule, unit=unit)
        submit(report, {**FULL, "ho_ngheo": households})
        approve(report)
        assert_cells_match_rebuild(schedule)
    # The unit's own report is in its cell the moment it is approved.
    assert counts(schedule, tree.bac_ha) == (3, 2, 2, 2)
    assert figure(schedule, tree.bac_ha, "ho_ngheo") == 42
    assert RollupCell.objects.filter(schedule=schedule).count() == 1
    assert_cells_match_rebuild(schedule)
    # Without include_self, only the units below report.
    other = make_schedule(tree.bac_ha, tree.form_version, name="Chỉ các thôn")
    services.open_period(other, Q1)
    assert set(Report.objects.filter(schedule=other).values_list("unit", flat=True)) == {tree.v1.pk, tree.v2.pk}


def test_a_reporting_unit_with_reporting_units_below_it_is_counted_once(tree: Tree, clock: Clock) -> None:
    """A unit can both report and have a cell (units of the same level and kind below it)."""
    union = tree.world.farmers_union
    branch = make_unit(union, "Chi hội Nông dân cơ quan tỉnh", Level.PROVINCE, UnitKind.MEMBER_ORGANIZATION)
    schedule = make_schedule(
        tree.province, tree.form_version, level=Level.PROVINCE, kind=UnitKind.MEMBER_ORGANIZATION, name="Các hội"
    )
    assert services.open_period(schedule, Q1) == 2
    assert counts(schedule, tree.province) == (2, 0, 0, 0)
    assert counts(schedule, union) == (2, 0, 0, 0)  # its own report and its branch's
    for unit, households in [(branch, "5"), (union, "70")]:
        report = Report.objects.get(schedule=schedule, unit=unit)
        submit(report, {**FULL, "ho_ngheo": households})
        assert_cells_match_rebuild(schedule)
        approve(report)
        assert_cells_match_rebuild(schedule)
    assert counts(schedule, union) == (2, 2, 2, 2)
    assert counts(schedule, tree.province) == (2, 2, 2, 2)
    assert figure(schedule, union, "ho_ngheo") == 75
    assert figure(schedule, tree.province, "ho_ngheo") == 75
    correction = services.start_correction(None, Report.objects.get(schedule=schedule, unit=union), None, "Sửa")
    submit(correction, {**FULL, "ho_ngheo": "60"})
    approve(correction)
    assert figure(schedule, tree.province, "ho_ngheo") == 65
    assert counts(schedule, tree.province) == (2, 2, 2, 2)
    assert_cells_match_rebuild(schedule)


def test_period_for_a_schedule(tree: Tree) -> None:
    assert services.period_for(tree.schedule, "2026-Q3") == Q3
    with pytest.raises(ValueError):
        services.period_for(tree.schedule, "2026-03")
    with pytest.raises(ValueError):
        services.period_for(tree.schedule, "quý 3")
    once = make_schedule(
        tree.province,
        tree.form_version,
        frequency=Frequency.ONCE,
        starts=dt.date(2026, 4, 1),
        ends=dt.date(2026, 5, 15),
    )
    assert services.period_for(once, "once") == periods.Period(
        "once", "once", dt.date(2026, 4, 1), dt.date(2026, 5, 15)
    )


def test_open_due_periods_opens_every_begun_period_once(tree: Tree) -> None:
    make_schedule(tree.province, tree.form_version, active=False, name="Đã ngừng")
    assert services.open_due_periods(dt.date(2026, 5, 10)) == 8  # Q1 and Q2, four villages each
    assert set(Report.objects.values_list("period", flat=True)) == {"2026-Q1", "2026-Q2"}
    assert services.open_due_periods(dt.date(2026, 5, 10)) == 0
    assert services.open_due_periods(dt.date(2026, 7, 1)) == 5  # Q3, with the new village
    assert services.due_periods(tree.schedule, dt.date(2025, 12, 31)) == []
    tree.schedule.ends = dt.date(2026, 3, 31)
    assert [p.key for p in services.due_periods(tree.schedule, dt.date(2026, 12, 31))] == ["2026-Q1"]


def test_a_one_off_schedule_opened_by_the_job_ends_when_the_schedule_ends(tree: Tree) -> None:
    """The job opens a one-off period as period_for does, not ending on the day the job ran."""
    once = make_schedule(
        tree.province,
        tree.form_version,
        frequency=Frequency.ONCE,
        starts=dt.date(2026, 4, 1),
        ends=dt.date(2026, 6, 30),
        due_rule=DueRule.DAYS_AFTER_END,
        due_day=10,
    )
    tree.schedule.active = False
    tree.schedule.save()
    services.open_due_periods(dt.date(2026, 4, 15))
    report = Report.objects.get(schedule=once, unit=tree.v1)
    assert report.period_end == services.period_for(once, "once").end == dt.date(2026, 6, 30)
    assert report.due_date == dt.date(2026, 7, 10)


def test_opening_needs_a_form_with_content(tree: Tree) -> None:
    tree.form_version.delete()
    with pytest.raises(services.ReportError):
        services.open_period(tree.schedule, Q1)
    assert not Report.objects.exists()


# --- The life of a report, and the cells after each step --------------------------------------------


def test_the_whole_cycle_moves_the_cells_step_by_step(tree: Tree, clock: Clock) -> None:
    s = tree.schedule
    officer = make_user("thon1", tree.v1)
    reviewer = make_user("xa", tree.bac_ha)
    services.open_period(s, Q1)
    r1 = report_of(tree, tree.v1)

    # A draft counts nowhere.
    draft = services.save_draft(officer, r1, {"ho_ngheo": "10"}, 0)
    assert (draft.status, draft.revision, draft.values) == (Status.DRAFT, 1, {"ho_ngheo": 10})
    assert counts(s, tree.province) == (4, 0, 0, 0)

    # Submitted before the deadline: arrived and on time, no figures yet.
    clock.set(dt.date(2026, 3, 15))
    submitted = services.submit(officer, r1, FULL, 1)
    assert submitted.status == Status.SUBMITTED and submitted.submitted_by == officer
    assert submitted.values == {
        "ho_ngheo": 12,
        "quy": 1_500_000,
        "ty_le": 50.0,
        "xep_loai": "Tốt",
        "hop": True,
        "so_to": 3,
    }
    first_submitted = submitted.first_submitted_at
    assert first_submitted is not None and timezone.localdate(first_submitted) == dt.date(2026, 3, 15)
    for unit in (tree.province, tree.bac_ha):
        assert counts(s, unit) == (4 if unit == tree.province else 2, 1, 1, 0)
        assert cell(s, unit).data == {}
    assert counts(s, tree.sa_pa) == (2, 0, 0, 0)

    # Returned: still arrived (it came in on time), still no figures.
    returned = services.return_report(reviewer, submitted, submitted.revision, "  Kiểm tra lại số hộ nghèo  ")
    assert returned.status == Status.RETURNED and returned.review_comment == "Kiểm tra lại số hộ nghèo"
    assert returned.reviewed_by == reviewer
    assert counts(s, tree.bac_ha) == (2, 1, 1, 0)

    # Submitted again after the deadline: the first submission still says it was on time.
    clock.set(dt.date(2026, 3, 25))
    resubmitted = services.submit(officer, returned, {**FULL, "ho_ngheo": "14"}, returned.revision)
    assert resubmitted.first_submitted_at == first_submitted
    assert resubmitted.submitted_at is not None and resubmitted.submitted_at > first_submitted
    assert resubmitted.on_time is True
    assert counts(s, tree.province) == (4, 1, 1, 0)

    # Approved: the figures are in the commune's and the province's cells.
    approved = services.approve(reviewer, resubmitted, resubmitted.revision, "Đạt")
    assert approved.status == Status.APPROVED and approved.approved_values == approved.values
    assert approved.approved_number == 1 and approved.review_comment == "Đạt"
    for unit in (tree.province, tree.bac_ha):
        assert counts(s, unit)[1:] == (1, 1, 1)
        assert figure(s, unit, "ho_ngheo") == 14
        assert figure(s, unit, "quy") == 1_500_000
        assert figure(s, unit, "ty_le", "avg") == 50.0
        assert figure(s, unit, "hop") == 1
        assert cell(s, unit).data["xep_loai"] == {"c": {"Tốt": 1}}
    assert cell(s, tree.sa_pa).data == {}

    # Another village, submitted late.
    r3 = report_of(tree, tree.v3)
    r3_answers = {"ho_ngheo": "1.000", "quy": "2.000.000 đ", "ty_le": "25", "xep_loai": "Khá", "hop": "không"}
    submit(r3, {**r3_answers, "so_to": "7"})
    assert counts(s, tree.sa_pa) == (2, 1, 0, 0)
    assert counts(s, tree.province) == (4, 2, 1, 1)
    approve(r3)
    assert counts(s, tree.province) == (4, 2, 1, 2)
    assert figure(s, tree.province, "ho_ngheo") == 1014
    assert figure(s, tree.province, "ho_ngheo", "min") == 14
    assert figure(s, tree.province, "ho_ngheo", "max") == 1000
    assert figure(s, tree.province, "quy") == 3_500_000
    assert figure(s, tree.province, "ty_le", "avg") == 37.5
    assert figure(s, tree.province, "hop") == 1  # one of two said yes
    assert figure(s, tree.province, "so_to", "latest") == 7  # the last approved
    assert figure(s, tree.bac_ha, "so_to", "latest") == 3
    assert cell(s, tree.province).data["xep_loai"] == {"c": {"Tốt": 1, "Khá": 1}}
    assert figure(s, tree.sa_pa, "ho_ngheo") == 1000
    assert_cells_match_rebuild(s)

    history = list(ReportVersion.objects.filter(report=r1).values_list("number", "reason"))
    assert history == [(1, "")]
    assert Report.objects.get(pk=r1.pk).is_late(dt.date(2026, 4, 1)) is False
    assert report_of(tree, tree.v2).is_late(dt.date(2026, 4, 1)) is True
    assert report_of(tree, tree.v2).is_late(dt.date(2026, 3, 20)) is False
    assert Report.objects.get(pk=r3.pk).on_time is False
    assert report_of(tree, tree.v2).on_time is None


def test_a_correction_keeps_the_approved_figures_until_it_is_approved(tree: Tree, clock: Clock) -> None:
    s = tree.schedule
    services.open_period(s, Q1)
    r1 = report_of(tree, tree.v1)
    submit(r1)
    approve(r1)
    assert figure(s, tree.province, "ho_ngheo") == 12

    with pytest.raises(services.ReportError):
        services.start_correction(None, Report.objects.get(pk=r1.pk), None, "   ")
    corrected = services.start_correction(None, Report.objects.get(pk=r1.pk), None, "Nhầm số hộ nghèo")
    assert corrected.status == Status.DRAFT and corrected.correction_reason == "Nhầm số hộ nghèo"
    assert figure(s, tree.province, "ho_ngheo") == 12
    assert counts(s, tree.province) == (4, 1, 1, 1)

    services.save_draft(None, corrected, {**FULL, "ho_ngheo": "20"}, corrected.revision)
    assert figure(s, tree.province, "ho_ngheo") == 12
    resubmitted = submit(r1, {**FULL, "ho_ngheo": "21"})
    assert resubmitted.values["ho_ngheo"] == 21
    assert resubmitted.approved_values is not None and resubmitted.approved_values["ho_ngheo"] == 12
    assert figure(s, tree.province, "ho_ngheo") == 12
    assert figure(s, tree.bac_ha, "ho_ngheo") == 12
    assert counts(s, tree.province) == (4, 1, 1, 1)  # the same report, not counted twice
    assert_cells_match_rebuild(s)

    # Returned during the correction: the approved figures still stand.
    back = services.return_report(None, resubmitted, resubmitted.revision, "Ghi rõ lý do")
    assert figure(s, tree.province, "ho_ngheo") == 12
    again = services.submit(None, back, {**FULL, "ho_ngheo": "22"}, back.revision)

    final = approve(again)
    assert final.approved_number == 2 and final.correction_reason == ""
    assert final.approved_values is not None and final.approved_values["ho_ngheo"] == 22
    assert figure(s, tree.province, "ho_ngheo") == 22
    assert figure(s, tree.bac_ha, "ho_ngheo") == 22
    assert counts(s, tree.province) == (4, 1, 1, 1)
    history = list(ReportVersion.objects.filter(report=r1).order_by("number").values_list("number", "reason"))
    assert history == [(1, ""), (2, "Nhầm số hộ nghèo")]
    assert ReportVersion.objects.get(report=r1, number=1).values["ho_ngheo"] == 12
    assert_cells_match_rebuild(s)


def test_a_stale_revision_is_refused_and_nothing_is_saved(tree: Tree) -> None:
    services.open_period(tree.schedule, Q1)
    r1 = report_of(tree, tree.v1)
    seen = r1.revision
    services.save_draft(None, r1, {"ho_ngheo": "5"}, seen)  # someone else saved first
    audits = AuditEntry.objects.count()
    cells = all_cells(tree.schedule)

    with pytest.raises(services.ReportError) as caught:
        services.save_draft(None, r1, {"ho_ngheo": "6"}, seen)
    assert not isinstance(caught.value, services.Invalid)
    with pytest.raises(services.ReportError):
        services.submit(None, r1, FULL, seen)
    fresh = Report.objects.get(pk=r1.pk)
    assert (fresh.status, fresh.values, fresh.revision) == (Status.DRAFT, {"ho_ngheo": 5}, seen + 1)
    assert fresh.first_submitted_at is None

    submitted = services.submit(None, fresh, FULL, fresh.revision)
    with pytest.raises(services.ReportError):
        services.approve(None, submitted, submitted.revision - 1)
    with pytest.raises(services.ReportError):
        services.return_report(None, submitted, submitted.revision - 1, "Sai")
    fresh = Report.objects.get(pk=r1.pk)
    assert fresh.status == Status.SUBMITTED and fresh.approved_values is None
    assert not ReportVersion.objects.exists()

    approved = services.approve(None, fresh, fresh.revision)
    with pytest.raises(services.ReportError):
        services.start_correction(None, approved, approved.revision - 1, "Sửa")
    assert Report.objects.get(pk=r1.pk).status == Status.APPROVED
    # Only the successful writes are in the log: the submit and the approval (report + its version).
    assert AuditEntry.objects.count() == audits + 3
    assert all_cells(tree.schedule) != cells  # (the approval counted)


def test_invalid_figures_are_refused_with_every_error_and_nothing_saved(tree: Tree) -> None:
    services.open_period(tree.schedule, Q1)
    r1 = report_of(tree, tree.v1)
    with pytest.raises(services.Invalid) as caught:
        services.submit(None, r1, {"ho_ngheo": "-3", "ty_le": "120"}, 0)
    assert set(caught.value.checked.errors) == {"ho_ngheo", "quy", "ty_le"}
    with pytest.raises(services.Invalid):
        services.save_draft(None, r1, {"ho_ngheo": "mười"}, 0)
    fresh = Report.objects.get(pk=r1.pk)
    assert (fresh.status, fresh.revision, fresh.values) == (Status.NOT_STARTED, 0, {})
    # A draft may be incomplete.
    assert services.save_draft(None, fresh, {"quy": "1.000"}, 0).values == {"quy": 1000}


def test_steps_the_state_does_not_allow(tree: Tree) -> None:
    services.open_period(tree.schedule, Q1)
    r1 = report_of(tree, tree.v1)
    with pytest.raises(services.ReportError):
        services.approve(None, r1, None)  # not submitted
    with pytest.raises(services.ReportError):
        services.return_report(None, r1, None, "Sai")
    with pytest.raises(services.ReportError):
        services.start_correction(None, r1, None, "Sửa")
    submitted = submit(r1)
    with pytest.raises(services.ReportError):
        services.submit(None, submitted, FULL, None)  # already submitted
    with pytest.raises(services.ReportError):
        services.save_draft(None, submitted, FULL, None)  # no longer edited
    with pytest.raises(services.ReportError):
        services.return_report(None, submitted, None, "   ")  # a return says why
    approved = approve(submitted)
    assert not approved.editable
    with pytest.raises(services.ReportError):
        services.submit(None, approved, FULL, None)
    with pytest.raises(services.ReportError):
        services.save_draft(None, approved, FULL, None)


def test_approving_twice_fails(tree: Tree, clock: Clock) -> None:
    services.open_period(tree.schedule, Q1)
    r1 = report_of(tree, tree.v1)
    submit(r1)
    approve(r1)
    cells = all_cells(tree.schedule)
    with pytest.raises(services.ReportError):
        services.approve(None, Report.objects.get(pk=r1.pk), None)
    with pytest.raises(services.ReportError):
        approve(r1)
    fresh = Report.objects.get(pk=r1.pk)
    assert fresh.approved_number == 1
    assert ReportVersion.objects.filter(report=r1).count() == 1
    assert all_cells(tree.schedule) == cells
    assert counts(tree.schedule, tree.province) == (4, 1, 1, 1)


# --- Incremental cells and a full rebuild agree ------------------------------------------------------


CHOICES = ["Tốt", "Khá", "Trung bình"]


def _random_answers(rnd: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "ho_ngheo": str(rnd.randint(0, 5000)),
        "quy": f"{rnd.randint(0, 50_000_000):,}".replace(",", "."),
    }
    if rnd.random() < 0.7:
        answers["ty_le"] = rnd.choice(["0", "12,5", "25", "50", "87,5", "100"])  # exact in binary
    if rnd.random() < 0.7:
        answers["xep_loai"] = rnd.choice(CHOICES).lower()
    if rnd.random() < 0.7:
        answers["hop"] = rnd.choice(["có", "không", "x"])
    if rnd.random() < 0.7:
        answers["so_to"] = str(rnd.randint(1, 30))
    if rnd.random() < 0.3:
        answers["nhan_xet"] = "Hoàn thành tốt nhiệm vụ"
    return answers


def _random_step(rnd: random.Random, report: Report) -> str:
    """One step the report's state allows (or, sometimes, one it does not)."""
    fresh = Report.objects.get(pk=report.pk)
    status = fresh.status
    options: list[str] = []
    if fresh.editable:
        options += ["draft", "submit", "submit"]
    if status == Status.SUBMITTED:
        options += ["approve", "approve", "return"]
    if status == Status.APPROVED:
        options += ["correct"]
    options.append(rnd.choice(["approve", "return", "correct", "submit"]))  # maybe not allowed
    step = rnd.choice(options)
    try:
        if step == "draft":
            services.save_draft(None, fresh, _random_answers(rnd), fresh.revision)
        elif step == "submit":
            services.submit(None, fresh, _random_answers(rnd), fresh.revision)
        elif step == "approve":
            services.approve(None, fresh, fresh.revision)
        elif step == "return":
            services.return_report(None, fresh, fresh.revision, "Xem lại")
        else:
            services.start_correction(None, fresh, fresh.revision, "Điều chỉnh số liệu")
    except services.ReportError:
        return f"{step} refused"
    return step


@pytest.mark.parametrize("seed", range(4))
def test_incremental_cells_equal_a_rebuild_after_random_steps(tree: Tree, clock: Clock, seed: int) -> None:
    rnd = random.Random(seed)
    s = tree.schedule
    services.open_period(s, Q1)
    services.open_period(s, Q2)
    reports = list(Report.objects.filter(schedule=s))
    assert len(reports) == 8
    done: list[str] = []
    for _ in range(40):
        if rnd.random() < 0.2:
            clock.set(dt.date(2026, rnd.choice([3, 4, 6, 7]), rnd.choice([1, 15, 20, 21, 28])), rnd.randint(0, 23))
        done.append(_random_step(rnd, rnd.choice(reports)))
        assert_cells_match_rebuild(s)
    assert "approve" in done  # the walk did reach the roll-up
    # The province's cell is what the approved reports say.
    for period in (Q1, Q2):
        rows = list(Report.objects.filter(schedule=s, period=period.key))
        approved = [r.approved_values for r in rows if r.approved_values is not None]
        assert counts(s, tree.province, period) == (
            4,
            sum(r.first_submitted_at is not None for r in rows),
            sum(bool(r.on_time) for r in rows),
            len(approved),
        )
        expected_total = sum(values["ho_ngheo"] for values in approved) if approved else None
        assert figure(s, tree.province, "ho_ngheo", period=period) == expected_total


def test_refresh_chain_recomputes_a_unit_and_those_above(tree: Tree, clock: Clock) -> None:
    s = tree.schedule
    services.open_period(s, Q1)
    for unit in (tree.v1, tree.v3):
        report = report_of(tree, unit)
        submit(report)
        approve(report)
    good = all_cells(s)
    RollupCell.objects.filter(schedule=s).update(expected=99, arrived=0, on_time=0, approved=0, data={})
    services.refresh_chain(s, Q1.key, tree.bac_ha)
    assert counts(s, tree.bac_ha) == (2, 1, 1, 1)
    assert counts(s, tree.sa_pa) == (99, 0, 0, 0)  # not on the chain: left alone
    # The province adds up its children's cells as they stand.
    assert counts(s, tree.province) == (101, 1, 1, 1)
    services.refresh_chain(s, Q1.key, tree.sa_pa)
    assert all_cells(s) == good


def test_incremental_cells_equal_a_rebuild_with_decimal_percentages(tree: Tree) -> None:
    """Percent sums merged commune by commune equal those merged report by report (0.1+0.2+0.3)."""
    services.open_period(tree.schedule, Q1)
    for unit, percent in [(tree.v1, "0,1"), (tree.v3, "0,2"), (tree.v4, "0,3")]:
        report = report_of(tree, unit)
        submit(report, {**FULL, "ty_le": percent})
        approve(report)
    assert_cells_match_rebuild(tree.schedule)


# --- Reorganisations ---------------------------------------------------------------------------------


def test_moving_a_commune_moves_its_figures_between_provinces(tree: Tree, clock: Clock) -> None:
    national = make_schedule(tree.world.central, tree.form_version, name="Báo cáo toàn quốc")
    services.open_period(national, Q1)
    assert counts(national, tree.world.central) == (5, 0, 0, 0)
    assert counts(national, tree.province) == (4, 0, 0, 0)
    assert counts(national, tree.world.lang_son) == (1, 0, 0, 0)
    for unit, households in [(tree.v3, "100"), (tree.v4, "20"), (tree.v1, "3"), (tree.ls_village, "7")]:
        report = report_of(tree, unit, schedule=national)
        submit(report, {**FULL, "ho_ngheo": households})
        approve(report)
    assert figure(national, tree.province, "ho_ngheo") == 123
    assert figure(national, tree.world.lang_son, "ho_ngheo") == 7
    assert figure(national, tree.world.central, "ho_ngheo") == 130

    sa_pa = Unit.objects.get(pk=tree.sa_pa.pk)
    sa_pa.parent = tree.world.lang_son
    sa_pa.save()

    assert counts(national, tree.province) == (2, 1, 1, 1)
    assert figure(national, tree.province, "ho_ngheo") == 3
    assert counts(national, tree.world.lang_son) == (3, 3, 3, 3)
    assert figure(national, tree.world.lang_son, "ho_ngheo") == 127
    assert figure(national, tree.world.central, "ho_ngheo") == 130
    assert counts(national, tree.world.central) == (5, 4, 4, 4)
    assert figure(national, tree.sa_pa, "ho_ngheo") == 120
    assert_cells_match_rebuild(national)

    # Later steps of a moved unit's reports go up its new chain.
    v2 = report_of(tree, tree.v2, schedule=national)
    submit(v2, {**FULL, "ho_ngheo": "1000"})
    approve(v2)
    correction = services.start_correction(None, report_of(tree, tree.v3, schedule=national), None, "Sửa")
    submit(correction, {**FULL, "ho_ngheo": "50"})
    approve(correction)
    assert figure(national, tree.world.lang_son, "ho_ngheo") == 77
    assert figure(national, tree.province, "ho_ngheo") == 1003
    assert_cells_match_rebuild(national)


def test_moving_a_commune_out_of_a_provincial_schedule(tree: Tree, clock: Clock) -> None:
    s = tree.schedule
    services.open_period(s, Q1)
    report = report_of(tree, tree.v3)
    submit(report)
    approve(report)
    assert counts(s, tree.province) == (4, 1, 1, 1)
    sa_pa = Unit.objects.get(pk=tree.sa_pa.pk)
    sa_pa.parent = tree.world.lang_son
    sa_pa.save()
    assert counts(s, tree.province) == (2, 0, 0, 0)
    assert cell(s, tree.province).data == {}


def test_no_cells_outside_the_schedules_unit_after_a_move(tree: Tree, clock: Clock) -> None:
    """A commune moved out of the schedule's province gives the schedule no cell in the other province."""
    s = tree.schedule
    services.open_period(s, Q1)
    sa_pa = Unit.objects.get(pk=tree.sa_pa.pk)
    sa_pa.parent = tree.world.lang_son
    sa_pa.save()
    report = report_of(tree, tree.v3)
    submit(report)
    approve(report)
    province_path = tree.province.path or ""
    outside = RollupCell.objects.filter(schedule=s).exclude(unit__path__startswith=province_path)
    assert list(outside.values_list("unit__name", flat=True)) == []


def test_merging_units_drops_their_unstarted_reports_from_the_effective_date(tree: Tree, clock: Clock) -> None:
    s = tree.schedule
    for period in (Q1, Q2, Q3):
        services.open_period(s, period)
    # Before the merger, Bản Phố began its Q2 report; Na Hối did not.
    started = report_of(tree, tree.v2, Q2)
    services.save_draft(None, started, {"ho_ngheo": "4"}, started.revision)
    submit(report_of(tree, tree.v1, Q1))
    assert counts(s, tree.bac_ha, Q2) == (2, 0, 0, 0)

    merged = make_unit(
        tree.bac_ha, "Ban công tác Mặt trận thôn Na Hối - Bản Phố", Level.VILLAGE, UnitKind.VILLAGE_BOARD
    )
    merge_units(None, [tree.v1, tree.v2], merged, dt.date(2026, 5, 1))

    q1 = set(Report.objects.filter(schedule=s, period="2026-Q1").values_list("unit", flat=True))
    q2 = set(Report.objects.filter(schedule=s, period="2026-Q2").values_list("unit", flat=True))
    q3 = set(Report.objects.filter(schedule=s, period="2026-Q3").values_list("unit", flat=True))
    assert {tree.v1.pk, tree.v2.pk} <= q1  # Q1 ended before the merger: kept
    assert tree.v1.pk not in q2 and tree.v2.pk in q2  # not started: gone; started: kept
    assert tree.v1.pk not in q3 and tree.v2.pk not in q3
    assert counts(s, tree.bac_ha, Q1) == (2, 1, 1, 0)
    # The successor reports instead, for every period ending after the merger.
    assert Report.objects.filter(schedule=s, period="2026-Q2", unit=merged).exists()
    assert Report.objects.filter(schedule=s, period="2026-Q3", unit=merged).exists()
    assert not Report.objects.filter(schedule=s, period="2026-Q1", unit=merged).exists()  # not yet existing
    assert counts(s, tree.bac_ha, Q2) == (2, 0, 0, 0)
    assert counts(s, tree.province, Q2) == (4, 0, 0, 0)
    assert counts(s, tree.bac_ha, Q3) == (1, 0, 0, 0)
    assert counts(s, tree.province, Q3) == (4, 0, 0, 0)  # the new village, v3, v4 and Sa Pa's new one
    assert_cells_match_rebuild(s)
    # Opening again makes nothing more.
    assert services.open_period(s, Q2) == 0
    assert services.open_period(s, Q3) == 0
    assert_cells_match_rebuild(s)


# --- Reminders ---------------------------------------------------------------------------------


def test_due_reminders_go_once_per_report_and_kind(
    tree: Tree, settings: Any, mailoutbox: list[EmailMessage], clock: Clock
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_user("to5", tree.v3, email="to5@example.vn")
    make_user("to6", tree.v4)  # no address
    make_user("sapa_xa", tree.sa_pa, email="xa@example.vn")  # the commune, not the village
    stopped = make_schedule(tree.province, tree.form_version, active=False, name="Đã ngừng")
    services.open_period(tree.schedule, Q1)
    services.open_period(stopped, Q1)
    submit(report_of(tree, tree.v1))

    assert services.send_due_reminders(dt.date(2026, 3, 10)) == 0  # not due within 3 days
    assert services.send_due_reminders(dt.date(2026, 3, 17)) == 3  # v2, v3, v4 (v1 submitted)
    assert services.send_due_reminders(dt.date(2026, 3, 18)) == 0
    soon = ReportReminder.objects.filter(kind=ReminderKind.BEFORE_DUE)
    assert {r.report.unit for r in soon} == {tree.v2, tree.v3, tree.v4}
    assert all(r.report.schedule == tree.schedule for r in soon)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["to5@example.vn"]
    assert "Báo cáo công tác quý" in mailoutbox[0].subject
    assert "20/03/2026" in mailoutbox[0].body and "Báo cáo công tác quý" in mailoutbox[0].body
    assert soon.get(report__unit=tree.v3).emailed_to == ["to5@example.vn"]
    assert soon.get(report__unit=tree.v4).emailed_to == []

    submit(report_of(tree, tree.v2))
    assert services.send_due_reminders(dt.date(2026, 3, 21)) == 2  # overdue: v3, v4
    assert services.send_due_reminders(dt.date(2026, 3, 30)) == 0
    late = ReportReminder.objects.filter(kind=ReminderKind.OVERDUE)
    assert {r.report.unit for r in late} == {tree.v3, tree.v4}
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["to5@example.vn"]
    assert ReportReminder.objects.count() == 5
    assert AuditEntry.objects.filter(model="reporting.reportreminder").count() == 5

    # By hand, as often as needed.
    r3 = report_of(tree, tree.v3)
    assert services.send_reminder(None, r3) is not None
    assert services.send_reminder(None, r3, message="Đề nghị gửi gấp") is not None
    assert r3.reminders.filter(kind=ReminderKind.MANUAL).count() == 2
    assert mailoutbox[-1].body == "Đề nghị gửi gấp"
    # An automatic one of a kind already sent is not sent again.
    assert services.send_reminder(None, r3, ReminderKind.OVERDUE) is None
    assert ReportReminder.objects.count() == 7


def test_reminders_without_mail_configured_are_kept_but_not_emailed(
    tree: Tree, settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    settings.EMAIL_HOST = ""
    make_user("to5", tree.v3, email="to5@example.vn")
    services.open_period(tree.schedule, Q1)
    assert services.send_due_reminders(dt.date(2026, 4, 1)) == 4
    assert len(mailoutbox) == 0
    assert ReportReminder.objects.get(report__unit=tree.v3).emailed_to == []


def test_remind_missing_chases_the_subtrees_unsubmitted_reports(tree: Tree, clock: Clock) -> None:
    services.open_period(tree.schedule, Q1)
    submit(report_of(tree, tree.v4))
    officer = make_user("xa_sapa", tree.sa_pa)
    assert services.remind_missing(officer, tree.schedule, tree.sa_pa, "2026-Q1", "Đề nghị nộp báo cáo") == 1
    reminder = ReportReminder.objects.get()
    assert (reminder.report.unit, reminder.kind, reminder.message) == (
        tree.v3,
        ReminderKind.MANUAL,
        "Đề nghị nộp báo cáo",
    )
    assert reminder.sent_by == officer
    # By hand, as often as asked; the whole province: its three missing reports.
    assert services.remind_missing(officer, tree.schedule, tree.province, "2026-Q1") == 3
    assert ReportReminder.objects.filter(report__unit=tree.v3).count() == 2
    assert services.remind_missing(officer, tree.schedule, tree.province, "2026-Q2") == 0


# --- Narrative from the work programme ------------------------------------------------------------------


def test_narrative_gathers_the_units_updates_of_the_period(tree: Tree) -> None:
    program = program_services.save_program(
        None,
        tree.sa_pa,
        parse("KẾ HOẠCH\nCông tác năm 2026\n\n1. Tuyên truyền về cuộc vận động.\n\n2. Vận động Quỹ Vì người nghèo."),
    )
    first, second = program.items.order_by("position")
    (a1,) = program_services.assign(None, first, tree.v3)
    (a2,) = program_services.assign(None, second, tree.v3)
    (other,) = program_services.assign(None, first, tree.v4)

    def update(assignment: Any, text: str, progress: int, at: dt.datetime) -> None:
        made = program_services.post_update(None, assignment, text, progress)
        ProgressUpdate.objects.filter(pk=made.pk).update(created_at=at)

    def at(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> dt.datetime:
        return dt.datetime(y, m, d, h, mi, tzinfo=TZ)

    update(a2, "Đã vận động 12 triệu đồng", 60, at(2026, 2, 10))
    update(a1, "Tổ chức 2 buổi tuyên truyền", 30, at(2026, 1, 1, 0, 0))  # first minute of the quarter
    update(a1, "  Thêm 1 buổi ở tổ 5  ", 50, at(2026, 3, 31, 23, 59))  # last minute
    update(a1, "Trước kỳ", 10, at(2025, 12, 31, 23, 59))
    update(a1, "Sau kỳ", 70, at(2026, 4, 1, 0, 0))
    update(other, "Của tổ dân phố 6", 40, at(2026, 2, 1))

    services.open_period(tree.schedule, Q1)
    text = services.narrative_from_updates(report_of(tree, tree.v3))
    assert text.splitlines() == [
        "- 1 Tuyên truyền về cuộc vận động.: Tổ chức 2 buổi tuyên truyền (30%)",
        "- 1 Tuyên truyền về cuộc vận động.: Thêm 1 buổi ở tổ 5 (50%)",
        "- 2 Vận động Quỹ Vì người nghèo.: Đã vận động 12 triệu đồng (60%)",
    ]
    assert services.narrative_from_updates(report_of(tree, tree.v1)) == ""
    assert services.narrative_from_updates(report_of(tree, tree.v4)) == (
        "- 1 Tuyên truyền về cuộc vận động.: Của tổ dân phố 6 (40%)"
    )


# --- Figures the platform already knows ------------------------------------------------------------------


def test_builtin_sources_count_the_units_programme_work_in_the_period(tree: Tree) -> None:
    assert {"programs.tasks_completed", "programs.progress_updates"} <= {name for name, _ in sources.choices()}
    assert sources.get("no.such.source") is None
    program = program_services.save_program(
        None, tree.sa_pa, parse("KẾ HOẠCH\nCông tác năm 2026\n\n1. Việc một.\n\n2. Việc hai.\n\n3. Việc ba.")
    )
    items = list(program.items.order_by("position"))
    assignments = [program_services.assign(None, item, tree.v3)[0] for item in items]
    other = program_services.assign(None, items[0], tree.v4)[0]
    for assignment, progress in zip(assignments, [100, 100, 40], strict=True):
        program_services.post_update(None, assignment, "Cập nhật", progress)
    program_services.post_update(None, other, "Xong", 100)
    when = dt.datetime(2026, 2, 1, 10, tzinfo=TZ)
    Assignment.objects.filter(pk__in=[assignments[0].pk, assignments[2].pk, other.pk]).update(last_update_at=when)
    Assignment.objects.filter(pk=assignments[1].pk).update(last_update_at=dt.datetime(2026, 4, 2, 10, tzinfo=TZ))
    ProgressUpdate.objects.filter(assignment__in=assignments[:2]).update(created_at=when)

    pairs = [
        ("done", "programs.tasks_completed"),
        ("updates", "programs.progress_updates"),
        ("unknown", "no.such.source"),
    ]
    assert sources.prefill(pairs, tree.v3, Q1.start, Q1.end) == {"done": 1, "updates": 2}
    assert sources.prefill(pairs, tree.v3, Q2.start, Q2.end) == {"done": 1, "updates": 0}
    assert sources.prefill(pairs, tree.v1, Q1.start, Q1.end) == {"done": 0, "updates": 0}


def test_a_module_registers_its_own_source(monkeypatch: pytest.MonkeyPatch, tree: Tree) -> None:
    monkeypatch.setattr(sources, "_REGISTRY", dict(sources._REGISTRY))
    seen: list[tuple[Unit, dt.date, dt.date]] = []

    def petitions(unit: Unit, start: dt.date, end: dt.date) -> int:
        seen.append((unit, start, end))
        return 7

    sources.register("petitions.received", "Kiến nghị đã nhận", petitions)
    assert ("petitions.received", "Kiến nghị đã nhận") in sources.choices()
    assert [name for name, _ in sources.choices()] == sorted(name for name, _ in sources.choices())
    assert sources.prefill([("kien_nghi", "petitions.received")], tree.v1, Q1.start, Q1.end) == {"kien_nghi": 7}
    assert seen == [(tree.v1, Q1.start, Q1.end)]


# --- The audit log ---------------------------------------------------------------------------------


def _entries(model: str, pk: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(model=model, object_id=str(pk)).order_by("id").values_list("action", flat=True)
    )


def test_every_write_leaves_an_audit_entry(tree: Tree) -> None:
    officer = make_user("thon1", tree.v1)
    reviewer = make_user("xa1", tree.bac_ha)  # the unit above approves; never the one who submitted
    form = tree.form_version.form
    assert _entries("reporting.reportform", form.pk) == ["create"]
    assert _entries("reporting.formversion", tree.form_version.pk) == ["create"]

    assert _entries("reporting.schedule", tree.schedule.pk) == ["create"]
    services.open_period(tree.schedule, Q1, actor=officer)
    assert all(_entries("reporting.report", r.pk) == ["create"] for r in Report.objects.all())
    services.open_period(tree.schedule, Q1, actor=officer)  # nothing new, nothing logged
    assert all(_entries("reporting.report", r.pk) == ["create"] for r in Report.objects.all())

    report = report_of(tree, tree.v1)
    report = services.save_draft(officer, report, {"ho_ngheo": "1"}, report.revision)
    report = services.submit(officer, report, FULL, report.revision)
    report = services.return_report(officer, report, report.revision, "Sai")
    report = services.submit(officer, report, FULL, report.revision)
    report = services.approve(reviewer, report, report.revision)
    report = services.start_correction(officer, report, report.revision, "Sửa")
    report = services.submit(officer, report, FULL, report.revision)
    report = services.approve(reviewer, report, report.revision)
    assert _entries("reporting.report", report.pk) == ["create"] + ["update"] * 8
    assert report.revision == 8
    versions = ReportVersion.objects.filter(report=report)
    assert [_entries("reporting.reportversion", v.pk) for v in versions] == [["create"], ["create"]]
    entry = AuditEntry.objects.filter(model="reporting.report", object_id=str(report.pk)).first()
    assert entry is not None and entry.actor == reviewer and entry.unit_path == tree.v1.path
    reminder = services.send_reminder(officer, report_of(tree, tree.v2))
    assert reminder is not None and _entries("reporting.reportreminder", reminder.pk) == ["create"]
    v2 = services.new_version(officer, form, services.describe(tree.form_version), "Bản 2")
    assert _entries("reporting.formversion", v2.pk) == ["create"]


def test_a_report_update_logs_what_changed(tree: Tree) -> None:
    """The audit entry of a report update holds [before, after] of the changed fields only."""
    services.open_period(tree.schedule, Q1)
    report = report_of(tree, tree.v1)
    services.save_draft(None, report, {"ho_ngheo": "1"}, 0)
    entry = AuditEntry.objects.filter(model="reporting.report", object_id=str(report.pk)).first()
    assert entry is not None
    assert entry.changes["status"] == ["not_started", "draft"]
    assert entry.changes["revision"] == [0, 1]
    assert "period" not in entry.changes and "unit" not in entry.changes


def test_opening_a_period_logs_each_report_it_makes(tree: Tree) -> None:
    officer = make_user("tinh_bc", tree.province)
    services.open_period(tree.schedule, Q1, actor=officer)
    reports = Report.objects.filter(schedule=tree.schedule, period="2026-Q1")
    entries = AuditEntry.objects.filter(model="reporting.report", action="create")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in reports)
    entry = entries.get(object_id=str(report_of(tree, tree.v3).pk))
    assert entry.actor == officer and entry.unit_path == tree.v3.path
    assert entry.changes["period"] == [None, "2026-Q1"] and entry.changes["status"] == [None, "not_started"]
    services.open_period(tree.schedule, Q1, actor=officer)  # nothing new, nothing logged
    assert entries.count() == 4


def test_indicator_is_numeric_and_is_text() -> None:
    assert Indicator(type="integer").is_numeric and Indicator(type="money").is_numeric
    assert Indicator(type="percent").is_numeric and not Indicator(type="boolean").is_numeric
    assert Indicator(type="long_text").is_text and Indicator(type="short_text").is_text
    assert not Indicator(type="choice").is_text
