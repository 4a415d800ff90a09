"""The demo: what Lào Cai and Lạng Sơn would see on day one. Loading it twice changes nothing.

Real communes come from ``vietnam-provinces``; villages, people and accounts are generated and
marked as sample data (``is_sample``). Every record is looked up by a natural key first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from doanket.accounts import services as account_services
from doanket.accounts.models import Role, User
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.demo.assistant import load_assistant
from doanket.demo.congresses import load_congresses
from doanket.demo.emulation import load_emulation, load_poor_movement
from doanket.demo.funds import load_funds
from doanket.demo.news import load_news
from doanket.demo.outreach import load_outreach
from doanket.demo.petitions import load_petitions
from doanket.demo.reporting import load_reporting
from doanket.demo.supervision import load_supervision
from doanket.demo.training import load_training
from doanket.organizations import services as org_services
from doanket.organizations.models import (
    Level,
    Person,
    Position,
    PositionKind,
    Term,
    Unit,
    UnitKind,
)
from doanket.programs import services as program_services
from doanket.programs.models import Assignment, Program

DOCUMENTS = Path(__file__).resolve().parents[2] / "demo" / "documents"
LAO_CAI, LANG_SON = 15, 20
VILLAGES_PER_COMMUNE = 4
DEMO_PASSWORD = "DoanKet@2026"  # noqa: S105 - published demo password, sample data only
# A published secret for the demo administrators' authenticator (base32 JBSWY3DPEHPK3PXP).
DEMO_TOTP_KEY = "48656c6c6f21deadbeef"

MEMBER_ORGANIZATIONS = [
    "Hội Nông dân tỉnh {p}",
    "Hội Liên hiệp Phụ nữ tỉnh {p}",
    "Tỉnh đoàn {p}",
    "Hội Cựu chiến binh tỉnh {p}",
    "Liên đoàn Lao động tỉnh {p}",
]
STAFF_BODIES = [
    ("Văn phòng Ủy ban MTTQ tỉnh {p}", UnitKind.OFFICE),
    ("Ban Dân chủ - Pháp luật", UnitKind.DEPARTMENT),
    ("Ban Tuyên giáo - Dân tộc, Tôn giáo", UnitKind.DEPARTMENT),
    ("Ban Phong trào", UnitKind.DEPARTMENT),
    ("Hội đồng tư vấn về Dân chủ - Pháp luật", UnitKind.ADVISORY_COUNCIL),
]
SAMPLE_PEOPLE = [
    ("Nguyễn Thị Hoà", PositionKind.CHAIR, "Chủ tịch Ủy ban MTTQ tỉnh"),
    ("Lò Văn Khoá", PositionKind.VICE_CHAIR, "Phó Chủ tịch Ủy ban MTTQ tỉnh"),
    ("Hoàng Thị Mai", PositionKind.VICE_CHAIR, "Phó Chủ tịch Ủy ban MTTQ tỉnh"),
    ("Giàng A Páo", PositionKind.STANDING_COMMITTEE, "Ủy viên Ban Thường trực"),
    ("Vàng Thị Sâu", PositionKind.COMMITTEE_MEMBER, "Ủy viên Ủy ban, người có uy tín"),
    ("Thào Seo Chứ", PositionKind.COMMITTEE_MEMBER, "Ủy viên Ủy ban, chức sắc tôn giáo"),
    ("Trần Văn Nghèo", PositionKind.COMMITTEE_MEMBER, "Ủy viên Ủy ban"),
    ("Đặng Thị Hương", PositionKind.FULL_TIME_STAFF, "Chuyên viên Văn phòng"),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    unit: str
    two_factor: bool = False


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)


def _unit(parent: Unit, name: str, kind: str, level: str, **extra: Any) -> Unit:
    found = Unit.objects.filter(parent=parent, name=name).first()
    if found is not None:
        return found
    return org_services.create_unit(None, parent=parent, name=name, kind=kind, level=level, **extra)


def _villages(province: Unit) -> None:
    communes = list(Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=UnitKind.COMMITTEE))
    have = set(Unit.objects.filter(parent__in=communes, kind=UnitKind.VILLAGE_BOARD).values_list("parent_id", "name"))
    new = [
        Unit(
            parent=c,
            name=f"Ban công tác Mặt trận thôn {i} (mẫu)",
            level=Level.VILLAGE,
            kind=UnitKind.VILLAGE_BOARD,
            division_type="thôn",
            is_sample=True,
        )
        for c in communes
        for i in range(1, VILLAGES_PER_COMMUNE + 1)
        if (c.pk, f"Ban công tác Mặt trận thôn {i} (mẫu)") not in have
    ]
    org_services.bulk_create_units(new)
    audit.record_many(None, AuditAction.CREATE, new)


def _people(province: Unit, short: str) -> None:
    term, created = Term.objects.get_or_create(
        unit=province,
        name="2019–2024",
        defaults={"start_date": datetime.date(2019, 9, 1), "end_date": datetime.date(2024, 9, 30)},
    )
    if created:
        audit.record(None, AuditAction.CREATE, term)
    for full_name, kind, title in SAMPLE_PEOPLE:
        person = Person.objects.filter(unit=province, full_name=full_name).first()
        if person is None:
            person = org_services.save_person(
                None,
                Person(
                    unit=province,
                    full_name=full_name,
                    is_sample=True,
                    ethnicity="Mông" if "Giàng" in full_name or "Thào" in full_name else "Kinh",
                    is_prestigious_person="uy tín" in title,
                    is_religious_dignitary="tôn giáo" in title,
                    phone=f"0912 000 {len(short) * 100 + SAMPLE_PEOPLE.index((full_name, kind, title)):03d}",
                ),
            )
        if not Position.objects.filter(person=person, unit=province, term=term).exists():
            org_services.save_position(None, Position(person=person, unit=province, kind=kind, title=title, term=term))


def _user(username: str, full_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, is_superuser=superuser, is_staff=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
        audit.record(None, AuditAction.CREATE, user)
    return user


def _totp(user: User) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)


def _programmes(lao_cai: Unit, lang_son: Unit, commune: Unit, farmers: Unit) -> None:
    """The two seed documents as the provinces' programmes, a commune's programme built from
    Lào Cai's, and assignments around today so the board, my tasks and reminders show something."""
    if Program.objects.filter(unit=lao_cai).exists():
        return
    for unit, prefix in ((lao_cai, "000"), (lang_son, "003")):
        path = next(DOCUMENTS.glob(f"{prefix}_*.txt"))
        parsed, _text, fmt = program_services.understand(path.read_bytes(), path.name)
        program_services.save_program(None, unit, parsed, source=(path.read_bytes(), path.name), source_format=fmt)
    upper = Program.objects.get(unit=lao_cai)
    chosen = list(upper.items.filter(number__in=["2.1", "2.2"]).values_list("pk", flat=True))
    chosen += list(upper.items.filter(parent__number="2.1").values_list("pk", flat=True))
    program_services.derive_program(
        None, upper, commune, chosen, title=f"Chương trình công tác năm 2022 của {commune.name}"
    )
    today = datetime.date.today()
    plan = [("2.1", -10, 40), ("2.2", 5, 0), ("3.1", 30, 100), ("3.2", -3, 0), ("4", 60, 20)]
    for number, days, progress in plan:
        item = upper.items.filter(number=number).first()
        if item is None:
            continue
        (lead, *_rest) = program_services.assign(
            None, item, commune, [farmers], due_date=today + datetime.timedelta(days=days)
        )
        if progress:
            program_services.post_update(None, lead, "Đã triển khai tại các thôn (dữ liệu mẫu).", progress)
    late = Assignment.objects.filter(program=upper, unit=commune, due_date__lt=today).first()
    if late is not None:
        program_services.send_reminder(None, late, message="Đề nghị báo cáo tiến độ (dữ liệu mẫu).")


