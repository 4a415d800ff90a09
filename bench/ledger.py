"""Funds benchmark, part two: the public ledger at 2,000,000 entries. ``.venv/bin/python bench/ledger.py``
(or ``make bench-ledger``).

Writes a campaign's 2,000,000 published donations (names, amounts, dates and memos of the
Yagi-shaped statement generator, ``doanket.demo.statements``) through the publishing path —
``funds.ledger._append``: canonical entries, leaf hashes, rows, the tiles' right edge and a signed
checkpoint per batch of ``--batch`` — then measures:

- publishing: entries per second, the whole log;
- the Merkle tree: building it in memory from the 2,000,000 leaf hashes; an inclusion proof from
  the stored tiles (``TiledTree``, what ``/portal/ledger/proof/N`` does) and its verification;
  ``verify_ledger`` over the whole log (every entry rehashed and compared, every tile and
  checkpoint checked);
- the public search, server time: the campaign's public page (``portal:fund``) for a mix of
  searches a donor makes — their name with or without accents, the amount, the amount and the day,
  words of the memo, a date range — called through Django's WSGI handler in this process (no
  network, no test-client instrumentation), median and p99 (goal: p99 under 20 ms);
- the throughput: gunicorn on loopback (``--workers``) and ``--clients`` load-generating processes
  on the same machine sending the same mix over keep-alive connections for ``--seconds``
  (goal: 1,000 searches a second on 2 cores).

Prints each result as it comes and writes ``bench/results/ledger-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import shutil
import signal
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

from bench.petitions import Results, _free_port  # noqa: E402 - the same printer and port finder
from bench.run import configure  # noqa: E402


def _percentile(samples: list[float], q: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# --- Writing the log --------------------------------------------------------------------------------


def _campaign() -> Any:
    from django.core.management import call_command

    from doanket.funds import keys
    from doanket.funds.models import Campaign, CampaignKind
    from doanket.organizations.models import Level, Unit
    from doanket.organizations.services import create_unit

    call_command("migrate", verbosity=0)
    keys.ensure()
    central = Unit.objects.filter(level=Level.CENTRAL).first() or create_unit(
        None, parent=None, name="Ủy ban Trung ương MTTQ Việt Nam", level=Level.CENTRAL, kind="committee"
    )
    found = Campaign.objects.filter(name="Bench: bão số 3 (Yagi)").first()  # kept from an earlier run (--keep)
    return found or Campaign.objects.create(
        unit=central, kind=CampaignKind.RELIEF, name="Bench: bão số 3 (Yagi)", starts_on=dt.date(2024, 9, 1)
    )


def _donations(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` donations as ``published_fields`` gives them: the generator's credits, the sender
    named as the statement shows them (one in ten anonymous)."""
    from doanket.core.text import nfc
    from doanket.demo import statements as generated
    from doanket.funds.ledger import masked

    made: list[dict[str, Any]] = []
    chunk = 0
    while len(made) < count:
        lines = generated.statement(min(200_000, 2 * (count - len(made))), seed=seed + chunk).entries
        for line in lines:
            if not line.credit:
                continue
            hidden = len(made) % 10 == 9
            made.append(
                {
                    "date": line.date.isoformat(),
                    "amount": line.credit,
                    "via": "transfer",
                    "donor": "" if hidden else nfc(line.counterparty.removesuffix(" - A/C")),
                    "description": nfc(masked(line.memo)),
                    "ref": "",
                }
            )
            if len(made) == count:
                break
        chunk += 1
    return made


def _publish(campaign: Any, donations: list[dict[str, Any]], batch: int, results: Results) -> None:
    from django.db import transaction

    from doanket.funds import ledger

    started = time.perf_counter()
    for start in range(0, len(donations), batch):
        with transaction.atomic():
            ledger._append(None, campaign, [(fields, None, None) for fields in donations[start : start + batch]])
    seconds = time.perf_counter() - started
    results.add(
        "publish",
        entries=len(donations),
        batch=batch,
        seconds=round(seconds, 1),
        entries_per_second=round(len(donations) / seconds),
    )


