"""Periodic-reporting benchmark: ``.venv/bin/python bench/reporting.py`` (or ``make bench-reporting``).

The national data set of the reporting issue: the whole tree (central + 34 provinces + 3,321
communes + ~100,000 village boards), one form of 30 indicators, a weekly schedule at the central
unit for every village board and a year (52 weeks) of reports, bulk-inserted (not through the
services), most of them approved, a few percent late or missing, and the roll-up cells of every
week.

Measures (median and p95 of ``--runs`` runs, SQL queries of one run): the country-wide and a
province's roll-up (``rollup.table`` and the page), a commune's, the dashboard, the missing-reports
page, the same roll-up computed the naive way (a query per commune, summed in Python), and how long
an approval takes to reach the country's cell. Goals: country page under 50 ms, province page under
20 ms, the same number of queries at every level, an approval counted within 1 s.

Uses its own database (see bench/run.py): a fresh SQLite file in a temporary folder, or
``DATABASE_URL`` (``scripts/pg_throwaway.sh .venv/bin/python bench/reporting.py``). Prints a
Markdown table and writes ``bench/results/reporting-<engine>-<date>.json``.

The figures of the last ``--generated-weeks`` weeks (8) are drawn at random and their cells built
by ``services.rebuild``; the earlier weeks of the year get copies of those reports (dates moved by
whole weeks) and cells, and one copied week is rebuilt from its reports and compared, so the year
is complete (5.2 million reports) without eight hours of rebuilding. ``--report-weeks N`` keeps
reports for the last N weeks only (cells alone before them) for quick runs. The output says exactly
what was generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402

if TYPE_CHECKING:
    from django.test import Client

    from bench.national import Actors
    from doanket.organizations.models import Unit
    from doanket.reporting.models import Indicator, Schedule

# --- The form ------------------------------------------------------------------------------------
# (code, label, type, roll-up, measure, key indicator); 30 indicators in four sections.
Spec = tuple[str, str, str, str, str, bool]
SECTIONS: list[tuple[str, str, list[Spec]]] = [
    (
        "I",
        "Tập hợp, đoàn kết Nhân dân",
        [
            ("ho-dan", "Số hộ dân trên địa bàn", "integer", "sum", "hộ", False),
            ("nhan-khau", "Số nhân khẩu", "integer", "sum", "người", False),
            ("cuoc-hop", "Số cuộc họp khu dân cư", "integer", "sum", "cuộc", False),
            ("nguoi-du-hop", "Số lượt người dự họp", "integer", "sum", "lượt", False),
            ("y-kien", "Số ý kiến, kiến nghị của Nhân dân tiếp nhận", "integer", "sum", "ý kiến", True),
            ("y-kien-giai-quyet", "Số ý kiến, kiến nghị đã được giải quyết", "integer", "sum", "ý kiến", False),
            ("hoa-giai", "Số vụ hòa giải thành", "integer", "sum", "vụ", False),
            ("ho-ngheo-ho-tro", "Số hộ nghèo, hộ cận nghèo được hỗ trợ", "integer", "sum", "hộ", True),
            ("nha-dai-doan-ket", "Số nhà Đại đoàn kết khởi công", "integer", "sum", "căn", False),
            ("tuyen-truyen", "Số buổi tuyên truyền, phổ biến pháp luật", "integer", "sum", "buổi", False),
            ("giam-sat", "Số cuộc giám sát của Ban Thanh tra nhân dân", "integer", "sum", "cuộc", False),
            ("tinh-nguyen", "Số lượt người tham gia lao động tình nguyện", "integer", "sum", "lượt", False),
        ],
    ),
    (
        "II",
        "Vận động, an sinh xã hội",
        [
            ("quy-vi-nguoi-ngheo", "Quỹ “Vì người nghèo” vận động được", "money", "sum", "đồng", False),
            ("ung-ho-thien-tai", "Ủng hộ đồng bào bị thiên tai", "money", "sum", "đồng", False),
            ("hoc-bong", "Học bổng, khuyến học", "money", "sum", "đồng", False),
            ("qua-tet", "Quà tặng hộ nghèo, gia đình chính sách", "money", "sum", "đồng", False),
            ("van-dong-khac", "Vận động khác", "money", "sum", "đồng", False),
            ("tong-van-dong", "Tổng giá trị vận động", "money", "sum", "đồng", True),
        ],
    ),
    (
        "III",
        "Chất lượng phong trào",
        [
            ("ty-le-ho-van-hoa", "Tỷ lệ hộ gia đình văn hóa", "percent", "avg", "%", False),
            ("ty-le-bhyt", "Tỷ lệ người dân có bảo hiểm y tế", "percent", "avg", "%", False),
            ("ty-le-ho-ngheo", "Tỷ lệ hộ nghèo", "percent", "avg", "%", False),
            ("ty-le-du-hop", "Tỷ lệ hộ dự họp khu dân cư", "percent", "avg", "%", False),
            ("ty-le-phan-loai-rac", "Tỷ lệ hộ phân loại rác tại nguồn", "percent", "avg", "%", False),
            ("ty-le-giai-quyet", "Tỷ lệ ý kiến được giải quyết", "percent", "avg", "%", True),
        ],
    ),
    (
        "IV",
        "Tình hình địa bàn",
        [
            ("co-hoi-nghi", "Có tổ chức hội nghị, sinh hoạt", "boolean", "sum", "", False),
            ("co-su-co", "Có sự việc phức tạp về an ninh, trật tự", "boolean", "sum", "", True),
            ("co-giam-sat", "Có hoạt động giám sát", "boolean", "sum", "", False),
            ("co-ngay-hoi", "Có tổ chức Ngày hội Đại đoàn kết", "boolean", "sum", "", False),
            ("ngay-cong", "Số ngày công lao động tình nguyện bình quân", "integer", "avg", "ngày", False),
            ("dong-nhat", "Số người dự sinh hoạt đông nhất", "integer", "max", "người", False),
        ],
    ),
]
MONEY_PARTS = ["quy-vi-nguoi-ngheo", "ung-ho-thien-tai", "hoc-bong", "qua-tet", "van-dong-khac"]
FORM_CODE = "bao-cao-tuan-ban-cong-tac"
DUE_DAYS_AFTER_END = 2  # due on the Tuesday after the week

# Share of the reports of a week in each state (the rest: approved, submitted on time).
P_NOT_STARTED = 0.03
P_DRAFT = 0.01  # started, never submitted: missing too
P_SUBMITTED = 0.015  # waiting for the commune's approval
P_RETURNED = 0.005
P_LATE = 0.04  # of the approved: submitted after the due date

# The columns of Report written by the bulk insert (checked against the model at run time).
COLUMNS = [
    "schedule_id",
    "version_id",
    "unit_id",
    "period",
    "period_start",
    "period_end",
    "due_date",
    "status",
    "values",
    "revision",
    "first_submitted_at",
    "submitted_at",
    "submitted_by_id",
    "reviewed_at",
    "reviewed_by_id",
    "review_comment",
    "correction_reason",
    "approved_values",
    "approved_number",
    "approved_at",
    "updated_at",
]
JSON_COLUMNS = {"values", "approved_values"}
INSERT_CHUNK = 5_000

GOALS_MS = {
    "page:rollup:country": 50.0,
    "page:rollup:province": 20.0,
    "page:rollup-rendered:country": 50.0,
    "page:rollup-rendered:province": 20.0,
}
APPROVAL_GOAL_MS = 1000.0


@dataclass
class Result:
    key: str
    label: str
    kind: str  # "service", "page", "naive" or "write"
    runs: int
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    target: str = ""
    goal_ms: float | None = None
    ratio: float | None = None  # naive / materialised (on the naive rows)
    error: str = ""


@dataclass
class Dataset:
    villages: int = 0
    weeks: list[str] = field(default_factory=list)
    report_weeks: list[str] = field(default_factory=list)  # weeks generated (figures drawn, cells rebuilt)
    copied_report_weeks: dict[str, str] = field(default_factory=dict)  # week -> generated week its reports copy
    copied_cell_weeks: dict[str, str] = field(default_factory=dict)  # week -> week copied from
    checked_copy: dict[str, Any] = field(default_factory=dict)  # a copied week's cells rebuilt and compared
    reports: int = 0
    cells: int = 0
    measured_week: str = ""
    measured_week_states: dict[str, int] = field(default_factory=dict)
    database_bytes: int | None = None
    opened_week: dict[str, Any] = field(default_factory=dict)  # services.open_period at the end


# --- Timing --------------------------------------------------------------------------------------


def timed(
    key: str,
    label: str,
    kind: str,
    fn: Callable[[], object],
    runs: int,
    target: str = "",
    warmup: int = 3,
    goal_ms: float | None = None,
    before: Callable[[], object] | None = None,
) -> Result:
    """Warm-up runs, one run under ``CaptureQueriesContext`` for the query count, then ``runs``
    timed runs (as ``bench.national.measure``). ``before`` runs before each run, outside the
    time (emptying the cache). A failure is recorded, not raised."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.national import p95

    result = Result(key=key, label=label, kind=kind, runs=runs, target=target, goal_ms=goal_ms)
    try:
        for _ in range(warmup):
            fn()
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            fn()
        result.queries = len(captured.captured_queries)
        samples = []
        for _ in range(runs):
            if before:
                before()
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    except Exception as exc:  # noqa: BLE001 — a page whose template is not written yet: say so, go on
        result.error = f"{type(exc).__name__}: {str(exc)[:200]}"
        progress(f"  {label.strip()}: {result.error}")
        return result
    result.median_ms = round(statistics.median(samples), 3)
    result.p95_ms = round(p95(samples), 3)
    progress(f"  {label.strip()}: median {result.median_ms:,.1f} ms, {result.queries} queries")
    return result


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- Generating the data set ---------------------------------------------------------------------


