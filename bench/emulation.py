"""Emulation benchmark: ranking every commune of the country. ``.venv/bin/python bench/emulation.py``
(or ``make bench-emulation``).

The country's 3,321 communes (``vietnam-provinces``, through the app's loader) report monthly to
the central unit on a form of 20 figures; a year of approved reports is generated (12 × 3,321 =
39,852 reports, figures drawn at random, written with ``bulk_create``). The central unit's
movement has 20 criteria, each from one of those figures (half with a target that earns full
points, half measured against the best commune). Measured:

- ``emulation.evaluation.compute`` of the year's review — every commune's points on every
  criterion from its reports, 66,420 scores written (median of ``--runs``, each on a new review;
  goal: under 2 s), and the same again when nothing changed (nothing rewritten);
- the ranking page afterwards, through Django's test client (median of ``--page-runs``, with its
  query count; goal: under 200 ms), and a commune's page of scores;
- ``evaluation.ranking`` alone.

Uses its own database (see bench/run.py): a fresh SQLite file, or ``DATABASE_URL``
(``scripts/pg_throwaway.sh .venv/bin/python bench/emulation.py``). Prints a table and writes
``bench/results/emulation-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402

# A year of reports from the day the 34 provinces and 3,321 communes took effect (1 July 2025).
START, END = dt.date(2025, 7, 1), dt.date(2026, 6, 30)
FIGURES = 20


def _setup(seed: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from doanket.accounts.models import Role, RoleGrant, User
    from doanket.emulation import services
    from doanket.emulation.models import Measure
    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.organizations.services import load_administrative_units
    from doanket.reporting import periods
    from doanket.reporting import services as reporting
    from doanket.reporting.models import Report, Schedule, Status

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_administrative_units(None)
    central = Unit.objects.get(level=Level.CENTRAL)
    timings = {"load official units (s)": round(time.perf_counter() - started, 1)}
    codes = [f"so_lieu_{n:02d}" for n in range(1, FIGURES + 1)]
    version = reporting.create_form(
        None, central, "thang", "Báo cáo tháng của Ủy ban MTTQ xã",
        [{"title": "Kết quả", "indicators": [
            {"code": code, "label": f"Số liệu {n}", "type": "integer", "min_value": 0}
            for n, code in enumerate(codes, 1)
        ]}],
    )  # fmt: skip
    schedule = reporting.create_schedule(
        None,
        Schedule(
            unit=central, form=version.form, name="Báo cáo tháng", level=Level.COMMUNE, kind=UnitKind.COMMITTEE,
            frequency=periods.Frequency.MONTHLY, starts=START,
        ),
    )  # fmt: skip
    communes = list(Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.COMMITTEE).values_list("pk", flat=True))
    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    rows = []
    for period in periods.between(periods.Frequency.MONTHLY, START, END):
        for unit_id in communes:
            values = {code: rng.randrange(0, 50) for code in codes}
            rows.append(
                Report(
                    schedule=schedule, version=version, unit_id=unit_id, period=period.key,
                    period_start=period.start, period_end=period.end, due_date=period.end, status=Status.APPROVED,
                    values=values, approved_values=values, approved_number=1, approved_at=now,
                    first_submitted_at=now, submitted_at=now, revision=3,
                )
            )  # fmt: skip
    Report.objects.bulk_create(rows, batch_size=2000)
    timings["write the year's reports (s)"] = round(time.perf_counter() - started, 1)
    movement = services.launch(
        None, central, title="Phong trào thi đua 2025–2026", starts_on=START, ends_on=END,
        level=Level.COMMUNE, participant_kind=UnitKind.COMMITTEE,
    )  # fmt: skip
    for n, code in enumerate(codes):
        services.add_criterion(
            None, movement, name=f"Tiêu chí {n + 1}", weight=5, measure=Measure.INDICATOR, schedule=schedule,
            indicator_code=code, target=400 if n % 2 == 0 else None,
        )  # fmt: skip
    officer, _ = User.objects.get_or_create(username="bench.central", defaults={"full_name": "Cán bộ Trung ương"})
    RoleGrant.objects.get_or_create(user=officer, unit=central, role=Role.OFFICER)
    return {"movement": movement, "officer": officer, "communes": len(communes), "reports": len(rows), **timings}


def _median(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def _measure(world: dict[str, Any], runs: int, page_runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from doanket.emulation import evaluation
    from doanket.emulation.models import Review, Score, Stage

    movement = world["movement"]
    # The first computation of each run writes every score: each run on a review of its own.
    samples, again = [], []
    for _ in range(runs):
        review = Review.objects.create(movement=movement, stage=Stage.FINAL, period_from=START, period_to=END)
        started = time.perf_counter()
        written = evaluation.compute(review)
        samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        evaluation.compute(review)  # nothing changed: nothing is written again
        again.append(time.perf_counter() - started)
    if os.environ.get("BENCH_PROFILE"):  # where the time goes, printed after the timed runs
        import cProfile
        import pstats

        profile = cProfile.Profile()
        fresh = Review.objects.create(movement=movement, stage=Stage.FINAL, period_from=START, period_to=END)
        profile.runcall(evaluation.compute, fresh)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    ranking = []
    for _ in range(page_runs):
        started = time.perf_counter()
        ranked = evaluation.ranking(review)
        ranking.append(time.perf_counter() - started)
    results: dict[str, Any] = {
        "compute (s), median": round(statistics.median(samples), 2),
        "compute runs (s)": [round(s, 2) for s in samples],
        "compute again, nothing changed (s), median": round(statistics.median(again), 2),
        "scores written": written,
        "scores stored (last review)": Score.objects.filter(review=review).count(),
        "ranking() (ms), median": _median(ranking),
        "first / last total": [str(ranked[0].total), str(ranked[-1].total)],
    }
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        client = Client()
        client.force_login(world["officer"], backend="django.contrib.auth.backends.ModelBackend")
        for name, url in (
            ("ranking page", reverse("emulation:review", args=[review.pk])),
            ("a commune's page of scores", reverse("emulation:review_unit", args=[review.pk, ranked[0].unit_id])),
        ):
            client.get(url)
            statements: list[str] = []

            def counted(execute: Any, sql: str, *rest: Any, seen: list[str] = statements) -> Any:
                seen.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                assert client.get(url).status_code == 200
            page = []
            for _ in range(page_runs):
                started = time.perf_counter()
                response = client.get(url)
                page.append(time.perf_counter() - started)
                assert response.status_code == 200
            results[f"{name} (ms), median"] = _median(page)
            results[f"{name}, queries"] = len(statements)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed computations of the review (3)")
    parser.add_argument("--page-runs", type=int, default=20, help="timed requests of each page (20)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-emulation-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        world = _setup(args.seed)
        results = {k: v for k, v in world.items() if k not in ("movement", "officer")}
        results.update(_measure(world, args.runs, args.page_runs))
        for key, value in results.items():
            print(f"| {key} | {value} |")
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"emulation-{connection.vendor}-{dt.date.today():%Y-%m-%d}.json"
            meta = {"engine": connection.vendor, "cpus": os.cpu_count(), "python": sys.version.split()[0]}
            out.write_text(json.dumps({"meta": meta, "args": vars(args), "results": results}, indent=1,
                                      ensure_ascii=False))  # fmt: skip
            print(f"written: {out.relative_to(ROOT)}")
        return 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
