"""Backup and restore: the demo backed up while the database is open, the database emptied and the
files deleted, the backup restored — every table's count as before, the public ledger verifying,
the uploaded files back; a damaged or misdirected restore refused before anything is touched."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from doanket.accounts.models import User
from doanket.core import backup
from doanket.demo.loader import load_demo
from doanket.funds import ledger
from doanket.organizations.models import Unit

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_the_demo_is_restored_whole_with_its_ledger_and_files(tmp_path: Path, media: Path) -> None:
    with override_settings(PASSWORD_HASHERS=FAST):
        load_demo()
    files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert files, "the demo stores uploaded files"
    before = backup.read_manifest(backup.backup(tmp_path / "backups"))["counts"]
    folder = next((tmp_path / "backups").iterdir())
    assert before["accounts.User"] == User.objects.count() and before["funds.LedgerEntry"] > 0

    call_command("flush", interactive=False, verbosity=0)  # a fresh machine: migrated, empty
    shutil.rmtree(media)
    assert not Unit.objects.exists()
    with translation.override("en"):
        call_command("restore", str(folder), verbosity=0)
    assert User.objects.filter(username="tinh.laocai").exists()
    size, problems = ledger.verify()
    assert size > 0 and problems == []
    assert sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file()) == files


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_misdirected_restore_is_refused_before_anything_changes(tmp_path: Path, media: Path) -> None:
    from conftest import make_unit
    from doanket.organizations.models import Level

    make_unit(None, "Ủy ban MTTQ tỉnh Lào Cai", Level.PROVINCE)
    (media / "a").mkdir(parents=True)
    (media / "a" / "minh-chung.pdf").write_bytes(b"%PDF-1.4 test")
    folder = backup.backup(tmp_path)
    with translation.override("en"):
        with pytest.raises(CommandError, match="already holds the platform's records"):
            call_command("restore", str(folder), verbosity=0)
        database = next(p for p in folder.iterdir() if p.name.startswith("database."))
        damaged = bytearray(database.read_bytes())
        damaged[len(damaged) // 2] ^= 0xFF
        database.write_bytes(bytes(damaged))
        with pytest.raises(CommandError, match=f"damaged: {database.name} does not match its checksum"):
            call_command("restore", str(folder), "--force", verbosity=0)
        with pytest.raises(CommandError, match="is not a backup"):
            call_command("restore", str(tmp_path / "nowhere"), verbosity=0)
    assert Unit.objects.count() == 1 and connection.vendor in backup.DATABASES
