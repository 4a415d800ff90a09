"""Who may approve: the person who filled and submitted a report must not be the one approving it."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from conftest import People, World, login
from doanket.organizations.models import Level, UnitKind
from doanket.reporting import services
from doanket.reporting.models import Report, Schedule, Status
from doanket.reporting.periods import DueRule, Frequency, parse
from doanket.reporting.tests.conftest import GOOD, Setup
from doanket.reporting.tests.review.helpers import post, review


def test_the_officer_who_submitted_a_commune_report_cannot_approve_it(
    client: Client, users: People, setup: Setup
) -> None:
    login(client, users.province_officer)
    assert post(client, setup.bac_ha, GOOD).status_code == 302
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.SUBMITTED
    assert setup.bac_ha.submitted_by == users.province_officer
    review(client, setup.bac_ha)
    setup.bac_ha.refresh_from_db()
    assert setup.bac_ha.status == Status.SUBMITTED, "approved by the very officer who filled and submitted it"


def test_a_commune_officer_cannot_fill_and_approve_a_village_report(
    client: Client, world: World, users: People
) -> None:
    version = services.create_form(
        None,
        world.bac_ha,
        "thon",
        "Báo cáo tháng của thôn",
        [{"title": "Số liệu", "indicators": [{"code": "ho", "label": "Hộ được giúp", "type": "integer"}]}],
    )
    schedule = Schedule.objects.create(
        unit=world.bac_ha,
        form=version.form,
        name="Báo cáo tháng của các thôn",
        level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_BOARD,
        frequency=Frequency.MONTHLY,
        due_rule=DueRule.DAY_OF_NEXT_MONTH,
        due_day=5,
        starts=dt.date(2026, 1, 1),
    )
    services.open_period(schedule, parse("2026-10"))
    report = Report.objects.get(schedule=schedule, unit=world.bac_ha_village)
    login(client, users.commune_officer)
    assert post(client, report, {"v_ho": "4"}).status_code == 302
    review(client, report)
    report.refresh_from_db()
    assert report.status != Status.APPROVED, "the commune officer approved the report they filled themselves"
