"""A year's supervision plan end to end in a real browser: the commune imports its plan document,
records a supervision's findings and a recommendation, the addressee's answer, and downloads the
year's report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright.sync_api import Page, expect

from doanket.supervision.models import Recommendation, SupervisionPlan
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser
PLAN = Path(__file__).resolve().parents[2] / "demo" / "documents" / "ke-hoach-giam-sat-2026-lao-cai.txt"


def test_a_plan_runs_from_its_document_to_the_years_report(page: Page, live_server: Any, commune: Commune) -> None:
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/supervision/")
    page.locator("summary", has_text="Lập kế hoạch năm").click()
    form = page.get_by_test_id("plan-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("input[name=year]").fill("2026")
    form.locator("input[name=file]").set_input_files(str(PLAN))
    with page.expect_navigation():
        form.get_by_role("button", name="Lập kế hoạch").click()
    expect(page.get_by_test_id("supervision-row")).to_have_count(4)
    with page.expect_navigation():
        page.get_by_role("link", name="Giám sát việc thực hiện chính sách hỗ trợ nhà ở", exact=False).click()

    page.locator("summary", has_text="Ghi tiến độ và kết quả").click()
    progress = page.get_by_test_id("progress-form")
    progress.locator("select[name=progress]").select_option(value="done")
    progress.locator("textarea[name=findings]").fill("Hỗ trợ đúng đối tượng ở 9/10 thôn")
    with page.expect_navigation():
        progress.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("progress")).to_have_text("Hoàn thành")
    expect(page.get_by_test_id("findings")).to_contain_text("9/10 thôn")

    page.locator("summary", has_text="Thêm kiến nghị").click()
    recommend = page.get_by_test_id("recommendation-form")
    recommend.locator("textarea[name=text]").fill("Công khai danh sách hộ được hỗ trợ tại thôn")
    recommend.locator("input[name=addressee]").fill("UBND xã Bắc Hà")
    recommend.locator("input[name=due_on]").fill("2026-08-31")
    with page.expect_navigation():
        recommend.get_by_role("button", name="Thêm").click()
    expect(page.get_by_test_id("state")).to_have_text("Quá hạn")  # 31/08/2026 has passed

    page.locator("summary", has_text="Ghi nhận trả lời").click()
    answer = page.get_by_test_id("answer-form")
    answer.locator("select[name=answer]").select_option(value="answered")
    answer.locator("textarea[name=answer_text]").fill("Đã niêm yết danh sách tại nhà văn hoá")
    with page.expect_navigation():
        answer.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("state")).to_have_text("Đã trả lời")
    assert Recommendation.objects.get().answer == "answered"

    page.goto(f"{live_server.url}/supervision/plans/{SupervisionPlan.objects.get().pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "9/10 thôn" in text and "Đã niêm yết danh sách tại nhà văn hoá" in text


DRAFT = PLAN.parent / "du-thao-nghi-quyet-ho-tro-nha-o.txt"


def test_a_draft_goes_through_criticism_to_its_document_and_answer(
    page: Page, live_server: Any, commune: Commune
) -> None:
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/supervision/criticism/")
    page.locator("summary", has_text="Tiếp nhận dự thảo để phản biện").click()
    form = page.get_by_test_id("draft-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("input[name=drafting_body]").fill("UBND xã Bắc Hà")
    form.locator("input[name=received_on]").fill("2026-10-01")
    form.locator("input[name=due_on]").fill("2026-10-31")
    form.locator("input[name=file]").set_input_files(str(DRAFT))
    with page.expect_navigation():
        form.get_by_role("button", name="Tiếp nhận dự thảo").click()

    page.locator("summary", has_text="Ghi ý kiến").click()
    opinion = page.get_by_test_id("criticism-opinion-form")
    opinion.locator("select[name=part]").select_option(label="Điều 3. Mức hỗ trợ")
    opinion.locator("select[name=source_kind]").select_option(value="expert")
    opinion.locator("input[name=author]").fill("TS. Nguyễn Văn An")
    opinion.locator("textarea[name=text]").fill("Đề nghị nâng mức hỗ trợ lên 70 triệu đồng")
    with page.expect_navigation():
        opinion.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("opinion-group")).to_contain_text("TS. Nguyễn Văn An")
    with page.expect_navigation():
        page.get_by_test_id("compose").click()
    expect(page.get_by_test_id("point")).to_have_count(1)

    page.locator("summary", has_text="Gửi văn bản phản biện").click()
    issue = page.get_by_test_id("issue-form")
    issue.locator("input[name=number]").fill("12/PB-MTTQ")
    issue.locator("input[name=signer]").fill("Lò Văn Minh")
    with page.expect_navigation():
        issue.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_test_id("draft-state")).to_contain_text("12/PB-MTTQ")
    with page.expect_download() as download:
        page.get_by_test_id("criticism-docx").click()
    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "70 triệu đồng" in "\n".join(p.text for p in document.paragraphs)

    page.locator("summary", has_text="Ghi nội dung tiếp thu, giải trình").click()
    reception = page.get_by_test_id("reception-form")
    reception.locator("select[name=reception]").select_option(value="partly")
    reception.locator("textarea[name=answer_text]").fill("Nâng lên 60 triệu đồng")
    with page.expect_navigation():
        reception.get_by_role("button", name="Ghi nhận", exact=True).click()
    expect(page.get_by_test_id("draft-state")).to_contain_text("Cơ quan soạn thảo đã tiếp thu, giải trình")
    expect(page.get_by_test_id("reception")).to_contain_text("Nâng lên 60 triệu đồng")
