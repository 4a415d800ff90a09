"""National-scale benchmark of the hierarchy: ``.venv/bin/python bench/run.py`` (or ``make bench``).

Uses its own database, never ``var/doanket.sqlite3``: a fresh SQLite file in a temporary folder,
or the database named by ``DATABASE_URL`` (e.g. ``scripts/pg_throwaway.sh .venv/bin/python
bench/run.py``). Prints a Markdown table and writes the results to ``bench/results/``.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(tmp: Path) -> None:
    """Environment for Django, set before ``django.setup()``: settings read it at import."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanket.settings")
    os.environ.setdefault("DOANKET_PLAIN_STATIC", "1")
    # Media, static and the default SQLite file live under the var folder: keep ours apart.
    os.environ["DOANKET_VAR_DIR"] = str(tmp)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=100_000, help="village boards to generate (100000)")
    parser.add_argument("--member-orgs", type=int, default=200, help="member organisations to generate (200)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each page (30)")
    parser.add_argument(
        "--flush",
        action="store_true",
        help="empty a DATABASE_URL database that holds data not written by an earlier bench run",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table only, write no JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from bench import national

        return national.run(
            villages=args.villages,
            member_orgs=args.member_orgs,
            page_runs=args.runs,
            force_flush=args.flush,
            results_dir=None if args.no_write else ROOT / "bench" / "results",
        )
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
