"""The measurements behind ``bench/run.py``. Imported only after ``django.setup()``.

Two scales, same measurements: the official units alone (central + 34 provinces + 3,321
communes) and the national tree (plus ~100,000 village boards and 200 member organisations).
Each measurement reports the median and 95th percentile of its timed runs and the number of
SQL queries of one run; the query count must not change between the two scales.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.http import Http404
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from doanket.accounts import authz
from doanket.accounts.authz import Perm
from doanket.accounts.models import Role, User
from doanket.accounts.services import grant_role
from doanket.core.text import fold
from doanket.organizations.models import Level, Unit, UnitKind
from doanket.organizations.services import bulk_create_units, load_administrative_units

# A superuser with this name marks a database as written by the bench: a rerun may empty it.
MARKER_USERNAME = "bench.admin"
VILLAGE_CHUNK = 10_000  # villages built in memory at a time
SCOPE_RUNS = 300  # timed runs of the in-memory and single-query measurements
QUERY_RUNS = 50  # timed runs of the subtree queries
WARMUP_RUNS = 3
SEARCH = "lao cai"
MEMBER_ORGANIZATIONS = [
    "Hội Nông dân",
    "Hội Liên hiệp Phụ nữ",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
    "Hội Cựu chiến binh",
    "Liên đoàn Lao động",
    "Hội Chữ thập đỏ",
    "Hội Người cao tuổi",
]
SMALL, NATIONAL = "official units", "national"


@dataclass
class Measurement:
    key: str
    label: str
    kind: str  # "query", "scope" or "page"
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    target: str = ""


@dataclass
class Phase:
    name: str
    units: int
    measurements: list[Measurement] = field(default_factory=list)


@dataclass
class Actors:
    central: Unit
    province: Unit
    commune: Unit
    admin: User
    province_officer: User
    commune_officer: User


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(key: str, label: str, kind: str, fn: Callable[[], object], runs: int, target: str = "") -> Measurement:
    for _ in range(WARMUP_RUNS):
        fn()
    # Counted in a run of its own: capturing queries forces the debug cursor, which costs time.
    with CaptureQueriesContext(connection) as captured:
        fn()
    queries = len(captured.captured_queries)  # now: the log is emptied by the next request
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Measurement(
        key=key,
        label=label,
        kind=kind,
        runs=runs,
        median_ms=round(statistics.median(samples), 3),
        p95_ms=round(p95(samples), 3),
        queries=queries,
        target=target,
    )


# --- Database ------------------------------------------------------------------------------------


def prepare_database(force_flush: bool) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if not (Unit.objects.exists() or User.objects.exists()):
        return
    if not (force_flush or User.objects.filter(username=MARKER_USERNAME, is_superuser=True).exists()):
        raise SystemExit(
            "bench: the database at DATABASE_URL already holds data that an earlier bench run did not write. "
            "Point DATABASE_URL at a throwaway database, or pass --flush to empty this one."
        )
    call_command("flush", verbosity=0, interactive=False)


def analyze() -> None:
    """What autovacuum does shortly after a bulk load on PostgreSQL; SQLite gathers no statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def engine_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
        return f"PostgreSQL {row[0] if row else '?'}"
    return f"SQLite {sqlite3.sqlite_version}"


def machine() -> dict[str, Any]:
    cpu = ""
    ram_gib = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite_library": sqlite3.sqlite_version,
        "database": engine_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# --- Building the tree ---------------------------------------------------------------------------


def short_name(unit: Unit) -> str:
    return unit.name.removeprefix("Ủy ban MTTQ ")


def make_users(central: Unit) -> Actors:
    provinces = (
        Unit.objects.filter(level=Level.PROVINCE, kind=UnitKind.COMMITTEE)
        .annotate(communes=Count("children"))
        .order_by("-communes", "path")
    )
    province = provinces[0]
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("path")[0]
    admin = User.objects.create_user(MARKER_USERNAME, full_name="Bench system administrator")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    province_officer = User.objects.create_user("bench.province", full_name="Bench province officer")
    commune_officer = User.objects.create_user("bench.commune", full_name="Bench commune officer")
    grant_role(None, province_officer, province, Role.OFFICER)
    grant_role(None, commune_officer, commune, Role.OFFICER)
    return Actors(central, province, commune, admin, province_officer, commune_officer)


