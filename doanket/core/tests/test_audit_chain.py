"""The audit log the application cannot rewrite: the database refuses UPDATE and DELETE on it,
each entry is linked to the one before by a hash that ``verify_audit`` checks, and
``ship_audit`` sends the entries, in order, to a syslog receiver or a file off the machine."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from conftest import World, make_user
from doanket.core import audit, chain, shipping
from doanket.core.models import AuditAction, AuditEntry, AuditShipment
from doanket.organizations.models import Person

TABLE = "core_auditentry"


def _raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@contextmanager
def _as_the_owner() -> Iterator[None]:
    """What someone holding the table's owner rights can do (the test's transaction undoes it):
    switch the guard off, to tamper with the log behind the application's back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending on the table
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER core_auditentry_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditentry_no_update")
            cursor.execute("DROP TRIGGER core_auditentry_no_delete")
    yield


def _people(world: World, count: int) -> list[Person]:
    return [Person.objects.create(full_name=f"Người số {i}", unit=world.bac_ha) for i in range(count)]


def _log(world: World, count: int) -> list[AuditEntry]:
    return [audit.record(None, AuditAction.CREATE, p) for p in _people(world, count)]


# --- The database refuses -------------------------------------------------------------------


def _other_value(field: str, entry: AuditEntry) -> tuple[str, Any]:
    """An SQL expression and parameter that change ``field`` of ``entry``."""
    if field == "id":
        return "%s", entry.pk + 100_000
    if field == "at":
        return "%s", entry.at - dt.timedelta(days=1)
    if field == "changes":
        return ("%s::jsonb" if connection.vendor == "postgresql" else "%s"), json.dumps({"full_name": ["", "giả"]})
    return "%s", "giả mạo"


def test_the_database_refuses_to_change_any_column_or_delete_an_entry(world: World) -> None:
    entry = _log(world, 1)[0]
    columns = [str(f.column) for f in AuditEntry._meta.concrete_fields if f.name != "actor"]
    assert {"id", "at", "changes", "hash", "object_repr"} <= set(columns)
    for column in columns:
        expression, value = _other_value(column, entry)
        with pytest.raises(DatabaseError, match="append-only"):
            _raw(f'UPDATE {TABLE} SET "{column}" = {expression} WHERE id = %s', [value, entry.pk])  # noqa: S608
    other = make_user("nguoi.khac", world.bac_ha)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [other.pk, entry.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}", [])  # noqa: S608
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.object_repr, stored.hash) == (entry.object_repr, entry.hash)


def test_deleting_a_user_account_empties_only_the_link_of_its_entries(world: World) -> None:
    officer = make_user("can.bo.tam", world.bac_ha)
    person = Person.objects.create(full_name="Lò Văn Páo", unit=world.bac_ha)
    entry = audit.record(officer, AuditAction.CREATE, person)
    officer.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_id is None and stored.actor_name == "can.bo.tam" and stored.hash == entry.hash
    assert audit.verify().broken_id is None


# --- The hash chain -------------------------------------------------------------------------


def test_each_entry_is_linked_to_the_one_before(world: World) -> None:
    entries = _log(world, 3)
    audit.record_all(audit.entry(None, AuditAction.UPDATE, p) for p in _people(world, 2))
    stored = list(AuditEntry.objects.order_by("id"))
    previous = chain.GENESIS
    for found in stored:
        assert found.hash == chain.link(previous, found) and len(found.hash) == 64
        previous = found.hash
    assert entries[1].hash == chain.link(entries[0].hash, entries[1])
    verdict = audit.verify()
    assert verdict.broken_id is None and verdict.checked == len(stored)


def test_verify_audit_names_the_first_changed_or_removed_entry(world: World) -> None:
    entries = _log(world, 5)
    call_command("verify_audit", stdout=(out := _Out()))
    assert "the chain holds" in out.text
    with _as_the_owner():
        _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["giả mạo", entries[2].pk])  # noqa: S608
        with pytest.raises(CommandError, match=f"breaks at entry #{entries[2].pk} "):
            call_command("verify_audit")
        _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", [entries[2].object_repr, entries[2].pk])  # noqa: S608
        assert audit.verify().broken_id is None
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entries[3].pk])  # noqa: S608
        assert audit.verify().broken_id == entries[4].pk