def make_form(central: Unit) -> Any:
    from doanket.reporting import services

    sections = [
        {
            "number": number,
            "title": title,
            "indicators": [
                {
                    "code": code,
                    "label": label,
                    "type": kind,
                    "rollup": rollup,
                    "measure": measure,
                    "key": key,
                    **({"min_value": 0} if kind in ("integer", "money") else {}),
                    **({"sum_of": MONEY_PARTS} if code == "tong-van-dong" else {}),
                }
                for code, label, kind, rollup, measure, key in specs
            ],
        }
        for number, title, specs in SECTIONS
    ]
    return services.create_form(None, central, FORM_CODE, "Báo cáo tuần của Ban công tác Mặt trận", sections)


def make_schedule(central: Unit, version: Any, first_monday: dt.date) -> Schedule:
    from doanket.organizations.models import Level, UnitKind
    from doanket.reporting import services
    from doanket.reporting.models import Schedule
    from doanket.reporting.periods import DueRule, Frequency

    return services.create_schedule(
        None,
        Schedule(
            unit=central,
            form=version.form,
            name="Báo cáo tuần của các Ban công tác Mặt trận",
            level=Level.VILLAGE,
            kind=UnitKind.VILLAGE_BOARD,
            frequency=Frequency.WEEKLY,
            due_rule=DueRule.DAYS_AFTER_END,
            due_day=DUE_DAYS_AFTER_END,
            starts=first_monday,
        ),
    )


def village_values(rng: random.Random, households: int) -> dict[str, Any]:
    """One week's figures of a village of ``households`` households (the sums add up)."""
    r, ri = rng.random, rng.randint
    y_kien = ri(0, 8)
    money = {code: ri(0, top) * 10_000 for code, top in zip(MONEY_PARTS, (500, 300, 200, 150, 100), strict=True)}
    meetings = ri(0, 3)
    return {
        "ho-dan": households,
        "nhan-khau": households * 4 + ri(-20, 20),
        "cuoc-hop": meetings,
        "nguoi-du-hop": meetings * ri(20, 90),
        "y-kien": y_kien,
        "y-kien-giai-quyet": ri(0, y_kien),
        "hoa-giai": ri(0, 2),
        "ho-ngheo-ho-tro": ri(0, 6),
        "nha-dai-doan-ket": 1 if r() < 0.02 else 0,
        "tuyen-truyen": ri(0, 3),
        "giam-sat": 1 if r() < 0.15 else 0,
        "tinh-nguyen": ri(0, 80),
        **money,
        "tong-van-dong": sum(money.values()),
        "ty-le-ho-van-hoa": round(80 + r() * 20, 1),
        "ty-le-bhyt": round(85 + r() * 15, 1),
        "ty-le-ho-ngheo": round(r() * 15, 1),
        "ty-le-du-hop": round(40 + r() * 55, 1),
        "ty-le-phan-loai-rac": round(10 + r() * 80, 1),
        "ty-le-giai-quyet": round(50 + r() * 50, 1),
        "co-hoi-nghi": r() < 0.7,
        "co-su-co": r() < 0.05,
        "co-giam-sat": r() < 0.4,
        "co-ngay-hoi": r() < 0.1,
        "ngay-cong": ri(0, 40),
        "dong-nhat": ri(20, 300),
    }


def as_typed(values: dict[str, Any]) -> dict[str, str]:
    """Figures as an officer types them (what ``services.submit`` takes)."""
    raw = {}
    for code, value in values.items():
        if isinstance(value, bool):
            raw[code] = "có" if value else "không"
        elif isinstance(value, float):
            raw[code] = f"{value}".replace(".", ",")
        else:
            raw[code] = f"{value:,}".replace(",", ".")
    return raw


def weeks_due_before(count: int, today: dt.date) -> list[Any]:
    """``count`` weeks ending with the last one whose reports were due before ``today``."""
    from doanket.reporting import periods

    last = periods.period_of(periods.Frequency.WEEKLY, today - dt.timedelta(days=7 + DUE_DAYS_AFTER_END))
    found = [last]
    while len(found) < count:
        before = periods.previous(found[-1])
        assert before is not None
        found.append(before)
    return list(reversed(found))


