"""The database restarted under load, for real (PostgreSQL, through ``scripts/pg_throwaway.sh``,
which exports PG_THROWAWAY_CTL to run the cluster's pg_ctl; skipped otherwise).

While officers open a campaign's page and add bank accounts in threads, the server is stopped,
kept down two seconds and started again; one of the writes is caught between its two statements
(the account inserted, its audit entry not yet) when the server goes down. Every request answers
either as usual or with the Vietnamese 503 page ("try again later") — never a 500 — the caught
write left nothing, no account exists without its audit entry, and once the server is back every
request succeeds: the connections recover by themselves (``CONN_HEALTH_CHECKS``)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from conftest import People, World, login
from doanket.core import audit
from doanket.core.models import AuditAction, AuditEntry
from doanket.funds.models import BankAccount, Campaign, CampaignKind

CTL = os.environ.get("PG_THROWAWAY_CTL", "")
LOAD = ("reader0", "reader1", "writer0", "writer1")
DOWN = "Cơ sở dữ liệu tạm thời không truy cập được"


CSRF = "faultsfaultsfaultsfaultsfaults42"  # a CSRF secret of 32 characters, as cookie and as field


class Browser:
    """Requests through Django's WSGI handler as a server calls it (the test client skips the
    connection checks at the start and end of a request, which are what this test is about)."""

    app = WSGIHandler()

    def __init__(self, session: str) -> None:
        self.cookie = f"sessionid={session}; csrftoken={CSRF}"

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        body = urlencode({**form, "csrfmiddlewaretoken": CSRF}).encode() if form is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started.append((status, headers))
            return lambda data: None

        response = self.app(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            response.close()  # request_finished: Django closes a broken connection here
        status, headers = started[0]
        return int(status.split()[0]), content.decode(), dict(headers)


def _ctl(*args: str) -> None:
    subprocess.run([CTL, *args], check=True, capture_output=True, timeout=120)  # noqa: S603 - pg_throwaway's own


@pytest.mark.django_db(transaction=True)
def test_a_database_restarted_under_load_answers_503_keeps_nothing_half_written_and_recovers(
    world: World, users: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("restarts a PostgreSQL server")
    if not CTL:
        pytest.skip("run through scripts/pg_throwaway.sh, which exports PG_THROWAWAY_CTL")
    port = str(connection.settings_dict["PORT"])
    campaign = Campaign.objects.create(
        unit=world.lao_cai, kind=CampaignKind.RELIEF, name="Ủng hộ đồng bào bị bão lũ", starts_on=dt.date(2024, 9, 1)
    )
    page = reverse("funds:campaign", args=[campaign.pk])
    add = reverse("funds:account_new", args=[campaign.pk])
    half_written, server_back, stop = threading.Event(), threading.Event(), threading.Event()
    original = audit.record

    def record(*args: Any, **kwargs: Any) -> Any:
        """The caught write: its account is inserted; the server goes down before its audit entry."""
        if threading.current_thread().name == "caught":
            half_written.set()
            server_back.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record)
    statuses: dict[str, list[int]] = {}
    pages: list[str] = []
    caught: dict[str, Any] = {}

    def officer() -> Browser:
        return Browser(login(Client(), users.province_officer).cookies["sessionid"].value)

    def the_caught_write() -> None:
        status, text, headers = browser.request("POST", add, {"bank": "VCB", "number": "999000111", "holder": "MTTQ"})
        caught.update(status=status, text=text, retry=headers.get("Retry-After"))
        connections.close_all()

    def load(name: str, browser: Browser) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            if name.startswith("writer"):
                form = {"bank": "Vietinbank", "number": f"{name[-1]}{n:08d}", "holder": "UBMTTQ"}
                status, text, _ = browser.request("POST", add, form)
            else:
                status, text, _ = browser.request("GET", page)
            statuses.setdefault(name, []).append(status)
            if status == 503:
                pages.append(text)
            time.sleep(0.02)
        connections.close_all()

    browser, watcher = officer(), officer()
    threads = [threading.Thread(target=the_caught_write, name="caught")]
    threads += [threading.Thread(target=load, args=(n, officer()), name=n) for n in LOAD]
    for thread in threads:
        thread.start()
    try:
        assert half_written.wait(60)
        time.sleep(0.5)  # the others are busy too
        _ctl("stop", "-m", "fast", "-w")
        time.sleep(2)
        during = watcher.request("GET", page)  # the server is down
        _ctl("start", "-w", "-t", "60", "-o", f"-p {port}")
        server_back.set()
        time.sleep(1.5)  # load on the restarted server
    finally:
        server_back.set()
        stop.set()
        for thread in threads:
            thread.join(60)
        connection.close()  # this thread's connection died with the server: the next query opens one

    assert during[0] == 503 and DOWN in during[1] and during[2]["Retry-After"] == "30"
    # The caught write: the page says the database is unreachable, and nothing of it is stored.
    assert caught["status"] == 503 and DOWN in caught["text"] and "Traceback" not in caught["text"]
    assert caught["retry"] == "30"
    assert not BankAccount.objects.filter(number="999000111").exists()
    # The load: as usual or 503, never a 500; some requests met the outage; no half-written account.
    every = [status for name in statuses for status in statuses[name]]
    assert set(every) <= {200, 302, 503}, statuses
    assert 503 in every and all(DOWN in text for text in pages)
    for name in LOAD:
        assert statuses[name][-1] in (200, 302), (name, statuses[name][-5:])  # recovered
    created = set(
        AuditEntry.objects.filter(action=AuditAction.CREATE, model="funds.bankaccount").values_list(
            "object_id", flat=True
        )
    )
    assert {str(pk) for pk in BankAccount.objects.values_list("pk", flat=True)} == created
    # After the restart, a fresh request of each kind succeeds.
    assert watcher.request("GET", page)[0] == 200  # the same thread, its connection renewed
    assert watcher.request("POST", add, {"bank": "BIDV", "number": "123456789", "holder": "UBMTTQ"})[0] == 302
    assert BankAccount.objects.filter(number="123456789").exists()
