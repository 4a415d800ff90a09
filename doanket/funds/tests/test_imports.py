"""A long statement is imported by the worker while the officer watches the pages being read; a
refused one leaves its reason and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login
from doanket.demo.funds import (
    ACCOUNT_NUMBER,
    DOCUMENTS,
    PDF_STATEMENT,
    VTB_ACCOUNT_NUMBER,
    VTB_PDF_STATEMENT,
    vietinbank_statement,
)
from doanket.funds import services
from doanket.funds.models import BankAccount, Campaign, CampaignKind, ImportStatus, Statement, StatementImport
from doanket.funds.tests.test_statements import ACCOUNT, csv_statement


def _account(world: World, number: str) -> BankAccount:
    campaign = Campaign.objects.create(
        unit=world.lao_cai, kind=CampaignKind.RELIEF, name="Ủng hộ đồng bào bị bão lũ", starts_on=dt.date(2024, 9, 1)
    )
    return BankAccount.objects.create(campaign=campaign, bank="Vietcombank", number=number, holder="UBMTTQ tỉnh")


@pytest.mark.django_db(transaction=True)
def test_a_long_pdf_is_imported_by_the_worker_with_its_pages_counted(
    client: Client, world: World, users: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(services, "BACKGROUND_BYTES", 10_000)  # the demo's 93 kB PDF counts as long
    account = _account(world, ACCOUNT_NUMBER)
    login(client, users.province_officer)
    data = (DOCUMENTS / PDF_STATEMENT).read_bytes()
    upload = SimpleUploadedFile(PDF_STATEMENT, data, content_type="application/pdf")
    response = client.post(
        reverse("funds:statement_import", args=[account.campaign.pk]), {"account": account.pk, "file": upload}
    )
    job = StatementImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funds:statement_import_job", args=[job.pk])
    assert not Statement.objects.exists()  # the officer did not wait for it
    assert DBTaskResult.objects.filter(task_path="doanket.funds.tasks.import_statement_file").count() == 1
    waiting = client.get(reverse("funds:statement_import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'data-status="waiting"' in waiting.content and b'hx-trigger="every 2s"' in waiting.content
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    statement = Statement.objects.get()
    assert (job.status, job.statement, job.error) == (ImportStatus.DONE, statement, "")
    assert job.pages_total > 1 and job.pages_done == job.pages_total  # the pages were counted as read
    assert statement.line_count == 600 and statement.layout == "vietcombank-pdf"
    done = client.get(reverse("funds:statement_import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in done.content  # it stops asking
    assert reverse("funds:statement", args=[statement.pk]).encode() in done.content
    # The same file again is recognised at once, without the worker.
    again = SimpleUploadedFile(PDF_STATEMENT, data, content_type="application/pdf")
    response = client.post(
        reverse("funds:statement_import", args=[account.campaign.pk]), {"account": account.pk, "file": again}
    )
    assert response["Location"] == reverse("funds:statement", args=[statement.pk])
    assert StatementImport.objects.count() == 1


def test_a_refused_import_keeps_its_reason_and_stores_nothing(world: World, users: People) -> None:
    account = _account(world, ACCOUNT)
    job = services.queue_import(users.province_officer, account, "sai.csv", csv_statement(closing=1))
    with translation.override("en"):
        services.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "sai.csv" in job.error and "closing" in job.error.lower()
    assert not Statement.objects.exists()
    assert services.run_import(job).status == ImportStatus.FAILED  # run twice: nothing more


def test_an_officer_outside_the_unit_cannot_queue_an_import(world: World, users: People) -> None:
    from django.core.exceptions import PermissionDenied

    account = _account(world, ACCOUNT)
    with pytest.raises(PermissionDenied):
        services.queue_import(users.other_commune_officer, account, "s.csv", csv_statement())
    assert not StatementImport.objects.exists()


def test_the_shipped_vietinbank_sample_lands_in_the_demo_accounts_second_account(world: World, users: People) -> None:
    """demo/documents holds a VietinBank statement for an officer trying the demo to import: it is
    the generator's statement, and it belongs to the account the demo opens for it."""
    made = vietinbank_statement()
    account = _account(world, VTB_ACCOUNT_NUMBER)
    data = (DOCUMENTS / VTB_PDF_STATEMENT).read_bytes()
    statement = services.import_statement(users.province_officer, account, VTB_PDF_STATEMENT, data).statement
    assert (statement.layout, statement.line_count) == ("vietinbank-pdf", len(made.entries))
    assert (statement.total_credit, statement.total_debit) == (made.total_credit, made.total_debit)
    assert statement.closing_balance == made.closing_balance


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_died_says_so_and_is_imported_once_when_retried(
    client: Client, world: World, users: People
) -> None:
    """The page side of ``core.lost`` (the worker really killed: ``tests/faults/test_worker_killed.py``)."""
    import socket
    import subprocess
    import sys

    from django_tasks_db.models import DBTaskResult

    from doanket.core import lost

    account = _account(world, ACCOUNT_NUMBER)
    job = services.queue_import(
        users.province_officer, account, PDF_STATEMENT, (DOCUMENTS / PDF_STATEMENT).read_bytes()
    )
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    DBTaskResult.objects.filter(task_path=services.IMPORT_TASK).update(
        status="RUNNING", worker_ids=[f"{socket.gethostname()}-{dead.pid}"]
    )
    StatementImport.objects.filter(pk=job.pk).update(status=ImportStatus.READING, pages_done=3, pages_total=38)
    login(client, users.province_officer)
    page = reverse("funds:statement_import_job", args=[job.pk])
    assert b'hx-trigger="every 2s"' in client.get(page, HTTP_HX_REQUEST="true").content  # "reading", forever

    assert lost.reclaim() == 1

    watched = client.get(page, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="interrupted"' in watched and "hx-trigger" not in watched
    assert "Máy chủ đã dừng khi đang đọc sao kê này" in watched and "Thử lại" in watched
    viewer = Client()
    login(viewer, users.viewer)
    assert viewer.post(reverse("funds:statement_import_retry", args=[job.pk])).status_code == 403
    assert client.post(reverse("funds:statement_import_retry", args=[job.pk]))["Location"] == page
    job.refresh_from_db()
    assert (job.status, job.error, job.pages_done) == (ImportStatus.WAITING, "", 0)
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.statement == Statement.objects.get()
    assert Statement.objects.get().line_count == 600
    again = client.post(reverse("funds:statement_import_retry", args=[job.pk]), follow=True).content.decode()
    assert "Chỉ có thể thử lại một lần nhập đã bị gián đoạn" in again
    assert Statement.objects.count() == 1
