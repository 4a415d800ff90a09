"""The demo's congresses: Lào Cai's provincial congress of 2024–2029 held, with its committee, its
resolution imported from its document and the resolution's targets bound to the monthly report's
indicators (which the demo reports fill, so the mid-term review shows figures); the communes of the
province and the demo commune's villages in every state — held with results, late, in
preparation, planned.

The themes of the targets are the provincial programme's (seed 000: houses of great solidarity for
the poor, support of poor households, the fund “Vì người nghèo”, supervision under Quy định
124-QĐ/TW, cultural residential areas, training); their figures are sample values, and the
document is marked as a sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from doanket.congresses import services
from doanket.congresses.models import Congress
from doanket.organizations.models import Level, Person, PositionKind, Unit, UnitKind
from doanket.reporting.models import Schedule

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
RESOLUTION = DOCUMENTS / "nghi-quyet-dai-hoi-mttq-lao-cai-2024-2029.txt"
PROVINCE_TERM = ("2024–2029", dt.date(2024, 10, 1), dt.date(2029, 9, 30))
PROVINCE_NAME = "Đại hội đại biểu MTTQ Việt Nam tỉnh Lào Cai lần thứ XVI"
COMMUNE_SCHEDULE = "Báo cáo công tác Mặt trận tháng của Ủy ban MTTQ các xã, phường"
VILLAGE_SCHEDULE = "Báo cáo tháng của Ban công tác Mặt trận các thôn, tổ dân phố"

# (target, value, measure, indicator of the monthly report or "" when no report carries it)
PROVINCE_TARGETS = [
    ("Xây dựng mới nhà Đại đoàn kết cho hộ nghèo trong nhiệm kỳ", 3000, "nhà", "ndk-xay-moi"),
    ("Thăm hỏi, hỗ trợ hộ nghèo, hộ cận nghèo", 40000, "hộ", "ho-ngheo-ho-tro"),
    ("Vận động Quỹ “Vì người nghèo” các cấp", 100_000_000_000, "đồng", "quy-vi-nguoi-ngheo"),
    ("Tổ chức các cuộc giám sát theo Quy định 124-QĐ/TW", 4000, "cuộc", "giam-sat"),
    ("Tỷ lệ khu dân cư đạt danh hiệu “Khu dân cư văn hóa”", 90, "%", "ty-le-khu-dan-cu-van-hoa"),
    ("Tập huấn cho Trưởng ban công tác Mặt trận ở khu dân cư", 100, "%", ""),
]
COMMUNE_TARGETS = [
    ("Xây dựng mới nhà Đại đoàn kết cho hộ nghèo", 40, "nhà", "ndk-xay-moi"),
    ("Tổ chức các cuộc giám sát ở khu dân cư", 60, "cuộc", "giam-sat"),
]
COMMUNE_COMMITTEE = [
    ("Lù Văn Pao (mẫu)", PositionKind.CHAIR, "Chủ tịch Ủy ban MTTQ xã"),
    ("Hoàng Thị Dung (mẫu)", PositionKind.VICE_CHAIR, "Phó Chủ tịch Ủy ban MTTQ xã"),
    ("Sùng A Chống (mẫu)", PositionKind.STANDING_COMMITTEE, "Ủy viên Ban Thường trực"),
    ("Tráng Thị Mỷ (mẫu)", PositionKind.COMMITTEE_MEMBER, "Ủy viên Ủy ban, người có uy tín"),
]


def _term(start: dt.date) -> tuple[str, dt.date, dt.date]:
    return f"{start.year}–{start.year + 5}", start, dt.date(start.year + 5, start.month, 1) - dt.timedelta(days=1)


def _plan(unit: Unit, name: str, planned_on: dt.date, term_start: dt.date) -> Congress:
    term_name, start, end = _term(term_start)
    return services.plan_congress(
        None, unit, name=name, term_name=term_name, term_start=start, term_end=end, planned_on=planned_on
    )


def _steps_done(congress: Congress, count: int, today: dt.date) -> None:
    for step in list(congress.steps.order_by("due_on"))[:count]:
        assert step.due_on is not None
        services.record_step(None, step, min(step.due_on, today), today=today)


def _targets(congress: Congress, schedule: Schedule | None, targets: list[tuple[str, int, str, str]]) -> None:
    for text, value, measure, code in targets:
        bound = schedule if code and schedule is not None else None
        services.add_target(None, congress, text, value, measure, bound, code if bound else "")


def _province(province: Unit, today: dt.date) -> Congress:
    name, start, end = PROVINCE_TERM
    congress = services.plan_congress(
        None,
        province,
        name=PROVINCE_NAME,
        term_name=name,
        term_start=start,
        term_end=end,
        planned_on=dt.date(2024, 9, 25),
        place="Thành phố Lào Cai",
    )
    _steps_done(congress, 3, today)
    services.update_congress(None, congress, today=today, held_on=dt.date(2024, 9, 26), delegates=300)
    for person in Person.objects.filter(unit=province, positions__kind__in=services.ELECTED).distinct():
        position = person.positions.filter(kind__in=services.ELECTED).first()
        assert position is not None
        services.elect(None, congress, position.kind, person=person, title=position.title)
    services.import_resolution(None, congress, RESOLUTION.read_bytes(), RESOLUTION.name)
    _targets(congress, Schedule.objects.filter(unit=province, name=COMMUNE_SCHEDULE).first(), PROVINCE_TARGETS)
    return congress


def _commune_held(commune: Unit, today: dt.date) -> Congress:
    held_on = today - dt.timedelta(days=30)
    congress = _plan(commune, _name(commune), held_on, held_on)
    _steps_done(congress, 3, today)
    services.update_congress(None, congress, today=today, held_on=held_on, delegates=95)
    for full_name, kind, title in COMMUNE_COMMITTEE:
        person = Person.objects.create(unit=commune, full_name=full_name, is_sample=True)
        services.elect(None, congress, kind, person=person, title=title)
    _targets(congress, Schedule.objects.filter(unit=commune, name=VILLAGE_SCHEDULE).first(), COMMUNE_TARGETS)
    return congress


def _name(unit: Unit) -> str:
    place = unit.name.removeprefix("Ủy ban MTTQ ").removeprefix("Ban công tác Mặt trận ")
    if unit.level == Level.VILLAGE:
        return f"Hội nghị Ban công tác Mặt trận {place}"
    return f"Đại hội đại biểu MTTQ Việt Nam {place} lần thứ I"


def load_congresses(province: Unit, commune: Unit, today: dt.date) -> list[Congress]:
    """Idempotent: nothing is done when the province's congress is there already."""
    found = Congress.objects.filter(unit=province, name=PROVINCE_NAME).first()
    if found is not None:
        return [found]
    made = [_province(province, today), _commune_held(commune, today)]
    others = list(
        Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=UnitKind.COMMITTEE)
        .exclude(pk=commune.pk)
        .order_by("official_code")[:6]
    )
    # (days from today to the planned date, steps done, held)
    states = [(-10, 2, False), (20, 1, False), (45, 0, False), (60, 0, False), (-60, 3, True), (10, 2, False)]
    for unit, (days, steps, held) in zip(others, states, strict=False):
        planned_on = today + dt.timedelta(days=days)
        congress = _plan(unit, _name(unit), planned_on, planned_on)
        _steps_done(congress, steps, today)
        if held:
            services.update_congress(None, congress, today=today, held_on=planned_on, delegates=90)
        made.append(congress)
    villages = list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE_BOARD).order_by("path")[:2])
    for village, days in zip(villages, (-40, 15), strict=False):
        planned_on = today + dt.timedelta(days=days)
        congress = _plan(village, _name(village), planned_on, planned_on)
        if days < 0:
            _steps_done(congress, 3, today)
            services.update_congress(None, congress, today=today, held_on=planned_on)
        made.append(congress)
    return made