# --- The tree --------------------------------------------------------------------------------------


def _merkle(runs: int, results: Results) -> None:
    from doanket.funds import keys, ledger, merkle
    from doanket.funds.models import LedgerEntry

    leaves = [
        bytes(h)
        for h in LedgerEntry.objects.order_by("index").values_list("leaf", flat=True).iterator(chunk_size=20_000)
    ]
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        tree = merkle.Tree(leaves)
        samples.append(time.perf_counter() - started)
    results.add("build tree in memory", leaves=len(leaves), median_s=round(statistics.median(samples), 2))
    checkpoint = merkle.open_checkpoint(ledger.latest_checkpoint().note, keys.verifiers(), keys.origin())  # type: ignore[union-attr]
    assert tree.root() == checkpoint.root_hash, "the tree of the stored leaves is not the signed one"
    rng = random.Random(7)
    proving, verifying = [], []
    for _ in range(runs):
        index = rng.randrange(checkpoint.size)
        started = time.perf_counter()
        proof = ledger.inclusion(index)
        proving.append(time.perf_counter() - started)
        hashes = [bytes.fromhex(h) for h in proof["proof"]]
        started = time.perf_counter()
        assert merkle.verify_inclusion(leaves[index], index, checkpoint.size, hashes, checkpoint.root_hash)
        verifying.append(time.perf_counter() - started)
    results.add(
        "inclusion proof from tiles",
        runs=runs,
        median_ms=_ms(statistics.median(proving)),
        p99_ms=_ms(_percentile(proving, 0.99)),
        proof_hashes=len(hashes),
    )
    results.add("verify an inclusion proof", median_us=round(statistics.median(verifying) * 1e6, 1))
    started = time.perf_counter()
    size, problems = ledger.verify()
    results.add(
        "verify_ledger (whole log)",
        entries=size,
        problems=len(problems),
        seconds=round(time.perf_counter() - started, 1),
    )
    assert not problems, problems[:5]


# --- Searching -----------------------------------------------------------------------------------------


def _queries(donations: list[dict[str, Any]], count: int, seed: int) -> list[dict[str, str]]:
    """The searches donors make, drawn from what was published."""
    from doanket.core.text import fold

    rng = random.Random(seed)
    made: list[dict[str, str]] = []
    for n in range(count):
        d = donations[rng.randrange(len(donations))]
        day = dt.date.fromisoformat(d["date"]).strftime("%d/%m/%Y")
        money = f"{d['amount']:,}".replace(",", ".")
        kind = n % 6
        if kind == 0 and d["donor"]:
            made.append({"q": d["donor"]})  # the name as written
        elif kind == 1 and d["donor"]:
            made.append({"q": fold(d["donor"])})  # without accents
        elif kind == 2:
            made.append({"amount": money})
        elif kind == 3:
            made.append({"amount": money, "date_from": day, "date_to": day})
        elif kind == 4:
            words = [w for w in fold(d["description"]).split() if len(w) >= 4 and w.isalpha()]
            made.append({"q": " ".join(rng.sample(words, min(2, len(words))))} if words else {"amount": money})
        else:
            made.append({"q": fold(d["donor"]) if d["donor"] else "ung ho", "date_from": day})
    return made


