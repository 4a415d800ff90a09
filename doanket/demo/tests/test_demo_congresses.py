"""The demo's congresses: Lào Cai's provincial congress held with its committee, resolution and
targets whose mid-term review shows the figures the demo reports filled; the communes in every
state, one of them late, as the province officer sees them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from doanket.accounts.models import User
from doanket.congresses import services
from doanket.congresses.models import Congress, State
from doanket.demo.congresses import PROVINCE_NAME, load_congresses
from doanket.demo.loader import load_demo
from doanket.organizations.models import Position


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_provincial_congress_is_held_with_its_committee_resolution_and_reviewed_targets() -> None:
    congress = Congress.objects.select_related("unit", "term", "resolution").get(name=PROVINCE_NAME)
    today = timezone.localdate()
    assert congress.state(today) == State.HELD and congress.term.name == "2024–2029"
    assert Position.objects.filter(term=congress.term, unit=congress.unit).count() >= 4
    assert congress.resolution is not None and congress.resolution.items.filter(depth=0).count() == 4
    review = services.review(congress, services.ReviewKind.MID, today)
    bound = [line for line in review.lines if line.source_url]
    assert len(bound) == 5 and all(isinstance(line.actual, int | float) and line.actual > 0 for line in bound)
    assert [line.actual for line in review.lines if not line.source_url] == [None]
    # Loading again changes nothing.
    assert load_congresses(congress.unit, congress.unit, today) == [congress]
    assert Congress.objects.filter(unit=congress.unit).count() == 1


def test_the_province_officer_sees_the_communes_in_every_state_and_one_late(client: Client) -> None:
    province = Congress.objects.get(name=PROVINCE_NAME).unit
    summary = services.overview(province, timezone.localdate())
    assert summary.total.late == 1 and summary.total.held >= 2
    assert summary.total.preparing >= 1 and summary.total.planned >= 1
    client.force_login(User.objects.get(username="tinh.laocai"))
    page = client.get(reverse("congresses:overview")).content.decode()
    late = services.listing(province, State.LATE).get()
    assert late.name in page
    commune = Client()
    commune.force_login(User.objects.get(username="xa.laocai"))
    assert commune.get(reverse("congresses:detail", args=[late.pk])).status_code == 404
