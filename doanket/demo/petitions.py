"""The demo's petitions: what citizens of Lào Cai sent by every channel over the last two months,
at every step of handling, a few answers published on the portal, and one denunciation whose
sender only the commune officer it is assigned to can see. Made through the services (audit and
events included); loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from doanket.accounts.models import Role, RoleGrant, User
from doanket.demo.opinions import opinions
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.petitions import services, synthesis
from doanket.petitions.models import Agency, Body, Channel, Kind, Petition, Topic, VoterMeeting
from doanket.petitions.services import Sender

MARK = "(mẫu)"  # in every demo agency's contact: what the loader recognises as its own


@dataclass(frozen=True)
class Sample:
    title: str
    content: str
    topic: str
    channel: str = Channel.PORTAL
    kind: str = Kind.PETITION
    level: str = Level.COMMUNE
    days_ago: int = 5
    step: str = "received"  # received, assigned, forwarded, answered, published, merged
    agency: str = ""
    answer: str = ""
    sender: str = "Nguyễn Văn Hùng"
    show_name: bool = False


SAMPLES = [
    Sample(
        "Đường liên thôn bị sạt lở sau mưa lũ",
        "Đoạn đường từ thôn lên trường tiểu học bị sạt lở, học sinh đi học rất nguy hiểm. Đề nghị xã sớm khắc phục.",
        "Giao thông, hạ tầng",
        days_ago=40,
        step="published",
        agency="UBND",
        answer="UBND xã đã bố trí kinh phí khắc phục, thi công xong trong tháng này.",
        show_name=True,
    ),
    Sample(
        "Chậm chi trả trợ cấp cho hộ nghèo",
        "Gia đình tôi thuộc hộ nghèo nhưng ba tháng nay chưa nhận được trợ cấp. Đề nghị kiểm tra.",
        "An sinh xã hội, chính sách người có công",
        channel=Channel.RECEPTION,
        days_ago=30,
        step="published",
        agency="Sở Lao động - Thương binh và Xã hội tỉnh Lào Cai",
        answer="Sở đã chỉ đạo chi trả đủ ba tháng trợ cấp; nguyên nhân chậm do thay đổi danh sách.",
        level=Level.PROVINCE,
    ),
    Sample(
        "Ô nhiễm nguồn nước do cơ sở chế biến",
        "Cơ sở chế biến gỗ xả nước thải ra suối, nước sinh hoạt của thôn có mùi. Đề nghị kiểm tra xử lý.",
        "Môi trường",
        days_ago=25,
        step="forwarded",
        agency="Sở Nông nghiệp và Môi trường tỉnh Lào Cai",
        level=Level.PROVINCE,
    ),
    Sample(
        "Cấp giấy chứng nhận quyền sử dụng đất chậm",
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ đầu năm nhưng chưa có kết quả.",
        "Đất đai, nhà ở",
        channel=Channel.LETTER,
        days_ago=20,
        step="assigned",
    ),
    Sample(
        "Đèn chiếu sáng đường thôn hỏng",
        "Nhiều bóng đèn đường trong thôn hỏng đã lâu, buổi tối đi lại khó khăn.",
        "Giao thông, hạ tầng",
        channel=Channel.PHONE,
        days_ago=3,
    ),
    Sample(
        "Đèn đường thôn bị hỏng nhiều ngày",
        "Đèn đường trong thôn bị hỏng nhiều ngày chưa được thay.",
        "Giao thông, hạ tầng",
        days_ago=2,
        step="merged",
        sender="Lò Thị Mai",
    ),
    Sample(
        "Tố cáo thu tiền đóng góp không có biên lai",
        "Cán bộ thôn thu tiền đóng góp xây nhà văn hóa của các hộ nhưng không đưa biên lai.",
        "Tham nhũng, tiêu cực",
        kind=Kind.DENUNCIATION,
        days_ago=12,
        step="assigned",
        sender="Người tố cáo (mẫu)",
    ),
    Sample(
        "Trường học thiếu giáo viên tiếng Anh",
        "Điểm trường thôn không có giáo viên tiếng Anh, học sinh lớp 3 chưa được học.",
        "Giáo dục",
        channel=Channel.SOCIAL,
        days_ago=45,
        step="assigned",
    ),
    Sample(
        "Thủ tục đăng ký kinh doanh hộ gia đình",
        "Đề nghị hướng dẫn thủ tục đăng ký hộ kinh doanh và giảm thời gian giải quyết.",
        "Thủ tục hành chính",
        channel=Channel.EMAIL,
        days_ago=8,
        step="published",
        agency="UBND",
        answer="Hộ kinh doanh nộp hồ sơ trực tuyến trên Cổng dịch vụ công; thời gian giải quyết 3 ngày làm việc.",
    ),
    Sample(
        "Trạm y tế xã thiếu thuốc thiết yếu",
        "Người dân đến trạm y tế xã thường không có thuốc hạ sốt cho trẻ em.",
        "Y tế",
        channel=Channel.VOTER_MEETING,
        days_ago=1,
    ),
]

AGENCIES = [
    ("Sở Lao động - Thương binh và Xã hội tỉnh Lào Cai", Level.PROVINCE),
    ("Sở Nông nghiệp và Môi trường tỉnh Lào Cai", Level.PROVINCE),
    ("Sở Xây dựng tỉnh Lào Cai", Level.PROVINCE),
    ("Thanh tra tỉnh Lào Cai", Level.PROVINCE),
]


def load_petitions(today: dt.date) -> int:
    """The demo petitions of Lào Cai (province officer ``tinh.laocai``, commune officer ``xa.laocai``)."""
    officer = User.objects.get(username="tinh.laocai")
    commune_officer = User.objects.get(username="xa.laocai")
    province = RoleGrant.objects.select_related("unit").get(user=officer, role=Role.OFFICER).unit
    commune = RoleGrant.objects.select_related("unit").get(user=commune_officer, role=Role.OFFICER).unit
    if Petition.objects.filter(unit__path__startswith=province.path or "", title=SAMPLES[0].title).exists():
        return 0
    agencies = {
        name: Agency.objects.get_or_create(unit=province, name=name, defaults={"level": level, "contact": MARK})[0]
        for name, level in AGENCIES
    }
    agencies["UBND"] = Agency.objects.get_or_create(
        unit=commune,
        name=f"UBND {commune.name.removeprefix('Ủy ban MTTQ ')}",
        defaults={"level": Level.COMMUNE, "contact": MARK},
    )[0]
    villages = list(Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE_BOARD).order_by("name"))
    rng = random.Random(2026)  # noqa: S311 - sample data, the same on every load
    topics = {t.name: t for t in Topic.objects.all()}
    first: Petition | None = None
    made = 0
    for sample in SAMPLES:
        place = rng.choice(villages) if villages else commune
        received = timezone.now() - dt.timedelta(days=sample.days_ago, hours=rng.randint(1, 8))
        petition = services.receive(
            None,
            place=place,
            level=sample.level,
            channel=sample.channel,
            kind=sample.kind,
            topic=topics.get(sample.topic),
            title=sample.title,
            content=sample.content,
            received_at=received,
            sender=Sender(
                name=sample.sender,
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                show_name=sample.show_name,
            ),
        )
        made += 1
        handler = officer if petition.unit == province else commune_officer
        if sample.step == "merged" and first is not None:
            services.merge(handler, petition, first)
            continue
        if first is None and "Đèn" in sample.title:
            first = petition
        if sample.step == "received":
            continue
        services.assign(handler, petition, handler)
        if sample.step == "assigned":
            continue
        services.forward(handler, petition, agencies[sample.agency], "Chuyển cơ quan có thẩm quyền giải quyết.")
        if sample.step == "forwarded":
            continue
        petition = services.record_answer(handler, petition, sample.answer, "")
        if sample.step == "published":
            question = f"{sample.content} (Người dân {place.name.removeprefix('Ban công tác Mặt trận ')})"
            services.publish(handler, petition, question, sample.answer)
    made += _meetings(commune, commune_officer, villages)
    made += _province_meeting(province, officer)
    return made


def _meetings(commune: Unit, officer: User, villages: list[Unit]) -> int:
    """A meeting of the commune's People's Council deputies held last week with its voters'
    opinions, and one of the National Assembly deputies announced for next week."""
    now = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    area = villages[0] if villages else None
    held = services.plan_meeting(
        officer,
        VoterMeeting(
            unit=commune,
            body=Body.COMMUNE_COUNCIL,
            deputies="Đại biểu Lò Văn Sáng\nĐại biểu Vàng Thị Mỷ",
            title="Tiếp xúc cử tri trước kỳ họp cuối năm của HĐND xã",
            starts_at=now - dt.timedelta(days=7),
            place=f"Nhà văn hóa {area.name.removeprefix('Ban công tác Mặt trận ')}" if area else "Hội trường xã",
            area=area,
            expected=150,
            attended=132,
        ),
    )
    opinions = services.record_opinions(
        officer,
        held,
        "- Đề nghị sớm bê tông hóa đường nội đồng, mùa mưa bà con đi lại khó khăn.\n"
        "- Đề nghị tăng cường kiểm tra an toàn thực phẩm ở chợ phiên.\n"
        "- Đề nghị có lớp dạy nghề cho thanh niên sau tốt nghiệp trung học.",
    )
    services.plan_meeting(
        officer,
        VoterMeeting(
            unit=commune,
            body=Body.NATIONAL_ASSEMBLY,
            deputies="Đại biểu Quốc hội đơn vị bầu cử số 1 tỉnh Lào Cai",
            title="Tiếp xúc cử tri trước kỳ họp của Quốc hội",
            starts_at=now + dt.timedelta(days=7),
            place="Hội trường Ủy ban nhân dân xã",
            expected=200,
        ),
    )
    return len(opinions)


SYNTHESIS_TITLE = "Tổng hợp ý kiến, kiến nghị của cử tri trước kỳ họp cuối năm HĐND tỉnh"


def _province_meeting(province: Unit, officer: User, count: int = 160) -> int:
    """The province's voter meetings before the People's Council's year-end session: opinions from
    villages all over the province (generated: ``demo.opinions``), and their synthesis, grouped."""
    now = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    held = services.plan_meeting(
        officer,
        VoterMeeting(
            unit=province,
            body=Body.PROVINCIAL_COUNCIL,
            deputies="Tổ đại biểu HĐND tỉnh đơn vị bầu cử số 3",
            title="Tiếp xúc cử tri trước kỳ họp cuối năm của HĐND tỉnh",
            starts_at=now - dt.timedelta(days=12),
            place="Hội trường Ủy ban MTTQ tỉnh",
            expected=300,
            attended=284,
        ),
    )
    villages = list(
        Unit.objects.filter(path__startswith=province.path or "", kind=UnitKind.VILLAGE_BOARD).order_by("path")[:40]
    )
    if not villages:
        return 0
    rng = random.Random(11)  # noqa: S311 - sample data, the same on every load
    for opinion in opinions(count, seed=11, themes=12):
        services.receive(
            None,
            place=rng.choice(villages),
            level=Level.PROVINCE,
            unit=province,
            channel=Channel.VOTER_MEETING,
            title=opinion.title,
            content=opinion.content,
            sender=Sender(),
            received_at=held.starts_at + dt.timedelta(minutes=rng.randint(0, 180)),
            meeting=held,
        )
    today = timezone.localdate()
    made = synthesis.start(officer, province, SYNTHESIS_TITLE, today - dt.timedelta(days=30), today, meeting=held)
    synthesis.compute(made.pk)
    return count