def generate(villages: int, member_orgs: int) -> None:
    """~30 village boards per commune and member organisations under the provinces.

    Written with ``bulk_create_units`` and without audit entries: the bench measures the tree.
    """
    communes = list(Unit.objects.filter(level=Level.COMMUNE).order_by("path"))
    base, extra = divmod(villages, len(communes))
    chunk: list[Unit] = []
    with transaction.atomic():
        for i, commune in enumerate(communes):
            for n in range(1, base + (1 if i < extra else 0) + 1):
                chunk.append(
                    Unit(
                        parent=commune,
                        name=f"Ban công tác Mặt trận thôn {n} (mẫu)",
                        level=Level.VILLAGE,
                        kind=UnitKind.VILLAGE_BOARD,
                        division_type="thôn",
                        is_sample=True,
                    )
                )
            if len(chunk) >= VILLAGE_CHUNK:
                bulk_create_units(chunk)
                chunk = []
        bulk_create_units(chunk)
        provinces = list(Unit.objects.filter(level=Level.PROVINCE, kind=UnitKind.COMMITTEE).order_by("path"))
        orgs = [
            Unit(
                parent=provinces[i % len(provinces)],
                name=f"{MEMBER_ORGANIZATIONS[(i // len(provinces)) % len(MEMBER_ORGANIZATIONS)]} "
                f"{short_name(provinces[i % len(provinces)])} (mẫu)",
                level=Level.PROVINCE,
                kind=UnitKind.MEMBER_ORGANIZATION,
                is_sample=True,
            )
            for i in range(member_orgs)
        ]
        bulk_create_units(orgs)


# --- Measurements --------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def page(client: Client, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return get


def measure_phase(name: str, actors: Actors, page_runs: int) -> Phase:
    province, commune = actors.province, actors.commune
    phase = Phase(name=name, units=Unit.objects.count())
    m = phase.measurements
    target_name = short_name(province)

    # Subtree queries of the largest province.
    def subtree_count() -> int:
        return Unit.objects.subtree_of(province).count()

    def subtree_first_page() -> list[Unit]:
        return list(Unit.objects.subtree_of(province).order_by("path")[:50])

    size = subtree_count()
    target = f"{target_name}, {size:,} units"
    m.append(
        measure("subtree_count", "Subtree count of the largest province", "query", subtree_count, QUERY_RUNS, target)
    )
    m.append(measure("subtree_page", "Subtree, first 50 by path", "query", subtree_first_page, QUERY_RUNS, target))

    # Scope checks of one object: a village of the officer's commune (the commune itself when
    # there are no villages yet) and a village of another province.
    inside = Unit.objects.subtree_of(commune).order_by("-depth", "path").first() or commune
    outside = Unit.objects.exclude(path__startswith=province.path or "").order_by("-depth", "-path").first()
    assert outside is not None
    officer = actors.commune_officer
    if not authz.can(officer, Perm.VIEW_UNIT, inside) or authz.can(officer, Perm.VIEW_UNIT, outside):
        raise RuntimeError("the commune officer's scope is wrong")

    def can_first() -> bool:
        authz.forget(officer)
        return authz.can(officer, Perm.VIEW_UNIT, inside)

    def can_cached() -> bool:
        return authz.can(officer, Perm.VIEW_UNIT, inside)

    def get_inside() -> Unit:
        authz.forget(officer)
        return authz.get_for_user(Unit.objects.all(), officer, Perm.VIEW_UNIT, "path", pk=inside.pk)

    def get_outside() -> bool:
        authz.forget(officer)
        try:
            authz.get_for_user(Unit.objects.all(), officer, Perm.VIEW_UNIT, "path", pk=outside.pk)
        except Http404:
            return False
        raise RuntimeError("a unit outside the scope was returned")

    where = f"{inside.get_level_display()} in scope"
    m.append(
        measure("can_first", "can(): first check of a request (reads grants)", "scope", can_first, SCOPE_RUNS, where)
    )
    m.append(measure("can_cached", "can(): later checks (grants cached)", "scope", can_cached, SCOPE_RUNS, where))
    m.append(measure("get_inside", "get_for_user(): in scope", "scope", get_inside, SCOPE_RUNS, where))
    m.append(
        measure("get_outside", "get_for_user(): out of scope → 404", "scope", get_outside, SCOPE_RUNS, "other province")
    )

    # Pages, through the whole middleware stack.
    officer_client = logged_in(actors.province_officer)
    admin_client = logged_in(actors.admin)
    own = fold(commune.division_type) or "uy ban"  # a search with hits inside the officer's province
    # The list pages by path (keyset): the last page is the one before a path above every path.
    after_every_path = "9" * 64
    pages: list[tuple[str, str, Client, str]] = [
        ("list_officer", "GET /units/ — province officer", officer_client, "/units/"),
        ("list_admin", "GET /units/ — system admin", admin_client, "/units/"),
        ("detail_officer", "GET /units/<province>/ — province officer", officer_client, f"/units/{province.pk}/"),
        ("detail_admin", "GET /units/<province>/ — system admin", admin_client, f"/units/{province.pk}/"),
        ("search_officer", f"GET /units/?q={SEARCH} — province officer", officer_client, "/units/?q=lao+cai"),
        ("search_admin", f"GET /units/?q={SEARCH} — system admin", admin_client, "/units/?q=lao+cai"),
        (
            "search_officer_hits",
            f"GET /units/?q={own} — province officer",
            officer_client,
            f"/units/?{urlencode({'q': own})}",
        ),
        (
            "list_admin_last",
            "GET /units/?before=<end> (last page) — system admin",
            admin_client,
            f"/units/?before={after_every_path}",
        ),
        (
            "detail_central_admin",
            "GET /units/<central>/ — system admin",
            admin_client,
            f"/units/{actors.central.pk}/",
        ),
    ]
    for key, label, client, url in pages:
        m.append(measure(key, label, "page", page(client, url), page_runs, url))

    # What a request pays when the connection is not kept (DB_CONN_MAX_AGE=0, the default).
    def reconnect() -> None:
        connection.close()
        connection.ensure_connection()

    m.append(measure("connect", "Open a database connection", "scope", reconnect, QUERY_RUNS))
    return phase


