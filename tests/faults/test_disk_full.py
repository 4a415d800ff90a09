"""The disk full, for real: the media folder is a tiny tmpfs (root only; skipped otherwise).

During an upload: a photo larger than the space left is posted through the page; the user is told
in Vietnamese that the server is out of space and the file not kept; no record and no partial file
stay behind; once space is freed, the same upload is kept. While the worker stores a long statement:
the import is interrupted with that reason, nothing of it is stored, and the retry stores it once."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.demo.funds import ACCOUNT_NUMBER, DOCUMENTS, PDF_STATEMENT
from doanket.funds import services, spending
from doanket.funds.models import (
    Campaign,
    Evidence,
    ImportStatus,
    RecipientKind,
    Statement,
    StatementImport,
    StatementLine,
)
from doanket.funds.tests.test_imports import _account

PHOTO = b"\x89PNG\r\n\x1a\n" + os.urandom(300 * 1024)  # random: tmpfs does not compress


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    where = tmp_path / "tiny-disk"
    where.mkdir()
    mount = shutil.which("mount") or "/bin/mount"
    mounted = subprocess.run([mount, "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(where)], capture_output=True)  # noqa: S603 - a fixed command
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run([shutil.which("umount") or "/bin/umount", str(where)], check=True)  # noqa: S603


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_full_disk_keeps_nothing_of_the_upload_says_so_and_the_same_upload_succeeds_once_freed(
    client: Client, published: Campaign, users: People, tiny_disk: Path, settings: Any
) -> None:
    allocation = spending.allocate(
        users.province_officer,
        published,
        recipient_kind=RecipientKind.PROJECT,
        project="Sửa trường tiểu học Bản Phố",
        amount=1_000_000,
        purpose="Lợp lại mái trường",
        decision_number="15/QĐ-MTTQ",
        decision_date=dt.date(2024, 9, 10),
        decision_signer="Nguyễn Văn Thắng",
    )
    settings.MEDIA_ROOT = str(tiny_disk)
    filler = tiny_disk / "other-files"
    filler.write_bytes(os.urandom(300 * 1024))  # what else is on the disk: 300 KB of 512 KB
    login(client, users.province_officer)
    page = reverse("funds:allocation", args=[allocation.pk])
    url = reverse("funds:allocation_evidence", args=[allocation.pk])
    audit_before = AuditEntry.objects.count()

    full = client.post(url, {"file": SimpleUploadedFile("ban-giao.png", PHOTO, "image/png")}, HTTP_REFERER=page)

    assert full.status_code == 507
    text = full.content.decode()
    assert "Máy chủ đã hết chỗ lưu trữ" in text
    assert "tệp của bạn chưa được lưu" in text
    assert f'href="{page}"' in text  # back to the page the user came from
    assert "Traceback" not in text
    assert not Evidence.objects.exists()  # no record pointing at a file that is not there
    assert AuditEntry.objects.count() == audit_before  # nor its audit entry
    assert _files(tiny_disk) == [filler]  # no partial file left

    filler.unlink()  # the administrator frees space
    kept = client.post(url, {"file": SimpleUploadedFile("ban-giao.png", PHOTO, "image/png")})

    assert kept.status_code == 302 and kept["Location"] == page
    evidence = Evidence.objects.get()
    assert Path(evidence.file.path).read_bytes() == PHOTO
    assert Path(evidence.file.path).is_relative_to(tiny_disk)
    assert _files(tiny_disk) == [Path(evidence.file.path)]


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte: the file that takes the space."""
    filler = disk / "other-files"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(os.urandom(16 * 1024))
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_disk_while_the_worker_stores_a_statement_interrupts_the_import_which_is_retried_once(
    world: World, users: People, tiny_disk: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tiny_disk)
    account = _account(world, ACCOUNT_NUMBER)
    data = (DOCUMENTS / PDF_STATEMENT).read_bytes()
    job = services.queue_import(users.province_officer, account, PDF_STATEMENT, data)
    filler = _fill(tiny_disk)

    with translation.override("vi"):
        services.run_import(job)

    job.refresh_from_db()
    assert job.status == ImportStatus.INTERRUPTED
    assert "Máy chủ đã hết chỗ lưu trữ khi đang lưu sao kê này" in job.error
    assert not Statement.objects.exists() and not StatementLine.objects.exists()
    assert sorted(p.name for p in _files(tiny_disk)) == sorted([filler.name, Path(str(job.file.name)).name])

    filler.unlink()
    services.retry_import(users.province_officer, job)
    services.run_import(StatementImport.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Statement.objects.get() == job.statement
    assert StatementLine.objects.count() == 600
