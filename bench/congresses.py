"""Congresses benchmark: the central unit's overview of a whole round of congresses.
``.venv/bin/python bench/congresses.py``.

The country's 34 provinces and 3,321 communes (``vietnam-provinces``, through the app's loader),
``--villages`` village boards per commune, and a congress for every province, commune and village
of the round 2026–2031 (each with the three usual steps), written with ``bulk_create``: planned
dates spread over a year around today, some held, some with steps done, so every state occurs.
Measured: ``congresses.services.overview`` of the central unit and of a province (median of
``--runs``), and the overview page of the central officer through Django's test client (median,
with its query count).

Uses its own database (see bench/run.py): a fresh SQLite file, or ``DATABASE_URL``
(``scripts/pg_throwaway.sh .venv/bin/python bench/congresses.py``). Prints a table and writes
``bench/results/congresses-<engine>-<date>.json`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402


def _setup(villages: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from doanket.accounts.models import Role, RoleGrant, User
    from doanket.congresses.models import Congress, Step, StepKind
    from doanket.organizations.models import Level, Term, Unit, UnitKind
    from doanket.organizations.services import bulk_create_units, load_administrative_units

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_administrative_units(None)
    communes = list(Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.COMMITTEE))
    bulk_create_units(
        [
            Unit(parent=c, name=f"Ban công tác Mặt trận thôn {i}", level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
            for c in communes
            for i in range(1, villages + 1)
        ]
    )
    timings = {"load units (s)": round(time.perf_counter() - started, 1)}
    started = time.perf_counter()
    today = timezone.localdate()
    rng = random.Random(seed)
    units = list(Unit.objects.filter(level__in=[Level.PROVINCE, Level.COMMUNE, Level.VILLAGE]).only("pk"))
    terms = Term.objects.bulk_create(
        [Term(unit=u, name="2026–2031", start_date=dt.date(2026, 7, 1), end_date=dt.date(2031, 6, 30)) for u in units],
        batch_size=2000,
    )
    congresses = []
    for unit, term in zip(units, terms, strict=True):
        planned = today + dt.timedelta(days=rng.randrange(-180, 180))
        held = planned if planned < today and rng.random() < 0.8 else None
        congresses.append(Congress(unit=unit, term=term, name="Đại hội", planned_on=planned, held_on=held))
    Congress.objects.bulk_create(congresses, batch_size=2000)
    steps = []
    for congress in congresses:
        for n, kind in enumerate((StepKind.DOCUMENTS, StepKind.CONSULTATION, StepKind.DELEGATES)):
            due = congress.planned_on - dt.timedelta(days=60 - 20 * n)
            done = due if due < today and rng.random() < 0.7 else None
            steps.append(Step(congress=congress, kind=kind, due_on=due, done_on=done))
    Step.objects.bulk_create(steps, batch_size=5000)
    timings["write congresses and steps (s)"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum keeps them on a live database
        cursor.execute("ANALYZE")
    officer, _ = User.objects.get_or_create(username="bench.central", defaults={"full_name": "Cán bộ Trung ương"})
    central = Unit.objects.get(level=Level.CENTRAL)
    RoleGrant.objects.get_or_create(user=officer, unit=central, role=Role.OFFICER)
    return {"officer": officer, "central": central, "congresses": len(congresses), "steps": len(steps), **timings}


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=4, help="village boards per commune (4)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each measurement (20)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print the table only, write no JSON file")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection
        from django.test import Client, override_settings
        from django.urls import reverse
        from django.utils import timezone

        from doanket.congresses import services
        from doanket.organizations.models import Level, Unit

        data = _setup(args.villages, args.seed)
        central = data["central"]
        province = Unit.objects.filter(level=Level.PROVINCE).order_by("path").first()
        assert province is not None
        today = timezone.localdate()
        summary = services.overview(central, today)
        hosts = override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False)
        hosts.enable()
        client = Client()
        client.force_login(data["officer"])
        url = reverse("congresses:overview")
        client.get(url)  # the session and the grants warmed, as an officer's second page
        statements: list[str] = []

        def counted(execute: Any, sql: str, *rest: Any) -> Any:
            statements.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(counted):
            assert client.get(url).status_code == 200
        results = {
            "engine": connection.vendor,
            "congresses": data["congresses"],
            "steps": data["steps"],
            "states (central)": {
                "planned": summary.total.planned,
                "preparing": summary.total.preparing,
                "held": summary.total.held,
                "late": summary.total.late,
            },
            "load units (s)": data["load units (s)"],
            "write congresses and steps (s)": data["write congresses and steps (s)"],
            "overview of the central unit (ms)": _median_ms(lambda: services.overview(central, today), args.runs),
            "overview of a province (ms)": _median_ms(lambda: services.overview(province, today), args.runs),
            "GET the overview page, central officer (ms)": _median_ms(lambda: client.get(url), args.runs),
            "queries of the page": len(statements),
        }
        for key, value in results.items():
            print(f"{key}: {value}")
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"congresses-{connection.vendor}-{dt.date.today().isoformat()}.json"
            out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
            print(f"written: {out.relative_to(ROOT)}")
        return 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
