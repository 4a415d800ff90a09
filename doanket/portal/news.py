"""The public side of the news: every unit's published items, one unit's (with the units below
it), an item's page with the tags a social network reads for its preview (Open Graph, Twitter
card), the photo, and RSS and Atom feeds of each.

No login and nothing personal: what shows is the title, summary, text and photo the officer wrote
and published; a draft or a withdrawn item is a 404. Share links are plain links to Facebook and
Zalo — no third-party script, so the page keeps its strict Content Security Policy.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from doanket.news import services
from doanket.news.models import NewsItem, State
from doanket.organizations.models import Unit

PAGE = 20
FEED_ITEMS = 30
SECONDS = 60  # a withdrawn item leaves caches within a minute
SITE_NAME = "Đoàn Kết — Mặt trận Tổ quốc Việt Nam"


def _cached(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    patch_cache_control(response, public=True, max_age=SECONDS)
    return response


def public_item(pk: int) -> NewsItem:
    return get_object_or_404(NewsItem.objects.select_related("unit"), pk=pk, state=State.PUBLISHED)


def _feeds(unit: Unit | None) -> dict[str, str]:
    if unit is None:
        return {"rss": reverse("portal:news_rss"), "atom": reverse("portal:news_atom")}
    return {
        "rss": reverse("portal:news_unit_rss", args=[unit.pk]),
        "atom": reverse("portal:news_unit_atom", args=[unit.pk]),
    }


def _list(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    page = Paginator(services.published(unit), PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "unit": unit, "feeds": _feeds(unit), "cacheable": True}
    return _cached(render(request, "portal/news.html", context))


@require_GET
def news(request: HttpRequest) -> HttpResponse:
    return _list(request, None)


@require_GET
def unit_news(request: HttpRequest, unit: int) -> HttpResponse:
    return _list(request, get_object_or_404(Unit, pk=unit))


def photo_url(request: HttpRequest, item: NewsItem) -> str:
    return request.build_absolute_uri(reverse("portal:news_photo", args=[item.pk]))


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = public_item(pk)
    url = request.build_absolute_uri(reverse("portal:news_item", args=[chosen.pk]))
    context = {
        "item": chosen,
        "url": url,
        "image": photo_url(request, chosen) if chosen.photo else "",
        "site_name": SITE_NAME,
        "feeds": _feeds(chosen.unit),
        "share": {
            "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quote(url, safe='')}",
        },
        "cacheable": True,
    }
    return _cached(render(request, "portal/news_item.html", context))


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    chosen = public_item(pk)
    if not chosen.photo:
        raise Http404
    try:
        opened = chosen.photo.open("rb")
    except FileNotFoundError as exc:  # a file lost outside the platform: not found, not a 500
        raise Http404 from exc
    response = FileResponse(opened, content_type=chosen.photo_type)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=SECONDS)
    return response


# --- Feeds ----------------------------------------------------------------------------------------


class NewsFeed(Feed):
    """RSS 2.0 of the published items, of every unit or of one unit and those below it; each item
    links to its page and carries its photo as an enclosure."""

    feed_type: type[SyndicationFeed] = Feed.feed_type
    language = "vi"
    request: HttpRequest

    def get_object(self, request: HttpRequest, unit: int | None = None) -> Unit | None:
        return None if unit is None else get_object_or_404(Unit, pk=unit)

    def get_feed(self, obj: Unit | None, request: HttpRequest) -> SyndicationFeed:
        # The feed object is shared by every request; the enclosures' absolute address needs this one.
        own = copy.copy(self)
        own.request = request
        return super(NewsFeed, own).get_feed(obj, request)

    def title(self, obj: Unit | None) -> str:
        return _("News of %(unit)s") % {"unit": obj.name} if obj else _("News of the Fatherland Front")

    def link(self, obj: Unit | None) -> str:
        return reverse("portal:news_unit", args=[obj.pk]) if obj else reverse("portal:news")

    def description(self, obj: Unit | None) -> str:
        return _("News, announcements and public notices published on the Đoàn Kết portal.")

    def items(self, obj: Unit | None) -> QuerySet[NewsItem]:
        return services.published(obj)[:FEED_ITEMS]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_link(self, item: NewsItem) -> str:
        return reverse("portal:news_item", args=[item.pk])

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.updated_at

    def item_author_name(self, item: NewsItem) -> str:
        return item.unit.name

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.get_kind_display())]

    def item_enclosure_url(self, item: NewsItem) -> str | None:
        return photo_url(self.request, item) if item.photo else None

    def item_enclosure_length(self, item: NewsItem) -> int:
        return item.photo_size

    def item_enclosure_mime_type(self, item: NewsItem) -> str:
        return item.photo_type


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Unit | None) -> str:
        return self.description(obj)


rss = NewsFeed()
atom = AtomNewsFeed()
