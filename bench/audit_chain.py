"""What the audit log's hash chain costs a write: ``.venv/bin/python bench/audit_chain.py``
(PostgreSQL: ``scripts/pg_throwaway.sh .venv/bin/python bench/audit_chain.py``).

Times audited writes, each in its own transaction, one writer and then several at once, with the
chain (``AuditEntry.save``: advisory lock, read of the last hash, SHA-256) and without it (the
same insert through Django's plain ``bulk_create``, bypassing ``_chain``). Uses its own database.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.run import configure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=2000, help="writes per run (2000)")
    parser.add_argument("--threads", type=int, default=8, help="writers at once in the concurrent run (8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(Path(tmp))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections, models, transaction

        from doanket.core.models import AuditAction, AuditEntry

        call_command("migrate", verbosity=0)

        def plain(entry: AuditEntry) -> None:
            models.QuerySet.bulk_create(AuditEntry.objects.all(), [entry])

        def chained(entry: AuditEntry) -> None:
            entry.save()

        def writes(insert: object, count: int) -> None:
            for i in range(count):
                with transaction.atomic():
                    insert(  # type: ignore[operator]
                        AuditEntry(action=AuditAction.CREATE, model="bench.row", object_id=str(i), object_repr=f"#{i}")
                    )
            connections.close_all()

        def run(insert: object, threads: int) -> float:
            per = args.writes // threads
            started = time.perf_counter()
            workers = [threading.Thread(target=writes, args=(insert, per)) for _ in range(threads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            return args.writes / (time.perf_counter() - started)

        print(f"engine {connection.vendor}, {args.writes} writes, one transaction each")
        print("| writers | without the chain (writes/s) | with the chain (writes/s) |")
        print("|---|---|---|")
        counts = [1] if connection.vendor == "sqlite" else [1, args.threads]
        for threads in counts:
            print(f"| {threads} | {run(plain, threads):.0f} | {run(chained, threads):.0f} |")


if __name__ == "__main__":
    main()
