"""Periodic reporting in the demo: Lào Cai's three report forms, who reports on them and when, and
sample reports since 1 January of last year in every state a report can be in.

The reports still being handled (due in the last few weeks or not yet due) and all of the demo
commune's go through the reporting services (save, submit, return, approve, correct); only their
times are moved afterwards, into the period's reporting window. Older reports, approved long ago,
are written in bulk with the figures checked as on submission and their approved version kept.
The roll-up cells of every period written are then rebuilt, so they agree with those times.
Figures come from a generator seeded by the unit and the period: the same database always gets
the same sample. Loading twice changes nothing: forms are looked up by (unit, code), schedules by
(unit, name), and only reports never touched are filled.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from doanket.accounts.models import Role, RoleGrant, User
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.reporting import periods, services
from doanket.reporting.models import Report, ReportForm, ReportVersion, RollupCell, Schedule, Status
from doanket.reporting.periods import DueRule, Frequency
from doanket.reporting.values import check, format_number

PROVINCE_CODE = "15"  # Lào Cai
PROVINCE_OFFICER = "tinh.laocai"
COMMUNE_OFFICER = "xa.laocai"

MONTHLY = "cong-tac-mat-tran-thang"
SENTIMENT = "tinh-hinh-nhan-dan"
ORGANISATION = "thong-ke-to-chuc"

SENTIMENT_CHOICES = ["Ổn định", "Cơ bản ổn định", "Có diễn biến phức tạp"]


def _count(code: str, label: str, measure: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "label": label, "type": "integer", "measure": measure, "min_value": 0, **extra}


def _text(code: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "label": label, "type": "long_text", **extra}


FORMS: list[dict[str, Any]] = [
    {
        "code": SENTIMENT,
        "title": "Báo cáo tình hình Nhân dân",
        "description": (
            "Báo cáo định kỳ hằng quý về tình hình tư tưởng, tâm trạng, dư luận xã hội và những vấn đề "
            "Nhân dân quan tâm, gửi Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh Lào Cai."
        ),
        "sections": [
            {
                "number": "I",
                "title": "Tình hình tư tưởng, tâm trạng Nhân dân",
                "indicators": [
                    {
                        "code": "danh-gia-chung",
                        "label": "Đánh giá chung",
                        "type": "choice",
                        "choices": SENTIMENT_CHOICES,
                        "help_text": "Đánh giá chung về tình hình tư tưởng, tâm trạng Nhân dân trên địa bàn trong quý.",
                    },
                    _text("tu-tuong", "Tình hình tư tưởng, tâm trạng của các tầng lớp Nhân dân"),
                    _text(
                        "dan-toc-ton-giao",
                        "Tình hình trong đồng bào dân tộc thiểu số, đồng bào có đạo",
                        required=False,
                    ),
                ],
            },
            {
                "number": "II",
                "title": "Những vấn đề Nhân dân quan tâm",
                "indicators": [
                    _text("van-de-quan-tam", "Những vấn đề Nhân dân quan tâm, bức xúc", source="petitions.themes"),
                    _count(
                        "y-kien-tiep-nhan",
                        "Số ý kiến, kiến nghị của Nhân dân tiếp nhận",
                        "ý kiến",
                        key=True,
                        source="petitions.received",
                    ),
                    _count("vu-viec-phuc-tap", "Số vụ việc phức tạp phát sinh", "vụ việc", key=True),
                    {
                        "code": "diem-nong",
                        "label": "Có điểm nóng phát sinh",
                        "type": "boolean",
                        "help_text": "Khiếu kiện đông người, tranh chấp đất đai, hoạt động tôn giáo trái pháp luật...",
                    },
                    _text("xu-ly-diem-nong", "Diễn biến và kết quả xử lý điểm nóng (nếu có)", required=False),
                ],
            },
            {
                "number": "III",
                "title": "Kiến nghị, đề xuất",
                "indicators": [_text("kien-nghi-de-xuat", "Kiến nghị, đề xuất với cấp ủy, chính quyền")],
            },
        ],
    },
    {
        "code": MONTHLY,
        "title": "Báo cáo công tác Mặt trận tháng",
        "description": (
            "Kết quả công tác Mặt trận trong tháng và nhiệm vụ tháng tới, gửi Ban Thường trực "
            "Ủy ban MTTQ Việt Nam cấp trên trực tiếp."
        ),
        "sections": [
            {
                "number": "I",
                "title": "Công tác vận động, chăm lo đời sống Nhân dân",
                "indicators": [
                    _count("ho-ngheo-ho-tro", "Số hộ nghèo, hộ cận nghèo được hỗ trợ", "hộ", key=True),
                    {
                        "code": "quy-vi-nguoi-ngheo",
                        "label": "Tiền vận động Quỹ “Vì người nghèo”",
                        "type": "money",
                        "measure": "đồng",
                        "min_value": 0,
                        "key": True,
                    },
                    _count("ndk-xay-moi", "Nhà Đại đoàn kết khởi công xây mới", "nhà"),
                    _count("ndk-sua-chua", "Nhà Đại đoàn kết được sửa chữa", "nhà"),
                    _count(
                        "ndk-tong",
                        "Tổng số nhà Đại đoàn kết xây mới và sửa chữa",
                        "nhà",
                        sum_of=["ndk-xay-moi", "ndk-sua-chua"],
                        key=True,
                    ),
                    _count("ndk-ban-giao", "Nhà Đại đoàn kết hoàn thành, bàn giao", "nhà"),
                ],
            },
            {
                "number": "II",
                "title": "Công tác giám sát và phản biện xã hội",
                "indicators": [
                    _count("giam-sat", "Số cuộc giám sát đã thực hiện", "cuộc", key=True),
                    _count("phan-bien", "Số hội nghị phản biện xã hội", "hội nghị"),
                ],
            },
            {
                "number": "III",
                "title": "Tiếp nhận, tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân",
                "indicators": [
                    _count(
                        "kien-nghi-tiep-nhan",
                        "Số ý kiến, kiến nghị tiếp nhận",
                        "ý kiến",
                        key=True,
                        source="petitions.received",
                    ),
                    _count(
                        "kien-nghi-tra-loi",
                        "Số ý kiến, kiến nghị đã được trả lời, giải quyết",
                        "ý kiến",
                        source="petitions.answered",
                    ),
                ],
            },
            {
                "number": "IV",
                "title": "Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
                "indicators": [
                    {
                        "code": "ty-le-khu-dan-cu-van-hoa",
                        "label": "Tỷ lệ khu dân cư đạt danh hiệu “Khu dân cư văn hóa”",
                        "type": "percent",
                        "measure": "%",
                        "min_value": 0,
                        "max_value": 100,
                        "rollup": "avg",
                    },
                ],
            },
            {
                "number": "V",
                "title": "Thực hiện chương trình công tác",
                "indicators": [
                    _count(
                        "nhiem-vu-hoan-thanh",
                        "Số nhiệm vụ trong chương trình công tác đã hoàn thành",
                        "nhiệm vụ",
                        source="programs.tasks_completed",
                        help_text="Lấy từ chương trình công tác trên hệ thống; cán bộ kiểm tra lại trước khi gửi.",
                    ),
                ],
            },
            {
                "number": "VI",
                "title": "Đánh giá chung và nhiệm vụ tháng tới",
                "indicators": [
                    _text("ket-qua-noi-bat", "Kết quả nổi bật"),
                    _text("nhiem-vu-thang-toi", "Nhiệm vụ trọng tâm tháng tới"),
                ],
            },
        ],
    },
    {
        "code": ORGANISATION,
        "title": "Thống kê tổ chức",
        "description": (
            "Số liệu tổ chức hằng năm: đoàn viên, hội viên các tổ chức chính trị - xã hội, đội ngũ "
            "cán bộ Mặt trận và Ban công tác Mặt trận ở khu dân cư, tính đến ngày 31/12."
        ),
        "sections": [
            {
                "number": "I",
                "title": "Đoàn viên, hội viên các tổ chức chính trị - xã hội",
                "indicators": [
                    _count("hoi-vien-nong-dan", "Hội viên Hội Nông dân", "người"),
                    _count("hoi-vien-phu-nu", "Hội viên Hội Liên hiệp Phụ nữ", "người"),
                    _count("doan-vien-thanh-nien", "Đoàn viên Đoàn Thanh niên Cộng sản Hồ Chí Minh", "người"),
                    _count("hoi-vien-cuu-chien-binh", "Hội viên Hội Cựu chiến binh", "người"),
                    _count("doan-vien-cong-doan", "Đoàn viên Công đoàn", "người"),
                    _count(
                        "tong-doan-vien-hoi-vien",
                        "Tổng số đoàn viên, hội viên",
                        "người",
                        sum_of=[
                            "hoi-vien-nong-dan",
                            "hoi-vien-phu-nu",
                            "doan-vien-thanh-nien",
                            "hoi-vien-cuu-chien-binh",
                            "doan-vien-cong-doan",
                        ],
                        key=True,
                    ),
                ],
            },
            {
                "number": "II",
                "title": "Đội ngũ cán bộ Mặt trận",
                "indicators": [
                    _count("can-bo-chuyen-trach", "Cán bộ chuyên trách", "người"),
                    _count("can-bo-khong-chuyen-trach", "Cán bộ không chuyên trách", "người"),
                    _count(
                        "tong-can-bo",
                        "Tổng số cán bộ Mặt trận",
                        "người",
                        sum_of=["can-bo-chuyen-trach", "can-bo-khong-chuyen-trach"],
                        key=True,
                    ),
                    _count("uy-vien-uy-ban", "Ủy viên Ủy ban MTTQ Việt Nam cấp xã", "người", key=True),
                ],
            },
            {
                "number": "III",
                "title": "Ban công tác Mặt trận ở khu dân cư",
                "indicators": [
                    _count("ban-cong-tac-mat-tran", "Số Ban công tác Mặt trận ở khu dân cư", "ban"),
                    _count("truong-ban-cong-tac", "Trưởng ban công tác Mặt trận", "người"),
                ],
            },
        ],
    },
]


@dataclass(frozen=True)
class _Plan:
    """A schedule of the demo; ``to_commune``: the demo commune's villages report to it."""

    form: str
    name: str
    level: str
    kind: str
    frequency: str
    due_rule: str
    due_day: int
    to_commune: bool = False