def insert_reports(
    schedule: Schedule, version_id: int, week: Any, villages: list[tuple[int, int]], reviewer_id: int, seed: int
) -> tuple[int, dict[str, int]]:
    """One week's reports of every village in a few multi-row statements (``executemany``)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from doanket.reporting import periods
    from doanket.reporting.models import Status

    ops = connection.ops
    rng = random.Random(f"{seed}-{week.key}")
    tz = timezone.get_current_timezone()
    now = timezone.now()
    due = periods.due_date(week, schedule.due_rule, schedule.due_day)

    def at(day: dt.date, hour: float) -> dt.datetime:
        moment = dt.datetime.combine(day, dt.time(), tzinfo=tz) + dt.timedelta(hours=hour)
        return min(moment, now - dt.timedelta(hours=1))

    def adapted(moment: dt.datetime | None) -> Any:
        return ops.adapt_datetimefield_value(moment) if moment else None

    # Submission and approval moments, adapted once: on time (from the week's last day to the
    # due date's evening) and late (one to four days after it); approved 2 to 30 hours later.
    window_hours = (due - week.end).days * 24 + 17
    on_time = [at(week.end, 8 + rng.random() * window_hours) for _ in range(300)]
    late = [at(due, 24 + rng.random() * 72) for _ in range(100)]
    pairs_on_time = [(adapted(s), adapted(min(s + dt.timedelta(hours=2 + rng.random() * 28), now))) for s in on_time]
    pairs_late = [(adapted(s), adapted(min(s + dt.timedelta(hours=2 + rng.random() * 28), now))) for s in late]
    start, end, due_v = (ops.adapt_datefield_value(d) for d in (week.start, week.end, due))
    stamp = adapted(now)
    common = (schedule.pk, version_id)

    def rows() -> Iterator[tuple[Any, ...]]:
        for unit_id, households in villages:
            draw = rng.random()
            values = json.dumps(village_values(rng, households))
            if draw < P_NOT_STARTED:
                yield (*common, unit_id, week.key, start, end, due_v, Status.NOT_STARTED.value, "{}", 0,
                       None, None, None, None, None, "", "", None, 0, None, stamp)  # fmt: skip
                continue
            submitted, approved = rng.choice(pairs_late if rng.random() < P_LATE else pairs_on_time)
            draw -= P_NOT_STARTED
            if draw < P_DRAFT:
                yield (*common, unit_id, week.key, start, end, due_v, Status.DRAFT.value, values, 1,
                       None, None, None, None, None, "", "", None, 0, None, stamp)  # fmt: skip
            elif draw < P_DRAFT + P_SUBMITTED:
                yield (*common, unit_id, week.key, start, end, due_v, Status.SUBMITTED.value, values, 2,
                       submitted, submitted, None, None, None, "", "", None, 0, None, submitted)  # fmt: skip
            elif draw < P_DRAFT + P_SUBMITTED + P_RETURNED:
                yield (*common, unit_id, week.key, start, end, due_v, Status.RETURNED.value, values, 3,
                       submitted, submitted, None, approved, reviewer_id, "Đề nghị kiểm tra lại số liệu.", "",
                       None, 0, None, approved)  # fmt: skip
            else:
                yield (*common, unit_id, week.key, start, end, due_v, Status.APPROVED.value, values, 3,
                       submitted, submitted, None, approved, reviewer_id, "", "", values, 1, approved,
                       approved)  # fmt: skip

    qn = ops.quote_name
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    placeholders = [f"%s{json_cast}" if c in JSON_COLUMNS else "%s" for c in COLUMNS]
    # Quoted constant identifiers; every value is a parameter.
    sql = " ".join(
        [
            "INSERT INTO",
            qn("reporting_report"),
            f"({', '.join(qn(c) for c in COLUMNS)})",
            f"VALUES ({', '.join(placeholders)})",
        ]
    )
    states: dict[str, int] = {}
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        chunk: list[tuple[Any, ...]] = []
        for row in rows():
            chunk.append(row)
            states[row[7]] = states.get(row[7], 0) + 1
            if len(chunk) >= INSERT_CHUNK:
                cursor.executemany(sql, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            written += len(chunk)
    return written, states


def copy_cells(schedule: Schedule, source: str, target: str) -> int:
    """The cells of week ``source`` again as week ``target`` (one INSERT … SELECT)."""
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    fields = ["schedule_id", "unit_id", "expected", "arrived", "on_time", "approved", "data", "updated_at"]
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(qn(f) for f in fields)
        table = qn("reporting_rollupcell")
        cursor.execute(
            " ".join(
                [
                    *("INSERT INTO", table, f"({qn('period')}, {columns})"),
                    *("SELECT %s,", columns, "FROM", table),
                    f"WHERE {qn('schedule_id')} = %s AND {qn('period')} = %s",
                ]
            ),
            [target, schedule.pk, source],
        )
        return cursor.rowcount


DATETIME_COLUMNS = ["first_submitted_at", "submitted_at", "reviewed_at", "approved_at", "updated_at"]
DATE_COLUMNS = ["period_start", "period_end", "due_date"]


def copy_reports(schedule: Schedule, source: Any, target: Any) -> int:
    """The reports of week ``source`` again as week ``target`` (one INSERT … SELECT): the same
    units, statuses and figures, every date and moment moved by the weeks between them, so each
    report is as early or late against its due date as the one it copies."""
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    days = (target.start - source.start).days
    # Every value is a parameter; the column names are the model's (checked against COLUMNS).
    if connection.vendor == "postgresql":

        def moved(column: str) -> str:
            return f"{qn(column)} + %s * INTERVAL '1 day'"

    else:
        # SQLite keeps moments as text in UTC: move the date part and keep the time as it is
        # (microseconds included); NULL stays NULL.

        def moved(column: str) -> str:
            if column in DATE_COLUMNS:
                return f"date({qn(column)}, %s)"
            return f"date({qn(column)}, %s) || substr({qn(column)}, 11)"

    shift = days if connection.vendor == "postgresql" else f"{days:+d} days"
    selected: list[str] = []
    params: list[Any] = []
    for column in COLUMNS:
        if column == "period":
            selected.append("%s")
            params.append(target.key)
        elif column in DATE_COLUMNS or column in DATETIME_COLUMNS:
            selected.append(moved(column))
            params.append(shift)
        else:
            selected.append(qn(column))
    params += [schedule.pk, source.key]
    table = qn("reporting_report")
    sql = " ".join(
        [
            *("INSERT INTO", table, f"({', '.join(qn(c) for c in COLUMNS)})"),
            *("SELECT", ", ".join(selected), "FROM", table),
            f"WHERE {qn('schedule_id')} = %s AND {qn('period')} = %s",
        ]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def compare_cells(schedule: Schedule, week: str, copied_from: str) -> dict[str, Any]:
    """A copied week's cells, rebuilt from its copied reports by ``services.rebuild``, against the
    cells of the week it copies: the copies are only as good as this check."""
    from doanket.reporting import services
    from doanket.reporting.models import RollupCell

    def cells(period: str) -> dict[int, tuple[Any, ...]]:
        rows = RollupCell.objects.filter(schedule=schedule, period=period)
        return {
            r["unit_id"]: (r["expected"], r["arrived"], r["on_time"], r["approved"], _figures(r["data"]))
            for r in rows.values("unit_id", "expected", "arrived", "on_time", "approved", "data")
        }

    start = time.perf_counter()
    services.rebuild(schedule, week)
    seconds = round(time.perf_counter() - start, 2)
    rebuilt, original = cells(week), cells(copied_from)
    differing = sorted(u for u in rebuilt.keys() | original.keys() if rebuilt.get(u) != original.get(u))
    return {"week": week, "copies": copied_from, "cells": len(rebuilt), "differing": len(differing),
            "rebuild_seconds": seconds}  # fmt: skip


def _figures(data: dict[str, Any]) -> dict[str, Any]:
    """A cell's figures without the moments of their latest values (those move with the copy)."""
    return {code: {k: v for k, v in agg.items() if k != "t"} for code, agg in (data or {}).items()}


