"""The demo's news: the province of Lào Cai and its first commune publish a handful of items (one
with a photo, one announcing a voter meeting), and the commune records two people's diplomacy
activities on the border with China — a friendship exchange with the neighbouring Chinese
commune, published as news, and a joint patrol with the Border Guard post, left unpublished."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from doanket.news import services
from doanket.news.models import Activity, ActivityKind, Kind, NewsItem
from doanket.organizations.models import Unit


def tiny_png(width: int = 96, height: int = 64, rgb: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """A small PNG of one colour with a yellow band (the demo's photo, made without Pillow)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes((255, 205, 0) if height // 3 <= y < 2 * height // 3 else rgb) * width for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


ITEMS = [
    (
        "province",
        Kind.NEWS,
        "Lào Cai ra quân hưởng ứng Ngày hội Đại đoàn kết toàn dân tộc (mẫu)",
        "Ủy ban MTTQ tỉnh phát động các khu dân cư tổ chức Ngày hội Đại đoàn kết năm nay (dữ liệu mẫu).",
        "Ủy ban MTTQ tỉnh Lào Cai đề nghị Mặt trận các xã, phường chỉ đạo Ban công tác Mặt trận "
        "các thôn, tổ dân phố tổ chức Ngày hội Đại đoàn kết toàn dân tộc.\n\n"
        "Ngày hội gắn với phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh” (dữ liệu mẫu).",
        True,
    ),
    (
        "province",
        Kind.DISCLOSURE,
        "Công khai kết quả vận động Quỹ Vì người nghèo quý III (mẫu)",
        "Tổng số tiền vận động và phân bổ của Quỹ Vì người nghèo tỉnh trong quý III (dữ liệu mẫu).",
        "Ban Vận động Quỹ Vì người nghèo tỉnh công khai kết quả vận động, tiếp nhận và phân bổ quỹ.\n"
        "Chi tiết từng khoản đóng góp được công khai tại mục Quỹ và ủng hộ của cổng thông tin (dữ liệu mẫu).",
        False,
    ),
    (
        "commune",
        Kind.NOTICE,
        "Thông báo tiếp xúc cử tri trước kỳ họp HĐND xã (mẫu)",
        "Mời cử tri dự buổi tiếp xúc với đại biểu HĐND xã tại nhà văn hóa thôn (dữ liệu mẫu).",
        "Ủy ban MTTQ xã phối hợp với Thường trực HĐND xã tổ chức hội nghị tiếp xúc cử tri.\n\n"
        "Thời gian: 8 giờ sáng thứ Bảy tuần tới.\nĐịa điểm: Nhà văn hóa thôn (dữ liệu mẫu).",
        False,
    ),
]

EXCHANGE = "Ủy ban nhân dân trấn Hà Khẩu, Vân Nam, Trung Quốc (mẫu)"
PATROL = "Đồn Biên phòng cửa khẩu quốc tế Lào Cai (mẫu)"


def load_news(province: Unit, commune: Unit, today: dt.date) -> None:
    units = {"province": province, "commune": commune}
    for where, kind, title, summary, body, with_photo in ITEMS:
        unit = units[where]
        if NewsItem.objects.filter(unit=unit, title=title).exists():
            continue
        photo = SimpleUploadedFile("ngay-hoi.png", tiny_png(1200, 630), "image/png") if with_photo else None
        item = services.write(
            None, unit, kind=kind, title=title, summary=summary, body=body, photo=photo,
            photo_caption="Ngày hội Đại đoàn kết ở khu dân cư (ảnh minh họa mẫu)" if with_photo else "",
        )  # fmt: skip
        services.publish(None, item)
    if not Activity.objects.filter(unit=commune).exists():
        exchange = services.record_activity(
            None, commune, held_on=today - dt.timedelta(days=20), kind=ActivityKind.FRIENDSHIP, partner=EXCHANGE,
            place="Cửa khẩu quốc tế Lào Cai", participants=60,
            summary="Giao lưu văn nghệ, thể thao hữu nghị; hai bên trao đổi về quản lý biên giới hòa bình, "
            "hữu nghị và phòng, chống xuất nhập cảnh trái phép (dữ liệu mẫu).",
        )  # fmt: skip
        services.publish(None, services.draft_from(None, exchange))
        services.record_activity(
            None, commune, held_on=today - dt.timedelta(days=5), kind=ActivityKind.BORDER_GUARD, partner=PATROL,
            place="Thôn biên giới của xã", participants=25,
            summary="Ban công tác Mặt trận thôn cùng Đồn Biên phòng tuyên truyền Luật Biên giới quốc gia, "
            "vận động Nhân dân tham gia tự quản đường biên, cột mốc (dữ liệu mẫu).",
        )  # fmt: skip