def _server_time(campaign: Any, queries: list[dict[str, str]], results: Results) -> None:
    from django.core.cache import caches
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    path = f"/portal/funds/{campaign.pk}/"

    def get(query: dict[str, str]) -> tuple[int, bytes]:
        status: list[str] = []
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urllib.parse.urlencode(query),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": __import__("io").BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))  # type: ignore[arg-type]
        return int(status[0].split()[0]), body

    for query in queries[:20]:
        get(query)  # warm-up
    # Counted by a wrapper round each statement (CaptureQueriesContext reads the query log, which
    # Django empties when a request starts: it counted 0), on a search the cache does not hold.
    statements: list[str] = []

    def counted(execute: Any, sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    caches["pages"].clear()
    with connection.execute_wrapper(counted):
        get(queries[0])
    caches["pages"].clear()  # every timed search a miss, the warmed-up ones too
    samples, found = [], 0
    timed = []
    for query in queries:
        started = time.perf_counter()
        status, body = get(query)
        samples.append(time.perf_counter() - started)
        timed.append((samples[-1], query))
        assert status == 200, (query, status)
        found += body.count(b"data-check>") > 0
    results.add(
        "public search, server time",
        entries=campaign.entries.count(),
        searches=len(queries),
        found_something=found,
        median_ms=_ms(statistics.median(samples)),
        p99_ms=_ms(_percentile(samples, 0.99)),
        max_ms=_ms(max(samples)),
        queries=len(statements),
        slowest=[(_ms(seconds), query) for seconds, query in sorted(timed, key=lambda t: -t[0])[:5]],
    )


def _client(port: int, path: str, queries: list[dict[str, str]], seconds: float, out: Any) -> None:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    done = failed = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        conn.request("GET", f"{path}?{urllib.parse.urlencode(queries[done % len(queries)])}")
        response = conn.getresponse()
        response.read()
        done += 1
        failed += response.status != 200
    conn.close()
    out.put({"done": done, "failed": failed})


def _throughput(
    campaign: Any, queries: list[dict[str, str]], workers: int, clients: int, seconds: float, results: Results
) -> None:
    port = _free_port()
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
        env={**os.environ, "DOANKET_DEBUG": "0"},
        start_new_session=True,
    )
    path = f"/portal/funds/{campaign.pk}/"
    try:
        for _ in range(100):
            try:
                HTTPConnection("127.0.0.1", port, timeout=1).request("GET", path)
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(3)
        out: Any = multiprocessing.Queue()
        slices = [queries[i::clients] for i in range(clients)]
        processes = [
            multiprocessing.Process(target=_client, args=(port, path, slices[i], seconds, out)) for i in range(clients)
        ]
        for p in processes:
            p.start()
        totals = [out.get(timeout=seconds + 120) for _ in processes]
        for p in processes:
            p.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    done = sum(t["done"] for t in totals)
    results.add(
        "public search, throughput on loopback",
        per_second=round(done / seconds),
        searches=done,
        failed=sum(t["failed"] for t in totals),
        gunicorn_workers=workers,
        clients=clients,
        seconds=seconds,
    )


# --- Main -----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=2_000_000, help="entries to publish (2000000)")
    parser.add_argument("--batch", type=int, default=100_000, help="entries per publication (100000)")
    parser.add_argument("--runs", type=int, default=500, help="searches and proofs timed (500)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--clients", type=int, default=4, help="load-generating processes (4)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load test (20)")
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    parser.add_argument("--only", choices=["all", "search"], default="all", help="skip the Merkle numbers (all)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database and keys in DIR, and reuse the log found there (to time the searches again)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="doanket-bench-ledger-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results = Results()
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        print(f"Ledger bench: {args.entries:,} entries on {connection.vendor}", flush=True)
        campaign = _campaign()
        started = time.perf_counter()
        donations = _donations(args.entries, seed=11)
        results.add("generate donations", count=len(donations), seconds=round(time.perf_counter() - started, 1))
        if campaign.entries.count() == len(donations):
            print("Reusing the log kept in", tmp, flush=True)
        else:
            _publish(campaign, donations, args.batch, results)
        if args.only != "search":
            _merkle(args.runs, results)
        queries = _queries(donations, args.runs, seed=3)
        _server_time(campaign, queries, results)
        _throughput(campaign, queries, args.workers, args.clients, args.seconds, results)
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"ledger-{connection.vendor}-{dt.date.today():%Y-%m-%d}.json"
            machine = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
            out.write_text(
                json.dumps(
                    {"machine": machine, "args": vars(args), "results": results.rows}, indent=1, ensure_ascii=False
                )
            )
            print(f"Written to {out.relative_to(ROOT)}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