def code_state() -> dict[str, Any]:
    """Which code was measured: the commit, and a hash of each changed file of the app."""
    import hashlib
    import subprocess

    def git(*argv: str) -> str:
        executable = shutil.which("git")
        if executable is None:
            return ""
        try:
            done = subprocess.run(  # noqa: S603 — git, with our own arguments
                [executable, *argv], cwd=ROOT, capture_output=True, text=True, check=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "doanket/reporting").splitlines()
    files = sorted(line[3:] for line in changed if line[3:].endswith((".py", ".html")))
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": {
            name: hashlib.sha1((ROOT / name).read_bytes()).hexdigest()[:12]  # noqa: S324 — a fingerprint
            for name in files
            if (ROOT / name).is_file()
        },
    }


def database_bytes() -> int | None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            row = cursor.fetchone()
        return int(row[0]) if row else None
    name = Path(str(connection.settings_dict["NAME"]))
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*") if p.is_file())


# --- The naive roll-up ---------------------------------------------------------------------------


def naive_rollup(schedule: Schedule, unit: Unit, period: str, indicators: list[Indicator]) -> dict[str, Any]:
    """What the table would cost without cells: for each commune below ``unit`` (province by
    province for the country), one query for its villages' reports, summed in Python."""
    from django.utils import timezone

    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.reporting.models import Report

    rollups = {i.code: i.rollup for i in indicators}
    total: dict[str, Any] = {"expected": 0, "arrived": 0, "on_time": 0, "approved": 0, "n": {}, "s": {}, "hi": {}}

    def add_commune(commune_id: int) -> None:
        villages = Unit.objects.filter(parent_id=commune_id).values("pk")
        rows = (
            Report.objects.filter(schedule=schedule, period=period, unit__in=villages)
            .order_by()
            .values_list("first_submitted_at", "due_date", "approved_values")
        )
        for submitted, due, values in rows:
            total["expected"] += 1
            if submitted is not None:
                total["arrived"] += 1
                total["on_time"] += timezone.localdate(submitted) <= due
            if values is None:
                continue
            total["approved"] += 1
            for code, value in values.items():
                if code not in rollups:
                    continue
                number = int(value) if isinstance(value, bool) else value
                total["n"][code] = total["n"].get(code, 0) + 1
                total["s"][code] = total["s"].get(code, 0) + number
                total["hi"][code] = max(total["hi"].get(code, number), number)

    communes = Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.COMMITTEE).order_by()
    if unit.level == Level.COMMUNE:
        add_commune(unit.pk)
    elif unit.level == Level.PROVINCE:
        for commune_id in communes.filter(parent=unit).values_list("pk", flat=True):
            add_commune(commune_id)
    else:
        provinces = Unit.objects.filter(parent=unit, level=Level.PROVINCE, kind=UnitKind.COMMITTEE).order_by()
        for province_id in provinces.values_list("pk", flat=True):
            for commune_id in communes.filter(parent_id=province_id).values_list("pk", flat=True):
                add_commune(commune_id)
    figures: dict[str, Any] = {}
    for code, rollup in rollups.items():
        n = total["n"].get(code, 0)
        if not n:
            figures[code] = None
        elif rollup == "avg":
            figures[code] = round(total["s"][code] / n, 2)
        elif rollup == "max":
            figures[code] = total["hi"][code]
        else:
            figures[code] = total["s"][code]
    return {k: total[k] for k in ("expected", "arrived", "on_time", "approved")} | {"figures": figures}


def disagreements(table: Any, naive: dict[str, Any]) -> list[str]:
    """Where the materialised table and the naive sums differ (nothing, if the cells are right)."""
    found = []
    for name in ("expected", "arrived", "on_time", "approved"):
        if getattr(table, name) != naive[name]:
            found.append(f"{name}: cells {getattr(table, name)}, naive {naive[name]}")
    for figure in table.figures:
        mine, theirs = figure.value, naive["figures"].get(figure.indicator.code)
        same = (
            mine == theirs
            if not (isinstance(mine, float) or isinstance(theirs, float))
            else (mine is not None and theirs is not None and abs(mine - theirs) <= 1e-6 * max(1.0, abs(theirs)))
        )
        if not same:
            found.append(f"{figure.indicator.code}: cells {mine}, naive {theirs}")
    return found


# --- Approvals -----------------------------------------------------------------------------------


