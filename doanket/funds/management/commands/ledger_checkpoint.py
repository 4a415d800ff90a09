from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from doanket.funds import keys, ledger


class Command(BaseCommand):
    help = "Sign a fresh checkpoint of the public ledger (run it regularly, e.g. every hour from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = ledger.sign_checkpoint()
        except keys.KeyMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(checkpoint.note, ending="")
