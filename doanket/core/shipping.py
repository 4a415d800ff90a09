"""Shipping the audit log off the machine: every entry, in order, as one JSON line, to an RFC 5424
syslog receiver over TCP (``AUDIT_SHIP_SYSLOG=host:port``) and/or to an append-only file
(``AUDIT_SHIP_FILE``). ``manage.py ship_audit`` and the periodic task call ``ship``.

Each destination has a cursor (``AuditShipment``: the last id shipped and its hash). Entries are
sent in id order, which is the chain's order (``_chain`` makes writers take turns until they
commit, so no entry with a lower id appears later). The cursor moves only after a batch is
confirmed:

- syslog: one TCP connection per batch, frames with octet counting (RFC 6587 §3.4.1); after the
  last frame the sender half-closes the connection and waits for the receiver to close its side,
  which a receiver (rsyslog, syslog-ng) does only after reading everything before the end of the
  stream. A reset or a timeout leaves the cursor where it was: the batch is sent again next time.
  Delivery is therefore at least once; each line carries the entry's id, so a receiver drops
  repeats by id.
- file: lines appended and fsync'ed, then the cursor moves; before appending, the last id already
  in the file is read, so a crash between the two never writes an entry twice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from doanket.core.models import AuditEntry, AuditShipment

SYSLOG = "syslog"
FILE = "file"
BOM = "\ufeff".encode()
# RFC 5424 priority: facility 13 (log audit) × 8 + severity 6 (informational).
PRIORITY = 13 * 8 + 6


class ShippingError(Exception):
    """A destination did not confirm a batch; its cursor did not move."""


def line(entry: AuditEntry) -> str:
    """One entry as a JSON line: every stored field, the hash included."""
    return json.dumps(
        {
            "id": entry.pk,
            "at": entry.at.isoformat(),
            "actor_id": entry.actor_id,
            "actor_name": entry.actor_name,
            "action": entry.action,
            "model": entry.model,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "unit_path": entry.unit_path,
            "changes": entry.changes,
            "hash": entry.hash,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _batches(after: int, size: int) -> Iterator[list[AuditEntry]]:
    while True:
        entries = list(AuditEntry.objects.filter(id__gt=after).order_by("id")[:size])
        if not entries:
            return
        yield entries
        after = entries[-1].pk


def _advance(cursor: AuditShipment, last: AuditEntry) -> None:
    # A conditional update: two shippers at once never move a cursor backwards.
    AuditShipment.objects.filter(pk=cursor.pk, last_id__lt=last.pk).update(
        last_id=last.pk, last_hash=last.hash, shipped_at=timezone.now()
    )
    cursor.last_id, cursor.last_hash = last.pk, last.hash


def syslog_address(value: str) -> tuple[str, int]:
    """``host:port`` (``[::1]:514`` for IPv6) as a socket address."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"AUDIT_SHIP_SYSLOG={value!r} is not host:port.")
    return host.strip("[]"), int(port)


def frame(entry: AuditEntry, hostname: str) -> bytes:
    """An RFC 5424 message (UTF-8, with the BOM the RFC asks for) framed by its length."""
    at = entry.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    header = f"<{PRIORITY}>1 {at} {hostname} doanket {os.getpid()} audit - ".encode()
    message = header + BOM + line(entry).encode()
    return f"{len(message)} ".encode() + message


def _send_syslog(entries: list[AuditEntry], address: tuple[str, int], timeout: float) -> None:
    hostname = socket.gethostname()[:255] or "-"
    try:
        with socket.create_connection(address, timeout=timeout) as sock:
            sock.sendall(b"".join(frame(e, hostname) for e in entries))
            sock.shutdown(socket.SHUT_WR)
            while sock.recv(4096):  # the receiver closes once it has read to the end
                pass
    except OSError as exc:
        raise ShippingError(f"syslog {address[0]}:{address[1]}: {exc}") from exc


def _last_id_in(path: Path) -> int:
    """The id of the last whole line of the file (0 if none), to never append an entry twice."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - (1 << 16)))
        tail = file.read().splitlines()
    for raw in reversed(tail):
        try:
            return int(json.loads(raw)["id"])
        except (ValueError, KeyError, TypeError):
            continue
    return 0


def _append(entries: list[AuditEntry], path: Path) -> None:
    try:
        with path.open("ab") as file:
            if file.tell() and not _ends_with_newline(path):
                file.write(b"\n")  # a line cut short by a crash stays, alone on its line
            file.write("".join(line(e) + "\n" for e in entries).encode())
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:
        raise ShippingError(f"file {path}: {exc}") from exc


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


def destinations() -> list[str]:
    found = []
    if settings.AUDIT_SHIP_SYSLOG:
        found.append(SYSLOG)
    if settings.AUDIT_SHIP_FILE:
        found.append(FILE)
    return found


def ship(batch: int | None = None) -> dict[str, Any]:
    """Ship every entry not yet shipped to each configured destination. Returns, per destination,
    the number of entries shipped and the error that stopped it, if any (the others go on)."""
    size = batch or settings.AUDIT_SHIP_BATCH
    results: dict[str, Any] = {}
    for destination in destinations():
        cursor, _ = AuditShipment.objects.get_or_create(destination=destination)
        shipped, error = 0, ""
        after = cursor.last_id
        if destination == FILE:
            after = max(after, _last_id_in(Path(settings.AUDIT_SHIP_FILE)))
        try:
            for entries in _batches(after, size):
                if destination == SYSLOG:
                    address = syslog_address(settings.AUDIT_SHIP_SYSLOG)
                    _send_syslog(entries, address, settings.AUDIT_SHIP_TIMEOUT)
                else:
                    _append(entries, Path(settings.AUDIT_SHIP_FILE))
                _advance(cursor, entries[-1])
                shipped += len(entries)
        except ShippingError as exc:
            error = str(exc)
        results[destination] = {"shipped": shipped, "last_id": cursor.last_id, "error": error}
    return results
