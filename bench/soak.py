"""Load and soak: ``.venv/bin/python bench/soak.py`` (or ``make soak``, on a throwaway PostgreSQL).

A mixed workload against the app as it is deployed, for ``--seconds`` (600): ``gunicorn`` with
``--workers`` processes on a free loopback port and the task worker (``manage.py worker``), both
started here against the bench's database, and load-generating client processes on the same
machine, each with its own HTTP session (``requests``, one keep-alive connection):

- ``--officers`` (6) commune officers, each of their own commune, who log in through the login
  form (CSRF token, password; officers have no second factor) and then, in turn, save their
  commune's open monthly report as a draft (the form fetched, the figures posted with the
  revision it showed, the redirect followed and "Draft saved." looked for) and post a progress
  update on one of their commune's assignments (same: form, post, redirect, "Progress was
  recorded.");
- ``--citizens`` (3) citizens sending petitions on the portal to the officers' communes (the form
  fetched once for its CSRF token; each post followed to the page that shows the tracking code);
- ``--searchers`` (6) members of the public searching a campaign's public ledger
  (``/portal/funds/<pk>/``) with the mix of ``bench/ledger.py``: names with and without accents,
  amounts, days, words of the memo.

No think time: every client sends its next request when the last one is answered (a closed loop),
so the run measures what the machine serves, not a chosen rate.

Data: migrate, the demo (``load_demo``: Lào Cai and Lạng Sơn, 3,321 communes, reports since last
year), then for the bench: an officer per commune (``soak.officer<N>``) in the first communes that
have an open report of the demo's monthly schedule, ``--items`` (4) items of the demo province's
programme assigned to each of those communes (``programs.services.assign``), and a campaign with
``--ledger-entries`` (20,000) published donations (``bench/ledger.py``'s generator and publisher).

Every request is recorded with its latency and outcome. An error is a 5xx or a connection error
(or a timeout); a *refusal* is any other answer that is not what the page does when the action
works (a 4xx, a missing success message): both must be zero. Afterwards the writes are counted in
the database against what the clients saw succeed, per kind: ``lost`` = confirmed but not found,
``duplicated`` = found more than once (or more than confirmed), ``unconfirmed`` = found although
the client saw it fail. Report saves are counted by the report's ``revision`` (each save adds one)
and its audit entries, and its last figures must be the last confirmed save's; progress updates
and petitions carry a unique marker in their text and are counted one by one. The task worker's
queue must drain, with no failed task, and gunicorn's log must hold no traceback.

The rate limits of the portal (per address and per contact, ``PORTAL_SUBMISSIONS_PER_*``) are
raised for the bench's server: every citizen here comes from 127.0.0.1. The honeypot field stays
empty, as a person leaves it. Nothing else is changed in the settings (``DEBUG`` off).

Uses its own database (see bench/run.py): a fresh SQLite file in a temporary folder, or
``DATABASE_URL`` (``scripts/pg_throwaway.sh .venv/bin/python bench/soak.py``), refused when it
holds data from elsewhere. Prints a summary and writes ``bench/results/soak-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.petitions import Results, _free_port  # noqa: E402 - the same printer and port finder
from bench.run import configure  # noqa: E402

PASSWORD = "Soak@2026-officers"  # noqa: S105 - the bench's own throwaway accounts
OFFICER_PREFIX = "soak.officer"
MONTHLY_FORM = "cong-tac-mat-tran-thang"  # the demo's monthly report of the communes
DRAFT_SAVED = "Đã lưu nháp."  # "Draft saved." as the pages show it
PROGRESS_RECORDED = "Đã cập nhật tiến độ."  # "Progress was recorded."
WRITES = ("report_save", "task_update", "petition")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
TRACKING_CODE = re.compile(r'data-testid="tracking-code">([^<]+)<')


def percentile(samples: list[float], q: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else 0.0


# --- The data ------------------------------------------------------------------------------------


@dataclass
class Officer:
    username: str
    commune: int  # unit pk
    report: int  # the open report of the monthly schedule
    revision: int  # its revision before the run
    assignments: list[tuple[int, int]]  # (assignment pk, item pk)


@dataclass
class World:
    officers: list[Officer]
    codes: list[str]  # the integer indicators a save fills (none is part of a sum)
    places: list[tuple[int, int, int | str]]  # (province, commune, village) where petitions go
    campaign: int
    queries: list[dict[str, str]]
    ledger_entries: int
    setup: dict[str, float] = field(default_factory=dict)


def prepare(officers: int, items: int, ledger_entries: int, demo: bool = True, form: str = MONTHLY_FORM) -> World:
    """Migrate, load the demo, add the bench's officers, assignments and ledger. ``demo=False``
    (the smoke test): the database is migrated and holds a province with communes, a schedule of
    ``form`` for them with open reports, and a programme of the province."""
    from django.core.management import call_command

    from bench import ledger as ledger_bench
    from doanket.accounts.models import Role, User
    from doanket.accounts.services import grant_role
    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.programs import services as programs
    from doanket.programs.models import Item, Program
    from doanket.reporting import services as reporting
    from doanket.reporting.models import IndicatorType, Report, Status
    from doanket.reporting.models import Schedule as ReportSchedule

    timings: dict[str, float] = {}
    started = time.perf_counter()
    if demo:
        call_command("migrate", verbosity=0, interactive=False)
        if User.objects.filter(username__startswith=OFFICER_PREFIX).exists():
            call_command("flush", verbosity=0, interactive=False)  # an earlier soak's database: start again
        elif Unit.objects.exists():
            raise SystemExit("soak: the database at DATABASE_URL holds other data: point it at a throwaway database.")
        timings["migrate"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        from doanket.demo.loader import load_demo

        load_demo()
        timings["load_demo"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()

    schedule = ReportSchedule.objects.select_related("form").get(form__code=form, unit__level=Level.PROVINCE)
    editable = [Status.NOT_STARTED, Status.DRAFT, Status.RETURNED]
    reports = (
        Report.objects.filter(schedule=schedule, status__in=editable, unit__level=Level.COMMUNE)
        .select_related("unit__parent", "version")
        .order_by("-period_start", "unit__path")
    )
    chosen: list[Report] = []
    for report in reports:
        if all(r.unit_id != report.unit_id for r in chosen):
            chosen.append(report)
        if len(chosen) == officers:
            break
    if len(chosen) < officers:
        raise SystemExit(f"soak: only {len(chosen)} communes have an open monthly report")
    indicators = reporting.indicators_of(chosen[0].version)
    in_sums = {part for i in indicators for part in i.sum_of}
    codes = [i.code for i in indicators if i.type == IndicatorType.INTEGER and not i.sum_of and i.code not in in_sums]

    province = chosen[0].unit.parent
    assert province is not None
    program = Program.objects.filter(unit=province).order_by("pk").first()
    assert program is not None, "the demo province has a programme"
    picked = list(Item.objects.filter(program=program).order_by("position")[:items])
    made: list[Officer] = []
    for n, report in enumerate(chosen, start=1):
        user = User.objects.create_user(f"{OFFICER_PREFIX}{n}", password=PASSWORD, full_name=f"Soak officer {n}")
        grant_role(None, user, report.unit, Role.OFFICER)
        due = dt.date.today() + dt.timedelta(days=30)
        assignments = [(programs.assign(None, item, report.unit, due_date=due)[0].pk, item.pk) for item in picked]
        made.append(Officer(user.username, report.unit_id, report.pk, report.revision, assignments))

    places: list[tuple[int, int, int | str]] = []
    for officer in made:
        village = Unit.objects.filter(parent_id=officer.commune, kind=UnitKind.VILLAGE_BOARD).order_by("path").first()
        places.append((province.pk, officer.commune, village.pk if village else ""))
    timings["officers_and_assignments"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    campaign = ledger_bench._campaign()
    donations = ledger_bench._donations(ledger_entries, seed=11)
    ledger_bench._publish(campaign, donations, min(10_000, ledger_entries), Results())
    queries = ledger_bench._queries(donations, 2_000, seed=3)
    timings["ledger"] = round(time.perf_counter() - started, 1)
    from bench.national import analyze

    analyze()
    return World(made, codes, places, campaign.pk, queries, ledger_entries, timings)


# --- The clients ---------------------------------------------------------------------------------


class Recorder:
    """Every request of one client: (kind, start second, latency ms, status, outcome)."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.rows: list[tuple[str, float, float, int, str]] = []
        self.confirmed: list[tuple[str, str]] = []  # (kind, key) of each write the client saw succeed

    def request(self, session: Any, kind: str, method: str, url: str, ok: Any = None, **kwargs: Any) -> Any:
        """One request; returns the response when it worked, None otherwise. ``ok(response)`` says
        whether the answer is the one the action gives when it works."""
        import requests

        begin = time.perf_counter()
        try:
            response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            self.rows.append((kind, begin - self.started, (time.perf_counter() - begin) * 1000, 0, f"error: {exc}"))
            return None
        latency = (time.perf_counter() - begin) * 1000
        if response.status_code >= 500:
            outcome = f"error: {response.status_code}"
        elif ok is not None and not ok(response):
            outcome = f"refused: {response.status_code}"
        elif ok is None and response.status_code != 200:
            outcome = f"refused: {response.status_code}"
        else:
            outcome = "ok"
        self.rows.append((kind, begin - self.started, latency, response.status_code, outcome))
        return response if outcome == "ok" else None


