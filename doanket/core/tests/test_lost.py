"""The tasks of a worker that died are failed and announced, those of a live worker never."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from doanket.core import lost
from doanket.core.models import WorkerHeartbeat
from doanket.core.tasks import echo


def _running(worker: str, started: dt.datetime) -> DBTaskResult:
    row = DBTaskResult.objects.get(id=echo.enqueue(worker).id)
    DBTaskResult.objects.filter(id=row.id).update(status="RUNNING", worker_ids=[worker], started_at=started)
    return row


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_reclaim_fails_the_tasks_of_gone_workers_only(settings: Any) -> None:
    settings.WORKER_STALE_SECONDS = 90
    now = timezone.now()
    long_ago, just_now = now - dt.timedelta(minutes=10), now - dt.timedelta(seconds=5)
    WorkerHeartbeat.objects.create(worker_id="other-host-1", seen_at=now - dt.timedelta(seconds=10))
    WorkerHeartbeat.objects.create(worker_id="other-host-2", seen_at=long_ago)
    beating = _running("other-host-1", long_ago)  # alive on another machine
    silent = _running("other-host-2", long_ago)  # no beat for ten minutes: gone
    starting = _running("other-host-3", just_now)  # claimed a moment ago, first beat not seen yet
    gone_here = f"{socket.gethostname()}-{_dead_pid()}"
    dead_here = _running(gone_here, just_now)  # its process is gone
    alive_here = _running(lost.worker_id(), just_now)  # this very process
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    lost.task_lost.connect(receiver)
    try:
        assert lost.reclaim(now) == 2
        assert lost.reclaim(now) == 0  # once
    finally:
        lost.task_lost.disconnect(receiver)
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[silent.id] == status[dead_here.id] == "FAILED"
    assert status[beating.id] == status[starting.id] == status[alive_here.id] == "RUNNING"
    assert DBTaskResult.objects.get(id=silent.id).exception_class_path == "doanket.core.lost.WorkerLost"
    assert sorted(h["args"][0] for h in heard) == sorted(["other-host-2", gone_here])
    assert {h["task_path"] for h in heard} == {"doanket.core.tasks.echo"}
