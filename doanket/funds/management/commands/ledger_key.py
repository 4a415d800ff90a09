from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from doanket.funds import keys, merkle


class Command(BaseCommand):
    help = (
        "The signing key of the public ledger, kept outside the database (settings.LEDGER_KEY_DIR): "
        "--ensure creates it if there is none, --rotate replaces it (old checkpoints keep verifying); "
        "without an option, print the public keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--ensure", action="store_true", help="create the key pair if there is none")
        group.add_argument("--rotate", action="store_true", help="replace the signing key by a new one")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["ensure"]:
                verifier, created = keys.ensure()
                if created:
                    self.stdout.write(f"New ledger key; publish its public key: {verifier}")
                return
            if options["rotate"]:
                self.stdout.write(f"New ledger key; publish its public key: {keys.rotate()}")
                return
        except (keys.KeyMissing, merkle.MerkleError) as error:
            raise CommandError(str(error)) from error
        for verifier in keys.verifiers():
            self.stdout.write(verifier)