def approval_latency(
    schedule: Schedule, week: str, central: Unit, submitter: Any, approver: Any, samples: int, seed: int
) -> tuple[list[Result], list[str]]:
    """Submit and approve missing village reports through the services (one per province, as far
    as they go) and read the country's cell after each: the approval must be in it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.national import p95
    from doanket.reporting import services
    from doanket.reporting.models import Report, RollupCell, Status

    rng = random.Random(seed)
    waiting = list(
        Report.objects.filter(schedule=schedule, period=week, status=Status.NOT_STARTED)
        .order_by("unit__path")
        .values_list("pk", "unit__path")
    )
    by_province: dict[str, list[int]] = {}
    for pk, path in waiting:
        by_province.setdefault((path or "")[:20], []).append(pk)
    picked: list[int] = []
    while len(picked) < samples + 1 and any(by_province.values()):
        for ids in by_province.values():
            if ids and len(picked) < samples + 1:
                picked.append(ids.pop(rng.randrange(len(ids))))
    problems: list[str] = []
    timings: dict[str, list[float]] = {"submit": [], "approve": [], "total": []}
    queries: dict[str, int] = {}
    for index, pk in enumerate(picked):
        report = Report.objects.select_related("unit", "schedule__unit").get(pk=pk)
        values = village_values(rng, 200)
        before = RollupCell.objects.get(schedule=schedule, unit=central, period=week)
        if index == 0:  # the first one only counts queries (the debug cursor costs time)
            with CaptureQueriesContext(connection) as submitted:
                report = services.submit(submitter, report, as_typed(values), report.revision)
            with CaptureQueriesContext(connection) as approved:
                services.approve(approver, report, report.revision)
            queries = {"submit": len(submitted.captured_queries), "approve": len(approved.captured_queries)}
            queries["total"] = queries["submit"] + queries["approve"] + 1
        else:
            start = time.perf_counter()
            report = services.submit(submitter, report, as_typed(values), report.revision)
            t_submit = time.perf_counter()
            services.approve(approver, report, report.revision)
            t_approve = time.perf_counter()
        after = RollupCell.objects.get(schedule=schedule, unit=central, period=week)
        if index:
            t_seen = time.perf_counter()
            timings["submit"].append((t_submit - start) * 1000)
            timings["approve"].append((t_approve - t_submit) * 1000)
            timings["total"].append((t_seen - start) * 1000)
        reached = (
            after.approved == before.approved + 1
            and after.arrived == before.arrived + 1
            and after.data["y-kien"]["s"] == before.data["y-kien"]["s"] + values["y-kien"]
            and after.data["tong-van-dong"]["s"] == before.data["tong-van-dong"]["s"] + values["tong-van-dong"]
        )
        if not reached:
            problems.append(f"- the approval of report {pk} is not in the country's cell")
    if not problems:
        problems.append(f"- all {len(picked)} approvals were in the country's cell as soon as approve() returned.")
    results = []
    labels = {
        "submit": "submit one village report (services.submit, cells up to the country)",
        "approve": "approve it (services.approve, cells up to the country)",
        "total": "submit + approve, then read the country's cell",
    }
    for name, samples_ms in timings.items():
        if not samples_ms:
            continue
        results.append(
            Result(
                key=f"write:{name}",
                label=labels[name],
                kind="write",
                runs=len(samples_ms),
                median_ms=round(statistics.median(samples_ms), 3),
                p95_ms=round(p95(samples_ms), 3),
                queries=queries.get(name),
                target="missing village reports, one per province",
                goal_ms=APPROVAL_GOAL_MS if name == "total" else None,
            )
        )
    return results, problems


def after_change(scene: Scene, runs: int, seed: int) -> tuple[list[Result], list[str]]:
    """The province's page for its first reader after a change: a village report of the province
    submitted and approved (through the services, committed), the warm-up the approval queued run
    as the worker runs it (``tasks.warm_rollups``, timed apart), then the page, timed. Each run is a
    new change, so no run reads what an earlier one rendered."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils import translation
    from django_tasks_db.models import DBTaskResult

    from bench.national import logged_in, p95, short_name
    from doanket.organizations.models import Unit
    from doanket.reporting import pages, rollup, services, tasks
    from doanket.reporting.models import Report, Status

    schedule, week, province = scene.schedule, scene.week, scene.units["province"]
    rng = random.Random(seed + 1)
    waiting = list(
        Report.objects.filter(
            schedule=schedule,
            period=week,
            status=Status.NOT_STARTED,
            unit__in=Unit.objects.subtree_of(province),
        ).values_list("pk", flat=True)[: runs + 1]
    )
    client = logged_in(scene.actors.province_officer)
    url = f"{reverse('reporting:rollup', args=[schedule.pk])}?unit={province.pk}&period={week}"
    warm_ms: list[float] = []
    page_ms: list[float] = []
    served_from_cache = 0
    queued = DBTaskResult.objects.filter(task_path="doanket.reporting.tasks.warm_rollups", status="READY")
    cache.clear()  # no warm-up pending from earlier writes
    for index, pk in enumerate(waiting):
        report = Report.objects.select_related("unit", "schedule__unit").get(pk=pk)
        report = services.submit(scene.village_officer, report, as_typed(village_values(rng, 200)), report.revision)
        services.approve(scene.actors.admin, report, report.revision)
        jobs = list(queued)
        start = time.perf_counter()
        for job in jobs:  # what the worker does with them
            tasks.warm_rollups.call(*job.args_kwargs["args"])
        warmed = time.perf_counter()
        queued.filter(pk__in=[j.pk for j in jobs]).delete()
        with translation.override("vi"):  # the page's language: is its table waiting in the cache?
            ready = cache.get(pages.cache_key(schedule, province, week, "", rollup.stamp(schedule, province, week)))
        # In production the approval and the worker's renderings run in other processes; here their
        # garbage would be collected during the timed request (20.7 ms instead of 14.7 in a trial).
        gc.collect()
        asked = time.perf_counter()
        response = client.get(url)
        seen = time.perf_counter()
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        if index == 0:
            continue  # the first request of the client's session saves it
        warm_ms.append((warmed - start) * 1000)
        page_ms.append((seen - asked) * 1000)
        served_from_cache += ready is not None
    if not page_ms:
        return [], ["- the page after a change: not measured (no missing reports left in the province)"]
    target = f"{short_name(province)}: a village report approved before each run"
    results = [
        Result(
            key="page:rollup-after-change:province",
            label="GET roll-up, province — province officer, first read after a change (worker ran)",
            kind="page",
            runs=len(page_ms),
            median_ms=round(statistics.median(page_ms), 3),
            p95_ms=round(p95(page_ms), 3),
            target=target,
            goal_ms=GOALS_MS["page:rollup:province"],
        ),
        Result(
            key="worker:warm:chain",
            label="worker: render the province's and the country's tables after the change (2 languages)",
            kind="write",
            runs=len(warm_ms),
            median_ms=round(statistics.median(warm_ms), 3),
            p95_ms=round(p95(warm_ms), 3),
            target=target,
        ),
    ]
    note = (
        f"- first read after a change: {served_from_cache} of {len(page_ms)} pages were served the worker's rendering."
    )
    return results, [note]


# --- Measuring -----------------------------------------------------------------------------------


@dataclass
class Scene:
    """What is measured: the schedule, the week, the units of each level and who looks at them."""

    schedule: Schedule
    week: str
    units: dict[str, Unit]  # "country", "province", "commune"
    actors: Actors
    central_officer: Any
    village_officer: Any  # submits the reports whose approval is timed (the approver may not)
    where: dict[str, str] = field(default_factory=dict)


@dataclass
class Phase:
    name: str
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def page_getter(client: Client, url: str) -> Callable[[], object]:
    def get() -> object:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    return get


def measure_reads(scene: Scene, runs: int) -> list[Result]:
    """The roll-up services and their parts, at each level (no HTTP)."""
    from django.utils import timezone

    from doanket.organizations.models import Unit
    from doanket.programs import services as program_services
    from doanket.programs.models import Assignment
    from doanket.reporting import rollup, services
    from doanket.reporting.models import RollupCell

    schedule, week, units, where = scene.schedule, scene.week, scene.units, scene.where
    results: list[Result] = []

    def add(key: str, label: str, fn: Callable[[], object], target: str = "") -> None:
        results.append(timed(key, label, "service", fn, runs, target))

    for scope, unit in units.items():
        add(
            f"service:rollup:{scope}",
            f"rollup.table(), {scope}",
            partial(rollup.table, schedule, unit, week),
            where[scope],
        )
    add(
        "service:version_of:country",
        "  rollup.version_of() (the week's form version)",
        partial(rollup.version_of, schedule, week),
    )
    for scope, unit in units.items():
        add(
            f"service:parts_of:{scope}",
            f"  rollup.parts_of(), {scope} (children's cells, then reports)",
            partial(rollup.parts_of, schedule, unit, week),
        )
    for scope in ("country", "province"):
        unit = units[scope]
        cell = RollupCell.objects.filter(schedule=schedule, unit=unit, period=week).first()
        missing, expected = (cell.expected - cell.arrived, cell.expected) if cell else (0, 0)
        add(
            f"service:missing:{scope}",
            f"rollup.missing_reports(), {scope}, first 50",
            partial(rollup.missing_reports, schedule, unit, week, 0, 50),
            f"{missing:,} missing of {expected:,}",
        )

    def dashboard_reads(unit: Unit) -> object:
        schedules = rollup.schedules_for(unit)
        trends = rollup.trends(unit, schedules)
        assignments = Assignment.objects.filter(unit__in=Unit.objects.subtree_of(unit))
        return (
            rollup.attention(unit, trends),
            program_services.status_counts(assignments, timezone.localdate()),
            [t.latest for t in trends],
        )

    for scope in ("country", "province"):
        unit = units[scope]
        trends = rollup.trends(unit, rollup.schedules_for(unit))
        add(f"service:attention:{scope}", f"  rollup.attention(), {scope}", partial(rollup.attention, unit, trends))
        add(
            f"service:dashboard:{scope}",
            f"dashboard reads (schedules_for, trends, attention, tasks), {scope}",
            partial(dashboard_reads, unit),
        )
    # What every submit and approval pays at each level above the village (it rewrites the cell).
    choices = services._choice_codes([rollup.version_of(schedule, week).pk])  # type: ignore[union-attr]
    for scope in ("country", "commune"):
        add(
            f"service:recompute:{scope}",
            f"services._recompute() of the {scope}'s cell (3 per approval level)",
            partial(services._recompute, schedule, week, units[scope], choices),
        )
    return results


