"""The assistant on rows the tests create: retrieval without accents or with the tone mark placed
either way, computed counts, the asker's scope, "not found", the page and its log line."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from conftest import People, World, login, make_user
from doanket.assistant import retrieval, services
from doanket.funds.models import House, Household, HouseStage, HouseWork, PovertyStatus
from doanket.organizations.models import Unit
from doanket.programs.models import Assignment, Directive, Item, Program
from doanket.programs.models import Status as TaskStatus

TODAY = dt.date(2026, 11, 24)

DECREE = """NGHỊ ĐỊNH 93/2021/NĐ-CP VỀ VẬN ĐỘNG, TIẾP NHẬN NGUỒN ĐÓNG GÓP TỰ NGUYỆN

Điều 5. Tài khoản tiếp nhận
Cơ quan tiếp nhận mở tài khoản riêng; không dùng tài khoản cá nhân để tiếp nhận.

Điều 12. Công khai thông tin
Cơ quan tiếp nhận phải công khai số tài khoản, danh sách đã tiếp nhận; thời gian niêm yết tối thiểu là 30 ngày.

Điều 14. Hòa giải ở cơ sở
Mặt trận phối hợp tổ chức hòa giải các mâu thuẫn trong cộng đồng dân cư.
"""


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    """Each test builds its own index (the per-process one would outlive the test's rows)."""
    retrieval._index = None
    yield
    retrieval._index = None


@pytest.fixture
def decree(world: World) -> Directive:
    return Directive.objects.create(
        unit=world.lao_cai, code="93/2021/NĐ-CP", code_key="93/2021/nd-cp", type="decree", full_text=DECREE
    )


def test_the_full_text_is_cut_at_its_articles() -> None:
    parts = retrieval.split_articles(DECREE)
    assert [label for label, _heading, _body in parts] == ["", "Điều 5", "Điều 12", "Điều 14"]
    assert parts[2][1] == "Công khai thông tin"


def test_a_question_finds_the_article_that_answers_it_with_its_source(users: People, decree: Directive) -> None:
    answer = services.ask(users.province_officer, "Nghị định 93 quy định gì về công khai?")
    assert answer.kind == "passages"
    assert answer.keys[0] == "directive:93/2021/NĐ-CP#Điều 12"
    first = answer.statements[0]
    assert "niêm yết tối thiểu là 30 ngày" in first.text
    assert first.sources[0].url == reverse("library:detail", args=[decree.pk])
    assert first.sources[0].label.startswith("Nghị định 93/2021/NĐ-CP, Điều 12")


@pytest.mark.parametrize(
    "question",
    ["nghi dinh 93 cong khai", "NGHỊ ĐỊNH 93 CÔNG KHAI", "Nghị định 93 công khai"],
)
def test_accents_and_case_do_not_matter(users: People, decree: Directive, question: str) -> None:
    assert services.ask(users.province_officer, question).keys[0] == "directive:93/2021/NĐ-CP#Điều 12"


@pytest.mark.parametrize("question", ["hoà giải ở cơ sở", "hòa giải ở cơ sở", "hoa giai o co so"])
def test_the_tone_mark_may_sit_on_either_vowel(users: People, decree: Directive, question: str) -> None:
    assert services.ask(users.province_officer, question).keys[0] == "directive:93/2021/NĐ-CP#Điều 14"


def test_a_commune_reads_its_province_library_but_not_another_province(
    users: People, world: World, decree: Directive
) -> None:
    assert services.ask(users.commune_officer, "nghị định 93 công khai").kind == "passages"
    lang_son_officer = make_user("langson", world.lang_son)
    answer = services.ask(lang_son_officer, "nghị định 93 công khai")
    assert answer.kind == "unknown" and answer.statements == []


def test_it_says_plainly_when_it_does_not_know(users: People, decree: Directive) -> None:
    answer = services.ask(users.province_officer, "Giá vàng hôm nay bao nhiêu?")
    assert answer.kind == "unknown" and answer.statements == []
    assert services.ask(users.province_officer, "?!").kind == "unknown"


def _item_of(unit_program: Program, number: str, title: str) -> Item:
    return Item.objects.create(program=unit_program, number=number, title=title, position=int(number))


def test_a_programme_item_is_found_and_linked(users: People, world: World) -> None:
    program = Program.objects.create(unit=world.lao_cai, title="Chương trình công tác năm 2026", year=2026)
    item = _item_of(program, "3", "Đa dạng hoá cách thức lắng nghe ý kiến, kiến nghị của cử tri")
    answer = services.ask(users.commune_officer, "đa dạng hóa cách thức lắng nghe cử tri")
    assert answer.keys[0] == "item:15/2026/3"
    assert answer.statements[0].sources[0].url == reverse("programs:item", args=[item.pk])


def _house(unit: Unit, handed_over: dt.date | None, stage: str, number: str) -> House:
    household = Household.objects.create(
        unit=unit, head_name="Nguyễn Văn Bí Mật", status=PovertyStatus.POOR, classified_year=2025
    )
    return House.objects.create(
        household=household,
        unit=unit,
        work=HouseWork.NEW,
        stage=stage,
        decision_number=number,
        approved_on=dt.date(2026, 1, 5),
        started_on=dt.date(2026, 2, 1),
        handed_over_on=handed_over,
    )


def test_houses_are_counted_from_the_database_in_the_asker_scope(users: People, world: World) -> None:
    done = _house(world.bac_ha, dt.date(2026, 5, 1), HouseStage.HANDED_OVER, "12/QĐ-UBND")
    _house(world.sa_pa, dt.date(2026, 6, 1), HouseStage.HANDED_OVER, "13/QĐ-UBND")
    _house(world.sa_pa, None, HouseStage.BUILDING, "14/QĐ-UBND")
    _house(world.bac_ha, dt.date(2025, 6, 1), HouseStage.HANDED_OVER, "9/QĐ-UBND")

    question = "Năm nay đã xây bao nhiêu nhà Đại đoàn kết ở Lào Cai?"
    province = services.ask(users.province_officer, question, today=TODAY)
    assert province.kind == "computed" and province.keys == ["intent:houses"]
    assert "2 nhà Đại đoàn kết đã hoàn thành, bàn giao" in province.text
    assert "1 nhà đang xây" in province.text

    commune = services.ask(users.commune_officer, "Năm 2026 bàn giao bao nhiêu nhà Đại đoàn kết?", today=TODAY)
    assert "1 nhà Đại đoàn kết đã hoàn thành" in commune.text
    links = [s.url for st in commune.statements for s in st.sources]
    assert reverse("funds:house", args=[done.pk]) in links
    assert "Bí Mật" not in commune.text and all("Bí Mật" not in s.label for s in commune.statements[0].sources)

    # Another commune named in the question: nothing of it, not even a zero.
    other = services.ask(users.commune_officer, "Năm 2026 có bao nhiêu nhà Đại đoàn kết ở phường Sa Pa?", today=TODAY)
    assert other.kind == "unknown"


def test_overdue_tasks_are_counted_for_the_asker_units_only(users: People, world: World) -> None:
    program = Program.objects.create(unit=world.lao_cai, title="Chương trình công tác năm 2026", year=2026)
    late = _item_of(program, "1", "Tổ chức hội nghị tiếp xúc cử tri")
    other = _item_of(program, "2", "Tổng kết phong trào thi đua")
    done = _item_of(program, "3", "Ngày hội Đại đoàn kết")
    Assignment.objects.create(item=late, program=program, unit=world.bac_ha, due_date=dt.date(2026, 11, 1))
    Assignment.objects.create(item=other, program=program, unit=world.sa_pa, due_date=dt.date(2026, 10, 1))
    Assignment.objects.create(
        item=done, program=program, unit=world.bac_ha, due_date=dt.date(2026, 10, 1), status=TaskStatus.DONE
    )
    commune = services.ask(users.commune_officer, "Có bao nhiêu nhiệm vụ quá hạn?", today=TODAY)
    assert commune.kind == "computed" and commune.keys == ["intent:tasks_overdue"]
    assert commune.text.startswith("1 nhiệm vụ quá hạn")
    assert [s.url for s in commune.statements[0].sources] == [reverse("programs:item", args=[late.pk])]
    assert services.ask(users.province_officer, "Việc nào trễ hạn?", today=TODAY).text.startswith("2 nhiệm vụ")


def test_the_page_answers_with_and_without_htmx_and_logs_the_question(
    client: Client, users: People, decree: Directive, caplog: pytest.LogCaptureFixture
) -> None:
    login(client, users.commune_officer)
    url = reverse("assistant:ask")
    page = client.get(url)
    assert page.status_code == 200 and "Trợ lý" in page.content.decode()
    with caplog.at_level(logging.INFO, logger="doanket.assistant"):
        full = client.get(url, {"q": "Nghị định 93 quy định gì về công khai?"})
    html = full.content.decode()
    assert full.status_code == 200 and "<html" in html
    assert f'href="{reverse("library:detail", args=[decree.pk])}"' in html
    assert "Nghị định 93/2021/NĐ-CP, Điều 12" in html
    assert any("Nghị định 93 quy định gì về công khai?" in r.getMessage() for r in caplog.records)
    assert any(f"user={users.commune_officer.pk}" in r.getMessage() for r in caplog.records)

    partial = client.get(url, {"q": "thời tiết ngày mai"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert "Chưa tìm thấy thông tin này trong tài liệu và dữ liệu của hệ thống" in body


def test_the_page_refuses_an_account_without_a_role(client: Client, world: World) -> None:
    client.force_login(make_user("nobody"))
    assert client.get(reverse("assistant:ask"), {"q": "nghị định 93"}).status_code == 403


def test_the_index_is_rebuilt_when_a_document_changes(users: People, decree: Directive) -> None:
    assert services.ask(users.province_officer, "phòng cháy rừng mùa khô").kind == "unknown"
    decree.full_text += "\nĐiều 20. Phòng cháy rừng\nVận động Nhân dân phòng cháy rừng trong mùa khô.\n"
    decree.save()
    assert services.ask(users.province_officer, "phòng cháy rừng mùa khô").keys[0] == "directive:93/2021/NĐ-CP#Điều 20"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Xã nào chưa nộp báo cáo quý 3?", "reports_missing"),
        ("Có bao nhiêu đơn vị chưa nộp báo cáo tháng 10?", "reports_missing"),
        ("Năm nay đã xây bao nhiêu nhà Đại đoàn kết ở Lào Cai?", "houses"),
        ("Có bao nhiêu đơn thư quá hạn?", "petitions"),
        ("Những nhiệm vụ nào đang chậm tiến độ?", "tasks_overdue"),
        ("Có bao nhiêu đơn vị tham gia?", None),  # "đơn vị" is not "đơn" (a petition)
        ("Việc chăm sóc trẻ em", None),  # folded "trẻ" is "tre", not late
        ("Chính quyền phải trả lời kiến nghị trong thời hạn bao lâu?", None),  # a rule, not a count
    ],
)
def test_the_rules_recognise_the_common_questions_and_only_them(question: str, intent: str | None) -> None:
    from doanket.assistant.intents import recognise

    rule = recognise(question)
    assert (rule[0] if rule else None) == intent


def test_the_period_is_read_as_an_officer_writes_it() -> None:
    from doanket.assistant.intents import period_of
    from doanket.core.text import fold

    assert period_of(fold("Xã nào chưa nộp báo cáo quý 3?"), TODAY) == "2026-Q3"
    assert period_of(fold("báo cáo quý III năm 2025"), TODAY) == "2025-Q3"
    assert period_of(fold("chưa nộp báo cáo tháng 9/2025"), TODAY) == "2025-09"
    assert period_of(fold("báo cáo năm 2025"), TODAY) == "2025"
    assert period_of(fold("báo cáo nào chưa nộp"), TODAY) is None


def test_reports_not_submitted_are_counted_for_the_period_and_the_asker_scope(users: People, world: World) -> None:
    from conftest import quarterly_schedule
    from doanket.reporting import services as reporting
    from doanket.reporting.models import Report, Status
    from doanket.reporting.periods import parse

    sections = [
        {"number": "I", "title": "Kết quả", "indicators": [{"code": "so-cuoc", "label": "Số cuộc", "type": "integer"}]}
    ]
    schedule = quarterly_schedule(world.lao_cai, "quy", "Báo cáo quý", sections)
    reporting.open_period(schedule, parse("2026-Q3"))
    Report.objects.filter(schedule=schedule, unit=world.sa_pa).update(status=Status.SUBMITTED)
    missing = Report.objects.get(schedule=schedule, unit=world.bac_ha)

    province = services.ask(users.province_officer, "Xã nào chưa nộp báo cáo quý 3?", today=TODAY)
    assert province.kind == "computed" and province.keys == ["intent:reports_missing"]
    assert "1/2 báo cáo chưa nộp" in province.text
    urls = [s.url for s in province.statements[0].sources]
    assert reverse("reporting:report", args=[missing.pk]) in urls

    # The commune that did submit sees its own period: nothing missing, and nothing of Bắc Hà.
    sa_pa = services.ask(users.other_commune_officer, "Xã nào chưa nộp báo cáo quý 3?", today=TODAY)
    assert "0/1 báo cáo chưa nộp" in sa_pa.text
    assert reverse("reporting:report", args=[missing.pk]) not in [s.url for s in sa_pa.statements[0].sources]
    # Naming the other commune: not found, not a count.
    assert services.ask(users.other_commune_officer, "Xã Bắc Hà chưa nộp báo cáo quý 3?", today=TODAY).kind == "unknown"
