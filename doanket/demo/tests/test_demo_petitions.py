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
from doanket.demo.petitions import SAMPLES, load_petitions
from doanket.petitions import services
from doanket.petitions.models import Kind, Petition, Status


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
    assert Petition.objects.filter(meeting__isnull=False).count() == 3  # the voters' opinions of last week
    assert load_petitions(timezone.localdate()) == 0
    assert Petition.objects.filter(due_date__lt=timezone.localdate(), status=Status.IN_PROGRESS).exists()


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
