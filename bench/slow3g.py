"""Weak connections: how long the main pages take on Chrome DevTools' "Slow 3G".
``.venv/bin/python bench/slow3g.py`` (or ``make bench-slow3g``).

The demo (``load_demo``) in a fresh SQLite file, its static files collected as in production
(whitenoise's compressed manifest: brotli or gzip, hashed names cached a year), served by gunicorn
with 2 workers on loopback, opened by the system Chromium (/usr/bin/chromium) with a phone's
viewport and "Slow 3G" set through the DevTools protocol: 50,000 bytes/s each way and 2,000 ms a
request (``Slow3GConditions`` of Chromium's DevTools; see tests/browser/test_weak_connection.py).

Each page is opened twice: **cold** (browser cache emptied first: the HTML and every script and
stylesheet travel) and **warm** (the static files come from the cache, as on every page after the
first). From the page's own Navigation Timing: when its first byte arrived, when the document was
ready (DOMContentLoaded: deferred scripts run, the forms work) and the load event (everything
loaded), with the bytes transferred. A measurement, never asserted: the suite asserts only that
the pages work on this line (tests/browser/test_weak_connection.py).

Prints a table and writes ``bench/results/slow3g-sqlite-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import configure  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SLOW_3G = {"offline": False, "latency": 400 * 5, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
PHONE = {"width": 360, "height": 740}
TIMING = """() => {
    const n = performance.getEntriesByType("navigation")[0];
    const bytes = [n, ...performance.getEntriesByType("resource")].reduce((s, e) => s + e.transferSize, 0);
    return {ttfb: n.responseStart, ready: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: bytes};
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "doanket.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _pages() -> list[tuple[str, str | None, str]]:
    """(label, who logs in, path): the portal's, the login, and the officers' main pages."""
    from doanket.accounts.models import Role, RoleGrant
    from doanket.funds.models import Campaign
    from doanket.reporting.models import Report, Status

    commune = RoleGrant.objects.get(user__username="xa.laocai", role=Role.OFFICER).unit
    report = Report.objects.filter(unit=commune, status__in=[Status.NOT_STARTED, Status.DRAFT]).order_by("pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    assert report is not None and campaign is not None
    return [
        ("Portal home", None, "/portal/"),
        ("Petition form", None, "/portal/petitions/new"),
        ("Public ledger of a fund", None, f"/portal/funds/{campaign.pk}/"),
        ("Login", None, "/accounts/login/"),
        ("Officer's home", "tinh.laocai", "/"),
        ("Reporting dashboard (Chart.js)", "tinh.laocai", "/reports/dashboard/"),
        ("Petitions inbox", "tinh.laocai", "/petitions/"),
        ("Report entry form (commune)", "xa.laocai", f"/reports/{report.pk}/"),
    ]


def _measure(base: str, pages: list[tuple[str, str | None, str]], runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import Page, sync_playwright

    from doanket.demo.loader import DEMO_PASSWORD

    def log_in(page: Page, username: str) -> None:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name='username']", username)
        page.fill("input[name='password']", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("form:has(input[name='password']) button[type='submit']")

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for label, who, path in pages:
            samples: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
            for _ in range(runs):
                context = browser.new_context(viewport=PHONE, locale="vi-VN")  # type: ignore[arg-type]
                context.set_default_timeout(120_000)
                page = context.new_page()
                if who:
                    log_in(page, who)  # at full speed: the login page is measured on its own
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", SLOW_3G)
                for kind in ("cold", "warm"):
                    if kind == "cold":
                        cdp.send("Network.clearBrowserCache")
                    response = page.goto(f"{base}{path}", wait_until="load")
                    assert response is not None and response.status == 200, (path, response and response.status)
                    samples[kind].append(page.evaluate(TIMING))
                context.close()
            row: dict[str, Any] = {"page": label, "path": path}
            for kind, values in samples.items():
                for key in ("ttfb", "ready", "load", "bytes"):
                    row[f"{kind}_{key}"] = round(statistics.median(v[key] for v in values))
            rows.append(row)
            print(
                f"{label:34} cold: ready {row['cold_ready'] / 1000:5.1f} s, load {row['cold_load'] / 1000:5.1f} s, "
                f"{row['cold_bytes']:7,} B | warm: ready {row['warm_ready'] / 1000:5.1f} s, "
                f"load {row['warm_load'] / 1000:5.1f} s, {row['warm_bytes']:7,} B",
                flush=True,
            )
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="cold and warm loads of each page (3; medians)")
    parser.add_argument("--no-write", action="store_true", help="print only, write no JSON file")
    args = parser.parse_args(argv)
    if not shutil.which(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    tmp = Path(tempfile.mkdtemp(prefix="doanket-bench-slow3g-"))
    os.environ.pop("DATABASE_URL", None)  # always its own SQLite file: the page, not the engine, is measured
    os.environ["DOANKET_PLAIN_STATIC"] = "0"  # the production storage: compressed, hashed, cached
    server = None
    try:
        configure(tmp)
        import django

        django.setup()
        from django.core.management import call_command

        from bench.national import machine
        from doanket.demo.loader import load_demo

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        load_demo()
        port = _free_port()
        server = _serve(port)
        # Playwright's sync API runs an event loop in this thread; the ORM is done by then.
        pages = _pages()
        rows = _measure(f"http://127.0.0.1:{port}", pages, args.runs)
        result = {
            "date": dt.date.today().isoformat(),
            "conditions": SLOW_3G,
            "viewport": PHONE,
            "runs": args.runs,
            "server": "gunicorn, 2 sync workers, whitenoise CompressedManifestStaticFilesStorage",
            "chromium": subprocess.run(  # noqa: S603 - the system Chromium, our own argument
                [CHROMIUM, "--version"], capture_output=True, text=True
            ).stdout.strip(),
            "machine": machine(),
            "pages": rows,
        }
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"slow3g-sqlite-{result['date']}.json"
            out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            print(f"written: {out.relative_to(ROOT)}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
