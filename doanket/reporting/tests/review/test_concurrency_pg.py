"""The period lock of services._serialise is the *row* of the top cell. Were rebuild() to delete that
row and make a new one, approvals queued on the old row would wake up holding nothing (on
PostgreSQL, READ COMMITTED, SELECT ... FOR UPDATE skips a row deleted by the transaction it waited
for) and race each other again; rebuild therefore updates the top cell in place.
PostgreSQL only: scripts/pg_throwaway.sh with this file."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from doanket.reporting import services
from doanket.reporting.models import RollupCell
from doanket.reporting.tests.conftest import GOOD, Setup

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a READ COMMITTED race: PostgreSQL only"),
]

RAW = {key.removeprefix("v_"): value for key, value in GOOD.items()}


def _thread(body: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            body()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_approvals_queued_behind_a_rebuild_are_both_counted(setup: Setup) -> None:
    services.submit(None, setup.bac_ha, RAW, None)
    services.submit(None, setup.sa_pa, RAW, None)
    errors: list[BaseException] = []
    rebuilt, release_rebuild = threading.Event(), threading.Event()
    first_approved, release_first = threading.Event(), threading.Event()

    def rebuild() -> None:
        with transaction.atomic():
            services.rebuild(setup.schedule, "2026-Q2")  # as after_unit_moved does
            rebuilt.set()
            release_rebuild.wait(10)

    def first() -> None:
        with transaction.atomic():
            services.approve(None, setup.bac_ha, None)
            first_approved.set()
            release_first.wait(10)

    def second() -> None:
        services.approve(None, setup.sa_pa, None)

    threads = [_thread(rebuild, errors)]
    assert rebuilt.wait(10)
    threads += [_thread(first, errors), _thread(second, errors)]
    time.sleep(0.5)  # both approvals wait in _serialise on the old top cell
    release_rebuild.set()  # the rebuild commits: the row they waited on is gone
    assert first_approved.wait(10)
    time.sleep(0.5)  # the second has read its children without the first's approval, waits on the new row
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert not errors, errors

    def province() -> tuple[int, int]:
        cell = RollupCell.objects.get(schedule=setup.schedule, unit=setup.schedule.unit, period="2026-Q2")
        return cell.approved, cell.data.get("tien", {}).get("s", 0)

    incremental = province()
    services.rebuild(setup.schedule, "2026-Q2")
    assert province() == (2, 2_500_000_000)
    assert incremental == (2, 2_500_000_000)
