from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from doanket.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `backup` into the configured database (migrated, and empty "
        "of the platform's records unless --force) and media folder; every table is counted again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="the backup folder (doanket-YYYYmmdd-HHMMSS)")
        parser.add_argument("--force", action="store_true", help="replace a database that holds records")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = backup.restore(Path(options["folder"]), force=options["force"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored: %(rows)s rows in %(tables)s tables, every count as in the backup.")
            % {"rows": sum(counts.values()), "tables": len(counts)}
        )