def measure_pages(scene: Scene, runs: int) -> list[Result]:
    """The pages through the whole middleware stack, each level by its own officer, and the
    province and commune by the central officer too (same user: the query counts compare)."""
    from django.core.cache import cache
    from django.urls import reverse

    from bench.national import logged_in

    schedule, week, units = scene.schedule, scene.week, scene.units
    clients = {
        "country": logged_in(scene.central_officer),
        "province": logged_in(scene.actors.province_officer),
        "commune": logged_in(scene.actors.commune_officer),
    }
    role = {"country": "central officer", "province": "province officer", "commune": "commune officer"}
    rollup_url = reverse("reporting:rollup", args=[schedule.pk])
    missing_url = reverse("reporting:missing", args=[schedule.pk])
    pages: list[tuple[str, str, Client, str]] = []
    for scope, unit in units.items():
        pages.append(
            (
                f"page:rollup:{scope}",
                f"GET roll-up, {scope} — {role[scope]}",
                clients[scope],
                f"{rollup_url}?unit={unit.pk}&period={week}",
            )
        )
    for scope in ("province", "commune"):
        pages.append(
            (
                f"page:rollup-central:{scope}",
                f"GET roll-up, {scope} — central officer",
                clients["country"],
                f"{rollup_url}?unit={units[scope].pk}&period={week}",
            )
        )
    for scope in ("country", "province"):
        pages.append(
            (
                f"page:dashboard:{scope}",
                f"GET dashboard, {scope} — {role[scope]}",
                clients[scope],
                f"{reverse('reporting:dashboard')}?unit={units[scope].pk}",
            )
        )
    for scope in ("country", "province"):
        pages.append(
            (
                f"page:missing:{scope}",
                f"GET missing reports, {scope}, page 1 — {role[scope]}",
                clients[scope],
                f"{missing_url}?unit={units[scope].pk}&period={week}",
            )
        )
    results = [
        timed(key, label, "page", page_getter(client, url), runs, url, goal_ms=GOALS_MS.get(key))
        for key, label, client, url in pages
    ]
    # The same roll-up pages rendered every time: the cache emptied before each run, as for the
    # first reader after a change below the unit.
    for scope, unit in units.items():
        url = f"{rollup_url}?unit={unit.pk}&period={week}"
        key = f"page:rollup-rendered:{scope}"
        label = f"GET roll-up, {scope} — {role[scope]}, rendered (no cache)"
        get = page_getter(clients[scope], url)
        results.append(timed(key, label, "page", get, runs, url, goal_ms=GOALS_MS.get(key), before=cache.clear))
    return results


def statements(client: Client, url: str) -> Counter[str]:
    """The shapes of the SQL statements of one request (literals and lists of ids blanked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get = page_getter(client, url)
    get()  # the first request of a session also saves the session
    with CaptureQueriesContext(connection) as captured:
        get()
    shapes: Counter[str] = Counter()
    for query in captured.captured_queries:
        sql = re.sub(r"'(?:[^']|'')*'", "?", query["sql"])
        sql = re.sub(r"\b\d+\b", "N", sql)
        sql = re.sub(r"\((?:N|\?)(?:, (?:N|\?))*\)", "(…)", sql)
        sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql)
        shapes[sql[:200]] += 1
    return shapes


def query_differences(scene: Scene) -> list[str]:
    """Which statements the roll-up page of one level runs that another's does not (same user)."""
    from django.urls import reverse

    from bench.national import logged_in

    client = logged_in(scene.central_officer)
    base = reverse("reporting:rollup", args=[scene.schedule.pk])
    shapes = {
        scope: statements(client, f"{base}?unit={unit.pk}&period={scene.week}") for scope, unit in scene.units.items()
    }
    notes = []
    for a, b in (("country", "province"), ("province", "commune")):
        more, fewer = shapes[b] - shapes[a], shapes[a] - shapes[b]
        if more or fewer:
            notes.append(
                f"- roll-up page, {b} vs {a} (central officer): "
                + "; ".join([*(f"+{n} `{q}`" for q, n in more.items()), *(f"−{n} `{q}`" for q, n in fewer.items())])
            )
        else:
            notes.append(f"- roll-up page, {b} vs {a} (central officer): the same statements.")
    return notes


def measure_naive(scene: Scene, reads: list[Result], runs: int, naive_runs: int) -> tuple[list[Result], list[str]]:
    """The naive roll-up of a province and of the country, its ratio to ``rollup.table``, and a
    check that the cells hold the same figures as the reports."""
    from doanket.reporting import rollup

    schedule, week = scene.schedule, scene.week
    version = rollup.version_of(schedule, week)
    assert version is not None
    indicators = list(version.indicators.order_by("position"))
    results, notes = [], []
    for scope, scope_runs in (("province", runs), ("country", naive_runs)):
        unit = scene.units[scope]
        naive = timed(
            f"naive:rollup:{scope}",
            f"naive roll-up (a query per commune, summed in Python), {scope}",
            "naive",
            partial(naive_rollup, schedule, unit, week, indicators),
            scope_runs,
            scene.where[scope],
            warmup=1,
        )
        service = next(r for r in reads if r.key == f"service:rollup:{scope}")
        if naive.median_ms and service.median_ms:
            naive.ratio = round(naive.median_ms / service.median_ms, 1)
        results.append(naive)
        wrong = disagreements(rollup.table(schedule, unit, week), naive_rollup(schedule, unit, week, indicators))
        if wrong:
            notes.append(f"- {scope}: the cells and the naive sums DIFFER: {'; '.join(wrong[:5])}")
        else:
            notes.append(f"- {scope}: the cells and the naive sums agree (4 counts and all 30 figures).")
    return results, notes


def measure_phase(name: str, scene: Scene, args: argparse.Namespace, naive: bool) -> Phase:
    phase = Phase(name)
    progress(f"{name}: services")
    phase.results += measure_reads(scene, args.runs)
    progress(f"{name}: pages")
    phase.results += measure_pages(scene, args.runs)
    phase.notes += query_differences(scene)
    if naive:
        progress(f"{name}: naive roll-up")
        results, notes = measure_naive(scene, phase.results, args.runs, args.naive_runs)
        phase.results += results
        phase.notes += notes
    progress(f"{name}: approvals")
    writes, notes = approval_latency(
        scene.schedule,
        scene.week,
        scene.units["country"],
        scene.village_officer,
        scene.actors.admin,
        args.approvals,
        args.seed,
    )
    phase.results += writes
    phase.notes += notes
    progress(f"{name}: the province page after a change")
    results, notes = after_change(scene, args.runs, args.seed)
    phase.results += results
    phase.notes += notes
    return phase


# --- Report --------------------------------------------------------------------------------------


def fmt(ms: float | None) -> str:
    if ms is None:
        return "—"
    return f"{ms:.3f}" if ms < 1 else f"{ms:,.1f}"


def markdown(phases: list[Phase]) -> str:
    first, others = phases[0], phases[1:]
    head = "| Measurement | runs | median ms | p95 ms | queries |"
    rule = "|---|---:|---:|---:|---:|"
    for phase in others:
        head += f" median ms {phase.name} | p95 ms {phase.name} | queries {phase.name} |"
        rule += "---:|---:|---:|"
    rows = [head + " naive / materialised | goal | on |", rule + "---:|---|---|"]
    later = [{r.key: r for r in phase.results} for phase in others]

    def cells(r: Result | None) -> str:
        if r is None:
            return " | | |"
        if r.error:
            return f" not measured: {r.error} | | |"
        return f" {fmt(r.median_ms)} | {fmt(r.p95_ms)} | {r.queries} |"

    for r in first.results:
        line = f"| {r.label} | {r.runs} |" + cells(r)
        for by_key in later:
            line += cells(by_key.get(r.key))
        goal = f"< {r.goal_ms:.0f} ms" if r.goal_ms else ""
        ratio = f"{r.ratio:,.0f}×" if r.ratio else ""
        rows.append(f"{line} {ratio} | {goal} | {r.target} |")
    return "\n".join(rows)


