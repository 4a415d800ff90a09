"""The S3-compatible object storage (``S3_BUCKET``): django-storages' S3 storage, except that every
file passes the virus scanner first, as on a local disk (:func:`doanket.core.uploads.scanned`)."""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage

from doanket.core.uploads import scanned


class Storage(S3Storage):
    def _save(self, name: str, content: Any) -> str:
        return str(super()._save(name, scanned(name, content)))
