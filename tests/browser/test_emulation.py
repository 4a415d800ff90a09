"""A commune launches an emulation movement for its village boards from the launch document
(seed 003) in the browser, adds a criterion and registers its village with the targets it sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from doanket.emulation.models import Movement, Nomination, Registration
from doanket.organizations.models import Person
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser
SEED = next((Path(__file__).resolve().parents[2] / "demo" / "documents").glob("003_*.txt"))


def test_a_launch_document_becomes_a_movement_that_units_register_for(
    page: Page, live_server: Any, commune: Commune
) -> None:
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/")
    with page.expect_navigation():
        page.get_by_test_id("launch").click()
    form = page.get_by_test_id("launch-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("input[name=document]").set_input_files(str(SEED))
    form.locator("input[name=starts_on]").fill("2026-01-01")
    form.locator("input[name=ends_on]").fill("2026-12-31")
    form.locator("select[name=level]").select_option(value="village")
    form.locator("select[name=participant_kind]").select_option(value="village_board")
    with page.expect_navigation():
        form.get_by_role("button", name="Phát động", exact=True).click()
    expect(page.locator("[role=status]").first).to_contain_text("6 nội dung thi đua")
    expect(page.get_by_test_id("areas").locator("li")).to_have_count(6)
    expect(page.get_by_test_id("standing")).to_contain_text("0 trên 1 đơn vị tham gia đã đăng ký")

    page.locator("summary", has_text="Thêm tiêu chí").click()
    criterion = page.get_by_test_id("criterion-form")
    criterion.locator("input[name=name]").fill("Chất lượng giám sát, phản biện xã hội")
    criterion.locator("input[name=weight]").fill("40")
    with page.expect_navigation():
        criterion.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.get_by_test_id("total-weight")).to_have_text("40")

    registration = page.get_by_test_id("registration-form")
    registration.locator("select[name=unit]").select_option(label=commune.bac_ha_village.name)
    registration.locator("textarea[name=targets]").fill("Vận động 100% hộ tham gia\nXây 1 nhà Đại đoàn kết")
    with page.expect_navigation():
        registration.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_test_id("standing")).to_contain_text("1 trên 1 đơn vị tham gia đã đăng ký")
    expect(page.get_by_test_id("registrations")).to_contain_text("Xây 1 nhà Đại đoàn kết")
    assert Registration.objects.get().unit == commune.bac_ha_village
    assert Movement.objects.get().criteria.get().weight == 40


def test_a_review_ranks_the_units_and_a_score_by_hand_changes_the_ranking(
    page: Page, live_server: Any, commune: Commune
) -> None:
    """The commune opens a review of its villages' movement, the ranking appears when the worker
    has computed it, the officer scores one village by hand with a reason, and reads the ranking
    and the village's page that explains it."""
    import datetime as dt

    from doanket.emulation import services
    from doanket.organizations.models import Level, UnitKind
    from doanket.organizations.services import create_unit

    second = create_unit(
        None, parent=commune.bac_ha, name="Ban công tác Mặt trận thôn Nậm Đét", level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_BOARD,
    )  # fmt: skip
    movement = services.launch(
        None, commune.bac_ha, title="Thi đua xây dựng khu dân cư văn hoá", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31), level=Level.VILLAGE, participant_kind=UnitKind.VILLAGE_BOARD,
    )  # fmt: skip
    services.add_criterion(None, movement, name="Hoà giải ở cơ sở", weight=50)
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/{movement.pk}/")
    page.locator("summary", has_text="Mở kỳ sơ kết, tổng kết").click()
    review_form = page.get_by_test_id("review-form")
    review_form.locator("select[name=stage]").select_option(value="final")
    with page.expect_navigation():
        review_form.get_by_role("button", name="Mở kỳ đánh giá").click()
    expect(page.get_by_test_id("computing")).to_be_visible()
    call_command("worker", batch=True, verbosity=0)  # the worker computes the points; the page polls
    ranking = page.get_by_test_id("ranking").locator("tbody tr")
    expect(ranking).to_have_count(2)
    with page.expect_navigation():
        page.get_by_role("link", name=second.name).click()
    page.locator("summary", has_text="Chấm điểm đơn vị này").click()
    form = page.get_by_test_id("score-form")
    form.locator("select[name=criterion]").select_option(label="Hoà giải ở cơ sở")
    form.locator("input[name=points]").fill("42.5")
    form.locator("textarea[name=reason]").fill("Hoà giải thành 5 vụ việc")
    with page.expect_navigation():
        form.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("rank")).to_contain_text("Xếp hạng 1, 42,50 điểm")
    expect(page.get_by_test_id("scores")).to_contain_text("Hoà giải thành 5 vụ việc")


