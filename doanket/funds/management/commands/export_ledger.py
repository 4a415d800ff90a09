from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from doanket.funds import keys, ledger, merkle
from doanket.funds.models import LedgerTile


class Command(BaseCommand):
    help = (
        "Write the public ledger as static files in the C2SP tlog-tiles layout (checkpoint, tile/..., "
        "tile/entries/...) into DIR, for a web server, object storage or a mirror to serve."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        root: Path = options["directory"]
        checkpoint = ledger.latest_checkpoint()
        size = checkpoint.size if checkpoint else 0
        written = 0
        paths = list(LedgerTile.objects.values_list("path", flat=True))
        bundles = [
            merkle.entries_path(index, min(merkle.TILE_WIDTH, size - index * merkle.TILE_WIDTH))
            for index in range((size + merkle.TILE_WIDTH - 1) // merkle.TILE_WIDTH)
        ]
        for path in paths + bundles:
            data = ledger.tile(path)
            if data is None:
                continue
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
        if checkpoint is not None:
            (root / "checkpoint").write_text(checkpoint.note, encoding="utf-8")
        (root / "keys.txt").write_text("".join(f"{key}\n" for key in keys.verifiers()), encoding="ascii")
        self.stdout.write(f"{written} tiles and bundles, checkpoint of {size} entries, in {root}")
