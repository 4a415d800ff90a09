"""What an uploaded file really is, read from its first bytes, whatever its name or declared type."""

from __future__ import annotations

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
