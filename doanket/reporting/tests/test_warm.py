"""The worker renders the largest roll-up tables ahead after a change (``pages.warm``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import People, World, login
from doanket.reporting import pages, services
from doanket.reporting.models import Report
from doanket.reporting.tests.conftest import Setup

WARM = "doanket.reporting.tasks.warm_rollups"


def _submit_and_approve(report: Report, houses: str) -> None:
    report.refresh_from_db()
    report = services.submit(None, report, {"moi": houses, "sua": "0", "nha": houses, "tien": "0",
                                            "ty_le": "50", "danh_gia": "Ổn định"}, None)  # fmt: skip
    services.approve(None, report, None)


@pytest.mark.django_db(transaction=True)
def test_after_a_change_the_worker_renders_the_province_table_for_its_first_reader(
    client: Client, world: World, users: People, setup: Setup
) -> None:
    _submit_and_approve(setup.bac_ha, "3")

    def queued() -> QuerySet[DBTaskResult]:
        return DBTaskResult.objects.filter(task_path=WARM)

    assert [t.args_kwargs["args"] for t in queued()] == [[setup.schedule.pk, "2026-Q2", [world.lao_cai.pk]]]
    # A second change while the warm-up waits joins it rather than queueing another.
    _submit_and_approve(setup.sa_pa, "4")
    assert queued().count() == 1

    call_command("worker", batch=True, verbosity=0)
    done = queued().get()
    assert (done.status, done.return_value) == ("SUCCESSFUL", 2)  # Lào Cai's table, in Vietnamese and English

    login(client, users.province_officer)
    url = reverse("reporting:rollup", args=[setup.schedule.pk]) + f"?unit={world.lao_cai.pk}&period=2026-Q2"
    response = client.get(url)
    assert response.context["table"] is None, "the first reader is served the worker's rendering"
    assert 'data-testid="value-moi">7</td>' in response.content.decode()  # both approvals in it

    # Once it ran, the next change queues a new warm-up; its page is then rendered anew.
    report = services.start_correction(None, Report.objects.get(pk=setup.sa_pa.pk), None, "Nhầm số nhà")
    _submit_and_approve(report, "5")
    assert queued().count() == 2
    response = client.get(url)
    assert response.context["table"] is not None  # the worker has not run: rendered by the page
    assert 'data-testid="value-moi">8</td>' in response.content.decode()


def test_communes_are_not_warmed_and_a_unit_waits_once(world: World, setup: Setup) -> None:
    """A commune's table renders in a few milliseconds: only the country and provinces are worth it."""
    units = [world.bac_ha, world.lao_cai, world.central]
    assert pages.units_to_warm(setup.schedule, "2026-Q2", units) == [world.lao_cai.pk, world.central.pk]
    assert pages.units_to_warm(setup.schedule, "2026-Q2", units) == []
    assert pages.units_to_warm(setup.schedule, "2026-Q3", units) == [world.lao_cai.pk, world.central.pk]
    cache.clear()
    assert pages.warm(setup.schedule.pk, "2026-Q2", [world.lao_cai.pk]) == 2
    assert pages.warm(setup.schedule.pk, "2026-Q2", [world.lao_cai.pk]) == 0  # cached already: nothing to render
    assert pages.units_to_warm(setup.schedule, "2026-Q2", units) == [world.lao_cai.pk, world.central.pk]
