"""Keep the roll-up cells right when the hierarchy changes (signals from ``organizations``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doanket.organizations.models import Unit
from doanket.reporting import services


def on_unit_moved(sender: Any, unit: Unit, old_path: str, **kwargs: Any) -> None:
    services.after_unit_moved(unit, old_path)


def on_units_merged(sender: Any, sources: list[Unit], into: Unit, effective: dt.date, **kwargs: Any) -> None:
    services.after_units_merged(sources, effective)
