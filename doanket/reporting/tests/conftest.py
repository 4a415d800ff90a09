"""Shared fixtures of the reporting tests: a quarterly report of the communes of Lào Cai."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from conftest import World, quarterly_schedule
from doanket.reporting import services
from doanket.reporting.models import Report, Schedule
from doanket.reporting.periods import parse

SECTIONS: list[dict[str, Any]] = [
    {
        "number": "I",
        "title": "Kết quả công tác",
        "indicators": [
            {"code": "moi", "label": "Nhà Đại đoàn kết xây mới", "type": "integer", "measure": "căn", "key": True},
            {"code": "sua", "label": "Nhà Đại đoàn kết sửa chữa", "type": "integer", "measure": "căn"},
            {"code": "nha", "label": "Tổng số nhà", "type": "integer", "sum_of": ["moi", "sua"], "key": True},
            {"code": "tien", "label": "Tiền vận động", "type": "money", "measure": "đồng", "key": True},
            {"code": "ty_le", "label": "Tỷ lệ khu dân cư văn hóa", "type": "percent", "rollup": "avg"},
            {"code": "diem_nong", "label": "Có điểm nóng", "type": "boolean", "required": False},
            {
                "code": "danh_gia",
                "label": "Đánh giá chung",
                "type": "choice",
                "choices": ["Ổn định", "Có diễn biến phức tạp"],
            },
        ],
    },
    {
        "number": "II",
        "title": "Tình hình Nhân dân",
        "indicators": [{"code": "tinh_hinh", "label": "Tư tưởng, tâm trạng", "type": "long_text", "required": False}],
    },
]


@dataclass
class Setup:
    schedule: Schedule
    bac_ha: Report
    sa_pa: Report


GOOD = {
    "v_moi": "3",
    "v_sua": "2",
    "v_nha": "5",
    "v_tien": "1.250.000.000",
    "v_ty_le": "87,5",
    "v_diem_nong": "no",
    "v_danh_gia": "Ổn định",
    "v_tinh_hinh": "Nhân dân phấn khởi.",
}


@pytest.fixture
def setup(world: World) -> Setup:
    schedule = quarterly_schedule(world.lao_cai, "cong-tac", "Báo cáo công tác Mặt trận quý", SECTIONS)
    services.open_period(schedule, parse("2026-Q1"))
    services.open_period(schedule, parse("2026-Q2"))
    reports = Report.objects.filter(schedule=schedule, period="2026-Q2")
    return Setup(schedule, reports.get(unit=world.bac_ha), reports.get(unit=world.sa_pa))
