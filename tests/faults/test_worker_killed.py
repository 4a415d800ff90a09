"""The worker killed (SIGKILL) in the middle of a long statement import, for real: a worker process
reads a 12,000-line PDF made by the test and is killed once it has read some pages. Nothing of the
statement is stored; the next worker started sees the task's worker is gone and fails it; the page
the officer watches says the work was interrupted and offers "Thử lại"; the retry stores the
statement exactly once. Needs a database another process can open: PostgreSQL (CI), or SQLite with
TEST_DATABASE_NAME set to a file."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.core.models import AuditAction, AuditEntry
from doanket.demo import statements as generated
from doanket.demo.funds import ACCOUNT_NUMBER
from doanket.funds import services
from doanket.funds.models import ImportStatus, Statement, StatementImport, StatementLine
from doanket.funds.tests.test_imports import _account
from tests.faults.workers import database_url, start_worker, wait_for

LINES = 12_000  # about 750 pages: a few seconds to read, time enough to be killed in the middle


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def _job() -> StatementImport:
    return StatementImport.objects.get()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_the_page_offers_a_retry_and_the_retry_lands_once(
    client: Client,
    world: World,
    users: People,
    tmp_path: Path,
    settings: Any,
    workers: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django_tasks_db.models import DBTaskResult

    database_url()  # skips on an in-memory SQLite before the slow part
    var = tmp_path / "var"
    settings.MEDIA_ROOT = str(var / "media")  # the web process and the workers share the files
    log = tmp_path / "workers.log"
    made = dataclasses.replace(generated.statement(LINES, seed=9, opening_balance=0), account_number=ACCOUNT_NUMBER)
    data = generated.to_vietcombank_pdf(made)
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 1024 * 1024)  # 1.5 MB is long: for the worker
    account = _account(world, ACCOUNT_NUMBER)
    login(client, users.province_officer)
    client.post(
        reverse("funds:statement_import", args=[account.campaign.pk]),
        {"account": account.pk, "file": SimpleUploadedFile("sao-ke-dai.pdf", data, content_type="application/pdf")},
    )
    job = _job()
    page = reverse("funds:statement_import_job", args=[job.pk])

    first = start_worker(var, log)
    workers.append(first)
    wait_for(lambda: _job().pages_done > 0, 120, "the worker reads the first pages", log)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    read = _job()
    assert read.status == ImportStatus.READING and 0 < read.pages_done < read.pages_total  # killed mid-way
    stuck = DBTaskResult.objects.get(task_path=services.IMPORT_TASK)
    assert stuck.status == "RUNNING"  # what django-tasks-db leaves behind on its own
    assert not Statement.objects.exists() and not StatementLine.objects.exists()  # nothing half-written
    assert not (var / "media" / "funds" / "statements").exists()

    second = start_worker(var, log)  # as systemd restarts the service
    workers.append(second)
    wait_for(lambda: _job().status == ImportStatus.INTERRUPTED, 60, "the next worker fails the lost task", log)
    stuck.refresh_from_db()
    assert stuck.status == "FAILED" and stuck.exception_class_path == "doanket.core.lost.WorkerLost"
    watched = client.get(page, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="interrupted"' in watched and "hx-trigger" not in watched  # it stops asking
    assert "Máy chủ đã dừng khi đang đọc sao kê này. Chưa có gì của sao kê được lưu" in watched
    assert "Thử lại" in watched and reverse("funds:statement_import_retry", args=[job.pk]) in watched
    assert not Statement.objects.exists()

    retried = client.post(reverse("funds:statement_import_retry", args=[job.pk]))
    assert retried.status_code == 302 and retried["Location"] == page
    assert 'data-status="waiting"' in client.get(page, HTTP_HX_REQUEST="true").content.decode()
    wait_for(lambda: _job().status == ImportStatus.DONE, 180, "the retry is imported", log)

    statement = Statement.objects.get()  # exactly once
    assert statement.line_count == LINES and StatementLine.objects.count() == LINES
    assert _job().statement == statement and _job().error == ""
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, model="funds.statement").count() == 1
    done = client.get(page, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("funds:statement", args=[statement.pk]) in done
    # A second press (an old tab) starts nothing: the import is no longer interrupted.
    again = client.post(reverse("funds:statement_import_retry", args=[job.pk]), follow=True).content.decode()
    assert "Chỉ có thể thử lại một lần nhập đã bị gián đoạn" in again
    assert DBTaskResult.objects.filter(task_path=services.IMPORT_TASK).count() == 2
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    assert Statement.objects.count() == 1 and StatementLine.objects.count() == LINES
