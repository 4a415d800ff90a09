"""The demo's periodic reporting: Lào Cai's forms, who reports to it and when, and the sample
reports since January last year. The demo takes seconds to load, so it is loaded once for the
module inside a transaction that is rolled back after the last test (as Django's TestCase does)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from doanket.demo.loader import load_demo
from doanket.demo.reporting import LIVE_DAYS, MONTHLY, ORGANISATION, SENTIMENT, load_reporting
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.reporting import services
from doanket.reporting.models import Report, ReportForm, RollupCell, Schedule, Status
from doanket.reporting.periods import DueRule, Frequency


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _lao_cai() -> Unit:
    return Unit.objects.get(level=Level.PROVINCE, kind=UnitKind.COMMITTEE, official_code="15")


def test_lao_cai_issues_three_forms_in_numbered_sections_with_checked_totals() -> None:
    forms = {f.code: f for f in ReportForm.objects.filter(unit=_lao_cai())}
    assert set(forms) == {SENTIMENT, MONTHLY, ORGANISATION}
    assert forms[SENTIMENT].title == "Báo cáo tình hình Nhân dân"

    sentiment = forms[SENTIMENT].current_version()
    assert sentiment is not None
    assert [str(s) for s in sentiment.sections.all()] == [
        "I. Tình hình tư tưởng, tâm trạng Nhân dân",
        "II. Những vấn đề Nhân dân quan tâm",
        "III. Kiến nghị, đề xuất",
    ]
    types = {i.code: i.type for i in sentiment.indicators.all()}
    assert list(types.values()).count("long_text") >= 4
    assert sentiment.indicators.get(type="choice").choices == ["Ổn định", "Cơ bản ổn định", "Có diễn biến phức tạp"]
    assert sentiment.indicators.filter(type="boolean", label="Có điểm nóng phát sinh").exists()

    monthly = forms[MONTHLY].current_version()
    assert monthly is not None
    assert 4 <= monthly.indicators.filter(key=True).count() <= 5
    assert monthly.indicators.get(code="ndk-tong").sum_of == ["ndk-xay-moi", "ndk-sua-chua"]
    assert monthly.indicators.get(type="money").measure == "đồng"
    assert monthly.indicators.get(type="percent").rollup == "avg"
    assert monthly.indicators.get(source="programs.tasks_completed").type == "integer"

    organisation = forms[ORGANISATION].current_version()
    assert organisation is not None
    total = organisation.indicators.get(code="tong-doan-vien-hoi-vien")
    assert len(total.sum_of) == 5
    assert set(organisation.indicators.values_list("rollup", flat=True)) == {"sum"}


def test_communes_report_to_the_province_and_the_demo_communes_villages_to_it() -> None:
    schedules = {s.name: s for s in Schedule.objects.select_related("unit", "form")}
    assert len(schedules) == 4
    by_form = {(s.form.code, s.level): s for s in schedules.values()}
    monthly = by_form[MONTHLY, Level.COMMUNE]
    assert (monthly.frequency, monthly.due_rule, monthly.due_day) == (Frequency.MONTHLY, DueRule.DAY_OF_LAST_MONTH, 25)
    quarterly = by_form[SENTIMENT, Level.COMMUNE]
    assert (quarterly.frequency, quarterly.due_day) == (Frequency.QUARTERLY, 20)
    yearly = by_form[ORGANISATION, Level.COMMUNE]
    assert (yearly.frequency, yearly.due_rule, yearly.due_day) == (Frequency.YEARLY, DueRule.DAY_OF_NEXT_MONTH, 15)
    villages = by_form[MONTHLY, Level.VILLAGE]
    assert villages.kind == UnitKind.VILLAGE_BOARD and villages.unit.level == Level.COMMUNE
    assert villages.unit.grants.filter(user__username="xa.laocai").exists()
    assert {s.starts for s in schedules.values()} == {dt.date(timezone.localdate().year - 1, 1, 1)}
    # Every commune of Lào Cai owes its monthly report; only one commune's villages owe theirs.
    communes = Unit.objects.filter(parent=_lao_cai(), level=Level.COMMUNE, kind=UnitKind.COMMITTEE).count()
    last = Report.objects.filter(schedule=monthly).order_by("-period_start").first()
    assert last is not None
    assert Report.objects.filter(schedule=monthly, period=last.period).count() == communes
    assert Report.objects.filter(schedule=villages, period=last.period).count() == 4


def test_the_sample_reports_are_in_every_state_some_late_one_being_corrected() -> None:
    reports = Report.objects.all()
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    returned = reports.filter(status=Status.RETURNED)
    assert all(r.review_comment.startswith("Đề nghị bổ sung số liệu") for r in returned)
    assert returned.filter(unit__grants__user__username="xa.laocai").exists()
    correcting = reports.get(correction_reason__gt="")
    assert correcting.status == Status.DRAFT and correcting.approved_values is not None
    assert correcting.values["ho-ngheo-ho-tro"] == correcting.approved_values["ho-ngheo-ho-tro"] + 3
    assert correcting.unit.grants.filter(user__username="xa.laocai").exists()

    sent = list(reports.filter(first_submitted_at__isnull=False))
    late = [r for r in sent if r.on_time is False]
    assert 0.05 < len(late) / len(sent) < 0.25
    now = timezone.now()
    for report in sent:
        first = report.first_submitted_at
        assert first is not None and report.period_start <= timezone.localdate(first) and first < now
        if report.approved_at is not None:
            assert first < report.approved_at <= now
    # Reports long past due are approved or, for a few, still missing: nothing left half-done.
    overdue = reports.filter(due_date__lt=timezone.localdate() - dt.timedelta(days=LIVE_DAYS)).exclude(
        unit__grants__user__username="xa.laocai"
    )
    assert set(overdue.values_list("status", flat=True)) <= {Status.APPROVED, Status.NOT_STARTED}
    assert overdue.filter(status=Status.NOT_STARTED).exists()
    assert (
        reports.filter(status=Status.APPROVED, approved_number=1, history__number=1).count()
        == reports.filter(status=Status.APPROVED).count()
    )


def test_the_provinces_cells_add_up_the_approved_figures_and_agree_with_a_rebuild() -> None:
    monthly = Schedule.objects.get(form__code=MONTHLY, level=Level.COMMUNE)
    period = Report.objects.filter(schedule=monthly, status=Status.RETURNED).values_list("period", flat=True)[0]
    cell = RollupCell.objects.get(schedule=monthly, unit=monthly.unit, period=period)
    reports = Report.objects.filter(schedule=monthly, period=period)
    approved = [r.approved_values for r in reports if r.approved_values is not None]
    assert cell.expected == reports.count() and cell.approved == len(approved)
    assert cell.arrived == reports.filter(first_submitted_at__isnull=False).count()
    assert cell.data["quy-vi-nguoi-ngheo"]["s"] == sum(v["quy-vi-nguoi-ngheo"] for v in approved)
    assert 0 < cell.on_time < cell.arrived

    def cells() -> dict[tuple[int, int, str], tuple[Any, ...]]:
        fields = ["expected", "arrived", "on_time", "approved", "data"]
        rows = RollupCell.objects.values_list("schedule_id", "unit_id", "period", *fields)
        return {(s, u, p): rest for s, u, p, *rest in rows}

    before = cells()
    for schedule in Schedule.objects.select_related("unit"):
        for key in set(RollupCell.objects.filter(schedule=schedule).values_list("period", flat=True)):
            services.rebuild(schedule, key)
    assert cells() == before


def test_loading_the_demo_again_changes_nothing() -> None:
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    assert load_reporting(timezone.localdate()).written == 0
    load_demo()
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == counts
