"""Check the audit log's hash chain, and optionally a shipped copy against the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doanket.core import audit


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            type=Path,
            help="A shipped copy (JSON lines, e.g. AUDIT_SHIP_FILE): every entry in it must have the same hash here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit.verify()
        if verdict.broken_id is not None:
            raise CommandError(
                f"The chain breaks at entry #{verdict.broken_id} after {verdict.checked} good entries: {verdict.reason}"
            )
        self.stdout.write(f"{verdict.checked} entries, the chain holds.")
        if options["against"]:
            with options["against"].open(encoding="utf-8") as lines:
                copy = audit.verify_against(lines)
            if copy.broken_id is not None:
                raise CommandError(
                    f"Entry #{copy.broken_id} differs from the shipped copy "
                    f"after {copy.checked} matching: {copy.reason}"
                )
            self.stdout.write(f"{copy.checked} shipped entries match the database.")
