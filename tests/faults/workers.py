"""Real worker processes for the fault tests: ``manage.py worker`` against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The test database as a DATABASE_URL another process can open; skips on an in-memory SQLite
    (the default of ``pytest`` on SQLite: set TEST_DATABASE_NAME to a file to run these there)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the test database is in memory: set TEST_DATABASE_NAME=/tmp/file.sqlite3 (PostgreSQL runs it)")
        return f"sqlite:///{name}"
    user = quote(s["USER"] or "")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(var_dir: Path, log: Path, **env: str) -> subprocess.Popen[bytes]:
    """``manage.py worker`` in its own process, sharing the test's database and media folder."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DOANKET_VAR_DIR": str(var_dir),
        "DOANKET_PLAIN_STATIC": "1",
        "DOANKET_LEDGER_KEY_DIR": str(settings.LEDGER_KEY_DIR),
        **env,
    }
    environment.pop("REDIS_URL", None)  # the database queue, which these tests are about
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition: Callable[[], bool], seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"not within {seconds}s: {what}\n{tail}")
        time.sleep(0.1)