def _redirected(response: Any) -> bool:
    return response.status_code == 302


def _token(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def _officer(base: str, officer: Officer, codes: list[str], rec: Recorder, deadline: float) -> None:
    import requests

    session = requests.Session()
    page = rec.request(session, "login_form", "GET", f"{base}/accounts/login/")
    if page is None:
        return
    logged = rec.request(
        session,
        "login",
        "POST",
        f"{base}/accounts/login/",
        ok=lambda r: r.status_code == 302 and "sessionid" in session.cookies,
        data={"username": officer.username, "password": PASSWORD, "csrfmiddlewaretoken": _token(page.text)},
    )
    if logged is None:
        return
    seq = 0
    while time.perf_counter() < deadline:
        seq += 1
        if seq % 2:
            form = rec.request(session, "report_form", "GET", f"{base}/reports/{officer.report}/")
            if form is None:
                continue
            revision = REVISION.search(form.text)
            data = {"csrfmiddlewaretoken": _token(form.text), "action": "save"}
            data["revision"] = revision.group(1) if revision else ""
            data.update({f"v_{code}": str(seq) for code in codes})
            saved = rec.request(
                session, "report_save", "POST", f"{base}/reports/{officer.report}/", _redirected, data=data
            )
            if saved is None:
                continue
            shown = rec.request(
                session, "report_page", "GET", base + saved.headers["Location"], ok=lambda r: DRAFT_SAVED in r.text
            )
            if shown is not None:
                rec.confirmed.append(("report_save", f"{officer.report}:{seq}"))
        else:
            assignment, item = officer.assignments[(seq // 2) % len(officer.assignments)]
            form = rec.request(session, "item_page", "GET", f"{base}/programs/items/{item}/")
            if form is None:
                continue
            text = f"Soak: {officer.username} lần {seq}"
            posted = rec.request(
                session,
                "task_update",
                "POST",
                f"{base}/programs/assignments/{assignment}/update/",
                _redirected,
                data={"csrfmiddlewaretoken": _token(form.text), "text": text, "progress": str(1 + seq % 99)},
            )
            if posted is None:
                continue
            shown = rec.request(
                session,
                "item_page_after",
                "GET",
                base + posted.headers["Location"],
                ok=lambda r: PROGRESS_RECORDED in r.text,
            )
            if shown is not None:
                rec.confirmed.append(("task_update", text))


def _citizen(base: str, index: int, places: list[tuple[int, int, int | str]], rec: Recorder, deadline: float) -> None:
    import requests

    from doanket.demo.opinions import opinions

    texts = list(opinions(200, seed=100 + index))
    session = requests.Session()
    form = rec.request(session, "petition_form", "GET", f"{base}/portal/petitions/new")
    if form is None:
        return
    token = _token(form.text)
    seq = 0
    while time.perf_counter() < deadline:
        seq += 1
        opinion = texts[seq % len(texts)]
        province, commune, village = places[(index + seq) % len(places)]
        marker = f"[soak {index}-{seq}]"
        sent = rec.request(
            session,
            "petition",
            "POST",
            f"{base}/portal/petitions/new",
            _redirected,
            data={
                "csrfmiddlewaretoken": token,
                "level": "commune",
                "kind": "petition",
                "province": province,
                "commune": commune,
                "village": village,
                "title": opinion.title,
                "content": f"{opinion.content}\n{marker}",
                "sender_name": "",
                "sender_phone": "",
                "sender_email": "",
                "website": "",
                "consent": "on",  # the citizen ticks the consent to the use of the data
            },
        )
        if sent is None:
            continue
        shown = rec.request(
            session, "petition_sent", "GET", base + sent.headers["Location"], ok=lambda r: TRACKING_CODE.search(r.text)
        )
        if shown is not None:
            code = TRACKING_CODE.search(shown.text)
            assert code is not None
            rec.confirmed.append(("petition", f"{code.group(1).strip()} {marker}"))


def _searcher(
    base: str, index: int, campaign: int, queries: list[dict[str, str]], rec: Recorder, deadline: float
) -> None:
    import requests

    session = requests.Session()
    seq = index * 7919
    while time.perf_counter() < deadline:
        seq += 1
        rec.request(
            session, "ledger_search", "GET", f"{base}/portal/funds/{campaign}/", params=queries[seq % len(queries)]
        )


def client(role: str, index: int, base: str, world: dict[str, Any], started: float, seconds: float, out: Any) -> None:
    """One load-generating process; puts its recorder's rows and confirmed writes on ``out``."""
    rec = Recorder(started)
    deadline = started + seconds
    try:
        if role == "officer":
            _officer(base, Officer(**world["officers"][index]), world["codes"], rec, deadline)
        elif role == "citizen":
            _citizen(base, index, [tuple(p) for p in world["places"]], rec, deadline)
        else:
            _searcher(base, index, world["campaign"], world["queries"], rec, deadline)
    except Exception as exc:  # noqa: BLE001 - a crash of the client is reported, not hidden
        rec.rows.append((f"{role}_client", time.perf_counter() - started, 0.0, 0, f"error: client crashed: {exc!r}"))
    out.put({"role": role, "index": index, "rows": rec.rows, "confirmed": rec.confirmed})


# --- The server ----------------------------------------------------------------------------------


class Server:
    """gunicorn (``workers`` processes) and the task worker, each in its own process group."""

    def __init__(self, workers: int, log_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PORTAL_SUBMISSIONS_PER_ADDRESS_PER_HOUR": "100000000",
            "PORTAL_SUBMISSIONS_PER_CONTACT_PER_HOUR": "100000000",
            "DOANKET_DEBUG": "0",
        }
        self.logs = {name: (log_dir / f"{name}.log").open("w") for name in ("gunicorn", "worker")}
        gunicorn = [sys.executable, "-m", "gunicorn", "doanket.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        gunicorn += ["--workers", str(workers), "--log-level", "warning"]
        self.processes = [
            subprocess.Popen(  # noqa: S603 - our own gunicorn
                gunicorn,
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=self.logs["gunicorn"],
                stderr=subprocess.STDOUT,
            ),
            subprocess.Popen(
                [sys.executable, "manage.py", "worker"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=self.logs["worker"],
                stderr=subprocess.STDOUT,
            ),
        ]
        for _ in range(150):
            try:
                conn = HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("soak: gunicorn did not start")
        time.sleep(3)  # the other workers finish loading the app

    def cpu_seconds(self) -> float:
        """User + system CPU time so far of gunicorn (master and workers) and the task worker."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        pending = [p.pid for p in self.processes]
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pending += [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue  # ended meanwhile
        return total / tick

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs.values():
            log.close()


def drive(
    world: World, base: str, officers: int, citizens: int, searchers: int, seconds: float
) -> list[dict[str, Any]]:
    """The clients, started together; their recordings."""
    plain = asdict(world)
    roles = [("officer", i) for i in range(officers)] + [("citizen", i) for i in range(citizens)]
    roles += [("searcher", i) for i in range(searchers)]
    out: Any = multiprocessing.Queue()
    started = time.perf_counter() + 1  # every process is up before the clock starts
    processes = [
        multiprocessing.Process(target=client, args=(role, i, base, plain, started, seconds, out)) for role, i in roles
    ]
    for p in processes:
        p.start()
    recordings = [out.get(timeout=seconds + 300) for _ in processes]
    for p in processes:
        p.join()
    return recordings


def drain_tasks(timeout: float = 120) -> dict[str, int]:
    """Wait for the worker to finish what the run enqueued; the tasks by status."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not (DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()):
            break
        time.sleep(1)
    return dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by("status"))


# --- Counting --------------------------------------------------------------------------------------


def count_writes(world: World, recordings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per write kind: confirmed by the clients, found in the database, lost, duplicated, unconfirmed."""
    from doanket.core.models import AuditEntry
    from doanket.petitions.models import Petition
    from doanket.programs.models import ProgressUpdate
    from doanket.reporting.models import Report

    confirmed: dict[str, list[str]] = defaultdict(list)
    attempted: Counter[str] = Counter()
    for recording in recordings:
        for kind, key in recording["confirmed"]:
            confirmed[kind].append(key)
        for row in recording["rows"]:
            if row[0] in WRITES:
                attempted[row[0]] += 1
    counts: dict[str, dict[str, int]] = {}

    # Report saves: one revision and one audit entry each; the last confirmed figures are kept.
    saves: Counter[int] = Counter(int(key.split(":")[0]) for key in confirmed["report_save"])
    last: dict[int, int] = {}
    for key in confirmed["report_save"]:
        report_pk, seq = map(int, key.split(":"))
        last[report_pk] = max(last.get(report_pk, 0), seq)
    lost = duplicated = stale = audited = found_total = 0
    for officer in world.officers:
        report = Report.objects.get(pk=officer.report)
        found = report.revision - officer.revision
        expected = saves[officer.report]
        found_total += found
        lost += max(0, expected - found)
        duplicated += max(0, found - expected)
        audited += AuditEntry.objects.filter(
            model="reporting.report", object_id=str(officer.report), actor__username=officer.username
        ).count()
        if expected and any(report.values.get(code) != last[officer.report] for code in world.codes):
            stale += 1
    counts["report_save"] = {
        "attempted": attempted["report_save"],
        "confirmed": len(confirmed["report_save"]),
        "found": found_total,
        "lost": lost,
        "duplicated": duplicated,
        "audit_entries": audited,
        "reports_not_holding_the_last_save": stale,
    }

    texts = Counter(ProgressUpdate.objects.filter(text__startswith="Soak: ").values_list("text", flat=True).iterator())
    counts["task_update"] = _one_by_one(attempted["task_update"], confirmed["task_update"], texts)

    markers: Counter[str] = Counter()
    for code, content in Petition.objects.filter(content__contains="[soak ").values_list("code", "content").iterator():
        marker = content.rsplit("\n", 1)[-1]
        markers[f"{code} {marker}"] += 1
    counts["petition"] = _one_by_one(attempted["petition"], confirmed["petition"], markers)
    return counts


def _one_by_one(attempted: int, confirmed: list[str], found: Counter[str]) -> dict[str, int]:
    expected = Counter(confirmed)
    return {
        "attempted": attempted,
        "confirmed": len(confirmed),
        "found": sum(found.values()),
        "lost": sum(max(0, n - found[key]) for key, n in expected.items()),
        "duplicated": sum(max(0, n - max(1, expected[key])) for key, n in found.items()),
        "unconfirmed": sum(n for key, n in found.items() if key not in expected),
    }


def latencies(recordings: list[dict[str, Any]], seconds: float) -> dict[str, dict[str, Any]]:
    """Per kind of request: count, errors, refusals, per second, p50/p95/p99/max (ms), and the
    p95 of each minute (does it drift as the tables grow?)."""
    by_kind: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for recording in recordings:
        for kind, at, ms, _status, outcome in recording["rows"]:
            by_kind[kind].append((at, ms, outcome))
    table: dict[str, dict[str, Any]] = {}
    everything: list[float] = []
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        ms = [r[1] for r in rows]
        everything += ms
        minutes: dict[int, list[float]] = defaultdict(list)
        for at, latency, _outcome in rows:
            minutes[int(at // 60)].append(latency)
        table[kind] = _stats(ms, seconds)
        table[kind]["errors"] = sum(r[2].startswith("error") for r in rows)
        table[kind]["refused"] = sum(r[2].startswith("refused") for r in rows)
        table[kind]["p95_by_minute_ms"] = [round(percentile(minutes[m], 0.95), 1) for m in sorted(minutes)]
        examples = sorted({r[2] for r in rows if r[2] != "ok"})[:5]
        if examples:
            table[kind]["examples"] = examples
    table["all requests"] = _stats(everything, seconds)
    table["all requests"]["errors"] = sum(t["errors"] for k, t in table.items() if k != "all requests")
    table["all requests"]["refused"] = sum(t["refused"] for k, t in table.items() if k != "all requests")
    return table


def _stats(ms: list[float], seconds: float) -> dict[str, Any]:
    return {
        "requests": len(ms),
        "per_second": round(len(ms) / seconds, 1),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms, default=0.0), 1),
    }


def _tracebacks(log_dir: Path) -> int:
    return sum(
        (log_dir / f"{name}.log").read_text(errors="replace").count("Traceback") for name in ("gunicorn", "worker")
    )


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def soak(
    world: World, workers: int, officers: int, citizens: int, searchers: int, seconds: float, log_dir: Path
) -> dict[str, Any]:
    """Serve, drive, stop, count. Returns the report (``ok`` says whether it held)."""
    from django.db import connections

    connections.close_all()  # the server's processes and the clients must not share ours
    before = _uptime()
    server = Server(workers, log_dir)
    try:
        start_cpu = server.cpu_seconds()  # loaded and serving: the start-up is not counted
        recordings = drive(world, server.base, officers, citizens, searchers, seconds)
        server_cpu = server.cpu_seconds() - start_cpu
        tasks = drain_tasks()
    finally:
        server.stop()
    after = _uptime()
    requests = latencies(recordings, seconds)
    writes = count_writes(world, recordings)
    tracebacks = _tracebacks(log_dir)
    failed_tasks = tasks.get("FAILED", 0)
    ok = (
        requests["all requests"]["errors"] == 0
        and requests["all requests"]["refused"] == 0
        and all(w["lost"] == 0 and w["duplicated"] == 0 and w.get("unconfirmed", 0) == 0 for w in writes.values())
        and writes["report_save"]["reports_not_holding_the_last_save"] == 0
        and writes["report_save"]["audit_entries"] >= writes["report_save"]["found"]
        and failed_tasks == 0
        and tracebacks == 0
    )
    return {
        "ok": ok,
        "seconds": seconds,
        "gunicorn_workers": workers,
        "clients": {"officers": officers, "citizens": citizens, "searchers": searchers},
        "uptime_before": before,
        "uptime_after": after,
        "requests": requests,
        "writes": writes,
        "tasks": tasks,
        "tracebacks_in_logs": tracebacks,
        "server_cpu_seconds": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, requests["all requests"]["requests"]), 1),
    }


def summary(report: dict[str, Any]) -> str:
    lines = [
        f"Soak: {report['seconds']:.0f} s, gunicorn workers {report['gunicorn_workers']}, clients {report['clients']}",
        f"  before: {report['uptime_before']}",
        f"  after:  {report['uptime_after']}",
        "",
        "| requests | count | per s | p50 ms | p95 ms | p99 ms | max ms | errors | refused |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, s in report["requests"].items():
        lines.append(
            f"| {kind} | {s['requests']} | {s['per_second']} | {s['p50_ms']} | {s['p95_ms']} | {s['p99_ms']} "
            f"| {s['max_ms']} | {s['errors']} | {s['refused']} |"
        )
    lines += [
        "",
        "| writes | attempted | confirmed | found | lost | duplicated | unconfirmed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, w in report["writes"].items():
        lines.append(
            f"| {kind} | {w['attempted']} | {w['confirmed']} | {w['found']} | {w['lost']} | {w['duplicated']} "
            f"| {w.get('unconfirmed', '–')} |"
        )
    saves = report["writes"]["report_save"]
    lines += [
        "",
        f"report saves: {saves['audit_entries']} audit entries, "
        f"{saves['reports_not_holding_the_last_save']} reports not holding their last confirmed figures",
        f"tasks by status: {report['tasks']}; tracebacks in the server's logs: {report['tracebacks_in_logs']}",
        f"CPU of gunicorn and the worker during the load: {report['server_cpu_seconds']} s, "
        f"{report['server_cpu_ms_per_request']} ms a request (PostgreSQL's not counted)",
        f"held: {'yes' if report['ok'] else 'NO'}",
    ]
    return "\n".join(lines)


# --- Main -----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600, help="length of the load (600)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (4)")
    parser.add_argument("--officers", type=int, default=6, help="officer clients, one commune each (6)")
    parser.add_argument("--citizens", type=int, default=3, help="citizen clients sending petitions (3)")
    parser.add_argument("--searchers", type=int, default=6, help="clients searching the public ledger (6)")
    parser.add_argument("--items", type=int, default=4, help="programme items assigned to each commune (4)")
    parser.add_argument("--ledger-entries", type=int, default=20_000, help="donations published (20000)")
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-soak-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        from bench.national import engine_version, machine

        print(f"Soak on {engine_version()}: preparing the data", flush=True)
        world = prepare(args.officers, args.items, args.ledger_entries)
        print(f"  ready: {world.setup}", flush=True)
        print(f"Driving {args.seconds:.0f} s ...", flush=True)
        report = soak(world, args.workers, args.officers, args.citizens, args.searchers, args.seconds, tmp)
        print(summary(report), flush=True)
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"soak-{connection.vendor}-{dt.date.today():%Y-%m-%d}.json"
            meta = {"machine": machine(), "args": vars(args), "setup_seconds": world.setup}
            out.write_text(json.dumps({"meta": meta, **report}, ensure_ascii=False, indent=1))
            print(f"written: {out.relative_to(ROOT)}")
        return 0 if report["ok"] else 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
