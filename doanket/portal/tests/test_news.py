"""The public news: lists, an item's page with its preview tags, the photo and the feeds — what
is published only, nothing personal, a fixed number of queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import People, World
from doanket.demo.news import tiny_png
from doanket.news import services
from doanket.news.models import NewsItem

ATOM = "{http://www.w3.org/2005/Atom}"


class Head(HTMLParser):
    """The <meta> and <link> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)


def head_of(html: str) -> Head:
    parsed = Head()
    parsed.feed(html)
    return parsed


def item(users: People, unit: object, title: str, *, photo: bool = False, publish: bool = True) -> NewsItem:
    made = services.write(
        users.system_admin, unit, title=title, summary=f"Tóm tắt: {title}",  # type: ignore[arg-type]
        body="Đoạn một.\nDòng hai.\n\n<b>Đoạn</b> hai & ba",
        photo=SimpleUploadedFile("anh.png", tiny_png(), "image/png") if photo else None,
        photo_caption="Bà con dự Ngày hội" if photo else "",
    )  # fmt: skip
    if publish:
        services.publish(users.system_admin, made)
    return made


def test_a_draft_is_never_public_and_a_withdrawn_item_is_gone(client: Client, world: World, users: People) -> None:
    draft = item(users, world.bac_ha, "Bản nháp chưa đăng", photo=True, publish=False)
    assert client.get(reverse("portal:news_item", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:news_photo", args=[draft.pk])).status_code == 404
    assert "Bản nháp chưa đăng" not in client.get(reverse("portal:news")).content.decode()
    assert "Bản nháp chưa đăng" not in client.get(reverse("portal:news_rss")).content.decode()
    shown = item(users, world.bac_ha, "Tin đã đăng")
    assert client.get(reverse("portal:news_item", args=[shown.pk])).status_code == 200
    services.withdraw(users.system_admin, shown)
    assert client.get(reverse("portal:news_item", args=[shown.pk])).status_code == 404
    assert "Tin đã đăng" not in client.get(reverse("portal:news_unit", args=[world.bac_ha.pk])).content.decode()


def test_a_unit_page_lists_its_own_and_its_communes_items_not_others(
    client: Client, world: World, users: People
) -> None:
    item(users, world.bac_ha, "Tin xã Bắc Hà")
    item(users, world.lao_cai, "Tin tỉnh Lào Cai")
    item(users, world.sa_pa, "Tin phường Sa Pa")
    province = client.get(reverse("portal:news_unit", args=[world.lao_cai.pk])).content.decode()
    assert all(t in province for t in ("Tin xã Bắc Hà", "Tin tỉnh Lào Cai", "Tin phường Sa Pa"))
    commune = client.get(reverse("portal:news_unit", args=[world.bac_ha.pk])).content.decode()
    assert "Tin xã Bắc Hà" in commune and "Tin tỉnh Lào Cai" not in commune and "Tin phường Sa Pa" not in commune


def test_the_item_page_carries_open_graph_and_twitter_tags_and_no_personal_data(
    client: Client, world: World, users: People
) -> None:
    shown = item(users, world.bac_ha, "Ngày hội Đại đoàn kết “Na Hối”", photo=True)
    response = client.get(reverse("portal:news_item", args=[shown.pk]))
    html = response.content.decode()
    tags = head_of(html)
    url = f"http://testserver{reverse('portal:news_item', args=[shown.pk])}"
    assert tags.meta["og:title"] == "Ngày hội Đại đoàn kết “Na Hối”"
    assert tags.meta["og:description"] == "Tóm tắt: Ngày hội Đại đoàn kết “Na Hối”"
    assert tags.meta["og:type"] == "article"
    assert tags.meta["og:locale"] == "vi_VN"
    assert tags.meta["og:url"] == url
    assert tags.meta["og:site_name"]
    image = urlparse(tags.meta["og:image"])
    assert image.scheme == "http" and image.netloc == "testserver"
    assert image.path == reverse("portal:news_photo", args=[shown.pk])
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert {"rel": "canonical", "href": url} in tags.links
    alternates = {link["type"]: link["href"] for link in tags.links if link.get("rel") == "alternate"}
    assert alternates == {
        "application/rss+xml": reverse("portal:news_unit_rss", args=[world.bac_ha.pk]),
        "application/atom+xml": reverse("portal:news_unit_atom", args=[world.bac_ha.pk]),
    }
    # The body: escaped, in paragraphs; the share links are plain links, no script from elsewhere.
    assert "<p>Đoạn một.<br>Dòng hai.</p>" in html
    assert "&lt;b&gt;Đoạn&lt;/b&gt; hai &amp; ba" in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in html
    assert f'id="share-link" type="url" readonly value="{url}"' in html  # to paste into Zalo
    assert '<script src="http' not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert users.system_admin.username not in html  # who wrote it is not public
    photo = client.get(tags.meta["og:image"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]


def test_an_item_without_photo_has_a_summary_card_and_no_image(client: Client, world: World, users: People) -> None:
    shown = item(users, world.bac_ha, "Tin không ảnh")
    tags = head_of(client.get(reverse("portal:news_item", args=[shown.pk])).content.decode())
    assert tags.meta["twitter:card"] == "summary" and "og:image" not in tags.meta
    assert client.get(reverse("portal:news_photo", args=[shown.pk])).status_code == 404


def test_the_rss_feed_parses_with_absolute_links_vietnamese_text_and_the_photo(
    client: Client, world: World, users: People
) -> None:
    with_photo = item(users, world.bac_ha, "Giao lưu hữu nghị biên giới Việt – Trung", photo=True)
    item(users, world.lao_cai, "Tin của tỉnh")
    item(users, world.lang_son, "Tin Lạng Sơn")
    response = client.get(reverse("portal:news_unit_rss", args=[world.lao_cai.pk]))
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert "Ủy ban MTTQ tỉnh Lào Cai" in (channel.findtext("title") or "")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Tin của tỉnh", "Giao lưu hữu nghị biên giới Việt – Trung"]
    photo_item = items[1]
    assert photo_item.findtext("link") == f"http://testserver{reverse('portal:news_item', args=[with_photo.pk])}"
    enclosure = photo_item.find("enclosure")
    assert enclosure is not None
    assert enclosure.get("url") == f"http://testserver{reverse('portal:news_photo', args=[with_photo.pk])}"
    assert enclosure.get("type") == "image/png" and enclosure.get("length") == str(with_photo.photo_size)
    assert items[0].find("enclosure") is None


def test_the_atom_feed_of_everything_parses(client: Client, world: World, users: People) -> None:
    item(users, world.bac_ha, "Tin xã")
    item(users, world.lang_son, "Tin Lạng Sơn", photo=True)
    feed = ET.fromstring(client.get(reverse("portal:news_atom")).content)  # noqa: S314 - our own feed
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Tin Lạng Sơn", "Tin xã"]
    links = {link.get("rel"): link for link in entries[0].findall(f"{ATOM}link")}
    assert (links["alternate"].get("href") or "").startswith("http://testserver/portal/news/")
    assert links["enclosure"].get("type") == "image/png"


def test_the_pages_link_their_feeds(client: Client, world: World, users: People) -> None:
    tags = head_of(client.get(reverse("portal:news")).content.decode())
    hrefs = {link["href"] for link in tags.links if link.get("rel") == "alternate"}
    assert hrefs == {reverse("portal:news_rss"), reverse("portal:news_atom")}


def test_a_unit_that_does_not_exist_is_a_404(client: Client, world: World) -> None:
    assert client.get(reverse("portal:news_unit", args=[999999])).status_code == 404
    assert client.get(reverse("portal:news_unit_rss", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "unit", "queries"),
    [
        ("portal:news", False, 2),
        ("portal:news_unit", True, 3),
        ("portal:news_rss", False, 1),
        ("portal:news_unit_atom", True, 2),
    ],
)
def test_public_pages_read_a_fixed_number_of_queries(
    client: Client, world: World, users: People, name: str, unit: bool, queries: int
) -> None:
    url = reverse(name, args=[world.lao_cai.pk] if unit else [])
    for n in range(3):
        item(users, world.bac_ha, f"Tin {n}", photo=n == 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(3, 12):
        item(users, world.sa_pa, f"Tin {n}", photo=True)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many) == queries, [q["sql"] for q in many.captured_queries]


def test_an_item_page_reads_one_query(client: Client, world: World, users: People) -> None:
    shown = item(users, world.bac_ha, "Tin", photo=True)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("portal:news_item", args=[shown.pk])).status_code == 200
    assert len(captured) == 1