def verdict(phase: Phase) -> list[str]:
    lines = []
    by_key = {r.key: r for r in phase.results}
    for r in phase.results:
        if r.error:
            lines.append(f"- {r.label}: not measured ({r.error})")
        elif r.goal_ms is not None and r.median_ms is not None and r.p95_ms is not None:
            ok = r.median_ms < r.goal_ms
            lines.append(
                f"- {r.label}: median {r.median_ms:,.1f} ms, p95 {r.p95_ms:,.1f} ms — goal < {r.goal_ms:.0f} ms "
                + ("met" if ok and r.p95_ms < r.goal_ms else "met by the median only" if ok else "NOT met")
            )
    for label, keys in (
        ("rollup.table() queries", ["service:rollup:country", "service:rollup:province", "service:rollup:commune"]),
        (
            "roll-up page queries, central officer",
            ["page:rollup:country", "page:rollup-central:province", "page:rollup-central:commune"],
        ),
        (
            "roll-up page queries, each level's officer",
            ["page:rollup:country", "page:rollup:province", "page:rollup:commune"],
        ),
    ):
        if all(k in by_key and not by_key[k].error for k in keys):
            counts = [by_key[k].queries for k in keys]
            lines.append(
                f"- {label} (country, province, commune): {', '.join(map(str, counts))}"
                + (" — constant" if len(set(counts)) == 1 else " — not the same")
            )
    return lines


