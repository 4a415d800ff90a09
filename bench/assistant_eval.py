"""The assistant's evaluation: ``.venv/bin/python bench/assistant_eval.py`` (or ``make bench-assistant``).

Loads the demo into a throwaway database (a fresh SQLite file, or ``DATABASE_URL``:
``scripts/pg_throwaway.sh .venv/bin/python bench/assistant_eval.py``), asks every question of
``doanket/assistant/eval/questions.yaml`` as its demo login, and prints the top-1 and top-3 hit
rates (goal: top-3 ≥ 90 %), each miss with the sources the assistant gave, the time to build the
index once, and the latency of a question (median and p95, the index already built).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-assistant-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from doanket.assistant import evaluation, retrieval
        from doanket.demo.loader import load_demo

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        load_demo()
        print(f"demo loaded in {time.perf_counter() - started:.1f} s ({connection.vendor})")
        started = time.perf_counter()
        index = retrieval.current()
        print(f"index: {len(index.passages)} passages built in {time.perf_counter() - started:.2f} s")
        result = evaluation.run()
        n = len(result.outcomes)
        print(f"questions: {n}")
        print(f"top-1: {result.rate(1):.1%}  top-3: {result.rate(3):.1%}  (goal top-3 ≥ 90%)")
        median_ms, p95_ms = result.latency(0.5) * 1000, result.latency(0.95) * 1000
        print(f"latency per question: median {median_ms:.0f} ms, p95 {p95_ms:.0f} ms")
        for miss in result.misses:
            case = miss.case
            print(f"MISS [{case['user']}] {case['q']!r}: expected {case['expect']}, got {miss.kind} {miss.keys[:3]}")
        for o in result.outcomes:
            if o.rank is not None and o.rank > 1:
                print(f"top-{o.rank} [{o.case['user']}] {o.case['q']!r}: got {o.keys[:3]}")
        return 0 if result.rate(3) >= 0.9 else 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
        os.environ.pop("DOANKET_VAR_DIR", None)


if __name__ == "__main__":
    sys.exit(main())
