"""The demo's training: Lào Cai's 2026 courses trained the staff and village board heads of three
of its communes; the page of the untrained shows the three others (and the committee one of the
trained communes elected at its congress since), and loading again adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from doanket.accounts.models import User
from doanket.demo.loader import load_demo
from doanket.demo.training import load_training
from doanket.organizations.models import Unit
from doanket.training.models import Attendance, Course


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_province_sees_three_communes_trained_and_three_not(client: Client) -> None:
    client.force_login(User.objects.get(username="tinh.laocai"))
    response = client.get(reverse("training:untrained"))
    assert response.status_code == 200
    assert response.context["when"].term.name == "2024–2029"
    rows = [r for r in response.context["rows"] if r.recorded]
    assert len(rows) == 6
    # Three communes untrained; of the three trained, the demo commune has since held its congress
    # (doanket/demo/congresses.py) and the three staff it elected have had no course yet.
    assert sorted(r.untrained for r in rows) == [0, 0, 3, 4, 4, 4]
    assert response.context["untrained_total"] == 15


def test_loading_again_adds_nothing() -> None:
    before = (Course.objects.count(), Attendance.objects.count())
    load_training(Unit.objects.get(name="Ủy ban MTTQ tỉnh Lào Cai"))
    assert (Course.objects.count(), Attendance.objects.count()) == before == (2, 12)