def run(args: argparse.Namespace, results_dir: Path | None) -> int:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.national import analyze, generate, machine, make_users, prepare_database, short_name
    from doanket.accounts.models import Role, User
    from doanket.accounts.services import grant_role
    from doanket.core.models import AuditEntry
    from doanket.organizations.models import Level, Unit, UnitKind
    from doanket.organizations.services import load_administrative_units
    from doanket.reporting import periods, rollup, services
    from doanket.reporting.models import Report, RollupCell

    started = time.perf_counter()
    code = code_state()  # now: the code may change while the bench runs
    load_before = [round(x, 2) for x in os.getloadavg()]
    fields = {str(f.column) for f in Report._meta.concrete_fields if not f.primary_key}
    if fields != set(COLUMNS):
        raise SystemExit(f"bench: Report's columns changed, update COLUMNS: {sorted(fields ^ set(COLUMNS))}")
    setup: dict[str, float] = {}
    data = Dataset()

    def step(name: str, t: float) -> None:
        setup[name] = round(time.perf_counter() - t, 2)
        progress(f"{name}: {setup[name]:.1f} s")

    prepare_database(args.flush)
    t = time.perf_counter()
    load_administrative_units(None)
    step("load official units", t)
    central = Unit.objects.get(level=Level.CENTRAL)
    actors = make_users(central)
    central_officer = User.objects.create_user("bench.central", full_name="Bench central officer")
    grant_role(None, central_officer, central, Role.OFFICER)
    village_officer = User.objects.create_user("bench.village", full_name="Bench village board officer")
    t = time.perf_counter()
    generate(args.villages, args.member_orgs)
    step("generate villages and member organisations", t)

    # The form, the schedule and a year of weeks ending with the last one already due.
    weeks = weeks_due_before(args.weeks, timezone.localdate())
    data.weeks = [w.key for w in weeks]
    version = make_form(central)
    schedule = make_schedule(central, version, weeks[0].start)
    villages = list(
        Unit.objects.filter(level=Level.VILLAGE, kind=UnitKind.VILLAGE_BOARD)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    expected = services.expected_units(schedule, weeks[-1]).count()
    if expected != len(villages):
        raise SystemExit(f"bench: {len(villages)} villages generated, the schedule expects {expected}")
    data.villages = len(villages)
    rng = random.Random(args.seed)
    households = [(pk, rng.randint(120, 450)) for pk in villages]

    # The last ``generated_weeks`` weeks: reports with figures drawn at random, cells by
    # services.rebuild. The ``report_weeks`` before them: copies of those reports (dates moved)
    # and of their cells, one copied week rebuilt and compared. The weeks before: cells only.
    with_reports = weeks[-args.report_weeks :]
    reported = with_reports[-args.generated_weeks :]
    data.report_weeks = [w.key for w in reported]
    insert_s: list[float] = []
    rebuild_s: list[float] = []
    t_all = time.perf_counter()
    for index, week in enumerate(reported):
        t = time.perf_counter()
        written, states = insert_reports(schedule, version.pk, week, households, actors.commune_officer.pk, args.seed)
        insert_s.append(time.perf_counter() - t)
        data.reports += written
        data.measured_week_states = states
        t = time.perf_counter()
        services.rebuild(schedule, week.key)
        rebuild_s.append(time.perf_counter() - t)
        progress(
            f"week {week.key} ({index + 1}/{len(reported)}): {written:,} reports inserted in {insert_s[-1]:.1f} s, "
            f"cells rebuilt in {rebuild_s[-1]:.1f} s"
        )
    setup["insert the reports (all report weeks)"] = round(sum(insert_s), 2)
    setup["insert one week's reports (median)"] = round(statistics.median(insert_s), 2)
    setup["services.rebuild() of one national week (median)"] = round(statistics.median(rebuild_s), 2)
    setup["services.rebuild() of one national week (max)"] = round(max(rebuild_s), 2)
    setup["services.rebuild() (all report weeks)"] = round(sum(rebuild_s), 2)
    copies = with_reports[: len(with_reports) - len(reported)]
    t = time.perf_counter()
    for index, week in enumerate(copies):
        source = reported[index % len(reported)]
        written = copy_reports(schedule, source, week)
        data.reports += written
        data.copied_report_weeks[week.key] = source.key
        if index == len(copies) - 1:
            data.checked_copy = compare_cells(schedule, week.key, source.key)
            progress(f"copied week {week.key} rebuilt and compared with {source.key}: {data.checked_copy}")
            if data.checked_copy["differing"]:
                raise SystemExit(f"bench: the copied week's cells differ from the original's: {data.checked_copy}")
        else:
            copy_cells(schedule, source.key, week.key)
        if index % 8 == 7:
            progress(f"copied {index + 1}/{len(copies)} weeks of reports ({data.reports:,} reports)")
    if copies:
        step("copy reports and cells to the earlier weeks", t)
    t = time.perf_counter()
    for index, week in enumerate(weeks[: len(weeks) - len(with_reports)]):
        source = reported[index % len(reported)].key
        copy_cells(schedule, source, week.key)
        data.copied_cell_weeks[week.key] = source
    if data.copied_cell_weeks:
        step("copy cells to the weeks without reports", t)
    setup["generate reports and cells (total)"] = round(time.perf_counter() - t_all, 2)
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        analyze()
        step("VACUUM ANALYZE", t)
    connection.close()  # measure on a fresh connection, with the engine's default settings

    week = weeks[-1].key
    data.measured_week = week
    data.cells = RollupCell.objects.filter(schedule=schedule).count()
    data.database_bytes = database_bytes()
    units = {"country": central, "province": actors.province, "commune": actors.commune}
    counts = {scope: len(rollup.parts_of(schedule, unit, week)) for scope, unit in units.items()}
    scene = Scene(
        schedule,
        week,
        units,
        actors,
        central_officer,
        village_officer,
        where={
            "country": f"central unit: {counts['country']} provinces",
            "province": f"{short_name(actors.province)}: {counts['province']} communes",
            "commune": f"{short_name(actors.commune)}: {counts['commune']} villages",
        },
    )
    phases: list[Phase] = []
    overrides = override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False, DOANKET_REQUIRE_2FA_FOR_ADMINS=False)
    with overrides:
        first = "as loaded" if connection.vendor == "sqlite" else "after VACUUM ANALYZE"
        phases.append(measure_phase(first, scene, args, naive=True))
        if connection.vendor == "sqlite" and not args.no_analyze:
            # Django never runs ANALYZE on SQLite: without statistics its planner guesses. How
            # the same reads do with statistics tells a missing index from a missing ANALYZE.
            t = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            step("SQLite ANALYZE (second phase)", t)
            phases.append(measure_phase("after ANALYZE", scene, args, naive=False))

    # Last, as it changes what the dashboard shows: what the hourly job pays when a national week
    # opens (services.open_period: the reports, an audit entry each, the cells; one transaction,
    # during which other writers wait on SQLite).
    if not args.no_open_period:
        upcoming = periods.next_period(weeks[-1])
        assert upcoming is not None
        audit_before = AuditEntry.objects.count()
        progress(f"services.open_period() of {upcoming.key}")
        t = time.perf_counter()
        made = services.open_period(schedule, upcoming)
        step(f"services.open_period() of the next week ({upcoming.key}: reports, audit entries, cells)", t)
        data.opened_week = {
            "week": upcoming.key,
            "reports": made,
            "audit_entries": AuditEntry.objects.count() - audit_before,
        }

    by_level = dict(Unit.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    info = machine()
    info["load_average_at_start"] = load_before
    engine = connection.vendor
    what = (
        f"{data.villages:,} village boards report weekly to the central unit; {len(data.weeks)} weeks "
        f"{data.weeks[0]} … {data.weeks[-1]} have roll-up cells ({data.cells:,} cells); "
        + f"{data.reports:,} reports: the last {len(data.report_weeks)} weeks ({data.report_weeks[0]} … "
        f"{data.report_weeks[-1]}) generated with figures drawn at random, cells by services.rebuild"
        + (
            f"; the {len(data.copied_report_weeks)} weeks before them hold copies of those weeks' reports "
            f"(the same units, statuses and figures, every date moved by whole weeks) and of their cells "
            f"(checked: {data.checked_copy['week']} rebuilt from its reports has the cells of "
            f"{data.checked_copy['copies']}, {data.checked_copy['differing']} of {data.checked_copy['cells']:,} "
            f"differing)"
            if data.copied_report_weeks
            else ""
        )
        + (
            f"; the {len(data.copied_cell_weeks)} weeks before those have copies of cells only, with no "
            f"reports behind them"
            if data.copied_cell_weeks
            else ""
        )
        + f". Measured week {week}: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(data.measured_week_states.items()))
        + " (before the approvals measured)."
        + (
            f" After the measurements, services.open_period() opened {data.opened_week['week']}: "
            f"{data.opened_week['reports']:,} reports, {data.opened_week['audit_entries']:,} audit entries, its cells."
            if data.opened_week
            else ""
        )
    )
    verdicts = {phase.name: verdict(phase) for phase in phases}
    orgs = Unit.objects.filter(kind=UnitKind.MEMBER_ORGANIZATION).count()
    report: dict[str, Any] = {
        "engine": engine,
        "date": dt.date.today().isoformat(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": info,
        "code": code,
        "tree": {
            "units": sum(by_level.values()),
            "by_level": by_level,
            "province": actors.province.name,
            "commune": actors.commune.name,
            "children": counts,
            "member_organisations": orgs,
        },
        "dataset": asdict(data) | {"description": what},
        "setup_seconds": setup,
        "phases": [
            {
                "name": p.name,
                "measurements": [asdict(r) for r in p.results],
                "notes": p.notes,
                "verdict": verdicts[p.name],
            }
            for p in phases
        ],
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    db_size = f"{data.database_bytes / 2**30:.2f} GiB" if data.database_bytes else "?"
    out = [
        f"## Periodic reporting — {info['database']} — {report['date']}",
        "",
        f"{info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM, Python {info['python']}, "
        f"Django {info['django']}; load average {load_before[0]} at start, {info['load_average'][0]} at end",
        "",
        f"Tree: {report['tree']['units']:,} units ({', '.join(f'{k} {v:,}' for k, v in sorted(by_level.items()))}); "
        f"{orgs} of the province-level units are member organisations; database {db_size}.",
        "",
        f"Data: {what}",
        "",
        "| Setup | seconds |",
        "|---|---:|",
        *(f"| {k} | {v:,.1f} |" for k, v in setup.items()),
        "",
        markdown(phases),
        "",
        "Goals: roll-up page under 50 ms for the country and 20 ms for a province (server time), "
        "the same number of queries at every level, an approval in the country's cell within 1 s.",
    ]
    for phase in phases:
        out += ["", f"{phase.name}:", *verdicts[phase.name], *phase.notes]
    out += ["", f"Total: {report['total_seconds']} s"]
    print("\n".join(out))
    if results_dir is not None:
        results_dir.mkdir(parents=True, exist_ok=True)
        path = results_dir / f"reporting-{engine}-{report['date']}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        print(f"\nWritten: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    sys.stdout.flush()
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=100_000, help="village boards to generate (100000)")
    parser.add_argument("--member-orgs", type=int, default=200, help="member organisations to generate (200)")
    parser.add_argument("--weeks", type=int, default=52, help="weeks with roll-up cells, ending last week (52)")
    parser.add_argument(
        "--generated-weeks",
        type=int,
        default=8,
        help="the last N weeks get reports with figures drawn at random and cells by services.rebuild (8)",
    )
    parser.add_argument(
        "--report-weeks",
        type=int,
        default=52,
        help="the last N weeks have reports: the generated ones, and before them copies of those with "
        "their dates moved (52, the full year); the weeks before get copies of cells only",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each service and page (20)")
    parser.add_argument("--naive-runs", type=int, default=3, help="timed runs of the naive country roll-up (3)")
    parser.add_argument("--approvals", type=int, default=10, help="reports submitted and approved (10)")
    parser.add_argument(
        "--no-analyze", action="store_true", help="on SQLite, skip the second phase measured after ANALYZE"
    )
    parser.add_argument(
        "--no-open-period", action="store_true", help="skip timing services.open_period() of the next week at the end"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated figures (2026)")
    parser.add_argument(
        "--flush",
        action="store_true",
        help="empty a DATABASE_URL database that holds data not written by an earlier bench run",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table only, write no JSON file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (SQLite database) for profiling; prints its path"
    )
    args = parser.parse_args(argv)
    args.report_weeks = min(args.report_weeks, args.weeks)
    args.generated_weeks = max(1, min(args.generated_weeks, args.report_weeks))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-reporting-"))
    try:
        configure(tmp)
        import django

        django.setup()
        return run(args, None if args.no_write else ROOT / "bench" / "results")
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if args.keep:
            progress(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
