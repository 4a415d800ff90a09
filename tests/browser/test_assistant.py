"""A commune officer asks the assistant about a decree of the province's library, reads the article
that answers, and follows its source link to the library entry, in a real browser (HTMX swaps the
answer in; the form alone works too)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from doanket.assistant import retrieval
from doanket.programs.models import Directive
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser

DECREE = """NGHỊ ĐỊNH 93/2021/NĐ-CP VỀ VẬN ĐỘNG, TIẾP NHẬN NGUỒN ĐÓNG GÓP TỰ NGUYỆN

Điều 5. Tài khoản tiếp nhận
Cơ quan tiếp nhận mở tài khoản riêng; không dùng tài khoản cá nhân để tiếp nhận.

Điều 12. Công khai thông tin
Cơ quan tiếp nhận phải công khai số tài khoản, danh sách đã tiếp nhận; thời gian niêm yết tối thiểu là 30 ngày.
"""


def test_asking_and_following_the_source(page: Page, live_server: Any, commune: Commune) -> None:
    retrieval._index = None
    decree = Directive.objects.create(
        unit=commune.province, code="93/2021/NĐ-CP", code_key="93/2021/nd-cp", type="decree", full_text=DECREE
    )
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/assistant/")
    page.get_by_label("Câu hỏi của bạn").fill("nghi dinh 93 quy dinh gi ve cong khai")
    page.get_by_role("button", name="Hỏi").click()
    answer = page.locator("#answer")
    expect(answer).to_contain_text("niêm yết tối thiểu là 30 ngày")
    # pushed: the answer can be bookmarked and reloaded
    assert parse_qs(urlsplit(page.url).query)["q"] == ["nghi dinh 93 quy dinh gi ve cong khai"]
    source = answer.get_by_role("link", name="Nghị định 93/2021/NĐ-CP, Điều 12")
    with page.expect_navigation():
        source.click()
    assert page.url.endswith(f"/library/{decree.pk}/")
    expect(page.locator("h1")).to_contain_text("93/2021/NĐ-CP")

    page.goto(f"{live_server.url}/assistant/?q=gi%C3%A1+v%C3%A0ng+h%C3%B4m+nay")
    expect(page.locator("#answer")).to_contain_text("Chưa tìm thấy thông tin này")
    retrieval._index = None
