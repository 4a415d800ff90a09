from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import World
from doanket.documents.parser import parse
from doanket.programs import services
from doanket.programs.models import Program

SEEDS = Path(__file__).resolve().parents[3] / "demo" / "documents"


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def province_programme(world: World, db: Any) -> Program:
    """Seed 000 saved as the Lào Cai committee's programme."""
    return services.save_program(None, world.lao_cai, parse(seed_text("000")))
