"""The demo's movement: Lạng Sơn's launch (seed 003) with its six content areas, criteria worth
100 points, the first communes registered; its province officer follows it on the page."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from doanket.accounts.models import User
from doanket.demo.emulation import POOR_MOVEMENT, load_emulation, load_poor_movement
from doanket.demo.loader import load_demo
from doanket.emulation import evaluation, services
from doanket.emulation.models import Movement, Registration, Score


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_lang_son_launches_its_movement_and_two_communes_have_registered() -> None:
    movement = Movement.objects.get(unit__name__endswith="Lạng Sơn")
    assert movement.unit.name.endswith("Lạng Sơn") and movement.areas.count() == 6
    assert sum(movement.criteria.values_list("weight", flat=True)) == 100
    standing = services.standing(movement)
    assert standing.registered == 2 and standing.expected > 2
    review = movement.reviews.get()
    top = evaluation.ranking(review)[0]
    assert (top.rank, top.total) == (1, Decimal("40.00"))  # 18 + 22 by hand, the others' 35 and 36
    assert load_emulation(movement.unit, timezone.localdate()) == movement  # loading again adds nothing
    assert Registration.objects.count() == 2


def test_lao_cai_ranks_its_communes_from_their_monthly_reports() -> None:
    movement = Movement.objects.get(title=POOR_MOVEMENT)
    review = movement.reviews.get()
    from_reports = Score.objects.filter(review=review, criterion__measure="indicator")
    assert from_reports.exclude(value=None).exists()  # figures read from the demo's approved reports
    best = from_reports.exclude(value=None).order_by("-computed").first()
    assert best is not None and best.computed == best.criterion.weight  # the best commune earns full points
    ranked = evaluation.ranking(review)
    assert ranked[0].rank == 1 and ranked[0].total > ranked[-1].total
    assert load_poor_movement(movement.unit, timezone.localdate()) == movement


def test_the_province_officer_follows_the_registrations_on_the_page(client: Client) -> None:
    client.force_login(User.objects.get(username="tinh.langson"))
    movement = Movement.objects.get(unit__name__endswith="Lạng Sơn")
    page = client.get(reverse("emulation:movement", args=[movement.pk])).content.decode()
    standing = services.standing(movement)
    assert f"2 trên {standing.expected} đơn vị tham gia đã đăng ký." in page
    assert "Vận động xây 3 nhà Đại đoàn kết" in page
    listed = client.get(reverse("emulation:list")).content.decode()
    assert movement.title in listed
    client.force_login(User.objects.get(username="tinh.laocai"))  # another province: not theirs
    assert client.get(reverse("emulation:movement", args=[movement.pk])).status_code == 404
