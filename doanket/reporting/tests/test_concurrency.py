"""Two approvals under one commune at the same moment (PostgreSQL, READ COMMITTED): the roll-up
must count both. Without the period lock, each transaction recomputes the commune's cell from
what it sees — its own approval, not the other's — and the later writer drops one."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections

from conftest import World, make_unit
from doanket.organizations.models import Level, UnitKind
from doanket.reporting import services
from doanket.reporting.models import Report, RollupCell, Schedule
from doanket.reporting.periods import Frequency, parse


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_are_both_counted(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time (IMMEDIATE transactions); the race is PostgreSQL's")
    villages = [
        make_unit(world.bac_ha, f"Ban công tác Mặt trận thôn {n}", Level.VILLAGE, UnitKind.VILLAGE_BOARD)
        for n in range(2)
    ]
    version = services.create_form(
        None,
        world.lao_cai,
        "thon",
        "Báo cáo thôn",
        [{"title": "Số liệu", "indicators": [{"code": "ho", "label": "Số hộ", "type": "integer"}]}],
    )
    schedule = Schedule.objects.create(
        unit=world.lao_cai,
        form=version.form,
        name="Báo cáo quý của các thôn",
        level=Level.VILLAGE,
        kind=UnitKind.VILLAGE_BOARD,
        frequency=Frequency.QUARTERLY,
        starts=parse("2026-Q1").start,
    )
    services.open_period(schedule, parse("2026-Q1"))
    reports = [Report.objects.get(schedule=schedule, unit=v, period="2026-Q1") for v in villages]
    for n, report in enumerate(reports):
        services.submit(None, report, {"ho": str(10 + n)}, None)

    slow = services._recompute

    def recompute_slowly(*args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)  # both transactions are inside their recomputation at the same time
        slow(*args, **kwargs)

    monkeypatch.setattr(services, "_recompute", recompute_slowly)
    errors: list[BaseException] = []

    def approve(report: Report) -> None:
        try:
            services.approve(None, report, None)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(r,)) for r in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for unit in (world.bac_ha, world.lao_cai):
        cell = RollupCell.objects.get(schedule=schedule, unit=unit, period="2026-Q1")
        assert (cell.approved, cell.data["ho"]["s"]) == (2, 21), unit.name