def test_a_rewritten_and_rechained_log_differs_from_the_shipped_copy(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.AUDIT_SHIP_FILE = str(tmp_path / "audit.jsonl")
    entries = _log(world, 4)
    call_command("ship_audit", stdout=_Out())
    call_command("verify_audit", "--against", settings.AUDIT_SHIP_FILE, stdout=(out := _Out()))
    assert f"{AuditEntry.objects.count()} shipped entries match" in out.text
    with _as_the_owner():  # change entry 2, then recompute every hash after it
        _raw(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["giả mạo", entries[1].pk])  # noqa: S608
        previous = chain.GENESIS
        for found in AuditEntry.objects.order_by("id"):
            previous = chain.link(previous, found)
            _raw(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", [previous, found.pk])  # noqa: S608
        assert audit.verify().broken_id is None
        with pytest.raises(CommandError, match=f"Entry #{entries[1].pk} differs from the shipped copy"):
            call_command("verify_audit", "--against", settings.AUDIT_SHIP_FILE, stdout=_Out())


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


# --- Shipping -------------------------------------------------------------------------------


class Receiver:
    """A syslog receiver over TCP on loopback (RFC 6587 octet counting), as rsyslog reads: each
    connection to its end, then closes. ``fail_after`` frames, it resets the connection and stops
    listening, like a receiver that dies."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.messages: list[bytes] = []
        self.fail_after = fail_after
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.stopped = threading.Event()
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            with conn:
                if not self._read(conn):
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.server.close()
                    return

    def _read(self, conn: socket.socket) -> bool:
        buffer = b""
        while True:
            data = conn.recv(65536)
            if not data:
                return True
            buffer += data
            while b" " in buffer:
                length, _, rest = buffer.partition(b" ")
                if len(rest) < int(length):
                    break
                self.messages.append(rest[: int(length)])
                buffer = rest[int(length) :]
                if self.fail_after is not None and len(self.messages) >= self.fail_after:
                    return False

    def lines(self) -> list[dict[str, Any]]:
        found = []
        for message in self.messages:
            header, bom, body = message.partition(shipping.BOM)
            assert bom and header.startswith(b"<110>1 ") and b" doanket " in header and b" audit - " in header
            found.append(json.loads(body.decode()))
        return found

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.server.close()


def test_entries_reach_a_syslog_receiver_in_order_with_their_hash(world: World, settings: Any) -> None:
    entries = _log(world, 7)
    receiver = Receiver()
    settings.AUDIT_SHIP_SYSLOG = receiver.address
    try:
        call_command("ship_audit", "--batch", "3", stdout=(out := _Out()))
    finally:
        receiver.close()
    stored = list(AuditEntry.objects.order_by("id"))
    lines = receiver.lines()
    assert [line["id"] for line in lines] == [e.pk for e in stored]
    assert [line["hash"] for line in lines] == [e.hash for e in stored]
    assert lines[-1]["object_repr"] == str(entries[-1].object_repr)
    assert AuditShipment.objects.get(destination="syslog").last_id == stored[-1].pk
    assert f"syslog: {len(stored)} shipped" in out.text
    call_command("ship_audit", stdout=(again := _Out()))  # nothing new: nothing sent
    assert "syslog: 0 shipped" in again.text


def test_a_receiver_dying_mid_way_loses_nothing_once_shipping_resumes(world: World, settings: Any) -> None:
    _log(world, 10)
    stored = [e.pk for e in AuditEntry.objects.order_by("id")]
    dying = Receiver(fail_after=len(stored) - 5)  # dies inside the second-to-last batches
    settings.AUDIT_SHIP_SYSLOG = dying.address
    with pytest.raises(CommandError, match=r"syslog 127\.0\.0\.1"):
        call_command("ship_audit", "--batch", "3", stdout=_Out())
    dying.close()
    cursor = AuditShipment.objects.get(destination="syslog").last_id
    assert stored[0] <= cursor < stored[-1]
    first = [line["id"] for line in dying.lines()]
    assert cursor in first and first == stored[: len(first)]

    receiver = Receiver()
    settings.AUDIT_SHIP_SYSLOG = receiver.address
    try:
        call_command("ship_audit", "--batch", "3", stdout=_Out())
    finally:
        receiver.close()
    resumed = [line["id"] for line in receiver.lines()]
    assert resumed == [pk for pk in stored if pk > cursor]  # no gap, in order
    assert sorted(set(first) | set(resumed)) == stored  # at least once, each line with its id


def test_the_file_copy_is_appended_once_even_after_a_lost_cursor(world: World, settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_SHIP_FILE = str(tmp_path / "audit.jsonl")
    _log(world, 3)
    call_command("ship_audit", stdout=_Out())
    AuditShipment.objects.filter(destination="file").update(last_id=0)  # a crash before the cursor moved
    _log(world, 2)
    call_command("ship_audit", stdout=_Out())
    ids = [json.loads(raw)["id"] for raw in Path(settings.AUDIT_SHIP_FILE).read_text().splitlines()]
    assert ids == [e.pk for e in AuditEntry.objects.order_by("id")]


def test_shipping_is_a_periodic_task_once_a_destination_is_set() -> None:
    from django.conf import settings

    assert "doanket.core.tasks.ship_audit" not in settings.PERIODIC_TASKS  # none in the tests
    with pytest.raises(CommandError, match="No destination"):
        call_command("ship_audit")


# --- Writers at once ------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database locks whole tables across threads; on a file, writers take turns",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain_in_id_order(world: World) -> None:
    from django.db import connections

    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    person = Person.objects.create(full_name=f"Luồng {n} người {i}", unit=world.bac_ha)
                    audit.record(None, AuditAction.CREATE, person)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = audit.verify()
    assert verdict.broken_id is None and verdict.checked == AuditEntry.objects.count() >= 40
