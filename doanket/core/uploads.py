"""What an uploaded file really is, read from its first bytes, whatever its name or declared type."""

from __future__ import annotations

import contextlib
import errno
import os
from typing import Any

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


class Storage(FileSystemStorage):
    """The media storage (``STORAGES["default"]``): Django's file system storage, except that a
    file cut short by a full disk is removed and the error raised as :class:`DiskFull`."""

    def _save(self, name: str, content: Any) -> str:
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
