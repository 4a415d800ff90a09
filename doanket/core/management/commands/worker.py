"""The background worker: the configured task backend's worker plus a heartbeat for /healthz, which
also fails the tasks of workers that died (``core.lost``) and enqueues the periodic tasks."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string

from doanket.core import lost
from doanket.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _enqueue_periodic(last_run: dict[str, float]) -> None:
    """Enqueue each task of ``settings.PERIODIC_TASKS`` (dotted path → seconds) when it is due.
    The tasks are idempotent, so several workers enqueuing the same one is harmless."""
    now = time.monotonic()
    for path, every in getattr(settings, "PERIODIC_TASKS", {}).items():
        if now - last_run.get(path, -float(every)) >= every:
            import_string(path).enqueue()
            last_run[path] = now


def _beat(worker_id: str, stop: threading.Event, every: float) -> None:
    last_run: dict[str, float] = {}
    while not stop.is_set():
        try:
            WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})
            lost.reclaim()  # the tasks of a worker that died: failed, their pages offer to retry
            _enqueue_periodic(last_run)
        except DatabaseError:
            # Keep beating: /healthz shows the gap, and the next beat succeeds once the database is back.
            logger.exception("worker heartbeat could not be written")
        finally:
            close_old_connections()
        stop.wait(every)
    # Connections are per thread and persistent (CONN_MAX_AGE): close this thread's on the way out.
    connections.close_all()


class Command(BaseCommand):
    help = "Run the background worker (django-tasks-db, or RQ when REDIS_URL is set) with a heartbeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty (tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = lost.worker_id()
        stop = threading.Event()
        beat = threading.Thread(
            target=_beat, args=(worker_id, stop, settings.WORKER_HEARTBEAT_SECONDS), daemon=True, name="heartbeat"
        )
        beat.start()
        try:
            backend = settings.TASKS["default"]["BACKEND"]
            if backend == "django_tasks_rq.RQBackend":
                call_command("rqworker", "default", burst=options["batch"])
            else:
                call_command("db_worker", worker_id=worker_id, interval=1.0, batch=options["batch"])
        finally:
            stop.set()
            beat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