@transaction.atomic
def load_demo() -> DemoResult:
    org_services.load_administrative_units(None, {LAO_CAI, LANG_SON})
    result = DemoResult()
    provinces = {
        code: Unit.objects.get(level=Level.PROVINCE, official_code=f"{code:02d}") for code in (LAO_CAI, LANG_SON)
    }
    short_names = {LAO_CAI: "Lào Cai", LANG_SON: "Lạng Sơn"}
    farmers: dict[int, Unit] = {}
    for code, province in provinces.items():
        p = short_names[code]
        for i, template in enumerate(MEMBER_ORGANIZATIONS):
            org = _unit(province, template.format(p=p), UnitKind.MEMBER_ORGANIZATION, Level.PROVINCE)
            if i == 0:
                farmers[code] = org
        for template, kind in STAFF_BODIES:
            _unit(province, template.format(p=p), kind, Level.PROVINCE)
        _villages(province)
        _people(province, p)
    lao_cai = provinces[LAO_CAI]
    commune = Unit.objects.filter(parent=lao_cai, level=Level.COMMUNE).order_by("official_code").first()
    assert commune is not None
    _unit(
        commune,
        f"Ban Thanh tra nhân dân {commune.name.removeprefix('Ủy ban MTTQ ')}",
        UnitKind.PEOPLES_INSPECTION_BOARD,
        Level.COMMUNE,
    )
    _unit(
        commune,
        f"Ban Giám sát đầu tư của cộng đồng {commune.name.removeprefix('Ủy ban MTTQ ')}",
        UnitKind.COMMUNITY_INVESTMENT_BOARD,
        Level.COMMUNE,
    )

    _programmes(lao_cai, provinces[LANG_SON], commune, farmers[LAO_CAI])

    accounts = [
        ("tinh.laocai", "Cán bộ tỉnh Lào Cai (mẫu)", Role.OFFICER, lao_cai),
        ("lanhdao.laocai", "Lãnh đạo tỉnh Lào Cai (mẫu)", Role.LEADER, lao_cai),
        ("xem.laocai", "Người xem tỉnh Lào Cai (mẫu)", Role.VIEWER, lao_cai),
        ("quantri.laocai", "Quản trị đơn vị Lào Cai (mẫu)", Role.UNIT_ADMIN, lao_cai),
        ("xa.laocai", f"Cán bộ {commune.name.removeprefix('Ủy ban MTTQ ')} (mẫu)", Role.OFFICER, commune),
        ("hoinongdan.laocai", "Cán bộ Hội Nông dân tỉnh Lào Cai (mẫu)", Role.OFFICER, farmers[LAO_CAI]),
        ("tinh.langson", "Cán bộ tỉnh Lạng Sơn (mẫu)", Role.OFFICER, provinces[LANG_SON]),
    ]
    for username, full_name, role, unit in accounts:
        user = _user(username, full_name)
        account_services.grant_role(None, user, unit, role)
        if role == Role.UNIT_ADMIN:
            _totp(user)
        result.logins.append(DemoLogin(username, str(Role(role).label), unit.name, role == Role.UNIT_ADMIN))
    admin = _user("quantri", "Quản trị hệ thống (mẫu)", superuser=True)
    _totp(admin)
    result.logins.append(DemoLogin("quantri", str(_("System administrator")), "—", True))
    load_reporting(timezone.localdate())
    load_petitions(timezone.localdate())
    load_funds(lao_cai, commune)
    load_emulation(provinces[LANG_SON], timezone.localdate())
    load_poor_movement(lao_cai, timezone.localdate())
    load_supervision(lao_cai, commune, User.objects.get(username="tinh.laocai"), timezone.localdate())
    load_outreach(lao_cai, commune, timezone.localdate())
    load_news(lao_cai, commune, timezone.localdate())
    load_congresses(lao_cai, commune, timezone.localdate())
    load_assistant(lao_cai)
    load_training(lao_cai)
    return result
