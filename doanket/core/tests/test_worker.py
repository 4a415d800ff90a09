import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from doanket.core.models import WorkerHeartbeat
from doanket.core.tasks import echo


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_and_clears_its_heartbeat_on_exit() -> None:
    result = echo.enqueue("xin chào")
    call_command("worker", batch=True, verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == "xin chào"
    assert not WorkerHeartbeat.objects.exists()
