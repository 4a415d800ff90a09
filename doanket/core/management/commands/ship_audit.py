"""Ship the audit entries not yet shipped to the configured destinations (``core/shipping.py``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doanket.core import shipping


class Command(BaseCommand):
    help = "Send the audit log's new entries, in order, to AUDIT_SHIP_SYSLOG and/or AUDIT_SHIP_FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=None, help="Entries per batch (default AUDIT_SHIP_BATCH).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not shipping.destinations():
            raise CommandError("No destination: set AUDIT_SHIP_SYSLOG (host:port) and/or AUDIT_SHIP_FILE.")
        results = shipping.ship(options["batch"])
        for destination, result in results.items():
            self.stdout.write(f"{destination}: {result['shipped']} shipped, up to #{result['last_id']}")
        failed = {d: r["error"] for d, r in results.items() if r["error"]}
        if failed:
            raise CommandError("; ".join(failed.values()))
