"""Petitions benchmark: ``.venv/bin/python bench/petitions.py`` (or ``make bench-petitions``).

Generates ``--petitions`` (1,000,000) petitions across the country's tree (central + 34 provinces
+ 3,321 communes), their text from ``doanket.demo.opinions`` (Vietnamese sentences built from
templates and vocabulary, each about one planted theme, about 10 % of them near-duplicates of an
earlier one, some typed without accents or with the old tone placement), bulk-inserted (not
through the services). The first ``--synthesis`` (100,000) are the last month's opinions of the
bench province; the rest spread over the year and the other provinces. About a tenth of them are
answered and published.

Measures (median and p95 of ``--runs`` runs, SQL queries of one run):

- the staff inbox of the bench province's officer (100,000+ petitions in scope) and of a central
  officer (all of them): first page, a search typed without accents, a search by tracking code;
- the public answer search on the portal (a phrase, a place filter);
- the synthesis of the bench province's month (``synthesis.compute``: read, group, write), with
  its quality against the planted themes (adjusted Rand index) and near-duplicates (recall);
- portal submissions per second: ``gunicorn`` serving the portal from this database, and a load
  generator on loopback (``--clients`` processes, each fetching the form once and then posting
  petitions for ``--seconds`` seconds); afterwards every accepted submission must be in the
  database ("nothing lost").

Goals (issue 5): 200 submissions per second on 2 cores, inbox and answer search under 150 ms,
synthesis of 100,000 under 60 s with ARI >= 0.8 and near-duplicate recall >= 0.95.

Uses its own database (see bench/run.py): a fresh SQLite file in a temporary folder, or
``DATABASE_URL`` (``scripts/pg_throwaway.sh .venv/bin/python bench/petitions.py``). Prints a
Markdown table and writes ``bench/results/petitions-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402

PASSWORD = "Bench@2026-petitions"  # noqa: S105 - the bench's own throwaway accounts


def _median_p95(samples: list[float]) -> tuple[float, float]:
    from bench.national import p95  # after django.setup(): it imports the models

    return statistics.median(samples), p95(samples)


class Results:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, name: str, **values: Any) -> None:
        self.rows.append({"name": name, **values})
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        print(f"  {name}: {shown}", flush=True)


# --- Generation ---------------------------------------------------------------------------------


def _setup(results: Results) -> dict[str, Any]:
    from django.core.management import call_command

    from doanket.accounts.models import Role, RoleGrant, User
    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.organizations.services import load_administrative_units

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Unit.objects.exists():
        load_administrative_units(None)
    results.add("load official units", seconds=round(time.perf_counter() - started, 1), units=Unit.objects.count())
    provinces = list(Unit.objects.filter(level=Level.PROVINCE, kind=UnitKind.COMMITTEE).order_by("path"))
    # The bench province: the one with the most communes.
    counts = {p.pk: Unit.objects.filter(parent=p, level=Level.COMMUNE).count() for p in provinces}
    province = max(provinces, key=lambda p: counts[p.pk])
    central = Unit.objects.get(level=Level.CENTRAL)

    def user(name: str, unit: Unit) -> User:
        found, created = User.objects.get_or_create(username=name, defaults={"full_name": name})
        if created:
            found.set_password(PASSWORD)
            found.save()
            RoleGrant.objects.create(user=found, unit=unit, role=Role.OFFICER)
        return found

    return {
        "central": central,
        "province": province,
        "provinces": provinces,
        "province_officer": user("bench.tinh", province),
        "central_officer": user("bench.trunguong", central),
    }


def _generate(world: dict[str, Any], count: int, synthesis_count: int, results: Results) -> dict[str, Any]:
    """Bulk-insert ``count`` petitions; returns the planted truth of the synthesis month."""
    from django.db import connection, transaction
    from django.utils import timezone

    from doanket.core.text import fold
    from doanket.demo.opinions import opinions
    from doanket.organizations.models import Level, Unit
    from doanket.petitions.models import Channel, Kind, Petition, Status, Topic
    from doanket.petitions.services import new_code

    started = time.perf_counter()
    province = world["province"]
    communes_by_province: dict[int, list[tuple[int, str]]] = {}
    for pk, parent_id, name in Unit.objects.filter(level=Level.COMMUNE).values_list("pk", "parent_id", "name"):
        communes_by_province.setdefault(parent_id, []).append((pk, name))
    others = [p for p in world["provinces"] if p.pk != province.pk and communes_by_province.get(p.pk)]
    topics = {t.name: t.pk for t in Topic.objects.all()}
    rng = random.Random(5)
    now = timezone.now()
    channels = [Channel.PORTAL, Channel.PORTAL, Channel.VOTER_MEETING, Channel.LETTER, Channel.RECEPTION]
    truth_themes: list[int] = []
    truth_originals: list[int | None] = []
    codes: set[str] = set()
    batch: list[tuple[Any, ...]] = []
    made = 0

    # Written with one INSERT for many rows (executemany), not bulk_create: the ORM's per-value
    # preparation would take most of the time at a million rows.
    fields = [f for f in Petition._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {Petition._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608 - our names
    ops = connection.ops
    defaults = {f.attname: f.get_default() for f in fields}

    def row(values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for f in fields:
            value = values.get(f.attname, defaults[f.attname])
            if isinstance(value, dt.datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, dt.date):
                value = ops.adapt_datefield_value(value)
            out.append(value)
        return tuple(out)

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(insert, batch)
        batch.clear()

    text = opinions(count, seed=17)
    for position, opinion in enumerate(text):
        in_month = position < synthesis_count
        if in_month:
            unit = province
            communes = communes_by_province[province.pk]
            received = now - dt.timedelta(days=rng.random() * 29)
            truth_themes.append(opinion.theme)
            truth_originals.append(opinion.original)
        else:
            unit = rng.choice(others)
            communes = communes_by_province[unit.pk]
            received = now - dt.timedelta(days=30 + rng.random() * 335)
        place_id, place_name = rng.choice(communes)
        code = new_code()
        while code in codes:
            code = new_code()
        codes.add(code)
        answered = not in_month and rng.random() < 0.3
        published = answered and rng.random() < 0.4
        status = Status.ANSWERED if answered else rng.choice([Status.RECEIVED, Status.IN_PROGRESS, Status.FORWARDED])
        answer = f"Đã chuyển cơ quan chức năng xem xét, giải quyết kiến nghị về {opinion.title.lower()}."
        values = dict(
            code=code,
            unit_id=unit.pk,
            place_id=place_id,
            level=Level.PROVINCE,
            channel=rng.choice(channels),
            kind=Kind.PETITION,
            topic_id=topics.get(opinion.topic),
            title=opinion.title,
            content=opinion.content,
            search_key=fold(f"{code} {opinion.title} {opinion.content}"),
            status=status,
            received_at=received,
            due_date=(received + dt.timedelta(days=30)).date(),
            answer=answer if answered else "",
            answered_at=received + dt.timedelta(days=10) if answered else None,
            published=published,
            public_title=opinion.title if published else "",
            public_question=f"{opinion.content} ({place_name})" if published else "",
            public_answer=answer if published else "",
            public_key=fold(f"{opinion.title} {opinion.content} ({place_name}) {answer}") if published else "",
            published_at=received + dt.timedelta(days=11) if published else None,
            created_at=received,
            updated_at=received,
        )
        batch.append(row(values))
        made += 1
        if len(batch) >= 10_000:
            flush()
            if made % 100_000 == 0:
                print(f"    {made:,} petitions", flush=True)
    if batch:
        flush()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    results.add("generate petitions", seconds=round(time.perf_counter() - started, 1), petitions=made)
    return {"themes": truth_themes, "originals": truth_originals}


# --- Pages --------------------------------------------------------------------------------------


def _time_page(client: Any, url: str, runs: int) -> dict[str, Any]:
    from django.db import connection

    client.get(url)  # warm-up
    # Counted by a wrapper round each statement: the query log that CaptureQueriesContext reads
    # is emptied when a request starts, which made every page count 0.
    statements: list[str] = []

    def counted(execute: Any, sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(counted):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median, p95 = _median_p95(samples)
    return {"median_ms": round(median, 1), "p95_ms": round(p95, 1), "queries": len(statements)}


def _pages(world: dict[str, Any], runs: int, results: Results) -> None:
    from django.test import Client
    from django.urls import reverse

    from doanket.petitions.models import Petition

    some = Petition.objects.filter(unit=world["province"]).order_by("pk").values_list("code", flat=True).first()
    inbox = reverse("petitions:inbox")
    answers = reverse("portal:answers")
    for who in ("province_officer", "central_officer"):
        client = Client()
        client.force_login(world[who], backend="django.contrib.auth.backends.ModelBackend")
        for label, query in (
            ("first page", ""),
            ("search 'duong lien thon'", "?q=duong+lien+thon&status=all"),
            ("search 'sạt lở đất'", "?q=" + urllib.parse.quote("sạt lở đất") + "&status=all"),
            ("search by code", f"?q={some}&status=all"),
        ):
            results.add(f"inbox of {who.replace('_', ' ')}: {label}", **_time_page(client, inbox + query, runs))
    public = Client()
    for label, query in (
        ("list", ""),
        ("search 'ho ngheo'", "?q=ho+ngheo"),
        ("search 'giấy chứng nhận quyền sử dụng đất'", "?q=" + urllib.parse.quote("giấy chứng nhận quyền sử dụng đất")),
    ):
        results.add(f"portal answers: {label}", **_time_page(public, answers + query, runs))


# --- Synthesis ------------------------------------------------------------------------------------


def _synthesis(world: dict[str, Any], truth: dict[str, Any], runs: int, results: Results) -> None:
    from django.utils import timezone
    from sklearn.metrics import adjusted_rand_score

    from doanket.petitions import synthesis
    from doanket.petitions.models import Synthesis, ThemeMember

    today = timezone.localdate()
    seconds = []
    made: Synthesis | None = None
    for _ in range(runs):
        made = synthesis.start(None, world["province"], "Bench", today - dt.timedelta(days=29), today)
        started = time.perf_counter()
        synthesis.compute(made.pk)
        seconds.append(time.perf_counter() - started)
    assert made is not None
    made.refresh_from_db()
    # Petitions of the month in the order generated (= the order received is not the same).
    members = dict(ThemeMember.objects.filter(synthesis=made).values_list("petition_id", "theme_id"))
    copies = dict(ThemeMember.objects.filter(synthesis=made).values_list("petition_id", "copy_of_id"))
    from doanket.petitions.models import Petition

    ids = list(
        Petition.objects.filter(unit=world["province"], received_at__date__gte=today - dt.timedelta(days=29))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == len(truth["themes"]) == made.petition_count, (len(ids), len(truth["themes"]))
    found = [members[pk] for pk in ids]
    ari = adjusted_rand_score(truth["themes"], found)
    leader = {pk: copies[pk] or pk for pk in ids}
    planted = [(i, o) for i, o in enumerate(truth["originals"]) if o is not None]
    kept = sum(1 for i, o in planted if leader[ids[i]] == leader[ids[o]])
    sets = len(set(leader.values()))
    median, _ = _median_p95(seconds)
    results.add(
        "synthesis of the month",
        petitions=made.petition_count,
        themes=made.themes.count(),
        planted_themes=len(set(truth["themes"])),
        median_s=round(median, 1),
        runs=runs,
        ari=round(ari, 3),
        near_duplicate_recall=round(kept / len(planted), 3),
        planted_near_duplicates=len(planted),
        near_duplicate_sets=sets,
    )


# --- Portal submissions under load ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(port: int, seconds: float, place: tuple[int, int, int], seed: int, out: Any) -> None:
    """One load-generating process: fetch the form (CSRF cookie and token), then post petitions
    one after another over one keep-alive connection until the time is up."""
    from doanket.demo.opinions import opinions

    texts = list(opinions(400, seed=seed))
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/portal/petitions/new")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = next(v for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    csrf_cookie = cookie.split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, "no CSRF token in the form"
    sent = accepted = refused = 0
    province, commune, village = place
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        opinion = texts[sent % len(texts)]
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "level": "commune",
            "kind": "petition",
            "province": province,
            "commune": commune,
            "village": village,
            "title": opinion.title,
            "content": opinion.content,
            "sender_name": "",
            "sender_phone": "",
            "sender_email": "",
            "website": "",
            "consent": "on",
        }
        data = urllib.parse.urlencode(form)
        conn.request(
            "POST",
            "/portal/petitions/new",
            body=data,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": csrf_cookie,
                "Referer": f"http://127.0.0.1:{port}/portal/petitions/new",
            },
        )
        response = conn.getresponse()
        response.read()
        sent += 1
        if response.status == 302:
            accepted += 1
        else:
            refused += 1
    conn.close()
    out.put({"sent": sent, "accepted": accepted, "refused": refused})


def _portal_load(world: dict[str, Any], clients: int, workers: int, seconds: float, results: Results) -> None:
    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.petitions.models import Channel, Petition

    commune = Unit.objects.filter(parent=world["province"], level=Level.COMMUNE).order_by("path").first()
    assert commune is not None
    village = Unit.objects.filter(parent=commune, kind=UnitKind.VILLAGE_BOARD).first()
    place = (world["province"].pk, commune.pk, village.pk if village else "")
    before = Petition.objects.filter(channel=Channel.PORTAL, unit=commune).count()
    port = _free_port()
    env = {
        **os.environ,
        "PORTAL_SUBMISSIONS_PER_ADDRESS_PER_HOUR": "100000000",
        "PORTAL_SUBMISSIONS_PER_CONTACT_PER_HOUR": "100000000",
        "DOANKET_DEBUG": "0",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "doanket.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/portal/")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(3)  # the other workers finish starting (each loads the app before it serves)
        out: Any = multiprocessing.Queue()
        processes = [
            multiprocessing.Process(target=_client, args=(port, seconds, place, i, out)) for i in range(clients)
        ]
        started = time.perf_counter()
        for p in processes:
            p.start()
        totals = [out.get(timeout=seconds + 120) for _ in processes]
        for p in processes:
            p.join()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    accepted = sum(t["accepted"] for t in totals)
    stored = Petition.objects.filter(channel=Channel.PORTAL, unit=commune).count() - before
    results.add(
        "portal submissions",
        per_second=round(accepted / seconds, 1),
        accepted=accepted,
        refused=sum(t["refused"] for t in totals),
        stored=stored,
        lost=accepted - stored,
        clients=clients,
        gunicorn_workers=workers,
        seconds=round(elapsed, 1),
    )


# --- Main -------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--petitions", type=int, default=1_000_000, help="petitions to generate (1000000)")
    parser.add_argument("--synthesis", type=int, default=100_000, help="opinions of the synthesis month (100000)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each page (20)")
    parser.add_argument("--synthesis-runs", type=int, default=3, help="timed runs of the synthesis (3)")
    parser.add_argument("--clients", type=int, default=8, help="load-generating processes (8)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the load (30 s)")
    parser.add_argument("--only", choices=["pages", "synthesis", "portal"], action="append", help="measure only these")
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (SQLite database) for profiling; prints its path"
    )
    parser.add_argument(
        "--reuse",
        metavar="FOLDER",
        help="measure the pages and the portal on the SQLite data set a --keep run left in FOLDER (migrated "
        "first, nothing generated; the synthesis needs the generated truth and is skipped); the folder is kept",
    )
    args = parser.parse_args(argv)
    if args.reuse and args.only and "synthesis" in args.only:
        parser.error("--reuse measures the pages and the portal only")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="doanket-bench-petitions-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        only = set(args.only or (["pages", "portal"] if args.reuse else ["pages", "synthesis", "portal"]))
        results = Results()
        world = _setup(results)  # migrates: a reused data set gets this commit's schema and indexes
        if args.reuse:
            from doanket.petitions.models import Petition

            results.add("reused data set", folder=str(tmp), petitions=Petition.objects.count())
            truth: dict[str, Any] = {}
        else:
            truth = _generate(world, args.petitions, min(args.synthesis, args.petitions), results)
        from django.test.utils import override_settings

        if "pages" in only:
            with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                _pages(world, args.runs, results)
        if "synthesis" in only:
            _synthesis(world, truth, args.synthesis_runs, results)
        if "portal" in only:
            connection.close()
            _portal_load(world, args.clients, args.workers, args.seconds, results)
        meta = {
            "engine": connection.vendor,
            "date": dt.date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores",
            "args": vars(args),
        }
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"petitions-{connection.vendor}-{meta['date']}.json"
            out.write_text(json.dumps({"meta": meta, "results": results.rows}, ensure_ascii=False, indent=1))
            print(f"written: {out.relative_to(ROOT)}")
        return 0
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep or args.reuse:
            print(f"kept: {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