def test_a_village_is_proposed_for_an_award_decided_and_its_decision_downloaded(
    page: Page, live_server: Any, commune: Commune
) -> None:
    """The commune proposes its village for a Giấy khen it decides itself, reviews it for
    decision, decides it by a numbered decision and downloads the decision in the official layout."""
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/awards/")
    with page.expect_navigation():
        page.get_by_test_id("nominate").click()
    form = page.get_by_test_id("nomination-form")
    form.locator("select[name=proposed_by]").select_option(label=commune.bac_ha.name)
    form.locator("select[name=decided_by]").select_option(label=commune.bac_ha.name)
    form.locator("select[name=kind]").select_option(value="certificate")
    form.locator("select[name=recipient_unit]").select_option(label=commune.bac_ha_village.name)
    form.locator("textarea[name=achievement]").fill("Hoà giải thành 5 vụ việc, không có khiếu kiện vượt cấp")
    with page.expect_navigation():
        form.get_by_role("button", name="Đề nghị", exact=True).click()
    expect(page.get_by_test_id("history")).to_contain_text("Chưa có")
    review = page.get_by_test_id("review-nomination")
    review.locator("select[name=accept]").select_option(value="1")
    with page.expect_navigation():
        review.get_by_role("button", name="Ghi kết quả xét").click()
    expect(page.get_by_test_id("status")).to_contain_text("Đã xét, trình quyết định")
    page.goto(f"{live_server.url}/emulation/awards/")
    page.locator("summary", has_text="Ra quyết định khen thưởng").click()
    decide = page.get_by_test_id("decide-form")
    decide.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    decide.locator("input[name=nominations]").first.check()
    decide.locator("input[name=number]").fill("07/QĐ-MTTQ")
    decide.locator("input[name=decided_on]").fill("2026-11-20")
    decide.locator("input[name=signer]").fill("Lò Văn Minh")
    with page.expect_navigation():
        decide.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_test_id("awarded")).to_contain_text(commune.bac_ha_village.name)
    with page.expect_download() as download:
        page.get_by_test_id("decision-docx").click()
    assert download.value.suggested_filename.endswith(".docx")


def test_a_person_beyond_the_first_fifty_is_found_by_typing_and_proposed(
    page: Page, live_server: Any, commune: Commune
) -> None:
    """Sixty people are managed by the commune: the form lists fifty, and typing the name without
    accents (and with the other tone placement) finds the one proposed."""
    Person.objects.bulk_create(
        [Person(unit=commune.bac_ha, full_name=f"Nguyễn Văn {n:02}", name_key=f"nguyen van {n:02}") for n in range(60)]
    )
    Person(unit=commune.bac_ha, full_name="Vàng Thị Hoà").save()
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/awards/new")
    form = page.get_by_test_id("nomination-form")
    form.locator("select[name=proposed_by]").select_option(label=commune.bac_ha.name)
    form.locator("select[name=decided_by]").select_option(label=commune.province.name)
    form.locator("select[name=kind]").select_option(value="merit")
    people = form.locator("select[name=recipient_person]")
    expect(people.locator("option", has_text="Vàng Thị Hoà")).to_have_count(0)
    form.get_by_test_id("recipient_person-filter").fill("vang thi hòa")
    expect(people.locator("option", has_text="Vàng Thị Hoà")).to_have_count(1)
    people.select_option(label=f"Vàng Thị Hoà — {commune.bac_ha.name}")
    form.locator("textarea[name=achievement]").fill("Hai mươi năm làm Trưởng ban công tác Mặt trận thôn")
    with page.expect_navigation():
        form.get_by_role("button", name="Đề nghị", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Vàng Thị Hoà")
    nomination = Nomination.objects.get()
    assert nomination.recipient_person is not None and nomination.recipient_person.full_name == "Vàng Thị Hoà"


def test_a_model_is_recorded_with_a_photo_and_a_village_replicates_it(
    page: Page, live_server: Any, commune: Commune
) -> None:
    """The commune records its model with a photo as evidence; its village replicates it with the
    results so far, which the model's page then shows."""
    from playwright.sync_api import FilePayload

    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/emulation/models/")
    with page.expect_navigation():
        page.get_by_test_id("record-model").click()
    form = page.get_by_test_id("model-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("select[name=kind]").select_option(value="model")
    form.locator("input[name=title]").fill("Tổ tự quản an ninh trật tự")
    form.locator("textarea[name=description]").fill("Mỗi xóm một tổ, tuần tra ban đêm")
    form.locator("input[name=evidence]").set_input_files(
        FilePayload(name="anh.png", mimeType="image/png", buffer=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    )
    with page.expect_navigation():
        form.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.locator("h1")).to_have_text("Tổ tự quản an ninh trật tự")
    page.locator("summary", has_text="Nhân rộng mô hình này").click()
    adopt = page.get_by_test_id("adopt-form")
    adopt.locator("select[name=unit]").select_option(label=commune.bac_ha_village.name)
    adopt.locator("input[name=adopted_on]").fill("2026-10-01")
    adopt.locator("textarea[name=results]").fill("Thành lập 4 tổ")
    with page.expect_navigation():
        adopt.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("adoptions")).to_contain_text("Thành lập 4 tổ")
