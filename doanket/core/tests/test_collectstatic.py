"""`make run` collects the static files with the hashed manifest, as production does: a vendored
file that references a missing one (a source map) stops it. Collected here into a temporary
folder with the production storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command


def test_the_static_files_collect_with_the_production_manifest(settings: Any, tmp_path: Path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js" in manifest and "vendor/htmx/htmx.min.js" in manifest
