"""``manage.py import-document``: JSON on standard output, nothing saved; exit status 2 on a bad file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import World
from doanket.programs.models import Program

ROOT = Path(__file__).resolve().parents[3]
SEED = next((ROOT / "demo" / "documents").glob("000_*.txt"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOANKET_PLAIN_STATIC": "1", "DJANGO_SETTINGS_MODULE": "doanket.settings"}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "import-document", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_json_on_stdout_and_exit_0() -> None:
    result = _run(str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "work_program"
    assert len(data["key_tasks"]) == 10
    assert [s["number"] for s in data["sections"]] == ["I", "II", "III", "V"]
    assert {"code": "93/2021/NĐ-CP", "date": "2021-10-27"}.items() <= next(
        r for r in data["references"] if r["code"] == "93/2021/NĐ-CP"
    ).items()
    assert data["signatory"]["name"] == "Giàng Seo Vân"


def test_unreadable_file_exit_2_with_a_message(tmp_path: Path) -> None:
    scanned = tmp_path / "ke-hoach.docx"
    scanned.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    result = _run(str(scanned), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "ke-hoach.docx" in result.stderr
    missing = _run(str(tmp_path / "khong-co.txt"), "--json")
    assert missing.returncode == 2 and "khong-co.txt" in missing.stderr


@pytest.mark.django_db
def test_json_saves_nothing_and_save_saves(world: World) -> None:
    out = io.StringIO()
    call_command("import-document", str(SEED), "--json", stdout=out)
    assert Program.objects.count() == 0
    call_command(
        "import-document", str(SEED), "--save", "--unit", world.lao_cai.official_code, stdout=out, stderr=io.StringIO()
    )
    program = Program.objects.get()
    assert program.unit == world.lao_cai and program.items.count() > 50
    with pytest.raises(CommandError) as refused:
        call_command("import-document", str(SEED), "--save", "--unit", "không-có")
    assert refused.value.returncode == 2
