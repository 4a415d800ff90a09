from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from doanket.organizations.services import load_administrative_units


class Command(BaseCommand):
    help = "Load or refresh the 34 provinces and 3,321 communes from vietnam-provinces (safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", type=int, action="append", help="Only this province code (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_administrative_units(None, set(options["province"] or []) or None)
        self.stdout.write(f"Administrative units: {result}")
