"""Weak connections: the main pages, with everything they load (scripts, styles), weigh under
200 KB as sent compressed (whitenoise serves the static files gzipped or brotli'd; gzip is
measured here, the larger of the two). A size budget, not a timing."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from doanket.accounts.models import User
from doanket.demo.loader import load_demo

BUDGET = 200 * 1024
ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="/static/([^"?#]+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def _weight(html: str) -> tuple[int, list[str]]:
    assets = sorted(set(ASSET.findall(html)))
    total = len(gzip.compress(html.encode(), 9))
    for name in assets:
        path = finders.find(name)
        assert path, f"{name} is a static file of the project"
        with open(str(path), "rb") as file:
            total += len(gzip.compress(file.read(), 9))
    return total, assets


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
def test_the_main_pages_weigh_under_200_kb_with_what_they_load(client: Client) -> None:
    portal = Client()
    pages = [(portal, "/portal/"), (portal, reverse("portal:new")), (portal, reverse("portal:answers"))]
    client.force_login(User.objects.get(username="tinh.laocai"))
    pages += [
        (client, "/"),
        (client, reverse("programs:list")),
        (client, reverse("reporting:dashboard")),
        (client, reverse("petitions:inbox")),
        (client, "/emulation/"),
        (client, "/supervision/"),
        (client, "/outreach/visits/"),
    ]
    weights = {}
    for who, url in pages:
        response = who.get(url, follow=True)
        assert response.status_code == 200, url
        weights[url], assets = _weight(response.content.decode())
        assert "vendor/htmx/htmx.min.js" in assets, url
    heaviest = max(weights, key=lambda u: weights[u])
    assert weights[heaviest] < BUDGET, f"{heaviest} weighs {weights[heaviest]} bytes compressed"