SCHEDULES = [
    _Plan(
        MONTHLY,
        "Báo cáo công tác Mặt trận tháng của Ủy ban MTTQ các xã, phường",
        Level.COMMUNE,
        UnitKind.COMMITTEE,
        Frequency.MONTHLY,
        DueRule.DAY_OF_LAST_MONTH,
        25,
    ),
    _Plan(
        SENTIMENT,
        "Báo cáo tình hình Nhân dân hằng quý của các xã, phường",
        Level.COMMUNE,
        UnitKind.COMMITTEE,
        Frequency.QUARTERLY,
        DueRule.DAY_OF_LAST_MONTH,
        20,
    ),
    _Plan(
        MONTHLY,
        "Báo cáo tháng của Ban công tác Mặt trận các thôn, tổ dân phố",
        Level.VILLAGE,
        UnitKind.VILLAGE_BOARD,
        Frequency.MONTHLY,
        DueRule.DAY_OF_LAST_MONTH,
        20,
        to_commune=True,
    ),
    _Plan(
        ORGANISATION,
        "Thống kê tổ chức hằng năm của các xã, phường",
        Level.COMMUNE,
        UnitKind.COMMITTEE,
        Frequency.YEARLY,
        DueRule.DAY_OF_NEXT_MONTH,
        15,
    ),
]


