"""Backing up and restoring the platform while it runs: the database and the uploaded files.

A backup is a folder ``doanket-YYYYmmdd-HHMMSS`` holding ``database.sqlite3`` (SQLite's online
backup API: a consistent copy taken while the app writes) or ``database.pgdump`` (``pg_dump`` in
PostgreSQL's custom format, run on a snapshot exported from the transaction that counted the rows),
``media.tar.gz`` (the uploaded files, taken after the database: files are never changed once
stored, so every file a row names is in it), and ``manifest.json``: the engine, the number of
rows of every table as the copy holds them, and the SHA-256 of each file.

A restore checks every file against the manifest before touching anything, refuses a database
that already holds the platform's records (unless forced), loads the copy, unpacks the files and
counts every table again: any difference is an error. The ledger's signing keys are not in a
backup (they never are in a database copy): keep them apart, as DEPLOYMENT.md says.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
MEDIA = "media.tar.gz"
DATABASES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# The platform's own records: a database holding any of them is not a fresh one.
OWN_APPS = ("doanket.",)


class BackupError(Exception):
    """A refusal or a failure, with a message for the operator."""


def _tables() -> dict[str, str]:
    """Model label → table, for every concrete model of the project (many-to-many tables too)."""
    found: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy:
            found[meta.label] = meta.db_table
    return found


def _count(cursor: Any, tables: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, table in sorted(tables.items()):
        # The table names are the models' own, quoted: no outside input reaches this statement.
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[label] = int(cursor.fetchone()[0])
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _client(program: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore)."""
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            _("%(program)s is not installed: install the PostgreSQL client (apt-get install postgresql-client).")
            % {"program": program}
        )
    return found


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for the default database."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _media_root() -> Path | None:
    """The local folder of uploaded files; None when they are in object storage (whose own
    versioning or replication is their backup)."""
    local = isinstance(storages["default"], FileSystemStorage)  # core.uploads.Storage is one
    return Path(settings.MEDIA_ROOT) if local else None


def backup(target: Path) -> Path:
    """Write a backup folder under ``target`` and return it."""
    folder = Path(target) / f"doanket-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    tables = _tables()
    engine = connection.vendor
    if engine == "sqlite":
        copy = folder / DATABASES["sqlite"]
        connection.ensure_connection()
        with sqlite3.connect(copy) as target_db:
            connection.connection.backup(target_db)
        with sqlite3.connect(copy) as target_db:
            counts = _count(target_db.cursor(), tables)
        target_db.close()
    elif engine == "postgresql":
        pg_dump = _client("pg_dump")
        args, env = _pg_env()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count(cursor, tables)
            # A list of arguments from the settings, no shell.
            done = subprocess.run(  # noqa: S603
                [pg_dump, "--format=custom", "--no-owner", "--snapshot", snapshot,
                 "--file", str(folder / DATABASES["postgresql"]), *args],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()[:500]})
    else:
        raise BackupError(_("Backing up a %(engine)s database is not supported.") % {"engine": engine})
    media = _media_root()
    media_files = 0
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media is not None and media.exists():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                archive.add(path, arcname=str(path.relative_to(media)))
                media_files += 1
    files = {path.name: _sha256(path) for path in sorted(folder.iterdir())}
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "counts": counts,
        "media_files": media_files,
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest, after checking that every file it names is there, whole."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(folder)s is not a backup: its manifest.json is missing or unreadable.") % {"folder": folder}
        ) from exc
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(_("The backup is incomplete: %(file)s is missing.") % {"file": name})
        if _sha256(path) != expected:
            raise BackupError(_("The backup is damaged: %(file)s does not match its checksum.") % {"file": name})
    return manifest


def _holds_records(tables: dict[str, str]) -> bool:
    own = {label: table for label, table in tables.items() if apps.get_model(label).__module__.startswith(OWN_APPS)}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return any(n for n in _count(cursor, {k: v for k, v in own.items() if v in existing}).values())


def restore(folder: Path, *, force: bool = False) -> dict[str, int]:
    """Load a backup into the configured database and media folder; returns the row counts, which
    match the manifest's (else ``BackupError``)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(
            _("This backup is of a %(backup)s database; the platform now runs on %(engine)s.")
            % {"backup": manifest["engine"], "engine": engine}
        )
    tables = _tables()
    if not force and _holds_records(tables):
        raise BackupError(
            _("The database already holds the platform's records: restore into a fresh one, or use --force.")
        )
    if engine == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(folder / DATABASES["sqlite"]) as source:
            source.backup(connection.connection)
        source.close()
    else:
        pg_restore = _client("pg_restore")
        args, env = _pg_env()
        connection.close()
        done = subprocess.run(  # noqa: S603 (a list of arguments from the settings, no shell)
            [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             *args, str(folder / DATABASES["postgresql"])],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise BackupError(_("pg_restore failed: %(error)s") % {"error": done.stderr.strip()[:500]})
    media = _media_root()
    if media is not None:
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media, filter="data")  # no path outside the folder, no links out
    with connection.cursor() as cursor:
        counts = _count(cursor, {label: t for label, t in tables.items() if label in manifest["counts"]})
    different = {k: (manifest["counts"][k], v) for k, v in counts.items() if manifest["counts"][k] != v}
    if different:
        raise BackupError(
            _("The restored database differs from the backup: %(tables)s.")
            % {"tables": ", ".join(f"{k} {a}→{b}" for k, (a, b) in sorted(different.items()))}
        )
    return counts
