"""What an uploaded file really is, read from its first bytes, whatever its name or declared type."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

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
