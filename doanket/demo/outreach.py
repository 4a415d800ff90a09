"""The demo's people the Front listens to: in the first commune of Lào Cai, a village elder and a
religious dignitary in the registry, a gathering of their opinions (recorded like a voter meeting,
its opinions in the petitions' synthesis), a Tết visit paid from the province's Fund for the Poor,
and a land dispute followed as a hot spot."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doanket.funds.models import Campaign, CampaignKind
from doanket.organizations.models import Level, Person, Unit
from doanket.outreach import services
from doanket.outreach.models import HotSpot, Occasion, Risk, Visit
from doanket.petitions import services as petitions
from doanket.petitions.models import MeetingKind, VoterMeeting

GATHERING = "Lấy ý kiến người có uy tín, chức sắc tôn giáo quý IV (mẫu)"


def load_outreach(province: Unit, commune: Unit, today: dt.date) -> None:
    village = Unit.objects.filter(parent=commune, level=Level.VILLAGE).order_by("path").first() or commune
    elder, _new = Person.objects.get_or_create(
        unit=village, full_name="Già làng Lù Văn Sáng (mẫu)",
        defaults={"ethnicity": "Mông", "is_elder": True, "is_prestigious_person": True,
                  "community": "Đồng bào Mông thôn (mẫu)", "is_sample": True},
    )  # fmt: skip
    pastor, _new = Person.objects.get_or_create(
        unit=village, full_name="Mục sư Thào A Lử (mẫu)",
        defaults={"ethnicity": "Mông", "religion": "Tin Lành", "is_religious_dignitary": True,
                  "community": "Chi hội Tin Lành (mẫu)", "is_sample": True},
    )  # fmt: skip
    if not VoterMeeting.objects.filter(unit=commune, title=GATHERING).exists():
        held = timezone.now() - dt.timedelta(days=7)
        meeting = petitions.plan_meeting(
            None,
            VoterMeeting(
                unit=commune, kind=MeetingKind.GATHERING, title=GATHERING, starts_at=held, place="Nhà văn hoá thôn",
                deputies="Chủ tịch Ủy ban MTTQ xã (mẫu)", expected=15, published=False,
            ),
        )  # fmt: skip
        petitions.record_opinions(
            None, meeting,
            "Đề nghị sớm hoàn thành đường lên khu sản xuất trước mùa mưa (mẫu).\n"
            "Đề nghị mở lớp dạy chữ Mông cho thanh niên (mẫu).",
        )  # fmt: skip
    if not Visit.objects.filter(unit=commune).exists():
        fund = Campaign.objects.filter(unit=province, kind=CampaignKind.FUND_FOR_THE_POOR).first()
        services.record_visit(
            None, commune, occasion=Occasion.TET, visited_on=min(today, dt.date(today.year, 2, 10)),
            visitors="Chủ tịch Ủy ban MTTQ xã (mẫu)\nBí thư Đảng ủy xã (mẫu)", persons=[elder],
            gift="Quà Tết (mẫu)", gift_value=500_000, fund=fund,
        )  # fmt: skip
        services.record_visit(
            None, commune, occasion=Occasion.CHRISTMAS, visited_on=min(today, dt.date(today.year - 1, 12, 24)),
            visitors="Phó Chủ tịch Ủy ban MTTQ xã (mẫu)", persons=[pastor], gift="Lẵng hoa (mẫu)", gift_value=300_000,
        )  # fmt: skip
    if not HotSpot.objects.filter(unit=commune).exists():
        flagged = today - dt.timedelta(days=30)
        spot = services.flag_hot_spot(
            None, commune, place=village if village != commune else None,
            title="Tranh chấp ranh giới đất rừng giữa hai dòng họ (mẫu)",
            description="Hai dòng họ tranh chấp khoảng 3 ha đất rừng; đã có lời qua tiếng lại (dữ liệu mẫu).",
            risk=Risk.HIGH, flagged_on=flagged,
        )  # fmt: skip
        services.act_on(
            None, spot, taken_on=flagged + dt.timedelta(days=2), by="Tổ hòa giải thôn, già làng (mẫu)",
            action="Gặp riêng từng dòng họ, già làng Lù Văn Sáng tham gia hòa giải (mẫu).", risk=Risk.MEDIUM,
        )  # fmt: skip
