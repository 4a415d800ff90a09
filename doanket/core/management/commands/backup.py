from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanket.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files while the platform runs, into a new folder "
        "doanket-YYYYmmdd-HHMMSS (with a manifest of row counts and checksums)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", default=str(Path(settings.VAR_DIR) / "backups"), help="where to write it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup.backup(Path(options["to"]))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.read_manifest(folder)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            _("Backup written to %(folder)s: %(rows)s rows, %(files)s uploaded files.")
            % {"folder": folder, "rows": rows, "files": manifest["media_files"]}
        )
