"""Making a schedule: what one form post may set off."""

from __future__ import annotations

import datetime as dt

from conftest import People, World
from doanket.organizations.models import Level, UnitKind
from doanket.reporting import services
from doanket.reporting.forms import ScheduleForm
from doanket.reporting.models import ReminderKind, ReportReminder, Schedule
from doanket.reporting.periods import DueRule, Frequency
from doanket.reporting.tests.conftest import SECTIONS


def _data(world: World, form_id: int, starts: str, frequency: str = Frequency.WEEKLY) -> dict[str, object]:
    return {
        "unit": world.lao_cai.pk,
        "form": form_id,
        "name": "Báo cáo tuần của các thôn",
        "level": Level.VILLAGE,
        "kind": UnitKind.VILLAGE_BOARD,
        "frequency": frequency,
        "due_rule": DueRule.DAYS_AFTER_END,
        "due_day": 2,
        "starts": starts,
    }


def test_a_schedule_cannot_start_a_century_ago(world: World, users: People) -> None:
    version = services.create_form(None, world.lao_cai, "tuan", "Báo cáo tuần", SECTIONS)
    form = ScheduleForm(_data(world, version.form_id, "1900-01-01"), user=users.province_officer)
    assert not form.is_valid()


def test_a_new_schedule_does_not_chase_periods_that_closed_before_it_existed(world: World, users: People) -> None:
    version = services.create_form(None, world.lao_cai, "thang", "Báo cáo tháng", SECTIONS)
    today = dt.date(2026, 11, 23)
    schedule = services.create_schedule(
        users.province_officer,
        Schedule(
            unit=world.lao_cai,
            form=version.form,
            name="Báo cáo tháng của các xã",
            level=Level.COMMUNE,
            kind=UnitKind.COMMITTEE,
            frequency=Frequency.MONTHLY,
            due_rule=DueRule.DAY_OF_NEXT_MONTH,
            due_day=5,
            starts=dt.date(2026, 1, 1),
        ),
    )
    services.open_due_periods_of(schedule, users.province_officer, today)
    services.send_due_reminders(today)
    overdue = ReportReminder.objects.filter(report__schedule=schedule, kind=ReminderKind.OVERDUE)
    assert overdue.count() == 0, f"{overdue.count()} 'overdue' reminders on the schedule's first day"
