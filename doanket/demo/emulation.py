"""The demo's emulation movement: Lạng Sơn launches seed 003 (its 2022 launch, run again for the
current year) for its commune committees, with criteria; the first communes register, and an
interim review to date ranks them, three scored by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from doanket.emulation import evaluation, services
from doanket.emulation.models import Measure, Movement, Stage
from doanket.organizations.models import Level, Unit, UnitKind

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
CRITERIA = [
    ("Tuyên truyền, vận động Nhân dân thực hiện chủ trương, chính sách", 20, Measure.MANUAL, 1),
    ("Hoàn thành nhiệm vụ của Chương trình phối hợp và thống nhất hành động", 30, Measure.TASKS, None),
    ("Chất lượng giám sát và phản biện xã hội", 25, Measure.MANUAL, 3),
    ("Đổi mới nội dung, phương thức hoạt động của Mặt trận", 25, Measure.MANUAL, 5),
]
TARGETS = [
    "Tổ chức 100% khu dân cư tuyên truyền Nghị quyết (mẫu)\nVận động xây 3 nhà Đại đoàn kết\n"
    "Không có khiếu kiện đông người",
    "Tổ chức 12 cuộc giám sát, 2 hội nghị phản biện (mẫu)\nVận động Quỹ Vì người nghèo 50 triệu đồng",
]


def load_emulation(province: Unit, today: dt.date) -> Movement:
    found = Movement.objects.filter(unit=province).first()
    if found is not None:
        return found
    path = next(DOCUMENTS.glob("003_*.txt"))
    data = path.read_bytes()
    movement = services.launch(
        None,
        province,
        title="",
        parsed=services.read_launch(data, path.name),
        source=(path.name, data),
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
        level=Level.COMMUNE,
        participant_kind=UnitKind.COMMITTEE,
    )
    areas = {area.position: area for area in movement.areas.all()}
    for name, weight, measure, area in CRITERIA:
        services.add_criterion(None, movement, name=name, weight=weight, measure=measure, area=areas.get(area or 0))
    first = list(services.participants(movement).order_by("path")[:3])
    for unit, targets in zip(first, TARGETS, strict=False):
        services.register(None, movement, unit, targets, today=today)
    # An interim review to date: three communes scored by hand on two criteria, with reasons.
    review = evaluation.open_review(
        None, movement, stage=Stage.INTERIM, period_from=movement.starts_on, period_to=max(movement.starts_on, today)
    )
    evaluation.compute(review)  # at once: the demo's rankings are there before the worker starts
    manual = list(movement.criteria.filter(measure=Measure.MANUAL).order_by("position")[:2])
    for unit, points in zip(first, ((18, 22), (15, 20), (12, 24)), strict=False):
        for criterion, given in zip(manual, points, strict=False):
            evaluation.score(None, review, unit, criterion, Decimal(given), "Theo báo cáo sơ kết của xã (mẫu)")
    return movement


POOR_MOVEMENT = "Phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” (mẫu)"


def load_poor_movement(province: Unit, today: dt.date) -> Movement:
    """Lào Cai's movement for its communes, two criteria drawn from the demo's monthly reports
    (households helped, money raised for the Fund for the Poor) and one scored by hand, with an
    interim review to the end of last month: the ranking comes from the reports."""
    from doanket.demo.reporting import MONTHLY
    from doanket.reporting.models import Schedule

    found = Movement.objects.filter(unit=province, title=POOR_MOVEMENT).first()
    if found is not None:
        return found
    movement = services.launch(
        None,
        province,
        title=POOR_MOVEMENT,
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
        level=Level.COMMUNE,
        participant_kind=UnitKind.COMMITTEE,
    )
    schedule = Schedule.objects.filter(unit=province, form__code=MONTHLY, level=Level.COMMUNE).first()
    if schedule is not None:
        for name, code, weight in (
            ("Hộ nghèo, cận nghèo được hỗ trợ", "ho-ngheo-ho-tro", 40),
            ("Tiền vận động Quỹ “Vì người nghèo”", "quy-vi-nguoi-ngheo", 40),
        ):
            services.add_criterion(
                None, movement, name=name, weight=weight, measure=Measure.INDICATOR, schedule=schedule,
                indicator_code=code,
            )  # fmt: skip
    services.add_criterion(None, movement, name="Đổi mới cách làm, nhân rộng mô hình", weight=20)
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    if last_month_end >= movement.starts_on:
        review = evaluation.open_review(
            None, movement, stage=Stage.INTERIM, period_from=movement.starts_on, period_to=last_month_end
        )
        evaluation.compute(review)  # at once: the demo's rankings are there before the worker starts
    return movement
