"""The demo's petitions: every step of handling, answers on the portal, one protected sender."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from doanket.accounts.models import User
from doanket.demo.loader import load_demo
from doanket.demo.petitions import SAMPLES, SYNTHESIS_TITLE, load_petitions
from doanket.petitions import services, synthesis
from doanket.petitions.models import Body, Kind, Petition, Status, Synthesis


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_demo_has_petitions_at_every_step_and_loads_once() -> None:
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses == {Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED, Status.ANSWERED, Status.MERGED}
    assert Petition.objects.filter(meeting__isnull=True).count() == len(SAMPLES)
    assert Petition.objects.filter(meeting__isnull=False, channel="voter_meeting").count() == 163
    # The commune's voters' opinions of last week, and the province's before the council's session.
    assert Petition.objects.filter(meeting__body=Body.COMMUNE_COUNCIL).count() == 3
    assert Petition.objects.filter(meeting__body=Body.PROVINCIAL_COUNCIL).count() == 160
    assert load_petitions(timezone.localdate()) == 0
    assert Petition.objects.filter(due_date__lt=timezone.localdate(), status=Status.IN_PROGRESS).exists()


def test_the_province_meetings_opinions_are_synthesised_into_themes() -> None:
    made = Synthesis.objects.get(title=SYNTHESIS_TITLE)
    assert made.state == Synthesis.State.READY and made.petition_count == 160
    views = synthesis.themes_of(made)
    assert 10 <= len(views) <= 14, "twelve themes were planted"
    assert sum(v.size for v in views) == 160
    assert all(v.place_count >= 2 for v in views[:5]), "the opinions came from villages all over the province"


def test_the_portal_shows_the_published_answers_and_never_the_denouncer() -> None:
    client = Client()
    assert "Tiếp xúc cử tri trước kỳ họp của Quốc hội" in client.get(reverse("portal:meetings")).content.decode()
    listing = client.get(reverse("portal:answers"), {"q": "duong lien thon"}).content.decode()
    assert "Đường liên thôn bị sạt lở sau mưa lũ" in listing
    denunciation = Petition.objects.get(kind=Kind.DENUNCIATION)
    commune_officer = User.objects.get(username="xa.laocai")
    province_officer = User.objects.get(username="tinh.laocai")
    assert services.may_see_identity(commune_officer, denunciation)
    assert not services.may_see_identity(province_officer, denunciation)
    staff = Client()
    staff.force_login(province_officer)
    page = staff.get(reverse("petitions:detail", args=[denunciation.pk])).content.decode()
    assert "Người tố cáo (mẫu)" not in page
