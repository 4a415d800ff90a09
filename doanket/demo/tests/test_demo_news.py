"""The demo's news: Lào Cai and its first commune have published items (one with a photo, one a
notice of a voter meeting), two diplomacy activities on the border, one of them published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from doanket.demo.loader import load_demo
from doanket.demo.news import load_news
from doanket.news.models import Activity, Kind, NewsItem, State


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_lao_cai_and_its_commune_publish_news_and_the_demo_loads_once(client: Client) -> None:
    published = NewsItem.objects.filter(state=State.PUBLISHED)
    assert published.count() == 4
    assert {i.unit.level for i in published} == {"province", "commune"}
    assert all(i.unit.name.endswith("Lào Cai") or i.unit.parent.name.endswith("Lào Cai") for i in published)  # type: ignore[union-attr]
    assert published.filter(kind=Kind.NOTICE, title__contains="tiếp xúc cử tri").exists()
    with_photo = published.exclude(photo="").get()
    assert with_photo.photo_type == "image/png" and with_photo.photo_size > 0
    activities = Activity.objects.order_by("held_on")
    assert activities.count() == 2
    assert [a.news.filter(state=State.PUBLISHED).exists() for a in activities] == [True, False]
    commune = activities[0].unit
    assert commune.parent is not None
    load_news(commune.parent, commune, timezone.localdate())
    assert NewsItem.objects.count() == 4 and Activity.objects.count() == 2

    page = client.get(reverse("portal:news_item", args=[with_photo.pk])).content.decode()
    assert f'content="http://testserver/portal/news/{with_photo.pk}/photo"' in page