@dataclass
class ReportingResult:
    forms: list[ReportForm] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    written: int = 0  # reports this load filled in (none when the demo was loaded already)


# --- Sample figures and words ---------------------------------------------------------------------


def _place(unit: Unit) -> str:
    """How a report names its own area: "xã Bắc Hà", "thôn 1"."""
    name = unit.name.removeprefix("Ủy ban MTTQ ").removeprefix("Ban công tác Mặt trận ")
    return name.removesuffix(" (mẫu)")


def _money(amount: int) -> str:
    return f"{format_number(amount)} đồng"


def _pick(rng: random.Random, options: list[str], k: int) -> list[str]:
    return rng.sample(options, min(k, len(options)))


SUPERVISION_TOPICS = [
    "việc thực hiện chính sách hỗ trợ hộ nghèo, hộ cận nghèo",
    "công tác quản lý đất đai, cấp giấy chứng nhận quyền sử dụng đất",
    "việc thực hiện dân chủ ở cơ sở",
    "chất lượng công trình đường giao thông nông thôn",
    "việc chi trả chế độ bảo trợ xã hội",
    "việc thu, chi các khoản đóng góp của Nhân dân",
]
NEXT_TASKS = [
    "Tiếp tục vận động ủng hộ Quỹ “Vì người nghèo”, hỗ trợ hộ nghèo xây dựng, sửa chữa nhà ở.",
    "Tổ chức giám sát theo chương trình đã được Ban Thường trực thông qua.",
    "Tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân gửi cấp ủy, chính quyền.",
    "Đôn đốc các Ban công tác Mặt trận ở khu dân cư sinh hoạt định kỳ.",
    "Hướng dẫn các thôn, tổ dân phố đăng ký xây dựng khu dân cư văn hóa.",
    "Nắm tình hình tư tưởng Nhân dân, kịp thời phản ánh những vấn đề mới phát sinh.",
    "Phối hợp tuyên truyền phòng, chống thiên tai, sạt lở đất trong mùa mưa bão.",
]
SEASONAL_DONE = {
    1: "Tổ chức chương trình “Tết vì người nghèo”, trao quà cho hộ nghèo và gia đình chính sách.",
    2: "Thăm, chúc Tết người có uy tín, già làng, trưởng bản và chức sắc tôn giáo trên địa bàn.",
    4: "Phối hợp tổ chức các hoạt động kỷ niệm Giỗ Tổ Hùng Vương (10/3 âm lịch).",
    7: "Thăm, tặng quà gia đình thương binh, liệt sĩ nhân kỷ niệm Ngày Thương binh - Liệt sĩ (27/7).",
    9: "Vận động Nhân dân khắc phục hậu quả mưa lũ, hỗ trợ các hộ bị thiệt hại.",
    10: "Phát động Tháng cao điểm “Vì người nghèo” (17/10 - 18/11).",
    11: "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc (18/11) ở các khu dân cư.",
    12: "Tổng kết công tác Mặt trận năm, bình xét khu dân cư văn hóa.",
}
SEASONAL_NEXT = {
    10: "Chuẩn bị tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở 100% khu dân cư.",
    11: "Tổng kết công tác Mặt trận năm, xây dựng chương trình công tác năm tới.",
    12: "Vận động các tổ chức, cá nhân chăm lo Tết cho hộ nghèo, gia đình chính sách.",
    1: "Thăm, chúc Tết người có uy tín, chức sắc, chức việc các tôn giáo.",
}


