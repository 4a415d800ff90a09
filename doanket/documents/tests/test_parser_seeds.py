"""The two seed documents, understood in every point the work-programme issue lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from doanket.documents.parser import parse
from doanket.documents.structure import ParsedDocument

DOCUMENTS = Path(__file__).resolve().parents[3] / "demo" / "documents"


@pytest.fixture(scope="module")
def programme() -> ParsedDocument:
    return parse(next(DOCUMENTS.glob("000_*.txt")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def launch() -> ParsedDocument:
    return parse(next(DOCUMENTS.glob("003_*.txt")).read_text(encoding="utf-8"))


def tree(sections):
    return [(s.number, tree(s.children)) for s in sections]


def numbers(sections):
    return [s.number for s in sections]


def test_programme_header(programme):
    assert programme.kind == "work_program"
    assert programme.title == "Công tác trọng tâm của Ủy ban MTTQ Việt Nam tỉnh Lào Cai năm 2022"
    assert programme.issuer == "Ủy ban MTTQ Việt Nam tỉnh Lào Cai"
    assert programme.year == 2022
    # The seed has no header block: no number, place or date, and nothing is invented.
    assert programme.number is None
    assert programme.place is None
    assert programme.date is None
    assert programme.preamble.startswith("Năm 2022 là năm đầy mạnh triển khai")  # the typo is kept
    assert programme.preamble.endswith("xây dựng chương trình phối hợp và thống nhất hành động năm 2022 như sau:")


def test_programme_theme_without_emphasis_markers(programme):
    assert programme.theme == "Đoàn kết, dân chủ; năng động, sáng tạo; tận tụy, trách nhiệm; chất lượng, hiệu quả"


def test_programme_ten_key_tasks(programme):
    tasks = programme.key_tasks
    assert len(tasks) == 10
    assert tasks[0].startswith("Tập trung tuyên truyền vận động Nhân dân tham gia phòng, chống dịch bệnh Covid-19")
    assert "“Thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch bệnh Covid-19”" not in tasks[0]
    assert '"Thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch bệnh Covid-19"' in tasks[0]
    assert "*" not in " ".join(tasks)
    assert tasks[1] == (
        "Đa dạng hóa cách thức để lắng nghe, tập hợp, tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân "
        "để phản ánh tới Đảng và Nhà nước."
    )
    # Task 4 was cut by a page break after "Nghị quyết": joined again, its typo "Bộ hính trị" kept.
    assert "Bộ hính trị" in tasks[3]
    assert "với thực hiện Nghị quyết Trung ương 4 (khoá XI, khoá XII) về xây dựng Đảng;" in tasks[3]
    assert tasks[3].endswith("“tự diễn biến”, “tự chuyển hoá”.")
    assert tasks[8].endswith("lần thứ XV, nhiệm kỳ 2019- 2024.")
    assert tasks[9].startswith("Khẳng định vai trò chủ trì, trung tâm khối đoàn kết")


def test_programme_section_tree_as_numbered(programme):
    assert numbers(programme.sections) == ["I", "II", "III", "V"]  # IV is missing in the source
    first, second, third, fifth = programme.sections
    assert first.title == "CHỦ ĐỀ CÔNG TÁC NĂM"
    assert second.title == "NHIỆM VỤ TRỌNG TÂM"
    assert numbers(second.children) == [str(n) for n in range(1, 11)]
    assert third.title == "NHIỆM VỤ VÀ GIẢI PHÁP"
    assert tree(third.children) == [
        ("1", [("-", []), ("-", [])]),
        ("2", [("2.1", [("-", [])] * 5), ("2.2", [("-", [])] * 3)]),
        ("3", [("3.1", [("-", [])] * 4), ("3.2", []), ("3.3", []), ("3.4", [])]),
        ("4", [("-", [])] * 6),
        ("5", []),
        ("6", [("-", [])] * 6),
    ]
    assert fifth.title == "TỔ CHỨC THỰC HIỆN"
    assert numbers(fifth.children) == ["1", "2", "3"]
    item_2_1 = third.children[1].children[0]
    assert item_2_1.title == "Về công tác thông tin, tuyên truyền"
    # 3.3's heading continues after a page break on a lower-case line.
    item_3_3 = third.children[2].children[2]
    assert item_3_3.title.startswith(
        "Tiếp tục lựa chọn các nội dung và giải pháp để triển khai có hiệu quả phong trào thi đua"
    )
    # An unnumbered paragraph under 3.2 is its text, not a new item.
    assert (
        third.children[2]
        .children[1]
        .text.startswith("Tiếp tục đẩy mạnh tuyên truyền, vận động thực hiện cuộc vận động")
    )
    assert third.children[4].text.startswith("Linh hoạt, đẩy mạnh tuyên truyền chủ trương")


def test_programme_paragraphs_broken_by_page_breaks_are_joined(programme):
    texts = [node.title for node in programme.walk()]
    assert any("vận động toàn dân phát triển kinh tế - xã hội" in t for t in texts)
    assert any("Qua đó, vận động, đoàn kết, tập hợp" in t for t in texts)
    assert any("kiến nghị, phản ánh của công dân. Chủ động nắm bắt" in t for t in texts)
    assert any("Ban Công tác Mặt trận ở địa bàn dân cư. Cùng cố" in t for t in texts)  # "Cùng cố" kept
    assert any("(trang cộng đồng Fanpage trên Facebook, các nhóm Zalo...)" in t for t in texts)
    assert not any(t.startswith(("dân ", "cấp.", "trận ", "động,")) for t in texts)


SEED_000_REFERENCES = {
    # code: (type, date, issuer, mentions)
    "139/TB-MTTW-BTT": ("notice", dt.date(2021, 8, 26), "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam", 1),
    "01-KL/TW": ("conclusion", dt.date(2021, 5, 18), "Bộ Chính trị", 2),
    "05-CT/TW": ("directive", dt.date(2016, 5, 15), "Bộ Chính trị khóa XII", 2),
    "15-ĐA/TU": ("scheme", None, "BCH Đảng bộ tỉnh", 2),
    "06/NQ-MTTW-ĐCT": ("resolution", dt.date(2020, 7, 3), "Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam", 1),
    "93/2021/NĐ-CP": ("decree", dt.date(2021, 10, 27), "Chính phủ", 3),
    "12-NQ/TU": ("resolution", None, "BCH Đảng bộ tỉnh Lào Cai", 1),
    "01/CT-TTg": ("directive", dt.date(2015, 1, 9), "Thủ tướng Chính phủ", 1),
    "49-CT/TW": ("directive", dt.date(2015, 10, 20), "Ban Bí thư", 1),
    "65-KL/TW": ("conclusion", dt.date(2019, 10, 30), "Bộ Chính trị", 1),
    "24-NQ/TW": ("resolution", None, "Ban Chấp hành Trung ương Đảng khóa IX", 1),
    "1719/QĐ-TTg": ("decision", None, "Thủ tướng Chính phủ", 1),
    "10-CT/TW": ("directive", None, "Ban Bí thư Trung ương Đảng", 1),
    "69-CTr/TU": ("action_program", None, "Tỉnh ủy", 1),
    "03-CT/TW": ("directive", dt.date(2021, 5, 19), "Ban Bí thư Trung ương Đảng", 1),
    "28/CT-TTg": ("directive", dt.date(2021, 10, 26), "Thủ tướng Chính phủ", 1),
    "124-QĐ/TW": ("regulation", dt.date(2018, 2, 2), "Ban Bí thư", 1),
    "36/TT-MTTW-BTT": ("circular_letter", dt.date(2019, 5, 6), "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam", 1),
    "11-ĐA/TU": ("scheme", None, "BCH Đảng bộ tỉnh", 1),
}


def test_programme_references_canonical_and_deduplicated(programme):
    found = {r.code: (r.type, r.date, r.issuer, r.mentions) for r in programme.references}
    assert found == SEED_000_REFERENCES
    scheme = next(r for r in programme.references if r.code == "15-ĐA/TU")
    assert scheme.title and scheme.title.startswith("Phát huy vai trò giám sát, phản biện xã hội")


SEED_000_EVENTS = [
    # (name, origin, date, anniversary, lunar)
    ("Ngày thành lập Đảng Cộng sản Việt Nam", dt.date(1930, 2, 3), dt.date(2022, 2, 3), 92, False),
    ("Ngày Giỗ Tổ Hùng Vương", None, dt.date(2022, 4, 10), None, True),
    ("Ngày giải phóng miền Nam thống nhất đất nước", dt.date(1975, 4, 30), dt.date(2022, 4, 30), 47, False),
    ("Ngày Chiến thắng Điện Biên Phủ", dt.date(1954, 5, 7), dt.date(2022, 5, 7), 68, False),
    ("Ngày sinh Chủ tịch Hồ Chí Minh", dt.date(1890, 5, 19), dt.date(2022, 5, 19), 132, False),
    ("Ngày Cách mạng tháng Tám thành công", dt.date(1945, 8, 19), dt.date(2022, 8, 19), 77, False),
    ("Ngày Quốc khánh Nước CHXHCN Việt Nam", dt.date(1945, 9, 2), dt.date(2022, 9, 2), 77, False),
    (
        "Ngày thành lập Mặt trận Dân tộc Thống nhất Việt Nam - Ngày truyền thống MTTQ Việt Nam",
        dt.date(1930, 11, 18),
        dt.date(2022, 11, 18),
        92,
        False,
    ),
    ("Ngày thành lập MTTQ Việt Nam tỉnh Lào Cai", dt.date(1945, 10, 18), dt.date(2022, 10, 18), 77, False),
    ("Ngày thành lập Đảng bộ tỉnh Lào Cai", dt.date(1947, 3, 5), dt.date(2022, 3, 5), 75, False),
    ("Ngày hội Đại đoàn kết các dân tộc", None, dt.date(2022, 11, 18), None, False),
]


def test_programme_anniversaries_and_lunar_dates(programme):
    found = [(e.name, e.origin_date, e.date, e.anniversary, e.lunar) for e in programme.events]
    assert found == SEED_000_EVENTS
    hung_kings = programme.events[1]
    assert (hung_kings.lunar_day, hung_kings.lunar_month) == (10, 3)


def test_programme_recipients_and_signatory(programme):
    assert programme.recipients == [
        "Ban TT UB TWMTTQ Việt Nam",
        "TT Tỉnh Ủy; HĐND, UBND tỉnh",
        "Văn phòng, các Ban CM MTTW",
        "Các Ban XDĐ Tỉnh ủy",
        "Văn phòng Tỉnh ủy, HĐND, UBND tỉnh",
        "Đảng đoàn, Ban TT MTTQ tỉnh",
        "Ủy viên Ủy ban MTTQ tỉnh",
        "Các tổ chức, thành viên MTTQ tỉnh",
        "MTTQ các huyện, thị xã, thành phố",
        "Các Ban CM, VP UB MTTQ tỉnh",
        "Lưu VT",
    ]
    assert programme.signatory is not None
    assert programme.signatory.name == "Giàng Seo Vân"
    assert programme.signatory.title == "CHỦ TỊCH"
    assert programme.signatory.on_behalf_of == "TM. ỦY BAN MTTQ VIỆT NAM TỈNH"


def test_launch(launch):
    assert launch.kind == "emulation_launch"
    # The title is split over two lines with a blank between; the second starts lower-case.
    assert launch.title == (
        "Phong trào thi đua yêu nước phấn đấu hoàn thành Chương trình phối hợp và thống nhất hành động năm 2022"
    )
    assert launch.issuer == "Ủy ban MTTQ tỉnh Lạng Sơn"
    assert launch.year == 2022
    assert launch.number is None and launch.date is None and launch.theme is None
    assert launch.preamble.startswith("Năm 2022 là năm thứ hai triển khai")
    assert numbers(launch.sections) == ["1", "2", "3", "4", "5", "6"]
    assert all(not s.children for s in launch.sections)
    assert launch.sections[5].title.startswith("Đẩy mạnh công tác thi đua, khen thưởng")
    assert "kêu gọi" not in launch.sections[5].text
    assert launch.closing.startswith("Ủy ban MTTQ tỉnh Lạng Sơn kêu gọi cán bộ, chiến sĩ")
    found = {r.code: (r.type, r.date, r.mentions) for r in launch.references}
    assert found == {
        "05-CT/TW": ("directive", dt.date(2016, 5, 15), 1),
        "217-QĐ/TW": ("decision", None, 2),
    }
    assert [(e.name, e.origin_date, e.date, e.anniversary) for e in launch.events] == [
        ("Ngày thành lập Mặt trận dân tộc thống nhất Việt Nam", dt.date(1930, 11, 18), dt.date(2022, 11, 18), 92)
    ]
    assert launch.recipients == []
    assert launch.signatory is None


def test_json_shape(programme):
    data = programme.to_json()
    for key in (
        "kind",
        "title",
        "issuer",
        "place",
        "date",
        "year",
        "number",
        "theme",
        "key_tasks",
        "sections",
        "references",
        "events",
        "recipients",
        "signatory",
    ):
        assert key in data
    assert data["references"][0] == {
        "code": "139/TB-MTTW-BTT",
        "type": "notice",
        "date": "2021-08-26",
        "issuer": "Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam",
        "title": None,
        "mentions": 1,
    }
    assert data["events"][1]["lunar"] is True and data["events"][1]["date"] == "2022-04-10"
    assert set(data["sections"][0]) == {"number", "title", "text", "children"}
