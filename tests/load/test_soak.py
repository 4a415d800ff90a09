"""A few seconds of ``bench/soak.py``'s load against ``live_server``: the same clients (login form,
report drafts, progress updates, portal petitions, ledger searches) and the same count of every
confirmed write in the database. Each kind of client runs alone in turn: on SQLite the live
server's threads share one in-memory connection, which concurrent transactions would trip over
(the concurrency is the bench's, on gunicorn and PostgreSQL). A smoke test, not a measurement."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from bench import soak
from conftest import World, quarterly_schedule
from doanket.programs import services as programs
from doanket.programs.models import Program
from doanket.reporting import services as reporting
from doanket.reporting.periods import parse

SECTIONS: list[dict[str, Any]] = [
    {
        "number": "I",
        "title": "Kết quả công tác",
        "indicators": [
            {"code": "moi", "label": "Nhà Đại đoàn kết xây mới", "type": "integer", "measure": "căn"},
            {"code": "sua", "label": "Nhà Đại đoàn kết sửa chữa", "type": "integer", "measure": "căn"},
            {"code": "nha", "label": "Tổng số nhà", "type": "integer", "sum_of": ["moi", "sua"]},
            {"code": "giam_sat", "label": "Số cuộc giám sát", "type": "integer", "measure": "cuộc"},
            {"code": "tien", "label": "Tiền vận động", "type": "money", "measure": "đồng"},
        ],
    }
]


@pytest.mark.django_db(transaction=True)
def test_a_short_soak_confirms_every_write_once(live_server: Any, world: World, settings: Any) -> None:
    # As the bench's server: every client comes from 127.0.0.1.
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "submit_address": (10**8, 3600)}
    schedule = quarterly_schedule(world.lao_cai, "soak", "Báo cáo công tác quý", SECTIONS)
    reporting.open_period(schedule, parse("2026-Q2"))
    program = Program.objects.create(unit=world.lao_cai, title="Chương trình công tác năm 2026", year=2026)
    for number in ("1", "2"):
        programs.add_item(None, program, None, number, f"Nhiệm vụ {number}")

    prepared = soak.prepare(officers=2, items=2, ledger_entries=300, demo=False, form="soak")
    assert prepared.codes == ["giam_sat"]  # the integers outside any sum
    for warm in ("/accounts/login/", "/portal/petitions/new"):  # the first requests import the views
        assert requests.get(live_server.url + warm, timeout=60).status_code == 200
    recordings = []
    for officers, citizens, searchers in [(1, 0, 0), (0, 1, 0), (0, 0, 1)]:
        recordings += soak.drive(prepared, live_server.url, officers, citizens, searchers, seconds=2)

    timed = soak.latencies(recordings, seconds=2)
    assert timed["all requests"]["errors"] == 0, timed
    assert timed["all requests"]["refused"] == 0, timed
    for kind in ("login", "report_save", "task_update", "petition", "ledger_search"):
        assert kind in timed, (kind, timed)
    writes = soak.count_writes(prepared, recordings)
    for kind, counted in writes.items():
        assert counted["confirmed"] > 0, kind
        assert counted["found"] == counted["confirmed"], (kind, counted)
        assert counted["lost"] == counted["duplicated"] == counted.get("unconfirmed", 0) == 0, (kind, counted)
    assert writes["report_save"]["reports_not_holding_the_last_save"] == 0
    assert writes["report_save"]["audit_entries"] == writes["report_save"]["found"]
