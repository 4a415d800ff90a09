"""The commune's officer writes a news item with a photo and publishes it; a citizen on a phone
finds it on the portal, sees the photo, and finds it in the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from doanket.demo.news import tiny_png
from doanket.news.models import NewsItem
from tests.browser.conftest import Commune, log_in

pytestmark = pytest.mark.browser

TITLE = "Giao lưu hữu nghị biên giới với trấn Hà Khẩu"


def test_an_officer_publishes_an_item_with_a_photo_and_a_citizen_reads_it(
    page: Page, phone_page: Page, live_server: Any, commune: Commune
) -> None:
    log_in(page, live_server.url, commune.officer.username)
    page.goto(f"{live_server.url}/news/")
    page.get_by_test_id("news-new").click()
    form = page.get_by_test_id("news-form")
    form.locator("select[name=unit]").select_option(label=commune.bac_ha.name)
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=summary]").fill("Thanh niên hai bên biên giới giao lưu văn nghệ, thể thao.")
    form.locator("textarea[name=body]").fill("Sáng nay, tại cửa khẩu…\n\nHai bên giữ biên giới hòa bình.")
    form.locator("input[name=photo]").set_input_files(
        {"name": "giao-luu.png", "mimeType": "image/png", "buffer": tiny_png(640, 360)}
    )
    form.locator("input[name=photo_caption]").fill("Giao lưu văn nghệ tại cửa khẩu")
    with page.expect_navigation():
        form.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_test_id("news-state")).to_have_text("Bản nháp")
    expect(page.get_by_test_id("news-photo")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("news-publish").click()
    expect(page.get_by_test_id("news-state")).to_have_text("Đã công khai")
    item = NewsItem.objects.get()
    assert item.state == "published" and item.photo_type == "image/png"

    citizen = phone_page
    citizen.goto(f"{live_server.url}/portal/news/")
    citizen.get_by_test_id("news-list").get_by_role("link", name=TITLE).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text(TITLE)
    photo = citizen.get_by_test_id("news-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 640
    expect(citizen.locator("meta[property='og:image']")).to_have_attribute(
        "content", f"{live_server.url}/portal/news/{item.pk}/photo"
    )
    expect(citizen.get_by_test_id("share").get_by_role("link", name="Facebook")).to_be_visible()
    expect(citizen.get_by_test_id("share-link")).to_have_value(citizen.url)

    # The feed the page announces to feed readers.
    href = citizen.locator("link[rel=alternate][type='application/rss+xml']").get_attribute("href")
    assert href == f"/portal/news/unit/{commune.bac_ha.pk}/rss.xml"
    feed = citizen.request.get(f"{live_server.url}{href}")
    assert feed.ok and feed.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(feed.body()).find("channel")  # noqa: S314 - our own feed
    assert channel is not None
    titles = [i.findtext("title") for i in channel.findall("item")]
    assert titles == [TITLE]
    enclosure = channel.find("item/enclosure")
    assert enclosure is not None and enclosure.get("url") == f"{live_server.url}/portal/news/{item.pk}/photo"
