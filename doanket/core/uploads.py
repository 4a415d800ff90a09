"""What an uploaded file really is, read from its first bytes, whatever its name or declared type."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shlex
import subprocess
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from doanket.core.text import nfc

# The documents and photos the platform keeps as evidence and attachments.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


def sniff(upload: UploadedFile) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG upload; None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class Refused(ValueError):
    """An upload refused; ``str()`` is the message for the user, in their language."""


def evidence(upload: UploadedFile, max_bytes: int = MAX_EVIDENCE_BYTES) -> tuple[str, str, str]:
    """(name, content type, extension) of a document or photo kept as evidence — a PDF, JPEG or
    PNG by its bytes, no larger than ``max_bytes`` — or :class:`Refused` saying why not."""
    name = nfc(upload.name or "tep")[:255]
    if upload.size is not None and upload.size > max_bytes:
        raise Refused(_("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes // 2**20})
    kind = sniff(upload)
    if kind is None:
        raise Refused(_("%(name)s is not a photo (JPEG, PNG) or a PDF document.") % {"name": name})
    return name, *kind


# --- Keeping uploads: a full disk is told, and leaves nothing behind --------------------------

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class DiskFull(OSError):
    """The server's disk (or the media folder's quota) is full: the file was not kept. Raised by
    :class:`Storage`; ``core.faults`` turns it into a page that says so (507), and the request's
    transaction rolls back, so no record points at a file that is not there."""


# --- Antivirus: every kept file passes the scanner first (ASVS V5.4.3) ---------------------------

logger = logging.getLogger(__name__)


class Infected(Exception):
    """The virus scanner found something in a file: it was not kept. ``core.faults`` answers 422
    naming the file and what was found; the request's transaction rolls back."""

    def __init__(self, name: str, finding: str) -> None:
        super().__init__(f"{name}: {finding}")
        self.name, self.finding = name, finding


class ScanFailed(Exception):
    """The virus scanner could not be run or gave no verdict: the file was not kept (fail closed);
    ``core.faults`` answers 503, try again later."""


def scan(name: str, data: bytes) -> None:
    """Pass ``data`` to the scanner command of ``UPLOAD_SCAN_COMMAND`` on its standard input — ClamAV's
    ``clamdscan --no-summary -`` (or ``clamscan --no-summary -``), whose exit status is 0 for a clean
    file, 1 for a finding, 2 for an error — or do nothing when no scanner is configured. Raises
    :class:`Infected` or :class:`ScanFailed`."""
    command = settings.UPLOAD_SCAN_COMMAND
    if not command:
        return
    try:
        done = subprocess.run(  # noqa: S603 - the operator's configured command, no shell
            shlex.split(command), input=data, capture_output=True, timeout=settings.UPLOAD_SCAN_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.error("upload scan of %r could not run: %s", name, exc)
        raise ScanFailed(str(exc)) from exc
    said = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode == 0:
        return
    if done.returncode == 1:
        # clamdscan prints "stream: Eicar-Signature FOUND": keep the finding's name.
        finding = said.splitlines()[0].split(":", 1)[-1].strip().removesuffix("FOUND").strip() if said else "?"
        logger.warning("upload %r refused by the virus scanner: %s", name, finding)
        raise Infected(name, finding or "?")
    logger.error("upload scan of %r failed (exit %s): %s %s", name, done.returncode, said, done.stderr[:500])
    raise ScanFailed(f"exit status {done.returncode}")


def scanned(name: str, content: Any) -> Any:
    """``content`` to keep under ``name`` once the scanner (when one is configured) passed it."""
    if not settings.UPLOAD_SCAN_COMMAND:
        return content
    content.seek(0)
    data = content.read()
    data = data if isinstance(data, bytes) else data.encode()
    scan(os.path.basename(name), data)
    return ContentFile(data, name=getattr(content, "name", None))


class Storage(FileSystemStorage):
    """The media storage (``STORAGES["default"]``): Django's file system storage, except that every
    file passes the virus scanner first (:func:`scanned`) and a file cut short by a full disk is
    removed and the error raised as :class:`DiskFull`."""

    def _save(self, name: str, content: Any) -> str:
        content = scanned(name, content)
        full_path = self.path(name)
        existed = os.path.lexists(full_path)
        try:
            return super()._save(name, content)  # type: ignore[misc]  # untyped in django-stubs
        except OSError as exc:
            if exc.errno not in DISK_FULL_ERRNOS:
                raise
            if not existed and os.path.lexists(full_path):
                with contextlib.suppress(OSError):
                    os.remove(full_path)  # the part written before the disk filled up
            raise DiskFull(exc.errno, exc.strerror, full_path) from exc
