"""The demo's supervision: Lào Cai's 2026 plan from its document, a recommendation answered and one
overdue, the ethics supervision readable by the province officer assigned and by nobody else, the
first commune's boards with what they recorded."""

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
from doanket.demo.supervision import load_supervision
from doanket.supervision import services
from doanket.supervision.models import Draft, Inspection, Kind, Project, Recommendation, SupervisionPlan


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_lao_cai_runs_its_plan_with_a_recommendation_overdue() -> None:
    plan = SupervisionPlan.objects.get(unit__name__endswith="Lào Cai", year=2026)
    assert plan.supervisions.count() == 4 and plan.source_name.endswith(".txt")
    today = timezone.localdate()
    tally = services.tally(Recommendation.objects.filter(supervision__plan=plan), today)
    assert (tally["total"], tally["answered"], tally["overdue"]) == (2, 1, 1)
    assert Inspection.objects.exists() and Project.objects.get().budget == 1_250_000_000
    # Loading again changes nothing.
    officer = User.objects.get(username="tinh.laocai")
    assert load_supervision(plan.unit, plan.unit, officer, today) == plan
    assert Recommendation.objects.count() == 2


def test_the_ethics_supervision_is_read_by_the_officer_assigned_only(client: Client) -> None:
    ethics = SupervisionPlan.objects.get(year=2026).supervisions.get(kind=Kind.ETHICS)
    url = reverse("supervision:supervision", args=[ethics.pk])
    client.force_login(User.objects.get(username="tinh.laocai"))
    assert "Người đứng đầu cơ quan A (mẫu)" in client.get(url).content.decode()
    leader = Client()
    leader.force_login(User.objects.get(username="lanhdao.laocai"))
    page = leader.get(url).content.decode()
    assert "Người đứng đầu cơ quan A (mẫu)" not in page and 'data-testid="protected-notice"' in page
    commune = Client()
    commune.force_login(User.objects.get(username="xa.laocai"))
    assert commune.get(url).status_code == 404
    boards = commune.get(reverse("supervision:boards")).content.decode()
    assert "Ban Thanh tra nhân dân" in boards and "Ban Giám sát đầu tư của cộng đồng" in boards


def test_a_draft_awaits_its_criticism_with_the_points_drafted(client: Client) -> None:
    draft = Draft.objects.get(source_name__startswith="du-thao")
    assert draft.parts.count() == 5 and draft.opinions.count() == 4 and draft.points.count() == 3
    client.force_login(User.objects.get(username="tinh.laocai"))
    page = client.get(reverse("supervision:draft", args=[draft.pk])).content.decode()
    assert "70 triệu đồng" in page and 'data-testid="issue-form"' in page


def test_the_commune_listens_visits_and_follows_a_hot_spot(client: Client) -> None:
    from doanket.outreach.models import HotSpot, Visit
    from doanket.petitions.models import Petition, VoterMeeting

    gathering = VoterMeeting.objects.get(kind="gathering")
    assert Petition.objects.filter(meeting=gathering, channel="dialogue").count() == 2
    assert Visit.objects.count() == 2 and Visit.objects.filter(fund__isnull=False).count() == 1
    spot = HotSpot.objects.get()
    assert spot.actions.count() == 1 and spot.risk == "medium"
    client.force_login(User.objects.get(username="tinh.laocai"))  # the province reads its commune's hot spot
    assert "Tranh chấp ranh giới đất rừng" in client.get(reverse("outreach:hot_spots")).content.decode()
    registry = client.get(reverse("outreach:people"), {"standing": "dignitary"}).content.decode()
    assert "Mục sư Thào A Lử (mẫu)" in registry
    viewer = Client()
    viewer.force_login(User.objects.get(username="xem.laocai"))
    assert "Mục sư Thào A Lử" not in viewer.get(reverse("outreach:visits")).content.decode()
