"""The demo's emulation movement: Lạng Sơn launches seed 003 (its 2022 launch, run again for the
current year) for its commune committees, with criteria, and the first communes register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from doanket.emulation import services
from doanket.emulation.models import Measure, Movement
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
    for unit, targets in zip(services.participants(movement).order_by("path")[:2], TARGETS, strict=False):
        services.register(None, movement, unit, targets, today=today)
    return movement