def _monthly_values(rng: random.Random, unit: Unit, period: periods.Period) -> dict[str, Any]:
    village = unit.level == Level.VILLAGE
    month = period.start.month
    busy = month in (1, 10, 11, 12)  # Tết and the Peak Month for the Poor
    scale = 1 if village else 5
    households = rng.randint(0, 4 * scale) + (2 * scale if busy else 0)
    raised = rng.randint(5, 12 if village else 60) * 500_000 * (3 if busy else 1)
    built, repaired = rng.choice([0, 0, 0, 1] if village else [0, 0, 1, 1, 2, 3]), rng.choice([0, 0, 1])
    handed_over = rng.randint(0, 1 if village else 2)
    supervised = rng.choice([0, 0, 1]) if village else rng.randint(0, 3)
    received = rng.randint(0, 6) if village else rng.randint(3, 30)
    answered = rng.randint(received * 6 // 10, received)
    if village:
        cultural = rng.choice([100.0, 100.0, 100.0, 0.0])
    else:
        cultural = round(rng.uniform(68, 97), 1)
    place = _place(unit)
    done = [f"Vận động được {_money(raised)} ủng hộ Quỹ “Vì người nghèo” {place}."]
    if households:
        done.append(f"Phối hợp thăm hỏi, hỗ trợ {households} hộ nghèo, hộ cận nghèo và gia đình chính sách.")
    houses = [
        f"{verb} {n}"
        for verb, n in (("khởi công xây mới", built), ("sửa chữa", repaired), ("bàn giao", handed_over))
        if n
    ]
    if houses:
        listed = " và ".join([", ".join(houses[:-1]), houses[-1]] if len(houses) > 1 else houses)
        done.append(f"{listed[0].upper()}{listed[1:]} nhà Đại đoàn kết cho hộ nghèo.")
    if supervised:
        done.append(f"Thực hiện {supervised} cuộc giám sát {rng.choice(SUPERVISION_TOPICS)}.")
    if month in SEASONAL_DONE:
        done.append(SEASONAL_DONE[month])
    upcoming = _pick(rng, NEXT_TASKS, 2)
    if month in SEASONAL_NEXT:
        upcoming.insert(0, SEASONAL_NEXT[month])
    return {
        "ho-ngheo-ho-tro": households,
        "quy-vi-nguoi-ngheo": raised,
        "ndk-xay-moi": built,
        "ndk-sua-chua": repaired,
        "ndk-tong": built + repaired,
        "ndk-ban-giao": handed_over,
        "giam-sat": supervised,
        "phan-bien": 0 if village else rng.choice([0, 0, 1]),
        "kien-nghi-tiep-nhan": received,
        "kien-nghi-tra-loi": answered,
        "ty-le-khu-dan-cu-van-hoa": cultural,
        "nhiem-vu-hoan-thanh": rng.randint(0, 2 if village else 6),
        "ket-qua-noi-bat": " ".join(done),
        "nhiem-vu-thang-toi": " ".join(upcoming),
    }


CONCERNS = [
    "việc bồi thường, hỗ trợ giải phóng mặt bằng các dự án trên địa bàn",
    "giá vật tư nông nghiệp tăng trong khi giá chè, quế, chuối bấp bênh",
    "chất lượng khám, chữa bệnh bảo hiểm y tế ở trạm y tế",
    "tình trạng sạt lở đất, ngập úng sau các đợt mưa lớn",
    "tiến độ cấp giấy chứng nhận quyền sử dụng đất",
    "việc giải quyết thủ tục hành chính sau khi sắp xếp đơn vị hành chính",
    "tình trạng lừa đảo qua mạng, tệ nạn ma túy ở khu vực biên giới",
    "việc làm cho lao động trẻ sau khi hết hợp đồng lao động ở nước ngoài",
]
PROPOSALS = [
    "Đề nghị cấp có thẩm quyền sớm bố trí kinh phí khắc phục sạt lở đường giao thông liên thôn.",
    "Đề nghị tăng cường kiểm tra, xử lý nghiêm các hành vi lừa đảo qua mạng.",
    "Đề nghị có giải pháp hỗ trợ tiêu thụ nông sản, bình ổn giá vật tư nông nghiệp.",
    "Đề nghị đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất cho Nhân dân.",
    "Đề nghị công khai tiến độ bồi thường, hỗ trợ tái định cư các dự án trên địa bàn.",
]
MOOD = {
    "Ổn định": "ổn định; Nhân dân tin tưởng vào sự lãnh đạo của Đảng, sự quản lý, điều hành của chính quyền",
    "Cơ bản ổn định": "cơ bản ổn định; một bộ phận Nhân dân còn băn khoăn về đời sống, việc làm",
    "Có diễn biến phức tạp": "có diễn biến phức tạp ở một số thôn; Nhân dân lo lắng trước các vụ việc phát sinh",
}


def _sentiment_values(rng: random.Random, unit: Unit, period: periods.Period) -> dict[str, Any]:
    assessment = rng.choices(SENTIMENT_CHOICES, weights=[70, 25, 5])[0]
    troubled = assessment == SENTIMENT_CHOICES[2]
    incidents = rng.randint(1, 3) if troubled else rng.choice([0, 0, 0, 1])
    hot_spot = troubled and rng.random() < 0.7
    place = _place(unit)
    thoughts = f"Tình hình tư tưởng, tâm trạng của các tầng lớp Nhân dân trên địa bàn {place} {MOOD[assessment]}."
    if period.start.year >= 2025 and period.start.month >= 7:
        thoughts += " Nhân dân đồng tình với việc sắp xếp đơn vị hành chính và tổ chức chính quyền địa phương hai cấp."
    values: dict[str, Any] = {
        "danh-gia-chung": assessment,
        "tu-tuong": thoughts,
        "van-de-quan-tam": f"Nhân dân quan tâm đến {'; '.join(_pick(rng, CONCERNS, rng.randint(2, 3)))}.",
        "y-kien-tiep-nhan": rng.randint(5, 45),
        "vu-viec-phuc-tap": incidents,
        "diem-nong": hot_spot,
        "kien-nghi-de-xuat": " ".join(_pick(rng, PROPOSALS, rng.randint(1, 2))),
    }
    if rng.random() < 0.8:
        values["dan-toc-ton-giao"] = (
            "Đồng bào các dân tộc Mông, Dao, Tày, Giáy chấp hành tốt chủ trương của Đảng, chính sách, pháp luật "
            "của Nhà nước; các hoạt động tôn giáo diễn ra đúng quy định."
            + (" Còn hiện tượng tuyên truyền đạo trái pháp luật ở một số thôn vùng cao." if troubled else "")
        )
    if hot_spot:
        values["xu-ly-diem-nong"] = (
            "Phát sinh tranh chấp đất đai giữa các hộ dân; Ban công tác Mặt trận phối hợp tổ hòa giải ở cơ sở "
            "vận động các bên, đã báo cáo Ủy ban nhân dân xã xem xét giải quyết."
        )
    return values


def _organisation_values(rng: random.Random, unit: Unit, villages: int) -> dict[str, Any]:
    members = {
        "hoi-vien-nong-dan": rng.randint(700, 2500),
        "hoi-vien-phu-nu": rng.randint(600, 2200),
        "doan-vien-thanh-nien": rng.randint(150, 700),
        "hoi-vien-cuu-chien-binh": rng.randint(60, 300),
        "doan-vien-cong-doan": rng.randint(30, 250),
    }
    full_time, part_time = rng.randint(2, 4), rng.randint(1, 4)
    return {
        **members,
        "tong-doan-vien-hoi-vien": sum(members.values()),
        "can-bo-chuyen-trach": full_time,
        "can-bo-khong-chuyen-trach": part_time,
        "tong-can-bo": full_time + part_time,
        "uy-vien-uy-ban": rng.randint(25, 45),
        "ban-cong-tac-mat-tran": villages,
        "truong-ban-cong-tac": villages,
    }


# --- What becomes of each sample report -----------------------------------------------------------

MISSING, DRAFT, SUBMITTED, RETURNED, APPROVED = "missing", "draft", "submitted", "returned", "approved"
# Reports due within this many days (or not due yet) are still being chased and reviewed: they go
# through the services one by one and end in every state. Older ones were approved long ago (or
# never came) and are written in bulk: the services take some 30-40 ms a report (each submit and
# approval recomputes the province's cell from its 99 communes' rows), too slow for the 2,000
# and more reports the demo holds.
LIVE_DAYS = 40
# Of the reports still being chased: the shares left missing, in draft, returned and awaiting
# review; the rest is approved. Of the older ones, a few never came.
LIVE_SHARES = (0.05, 0.03, 0.04, 0.2)
OLD_SHARES = (0.015, 0.0, 0.0, 0.0)
LATE_SHARE = 0.12
RETURN_COMMENTS = {
    MONTHLY: [
        "Đề nghị bổ sung số liệu hộ nghèo được hỗ trợ và nguồn kinh phí hỗ trợ.",
        "Đề nghị bổ sung số liệu tiền vận động Quỹ “Vì người nghèo” theo biên lai đã thu.",
        "Đề nghị bổ sung số liệu kiến nghị đã được trả lời; số liệu chưa khớp với báo cáo tháng trước.",
    ],
    SENTIMENT: [
        "Đề nghị bổ sung số liệu các vụ việc phức tạp và nêu rõ địa bàn phát sinh.",
        "Đề nghị bổ sung số liệu ý kiến, kiến nghị tiếp nhận và làm rõ các vấn đề Nhân dân bức xúc.",
    ],
    ORGANISATION: ["Đề nghị bổ sung số liệu đoàn viên, hội viên theo báo cáo của các tổ chức thành viên."],
}
CORRECTION_REASON = "Rà soát lại danh sách hộ nghèo được hỗ trợ trong tháng: bổ sung 3 hộ chưa được tổng hợp."
CORRECTION_NOTE = "Bổ sung 3 hộ nghèo được hỗ trợ sau khi rà soát lại danh sách."


def _outcome(rng: random.Random, days_since_due: int, can_submit: bool) -> str:
    r = rng.random()
    if days_since_due < 0:  # not due yet: a few sent early, a few being typed, most not begun
        if r < 0.3:
            return (APPROVED if rng.random() < 0.4 else SUBMITTED) if can_submit else MISSING
        return DRAFT if r < 0.45 and days_since_due >= -30 else MISSING
    shares = LIVE_SHARES if days_since_due < LIVE_DAYS else OLD_SHARES
    for share, outcome in zip(shares, (MISSING, DRAFT, RETURNED, SUBMITTED), strict=True):
        if r < share:
            return outcome
        r -= share
    return APPROVED


def _submission_day(rng: random.Random, report: Report, today: dt.date) -> dt.date | None:
    """When the report was first sent: a few days before its due date, some days after it for
    the late ones, never today or later (None when its window has not opened yet)."""
    due = report.due_date
    late = rng.random() < LATE_SHARE
    day = due + dt.timedelta(days=rng.randint(1, 12)) if late else due - dt.timedelta(days=rng.randint(0, 8))
    day = max(day, report.period_start)
    last = today - dt.timedelta(days=1)
    if day > last:
        first = max(report.period_start, due - dt.timedelta(days=10))
        if first > last:
            return None
        day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return day


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    at = dt.time(rng.randint(7, 16), rng.randint(0, 59))
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def _draft_of(rng: random.Random, values: dict[str, Any]) -> dict[str, Any]:
    """What an officer has typed so far: some of the figures, none of the words."""
    kept = {code: value for code, value in values.items() if not isinstance(value, str) or len(value) < 40}
    return {code: value for code, value in kept.items() if rng.random() < 0.6}


@dataclass
class _Cast:
    commune: Unit  # the demo commune (xa.laocai's)
    province_officer: User
    commune_officer: User
    villages: Counter[int]  # commune id -> number of village boards


def _values_for(code: str, rng: random.Random, report: Report, period: periods.Period, cast: _Cast) -> dict[str, Any]:
    makers: dict[str, Callable[[], dict[str, Any]]] = {
        MONTHLY: lambda: _monthly_values(rng, report.unit, period),
        SENTIMENT: lambda: _sentiment_values(rng, report.unit, period),
        ORGANISATION: lambda: _organisation_values(rng, report.unit, cast.villages.get(report.unit_id, 0)),
    }
    return makers[code]()


def _times(rng: random.Random, submitted_on: dt.date, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the report was sent and when it was reviewed (a few hours to a few days later)."""
    sent = _moment(rng, submitted_on)
    return sent, min(sent + dt.timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 5)), now)


def _through_services(
    report: Report,
    form: str,
    outcome: str,
    values: dict[str, Any],
    rng: random.Random,
    submitted_on: dt.date | None,
    people: tuple[User | None, User],
    now: dt.datetime,
) -> Report:
    """Take ``report`` to ``outcome`` the way officers would, then move its times into its window."""
    author, reviewer = people
    if outcome == DRAFT or submitted_on is None:
        return services.save_draft(author, report, _draft_of(rng, values), None)
    report = services.submit(author, report, values, None)
    sent, reviewed = _times(rng, submitted_on, now)
    times: dict[str, Any] = {"first_submitted_at": sent, "submitted_at": sent}
    if outcome == RETURNED:
        report = services.return_report(reviewer, report, None, rng.choice(RETURN_COMMENTS[form]))
        times["reviewed_at"] = reviewed
    elif outcome == APPROVED:
        report = services.approve(reviewer, report, None)
        times.update(reviewed_at=reviewed, approved_at=reviewed)
        ReportVersion.objects.filter(report=report).update(approved_at=reviewed)
    Report.objects.filter(pk=report.pk).update(**times)
    return report


def _approved_long_ago(reports: list[tuple[Report, dict[str, Any], dt.datetime, dt.datetime]], reviewer: User) -> None:
    """What submit and approve would have left, in a few statements: the figures checked as on
    submission, the approved version kept in the history, its creation audited."""
    indicators: dict[int, list[Any]] = {}
    history = []
    for report, raw, sent, reviewed in reports:
        if report.version_id not in indicators:
            indicators[report.version_id] = services.indicators_of(report.version)
        checked = check(indicators[report.version_id], raw, complete=True)
        if not checked.ok:
            raise ValueError(f"sample figures of {report} are wrong: {checked.errors}")
        # One UPDATE a row: bulk_update's CASE per field and row is slower than this on SQLite.
        Report.objects.filter(pk=report.pk).update(
            values=checked.values,
            approved_values=checked.values,
            status=Status.APPROVED,
            revision=2,  # submitted, then approved
            first_submitted_at=sent,
            submitted_at=sent,
            submitted_by=report.submitted_by,
            reviewed_at=reviewed,
            reviewed_by=reviewer,
            approved_at=reviewed,
            approved_number=1,
            updated_at=reviewed,
        )
        history.append(
            ReportVersion(
                report=report,
                number=1,
                values=checked.values,
                submitted_by=report.submitted_by,
                approved_by=reviewer,
                approved_at=reviewed,
            )
        )
    audit.record_many(reviewer, AuditAction.CREATE, ReportVersion.objects.bulk_create(history, batch_size=500))


def _fill(schedule: Schedule, plan: _Plan, today: dt.date, cast: _Cast) -> int:
    """Open every period of ``schedule`` up to ``today`` and fill its reports never touched."""
    reviewer = cast.commune_officer if plan.to_commune else cast.province_officer
    due_periods = services.due_periods(schedule, today)
    opened = set(RollupCell.objects.filter(schedule=schedule, unit=schedule.unit).values_list("period", flat=True))
    for period in due_periods:
        if period.key not in opened:
            services.open_period(schedule, period, reviewer)
    by_key = {period.key: period for period in due_periods}
    ended = [period.key for period in due_periods if period.end < today]
    # The demo commune's officer finds its last monthly report returned and the one before it
    # being corrected.
    showcase = plan.form == MONTHLY and not plan.to_commune
    returned = ended[-1] if showcase and ended else None
    corrected = ended[-2] if showcase and len(ended) >= 2 else None
    # The latest moment a review may carry: now, or the end of ``today`` when loading for another day.
    now = timezone.now()
    if today != timezone.localdate():
        now = dt.datetime.combine(today, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
    pending = (
        Report.objects.filter(schedule=schedule, status=Status.NOT_STARTED, revision=0, period__in=list(by_key))
        .select_related("unit", "version", "schedule__form")
        .order_by("period_start", "unit__path")
    )
    written: set[str] = set()
    count = 0
    long_ago: list[tuple[Report, dict[str, Any], dt.datetime, dt.datetime]] = []
    for report in pending:
        period = by_key[report.period]
        own = report.unit_id == cast.commune.pk
        if own and period.end >= today:
            continue  # the demo commune's current reports are left for the visitor to fill
        rng = random.Random(f"{plan.form}/{report.unit_id}/{report.period}")  # noqa: S311 - sample figures
        values = _values_for(plan.form, rng, report, period, cast)
        submitted_on = _submission_day(rng, report, today)
        days = (today - report.due_date).days
        correcting = own and report.period == corrected
        outcome = _outcome(rng, days, submitted_on is not None)
        if own and report.period in (returned, corrected):
            outcome = APPROVED if correcting else RETURNED
        if outcome == MISSING:
            continue
        written.add(report.period)
        count += 1
        author = cast.commune_officer if own else None
        if days >= LIVE_DAYS and not own and submitted_on is not None:  # approved long ago
            report.submitted_by = author
            long_ago.append((report, values, *_times(rng, submitted_on, now)))
            continue
        report = _through_services(report, plan.form, outcome, values, rng, submitted_on, (author, reviewer), now)
        if correcting:
            report = services.start_correction(author, report, None, CORRECTION_REASON)
            fixed = {
                **values,
                "ho-ngheo-ho-tro": values["ho-ngheo-ho-tro"] + 3,
                "ket-qua-noi-bat": f"{values['ket-qua-noi-bat']} {CORRECTION_NOTE}",
            }
            services.save_draft(author, report, fixed, None)
    _approved_long_ago(long_ago, reviewer)
    for key in sorted(written):
        services.rebuild(schedule, key)
    return count


# --- The load ----------------------------------------------------------------------------------------


def _form(actor: User, unit: Unit, spec: dict[str, Any]) -> ReportForm:
    found = ReportForm.objects.filter(unit=unit, code=spec["code"]).first()
    if found is not None:
        return found
    version = services.create_form(
        actor, unit, spec["code"], spec["title"], spec["sections"], description=spec["description"]
    )
    return version.form


def _schedule(actor: User, unit: Unit, form: ReportForm, plan: _Plan, starts: dt.date) -> Schedule:
    found = Schedule.objects.filter(unit=unit, name=plan.name).first()
    if found is not None:
        return found
    schedule = Schedule.objects.create(
        unit=unit,
        form=form,
        name=plan.name,
        level=plan.level,
        kind=plan.kind,
        frequency=plan.frequency,
        due_rule=plan.due_rule,
        due_day=plan.due_day,
        starts=starts,
        created_by=actor,
    )
    audit.record(actor, AuditAction.CREATE, schedule)
    return schedule


@transaction.atomic
def load_reporting(today: dt.date) -> ReportingResult:
    """Lào Cai's forms and schedules, and sample reports from 1 January of last year to ``today``."""
    province = Unit.objects.get(level=Level.PROVINCE, kind=UnitKind.COMMITTEE, official_code=PROVINCE_CODE)
    officer = User.objects.get(username=PROVINCE_OFFICER)
    commune_officer = User.objects.get(username=COMMUNE_OFFICER)
    commune = RoleGrant.objects.select_related("unit").get(user=commune_officer, role=Role.OFFICER).unit
    boards = Unit.objects.filter(parent__parent=province, level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
    cast = _Cast(commune, officer, commune_officer, Counter(boards.values_list("parent_id", flat=True)))

    result = ReportingResult()
    forms = {spec["code"]: _form(officer, province, spec) for spec in FORMS}
    result.forms = list(forms.values())
    starts = dt.date(today.year - 1, 1, 1)
    for plan in SCHEDULES:
        unit = commune if plan.to_commune else province
        actor = commune_officer if plan.to_commune else officer
        schedule = _schedule(actor, unit, forms[plan.form], plan, starts)
        result.schedules.append(schedule)
        result.written += _fill(schedule, plan, today, cast)
    return result
