from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from doanket.funds import ledger


class Command(BaseCommand):
    help = (
        "Verify the whole public ledger: every entry rehashed, the tree rebuilt, every tile and signed "
        "checkpoint checked, the searchable columns and the receipts compared with what was published. "
        "Exits with status 1 and lists the problems if anything was changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        size, problems = ledger.verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("The ledger does not verify: %(n)s problem(s).") % {"n": len(problems)})
        self.stdout.write(_("The ledger verifies: %(n)s entries, every checkpoint and tile.") % {"n": size})
