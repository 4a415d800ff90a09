"""Antivirus (ASVS V5.4.3): with ``UPLOAD_SCAN_COMMAND`` set, every file is passed to the scanner
before it is kept — on the local disk and on S3 alike (``core.uploads.scanned``). A finding
refuses the upload with a page naming it (422) and nothing of the request is kept; a scanner that
does not answer keeps nothing either (503, fail closed); a clean file is kept as sent.

The scanner is ClamAV on a real deployment (``clamdscan --no-summary -``), an operator's program
outside this platform. Its signature database cannot be fetched here, so the tests run a small
program that speaks ClamAV's interface — the file on standard input, exit 0 clean, 1 found with
"stream: <name> FOUND", 2 error — and finds the EICAR test string, as ClamAV does."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.core.models import AuditEntry
from doanket.training import services
from doanket.training.models import Course, Material

pytestmark = pytest.mark.django_db

# The antivirus industry's harmless test file (eicar.org), cut in two so this file is not flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SCANNER = """
import sys
data = sys.stdin.buffer.read()
if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data:
    print("stream: Win.Test.EICAR_HDB-1 FOUND")
    sys.exit(1)
if b"make the scanner fail" in data:
    print("stream: lstat() failed: Permission denied. ERROR")
    sys.exit(2)
print("stream: OK")
"""


@pytest.fixture
def scanner(tmp_path: Path, settings: Any) -> Path:
    program = tmp_path / "clamdscan.py"
    program.write_text(SCANNER)
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.UPLOAD_SCAN_COMMAND = f"{sys.executable} {program} --no-summary -"
    return media


@pytest.fixture
def course(world: World, users: People) -> Course:
    return services.create_course(
        users.commune_officer, world.bac_ha, topic="Tập huấn", trainers="Giảng viên",
        start_date=dt.date(2026, 5, 4), end_date=dt.date(2026, 5, 5),
        place="Hội trường",
    )  # fmt: skip


def _send(client: Client, course: Course, data: bytes) -> Any:
    page = reverse("training:course", args=[course.pk])
    pdf = SimpleUploadedFile("tai-lieu.pdf", data, content_type="application/pdf")
    return client.post(reverse("training:material_add", args=[course.pk]), {"file": pdf}, HTTP_REFERER=page)


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_file_the_scanner_flags_is_refused_named_and_nothing_is_kept(
    client: Client, course: Course, users: People, scanner: Path
) -> None:
    login(client, users.commune_officer)
    audit_before = AuditEntry.objects.count()

    refused = _send(client, course, b"%PDF-1.4\n" + EICAR)

    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Tệp bị phần mềm diệt virus từ chối" in text
    assert "Win.Test.EICAR_HDB-1" in text and "tai-lieu.pdf" in text
    assert f'href="{reverse("training:course", args=[course.pk])}"' in text  # back where the user was
    assert not Material.objects.exists()  # no record
    assert AuditEntry.objects.count() == audit_before  # nor its audit entry
    assert _files(scanner) == []  # nor the file


def test_a_clean_file_is_kept_as_sent_and_a_scanner_that_fails_keeps_nothing(
    client: Client, course: Course, users: People, scanner: Path
) -> None:
    login(client, users.commune_officer)

    failed = _send(client, course, b"%PDF-1.4 make the scanner fail")
    assert failed.status_code == 503 and failed["Retry-After"]
    assert "phần mềm diệt virus chưa trả lời: tệp của bạn chưa được lưu" in failed.content.decode()
    assert not Material.objects.exists() and _files(scanner) == []

    kept = _send(client, course, b"%PDF-1.4 noi dung sach")
    assert kept.status_code == 302
    material = Material.objects.get()
    assert Path(material.file.path).read_bytes() == b"%PDF-1.4 noi dung sach"
    assert _files(scanner) == [Path(material.file.path)]


def test_without_a_scanner_configured_nothing_is_scanned(
    client: Client, course: Course, users: People, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.UPLOAD_SCAN_COMMAND = ""
    login(client, users.commune_officer)
    assert _send(client, course, b"%PDF-1.4\n" + EICAR).status_code == 302  # the operator's choice
    assert Material.objects.count() == 1


def test_the_object_storage_scans_before_sending_anything(scanner: Path) -> None:
    """With ``S3_BUCKET`` the files go to object storage (``core.s3.Storage``): a finding is refused
    before any request leaves the machine (the endpoint here listens nowhere)."""
    from django.core.files.base import ContentFile

    from doanket.core import s3
    from doanket.core.uploads import Infected

    storage = s3.Storage(bucket_name="doanket", endpoint_url="http://127.0.0.1:9", access_key="k", secret_key="s")
    with pytest.raises(Infected) as found:
        storage.save("minh-chung/tai-lieu.pdf", ContentFile(b"%PDF-1.4\n" + EICAR))
    assert found.value.finding == "Win.Test.EICAR_HDB-1" and found.value.name == "tai-lieu.pdf"
