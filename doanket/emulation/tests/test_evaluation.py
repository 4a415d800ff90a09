"""Reviewing a movement: points computed from the communes' approved reports (proportional to the
target, or to the best commune without one) and from their tasks' progress; the launching unit
scores by hand with a reason, the communes assess themselves (shown, not counted); the ranking
counts the scorer's points over the computed ones, shares ranks on equal totals, and explains
each figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login, make_unit
from doanket.core.models import AuditEntry
from doanket.emulation import evaluation, services, tasks
from doanket.emulation.models import Measure, Movement, Review, ReviewState, Score, Stage
from doanket.emulation.services import EmulationError
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.programs.models import Assignment, Item, Program
from doanket.reporting import periods
from doanket.reporting import services as reporting
from doanket.reporting.models import Frequency, Report, Schedule


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def quarterly(world: World, figures: dict[Unit, list[int]]) -> Schedule:
    """The communes' quarterly report of Lào Cai with one figure (households helped), approved for
    each quarter listed."""
    version = reporting.create_form(
        None, world.lao_cai, "ho-tro", "Báo cáo hỗ trợ hộ nghèo",
        [{"title": "Số liệu", "indicators": [{"code": "ho_ho_tro", "label": "Số hộ được hỗ trợ", "type": "integer"}]}],
    )  # fmt: skip
    schedule = Schedule.objects.create(
        unit=world.lao_cai, form=version.form, name="Quý", level=Level.COMMUNE, kind=UnitKind.COMMITTEE,
        frequency=Frequency.QUARTERLY, starts=dt.date(2026, 1, 1), ends=dt.date(2026, 12, 31),
    )  # fmt: skip
    for quarter in range(4):
        period = periods.parse(f"2026-Q{quarter + 1}")
        reporting.open_period(schedule, period)
        for unit, values in figures.items():
            if quarter < len(values):
                report = Report.objects.get(schedule=schedule, unit=unit, period=period.key)
                report = reporting.submit(None, report, {"ho_ho_tro": str(values[quarter])}, report.revision)
                reporting.approve(None, report, report.revision)
    return schedule


@pytest.fixture
def movement(world: World, users: People) -> Movement:
    return services.launch(
        users.province_officer, world.lao_cai, title="Thi đua vì người nghèo", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31), level=Level.COMMUNE, participant_kind=UnitKind.COMMITTEE,
    )  # fmt: skip


def test_points_follow_the_reports_the_tasks_and_the_scorer_and_the_ranking_explains_itself(
    world: World, users: People, movement: Movement
) -> None:
    schedule = quarterly(world, {world.bac_ha: [10, 20, 30], world.sa_pa: [30, 30]})
    officer = users.province_officer
    helped = services.add_criterion(officer, movement, name="Hộ được hỗ trợ", weight=40, measure=Measure.INDICATOR,
                                    schedule=schedule, indicator_code="ho_ho_tro", target=80)  # fmt: skip
    best = services.add_criterion(officer, movement, name="Hộ được hỗ trợ (so với xã nhiều nhất)", weight=10,
                                  measure=Measure.INDICATOR, schedule=schedule, indicator_code="ho_ho_tro")  # fmt: skip
    tasks = services.add_criterion(officer, movement, name="Nhiệm vụ chương trình", weight=20, measure=Measure.TASKS)
    by_hand = services.add_criterion(officer, movement, name="Phản biện xã hội", weight=30)
    program = Program.objects.create(unit=world.lao_cai, title="Chương trình 2026", year=2026)
    first = Item.objects.create(program=program, number="1", title="Vận động", position=1)
    second = Item.objects.create(program=program, number="2", title="Giám sát", position=2)
    for item, unit, progress in ((first, world.bac_ha, 50), (second, world.bac_ha, 100), (first, world.sa_pa, 20)):
        Assignment.objects.create(program=program, item=item, unit=unit, due_date=dt.date(2026, 6, 30),
                                  progress=progress)  # fmt: skip

    review = evaluation.open_review(
        officer, movement, stage=Stage.INTERIM, period_from=dt.date(2026, 1, 1), period_to=dt.date(2026, 9, 30)
    )
    assert review.state == ReviewState.COMPUTING and not Score.objects.filter(review=review).exists()
    evaluation.compute(review)  # the worker's job
    assert Review.objects.get(pk=review.pk).state == ReviewState.READY
    scores = {(s.unit_id, s.criterion_id): s for s in Score.objects.filter(review=review)}
    assert len(scores) == 2 * 4  # every commune on every criterion
    bac_ha, sa_pa = world.bac_ha.pk, world.sa_pa.pk
    # Bắc Hà helped 60 households in three quarters, Sa Pa 60 in two: 60 of the target 80.
    assert (scores[bac_ha, helped.pk].value, scores[bac_ha, helped.pk].basis) == (60, 80)
    assert scores[bac_ha, helped.pk].computed == Decimal("30.00") == scores[sa_pa, helped.pk].computed
    assert scores[bac_ha, best.pk].computed == Decimal("10.00")  # no target: the best commune's 60
    assert scores[bac_ha, tasks.pk].computed == Decimal("15.00")  # 75 % of the tasks' progress
    assert scores[sa_pa, tasks.pk].computed == Decimal("4.00")
    assert scores[bac_ha, by_hand.pk].computed is None  # waits for the scorer
    ranked = evaluation.ranking(review)
    assert [(r.unit_id, r.total, r.rank) for r in ranked] == [
        (bac_ha, Decimal("55.00"), 1),
        (sa_pa, Decimal("44.00"), 2),
    ]

    evaluation.self_assess(users.other_commune_officer, review, world.sa_pa, by_hand, Decimal(30), "Tổ chức 3 hội nghị")
    scored = evaluation.score(officer, review, world.sa_pa, by_hand, Decimal("21.5"), "Hai hội nghị có kiến nghị")
    assert (scored.self_points, scored.points, scored.counted) == (Decimal(30), Decimal("21.50"), Decimal("21.50"))
    assert [(r.unit_id, r.total, r.rank) for r in evaluation.ranking(review)] == [
        (sa_pa, Decimal("65.50"), 1), (bac_ha, Decimal("55.00"), 2),
    ]  # fmt: skip
    assert evaluation.rank_of(review, bac_ha) == evaluation.ranking(review)[1]  # one unit's rank, alone
    evaluation.score(officer, review, world.bac_ha, by_hand, Decimal("10.5"), "Một hội nghị")
    assert [r.rank for r in evaluation.ranking(review)] == [1, 1]  # 65.50 each: one rank shared
    tied = evaluation.ranking(review)
    assert [evaluation.rank_of(review, r.unit_id) for r in tied] == tied
    assert evaluation.rank_of(review, world.lao_cai.pk) is None  # not a participant

    # Recomputing keeps the scorer's points; the scorer's override of a computed criterion counts.
    evaluation.score(officer, review, world.bac_ha, helped, Decimal(35), "Báo cáo quý 3 bổ sung 10 hộ")
    evaluation.compute(review)
    mine = Score.objects.get(review=review, unit=world.bac_ha, criterion=helped)
    assert (mine.computed, mine.points, mine.counted) == (Decimal("30.00"), Decimal("35.00"), Decimal("35.00"))
    assert AuditEntry.objects.filter(model="emulation.score").count() == 4


def test_scores_are_refused_out_of_range_without_reason_or_out_of_scope(
    world: World, users: People, movement: Movement
) -> None:
    by_hand = services.add_criterion(users.province_officer, movement, name="Phản biện xã hội", weight=30)
    review = evaluation.open_review(
        users.province_officer, movement, stage=Stage.FINAL, period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 12, 31),
    )  # fmt: skip
    evaluation.compute(review)
    with pytest.raises(EmulationError, match="worth from 0 to 30 points"):
        evaluation.score(users.province_officer, review, world.bac_ha, by_hand, Decimal(31), "x")
    with pytest.raises(EmulationError, match="Give the reason"):
        evaluation.score(users.province_officer, review, world.bac_ha, by_hand, Decimal(3), "  ")
    with pytest.raises(PermissionDenied):  # a commune does not score itself into the ranking
        evaluation.score(users.commune_officer, review, world.bac_ha, by_hand, Decimal(30), "x")
    with pytest.raises(PermissionDenied):  # nor assesses another commune
        evaluation.self_assess(users.commune_officer, review, world.sa_pa, by_hand, Decimal(30), "x")
    with pytest.raises(EmulationError, match="does not take part"):
        evaluation.score(users.province_officer, review, world.farmers_union, by_hand, Decimal(3), "x")
    with pytest.raises(EmulationError, match="within the movement's"):
        evaluation.open_review(
            users.province_officer, movement, stage=Stage.FINAL, period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2026, 12, 31),
        )  # fmt: skip
    with pytest.raises(EmulationError, match="has no figure with the code"):
        schedule = quarterly(world, {})
        services.add_criterion(users.province_officer, movement, name="X", weight=5, measure=Measure.INDICATOR,
                               schedule=schedule, indicator_code="khong_co")  # fmt: skip
    assert not Score.objects.exclude(points=None).exists()


@pytest.mark.django_db(transaction=True)  # the worker command closes the connection it found
def test_a_review_is_opened_ranked_explained_and_scored_through_the_pages(
    client: Client,
    world: World,
    users: People,
    movement: Movement,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    schedule = quarterly(world, {world.bac_ha: [10, 20, 30], world.sa_pa: [30, 30]})
    services.add_criterion(
        users.province_officer, movement, name="Hộ được hỗ trợ", weight=40, measure=Measure.INDICATOR,
        schedule=schedule, indicator_code="ho_ho_tro", target=80,
    )  # fmt: skip
    by_hand = services.add_criterion(users.province_officer, movement, name="Phản biện xã hội", weight=30)
    login(client, users.province_officer)
    page = client.get(reverse("emulation:movement", args=[movement.pk])).content.decode()
    # A date input takes yyyy-mm-dd whatever the language: the localised 01/01/2026 left it empty.
    assert 'type="date" name="period_from" value="2026-01-01"' in page
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(
            reverse("emulation:review_new", args=[movement.pk]),
            {"stage": "interim", "period_from": "2026-01-01", "period_to": "2026-09-30"},
        )
    review = Review.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse("emulation:review", args=[review.pk])
    waiting = client.get(opened["Location"]).content.decode()  # the officer does not wait for the worker
    assert 'data-testid="computing"' in waiting and 'hx-trigger="every 2s"' in waiting
    assert 'data-testid="ranking"' not in waiting and 'data-testid="recompute"' not in waiting
    call_command("worker", batch=True, verbosity=0)
    ranking = client.get(opened["Location"]).content.decode()
    assert "hx-trigger" not in ranking  # it stops asking
    assert ranking.count('<tr><td class="num">1</td>') == 2  # 30 points each: one rank shared
    bac_ha_url = reverse("emulation:review_unit", args=[review.pk, world.bac_ha.pk])
    assert bac_ha_url in ranking
    explained = client.get(bac_ha_url).content.decode()
    assert "60 / 80 → 30,00" in explained  # the figure, what it was measured against, the points (vi: 30,00)
    scored = client.post(
        reverse("emulation:review_score", args=[review.pk]),
        {"unit": world.sa_pa.pk, "criterion": by_hand.pk, "points": "12.5", "reason": "Một hội nghị phản biện"},
    )
    assert scored.status_code == 302 and scored["Location"] == reverse(
        "emulation:review_unit", args=[review.pk, world.sa_pa.pk]
    )
    assert "Một hội nghị phản biện" in client.get(scored["Location"]).content.decode()
    first = evaluation.ranking(review)[0]
    assert (first.unit_id, first.total) == (world.sa_pa.pk, Decimal("42.50"))

    commune = Client()
    login(commune, users.commune_officer)
    mine = commune.get(reverse("emulation:review", args=[review.pk])).content.decode()
    assert world.bac_ha.name in mine and world.sa_pa.name not in mine  # its own line only
    assert commune.get(reverse("emulation:review_unit", args=[review.pk, world.sa_pa.pk])).status_code == 404
    assessed = commune.post(
        reverse("emulation:review_self", args=[review.pk]),
        {"unit": world.bac_ha.pk, "criterion": by_hand.pk, "points": "30", "reason": "Ba hội nghị"},
    )
    assert assessed.status_code == 302
    assert Score.objects.get(review=review, unit=world.bac_ha, criterion=by_hand).self_points == Decimal(30)
    assert (
        commune.post(  # a commune never scores into the ranking
            reverse("emulation:review_score", args=[review.pk]),
            {"unit": world.bac_ha.pk, "criterion": by_hand.pk, "points": "30", "reason": "x"},
        ).status_code
        == 403
    )
    assert (
        commune.post(  # nor assesses another commune
            reverse("emulation:review_self", args=[review.pk]),
            {"unit": world.sa_pa.pk, "criterion": by_hand.pk, "points": "30", "reason": "x"},
        ).status_code
        == 403
    )


def test_the_ranking_page_keeps_its_queries_whatever_the_number_of_units(
    client: Client, world: World, users: People, movement: Movement
) -> None:
    services.add_criterion(users.province_officer, movement, name="Phản biện xã hội", weight=30)
    review = evaluation.open_review(
        users.province_officer, movement, stage=Stage.FINAL, period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 12, 31),
    )  # fmt: skip
    evaluation.compute(review)
    login(client, users.province_officer)
    url = reverse("emulation:review", args=[review.pk])

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(15):
        make_unit(world.lao_cai, f"Ủy ban MTTQ xã Thử {n}", Level.COMMUNE)
    evaluation.compute(review)
    assert count() == before


def test_a_figure_rolls_up_over_the_period_as_its_indicator_says(
    world: World, users: People, movement: Movement
) -> None:
    """Sum, average, maximum and latest over the quarters (PostgreSQL aggregates in the database,
    SQLite in Python: the same figures)."""
    version = reporting.create_form(
        None, world.lao_cai, "ty-le", "Báo cáo tỷ lệ",
        [{"title": "Số liệu", "indicators": [
            {"code": "tb", "label": "Trung bình", "type": "integer", "rollup": "avg"},
            {"code": "cao", "label": "Cao nhất", "type": "integer", "rollup": "max"},
            {"code": "cuoi", "label": "Cuối kỳ", "type": "integer", "rollup": "latest"},
        ]}],
    )  # fmt: skip
    schedule = Schedule.objects.create(
        unit=world.lao_cai, form=version.form, name="Quý", level=Level.COMMUNE, kind=UnitKind.COMMITTEE,
        frequency=Frequency.QUARTERLY, starts=dt.date(2026, 1, 1), ends=dt.date(2026, 12, 31),
    )  # fmt: skip
    for quarter, figure in enumerate((10, 30, 20)):
        period = periods.parse(f"2026-Q{quarter + 1}")
        reporting.open_period(schedule, period)
        report = Report.objects.get(schedule=schedule, unit=world.bac_ha, period=period.key)
        raw = {"tb": str(figure), "cao": str(figure), "cuoi": str(figure)}
        report = reporting.submit(None, report, raw, report.revision)
        reporting.approve(None, report, report.revision)
    criteria = {
        code: services.add_criterion(users.province_officer, movement, name=code, weight=10,
                                     measure=Measure.INDICATOR, schedule=schedule, indicator_code=code, target=40)
        for code in ("tb", "cao", "cuoi")
    }  # fmt: skip
    review = evaluation.open_review(
        users.province_officer, movement, stage=Stage.INTERIM, period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 9, 30),
    )  # fmt: skip
    evaluation.compute(review)
    values = {
        code: Score.objects.get(review=review, unit=world.bac_ha, criterion=criterion).value
        for code, criterion in criteria.items()
    }
    assert values == {"tb": 20, "cao": 30, "cuoi": 20}  # (10 + 30 + 20) / 3, the highest, the last quarter's
    assert Score.objects.get(review=review, unit=world.sa_pa, criterion=criteria["tb"]).value is None


@pytest.mark.django_db(transaction=True)  # the worker command closes the connection it found
def test_a_computation_that_fails_says_why_and_can_be_tried_again(
    client: Client,
    world: World,
    users: People,
    movement: Movement,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    services.add_criterion(users.province_officer, movement, name="Phản biện xã hội", weight=30)
    review = evaluation.open_review(
        users.province_officer, movement, stage=Stage.INTERIM, period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 9, 30),
    )  # fmt: skip

    def broken(review: Review) -> int:
        raise OSError("database is locked")  # what a worker meets when the disk or the database fails

    monkeypatch.setattr(evaluation, "compute", broken)
    with pytest.raises(OSError):
        tasks.compute_review.call(review.pk)
    review.refresh_from_db()
    assert review.state == ReviewState.FAILED and "database is locked" in review.error
    login(client, users.province_officer)
    page = client.get(reverse("emulation:review", args=[review.pk])).content.decode()
    assert 'data-testid="failed"' in page and "database is locked" in page and "hx-trigger" not in page
    assert "Thử lại" in page  # the button says try again
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("emulation:review_compute", args=[review.pk]))
    assert again.status_code == 302 and Review.objects.get(pk=review.pk).state == ReviewState.COMPUTING
    call_command("worker", batch=True, verbosity=0)
    review.refresh_from_db()
    assert (review.state, review.error) == (ReviewState.READY, "") and review.computed_at is not None
    assert Score.objects.filter(review=review).count() == 2  # two communes, one criterion
