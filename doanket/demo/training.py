"""The demo's training (the seeds: "bồi dưỡng, tập huấn định kỳ ... cho cán bộ chuyên trách, cán bộ
không chuyên trách của Mặt trận và Trưởng ban công tác Mặt trận ở khu dân cư"): Lào Cai's current
term, the staff and village board heads of its first six communes, and two courses of 2026 that
trained those of the first three communes only — so the page of the untrained shows the others."""

from __future__ import annotations

import datetime as dt

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.organizations import services as org_services
from doanket.organizations.models import Level, Person, Position, PositionKind, Term, Unit, UnitKind
from doanket.training import services
from doanket.training.models import Course

TERM = "2024–2029"
STAFF = [
    ("Chủ tịch Ủy ban MTTQ xã", PositionKind.CHAIR),
    ("Cán bộ chuyên trách", PositionKind.FULL_TIME_STAFF),
]
SURNAMES = ["Lò Văn", "Giàng Seo", "Vàng Thị", "Hoàng Văn", "Sùng A", "Nguyễn Thị"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quế"]
STAFF_COURSE = "Bồi dưỡng nghiệp vụ công tác Mặt trận cho cán bộ cấp xã năm 2026 (mẫu)"
HEADS_COURSE = "Tập huấn kỹ năng cho Trưởng ban công tác Mặt trận khu dân cư năm 2026 (mẫu)"


def _name(i: int) -> str:
    return f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]} (mẫu)"


def _held(person: Person, unit: Unit, kind: str, title: str, start: dt.date) -> None:
    if not Position.objects.filter(person=person, unit=unit, kind=kind).exists():
        made = Position.objects.create(person=person, unit=unit, kind=kind, title=title, start_date=start)
        audit.record(None, AuditAction.CREATE, made)


def _person(unit: Unit, full_name: str) -> Person:
    found = Person.objects.filter(unit=unit, full_name=full_name).first()
    return found or org_services.save_person(None, Person(unit=unit, full_name=full_name, is_sample=True))


def load_training(province: Unit) -> None:
    term, created = Term.objects.get_or_create(
        unit=province, name=TERM, defaults={"start_date": dt.date(2024, 10, 1), "end_date": dt.date(2029, 9, 30)}
    )
    if created:
        audit.record(None, AuditAction.CREATE, term)
    communes = list(
        Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=UnitKind.COMMITTEE).order_by("official_code")[:6]
    )
    staff: list[list[Person]] = []
    heads: list[list[Person]] = []
    n = 0
    for commune in communes:
        mine: list[Person] = []
        for title, kind in STAFF:
            person = _person(commune, _name(n))
            n += 1
            _held(person, commune, kind, title, term.start_date)
            mine.append(person)
        staff.append(mine)
        villages = Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE_BOARD).order_by("path")[:2]
        theirs: list[Person] = []
        for village in villages:
            person = _person(village, _name(n))
            n += 1
            _held(person, village, PositionKind.BOARD_HEAD, "Trưởng ban công tác Mặt trận", term.start_date)
            theirs.append(person)
        heads.append(theirs)
    if Course.objects.filter(unit=province, topic__in=[STAFF_COURSE, HEADS_COURSE]).exists():
        return
    course = services.create_course(
        None, province, topic=STAFF_COURSE, trainers="Phó Chủ tịch Ủy ban MTTQ tỉnh (mẫu)\nTrưởng Ban Tổ chức (mẫu)",
        start_date=dt.date(2026, 4, 14), end_date=dt.date(2026, 4, 16), place="Hội trường Ủy ban MTTQ tỉnh (mẫu)",
        for_staff=True,
    )  # fmt: skip
    services.add_attendees(None, course, [p for mine in staff[:3] for p in mine])
    course = services.create_course(
        None, province, topic=HEADS_COURSE, trainers="Trưởng Ban Dân chủ - Pháp luật (mẫu)",
        start_date=dt.date(2026, 7, 8), end_date=dt.date(2026, 7, 9), place="Trung tâm chính trị (mẫu)",
        for_staff=False, for_village_heads=True,
    )  # fmt: skip
    services.add_attendees(None, course, [p for theirs in heads[:3] for p in theirs])
