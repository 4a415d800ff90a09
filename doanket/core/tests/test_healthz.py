import datetime

from django.test import Client
from django.utils import timezone

from doanket.core.models import WorkerHeartbeat


def test_healthz_fails_when_no_worker_ever_beat(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "worker": "never seen"}


def test_healthz_fails_when_the_worker_heartbeat_is_stale(client: Client, db: None) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("stale since")


def test_healthz_is_ok_with_a_fresh_heartbeat(client: Client, db: None) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}