# --- Report --------------------------------------------------------------------------------------


def fmt(ms: float) -> str:
    return f"{ms:.3f}" if ms < 1 else f"{ms:.1f}"


def table(small: Phase, national: Phase) -> str:
    rows = [
        f"| Measurement | median ms @ {small.units:,} units | median ms @ {national.units:,} | "
        f"p95 ms @ {national.units:,} | queries @ {small.units:,} | queries @ {national.units:,} |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    before = {x.key: x for x in small.measurements}
    for x in national.measurements:
        b = before[x.key]
        flag = "" if b.queries == x.queries else " ⚠"
        rows.append(
            f"| {x.label} | {fmt(b.median_ms)} | {fmt(x.median_ms)} | {fmt(x.p95_ms)} "
            f"| {b.queries} | {x.queries}{flag} |"
        )
    return "\n".join(rows)


def verdict(small: Phase, national: Phase, limit_ms: float = 100.0) -> list[str]:
    lines = []
    before = {x.key: x for x in small.measurements}
    for x in national.measurements:
        if x.kind == "page" and x.p95_ms >= limit_ms:
            lines.append(f"- {x.label}: p95 {x.p95_ms:.1f} ms ≥ {limit_ms:.0f} ms (median {x.median_ms:.1f} ms)")
        if before[x.key].queries != x.queries:
            lines.append(f"- {x.label}: {before[x.key].queries} queries at small scale, {x.queries} at national scale")
    return lines


def run(villages: int, member_orgs: int, page_runs: int, force_flush: bool, results_dir: Path | None) -> int:
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    prepare_database(force_flush)
    setup: dict[str, float] = {}

    t = time.perf_counter()
    load_administrative_units(None)
    setup["load official units"] = time.perf_counter() - t
    central = Unit.objects.get(level=Level.CENTRAL)
    actors = make_users(central)
    settings_override = override_settings(
        ALLOWED_HOSTS=["testserver"], DEBUG=False, DOANKET_REQUIRE_2FA_FOR_ADMINS=False
    )
    with settings_override:
        small = measure_phase(SMALL, actors, page_runs)

    t = time.perf_counter()
    generate(villages, member_orgs)
    setup["generate villages and member organisations"] = time.perf_counter() - t
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        analyze()
        setup["VACUUM ANALYZE"] = time.perf_counter() - t
    with settings_override:
        national = measure_phase(NATIONAL, actors, page_runs)

    counts = dict(Unit.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    info = machine()
    info["load_average_at_start"] = load_before
    engine = connection.vendor
    problems = verdict(small, national)
    largest_units = Unit.objects.subtree_of(actors.province).count()
    report: dict[str, Any] = {
        "engine": engine,
        "date": datetime.date.today().isoformat(),
        "machine": info,
        "tree": {
            "units": national.units,
            "by_level": counts,
            "villages_requested": villages,
            "member_organisations_requested": member_orgs,
            "largest_province": short_name(actors.province),
            "largest_province_units": largest_units,
        },
        "setup_seconds": {k: round(v, 2) for k, v in setup.items()},
        "phases": [asdict(small), asdict(national)],
        "problems": problems,
        "total_seconds": round(time.perf_counter() - started, 1),
    }

    out = [
        f"## {info['database']} — {report['date']}",
        "",
        f"{info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}, "
        f"Django {info['django']}; load average {load_before[0]} at start, {info['load_average'][0]} at end",
        "",
        f"Tree: {national.units:,} units ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()))}); "
        f"largest province: {short_name(actors.province)} ({largest_units:,} units).",
        "",
        "| Setup | seconds |",
        "|---|---:|",
        *(f"| {k} | {v:.1f} |" for k, v in setup.items()),
        "",
        table(small, national),
        "",
        "Goal: every page under 100 ms of server time (p95) at national scale, query counts unchanged.",
        *(problems or ["All pages meet it."]),
        "",
        f"Total: {report['total_seconds']} s",
    ]
    print("\n".join(out))
    if results_dir is not None:
        results_dir.mkdir(parents=True, exist_ok=True)
        path = results_dir / f"{engine}-{report['date']}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        print(f"\nWritten: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    sys.stdout.flush()
    return 0
