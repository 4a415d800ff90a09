"""Tasks a dead worker left behind.

django-tasks-db marks a task RUNNING when a worker claims it and FINISHED when it returns; a worker
killed in between (SIGKILL, the out-of-memory killer, a machine switched off) leaves the row
RUNNING forever, and the page that watches the work says "reading" forever. Every worker, at start
and at each heartbeat, calls :func:`reclaim`: a RUNNING task whose worker is gone is marked FAILED
(``WorkerLost``) and :data:`task_lost` is sent, so the module that queued it can tell its user the
work was interrupted and offer to start it again (funds: statement imports; emulation: reviews).
The work itself wrote nothing: each long task stores its result in one transaction, which the
database rolled back when the worker's connection died.

A worker is gone when it is on this machine and its process no longer exists (seen at once by the
next worker started, e.g. by systemd), or when it has not beaten for ``WORKER_STALE_SECONDS``
(another machine). A task claimed less than ``WORKER_STALE_SECONDS`` ago is left alone unless its
process is seen dead here, so a worker that just started is never mistaken for a lost one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from doanket.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Sent inside the transaction that marks the task failed, with ``task_path`` (the task's dotted
# path), ``args`` and ``kwargs`` (those it was enqueued with) and ``worker_id``.
task_lost = Signal()


class WorkerLost(Exception):
    """The worker running a task stopped before the task returned."""


def worker_id() -> str:
    """This process's name among the workers (``host-pid``), as the heartbeat and the queue know it."""
    return f"{socket.gethostname()}-{os.getpid()}"[:60]


def _dead_here(worker: str) -> bool:
    """True when ``worker`` ran on this machine and its process is gone."""
    host, _, pid = worker.rpartition("-")
    if len(worker) >= 60 or host != socket.gethostname() or not pid.isdigit():
        return False  # another machine, or a name cut short (its pid may be too): by heartbeat only
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a process of another user: alive
    return False


def reclaim(now: dt.datetime | None = None) -> int:
    """Fail the RUNNING tasks of workers that are gone (see the module); the number failed."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0  # RQ has its own: a dead worker's jobs go to its failed-job registry
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=stale).values_list("worker_id", flat=True))
    failed = 0
    for row in DBTaskResult.objects.running().only("id", "task_path", "args_kwargs", "worker_ids", "started_at"):
        worker = row.worker_ids[-1] if row.worker_ids else ""
        gone = _dead_here(worker) or (worker not in alive and (row.started_at is None or row.started_at < stale))
        if not gone:
            continue
        try:
            with transaction.atomic():
                marked = DBTaskResult.objects.filter(id=row.id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"WorkerLost: worker {worker or '?'} stopped while running this task",
                    return_value=None,
                )
                if marked:
                    task_lost.send(
                        sender=WorkerLost,
                        task_path=row.task_path,
                        args=row.args_kwargs.get("args", []),
                        kwargs=row.args_kwargs.get("kwargs", {}),
                        worker_id=worker,
                    )
        except Exception:  # a receiver's defect: the task stays RUNNING, tried again at the next beat
            logger.exception("task %s of a lost worker could not be failed", row.id)
            continue
        if marked:
            failed += 1
            logger.warning("task %s (%s) failed: its worker %s is gone", row.id, row.task_path, worker)
    return failed
