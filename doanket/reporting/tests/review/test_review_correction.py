"""Reviewing a correction: the reviewer must see the figures they are asked to approve."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import People, login
from doanket.reporting.models import Status
from doanket.reporting.tests.conftest import GOOD, Setup
from doanket.reporting.tests.review.helpers import post, review


def test_the_reviewer_of_a_correction_sees_the_corrected_figures(client: Client, users: People, setup: Setup) -> None:
    login(client, users.commune_officer)
    post(client, setup.bac_ha, GOOD)
    login(client, users.province_officer)
    review(client, setup.bac_ha)
    login(client, users.commune_officer)
    setup.bac_ha.refresh_from_db()
    client.post(
        reverse("reporting:correct", args=[setup.bac_ha.pk]),
        {"reason": "Nhầm số tiền", "revision": setup.bac_ha.revision},
    )
    post(client, setup.bac_ha, {**GOOD, "v_tien": "2.750.000.000"})
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.SUBMITTED
    assert setup.bac_ha.values["tien"] == 2_750_000_000

    login(client, users.province_officer)
    page = client.get(reverse("reporting:report", args=[setup.bac_ha.pk])).content.decode()
    assert 'data-testid="approve"' in page
    assert "2.750.000.000" in page, "the reviewer is shown 1.250.000.000 (the old approved figure) only"
