"""Funds benchmark, part one: importing a Yagi-sized bank statement. ``.venv/bin/python bench/funds.py``
(or ``make bench-funds``).

The statement the central Front published for 01–10/09/2024 had 12,028 pages holding 200,200
credit lines, about 16 a page, most of them on one day. This bench writes a statement of that
shape with ``doanket.demo.statements`` (Vietcombank layout: header block, table heading on every
page, memos wrapping inside their column, the balance on a day's last line, the footer's contact
numbers, totals on the last page; Vietnamese names and memos, repeated document numbers, bank
fees), then measures:

- ``documents.statements.read`` + ``check`` of the whole file (median of ``--runs``): every line
  recovered — the count, the credit total and the closing balance equal the generator's and the
  statement's own figures (goal: under 30 s for 12,000 pages on 2 cores);
- the baseline: pdfplumber's ``page.extract_text()`` page by page, the plain extraction the
  volunteer parsers started from, on the first ``--baseline-pages`` pages, per page, and the
  ratio per page (goal: at least 20× faster); the whole file would take tens of minutes;
- ``funds.services.import_statement`` of the same file into a campaign (read, check, and the
  200,000 lines written in one transaction), once, on its own database (a fresh SQLite file, or
  ``DATABASE_URL``).

Prints a Markdown table and writes ``bench/results/funds-<engine>-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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

LINES_PER_PAGE = 16.6  # the Yagi statement: 200,200 lines on 12,028 pages


def _write_statement(lines: int, seed: int) -> tuple[Any, bytes, float]:
    from doanket.demo import statements as generated

    started = time.perf_counter()
    # Most lines on one day, as on 10/09/2024: a tenth a day before it, the rest that day.
    made = generated.statement(lines, seed=seed, start_date=dt.date(2024, 9, 1), per_day=max(1, lines // 10))
    data = generated.to_vietcombank_pdf(made)
    return made, data, time.perf_counter() - started


def _read(data: bytes, runs: int, expected: Any) -> dict[str, Any]:
    from doanket.documents import statements

    times = []
    read = None
    for _ in range(runs):
        started = time.perf_counter()
        read = statements.read("sao-ke-yagi.pdf", data)
        statements.check(read)
        times.append(time.perf_counter() - started)
    assert read is not None
    credits = sum(line.credit for line in read.lines)
    recovered = {
        "lines": len(read.lines),
        "lines_expected": len(expected.entries),
        "credit_total": credits,
        "credit_expected": expected.total_credit,
        "closing_balance": read.closing_balance,
        "closing_expected": expected.closing_balance,
        "every_line": len(read.lines) == len(expected.entries)
        and credits == expected.total_credit
        and read.closing_balance == expected.closing_balance,
    }
    return {"median_s": round(statistics.median(times), 2), "runs_s": [round(t, 2) for t in times], **recovered}


def _pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def _baseline(data: bytes, pages: int) -> dict[str, Any]:
    import io

    import pdfplumber

    started = time.perf_counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        done = 0
        for page in pdf.pages[:pages]:
            page.extract_text()
            page.close()
            done += 1
    seconds = time.perf_counter() - started
    return {"pages": done, "seconds": round(seconds, 2), "per_page_ms": round(seconds / done * 1000, 2)}


def _import(data: bytes) -> dict[str, Any]:
    from django.core.management import call_command

    from doanket.funds import services
    from doanket.funds.models import BankAccount, Campaign, CampaignKind
    from doanket.organizations.models import Level, Unit
    from doanket.organizations.services import create_unit

    call_command("migrate", verbosity=0)
    central = Unit.objects.filter(level=Level.CENTRAL).first() or create_unit(
        None, parent=None, name="Ủy ban Trung ương MTTQ Việt Nam", level=Level.CENTRAL, kind="committee"
    )
    campaign = Campaign.objects.create(
        unit=central, kind=CampaignKind.RELIEF, name="Bench: bão số 3 (Yagi)", starts_on=dt.date(2024, 9, 1)
    )
    from doanket.demo import statements as generated

    account = BankAccount.objects.create(
        campaign=campaign, bank="Vietcombank", number=generated.ACCOUNT_NUMBER, holder=generated.ACCOUNT_NAME
    )
    started = time.perf_counter()
    done = services.import_statement(None, account, "sao-ke-yagi.pdf", data)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    twice = services.import_statement(None, account, "sao-ke-yagi.pdf", data)
    return {
        "seconds": round(seconds, 2),
        "lines": done.statement.lines.count(),
        "second_import_added_nothing": not twice.created,
        "second_import_s": round(time.perf_counter() - again, 3),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12_000, help="statement pages to write (12000)")
    parser.add_argument("--runs", type=int, default=3, help="timed reads of the whole file (3)")
    parser.add_argument("--baseline-pages", type=int, default=200, help="pages read by pdfplumber (200)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-import", action="store_true", help="skip the import into the database")
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-funds-"))
    try:
        configure(tmp)
        import django

        django.setup()
        from django.db import connection

        results: dict[str, Any] = {}
        made, data, seconds = _write_statement(round(args.pages * LINES_PER_PAGE), args.seed)
        pages = _pages(data)
        results["statement"] = {
            "pages": pages,
            "lines": len(made.entries),
            "megabytes": round(len(data) / 1e6, 1),
            "credit_total": made.total_credit,
            "written_s": round(seconds, 1),
        }
        print(f"statement: {results['statement']}", flush=True)
        results["read"] = _read(data, args.runs, made)
        print(f"read + check: {results['read']}", flush=True)
        results["baseline"] = _baseline(data, args.baseline_pages)
        ours_per_page = results["read"]["median_s"] / pages * 1000
        results["baseline"]["ours_per_page_ms"] = round(ours_per_page, 3)
        results["baseline"]["ratio"] = round(results["baseline"]["per_page_ms"] / ours_per_page, 1)
        results["baseline"]["whole_file_estimate_s"] = round(results["baseline"]["per_page_ms"] * pages / 1000)
        print(f"pdfplumber baseline: {results['baseline']}", flush=True)
        if not args.no_import:
            results["import"] = _import(data)
            print(f"import into the database: {results['import']}", flush=True)
        rows = [
            ("statement (pages / lines / MB)", f"{pages:,} / {len(made.entries):,} / {len(data) / 1e6:.1f}", ""),
            ("read + check, median s", results["read"]["median_s"], "< 30 s"),
            ("every line recovered (count, credits, closing)", results["read"]["every_line"], "yes"),
            ("pdfplumber page by page, ms a page", results["baseline"]["per_page_ms"], ""),
            ("ours, ms a page", results["baseline"]["ours_per_page_ms"], ""),
            ("ratio", f"{results['baseline']['ratio']}×", "≥ 20×"),
        ]
        if "import" in results:
            rows.append(("import_statement into the database, s", results["import"]["seconds"], ""))
        print("\n| measurement | result | goal |\n|---|---|---|")
        for name, value, goal in rows:
            print(f"| {name} | {value} | {goal} |")
        meta = {
            "engine": connection.vendor,
            "date": dt.date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores",
            "args": vars(args),
        }
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"funds-{connection.vendor}-{meta['date']}.json"
            out.write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1))
            print(f"written: {out.relative_to(ROOT)}")
        return 0 if results["read"]["every_line"] else 1
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
