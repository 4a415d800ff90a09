"""What every page of the shell needs: the navigation of modules, built once per request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# The modules of the platform, in the order of the work; those not built yet are shown disabled
# so the structure is visible from day one.
MODULES: list[tuple[str, Any, str | None]] = [
    ("units", _("Organisation"), "organizations:unit_list"),
    ("people", _("People"), "organizations:person_list"),
    ("programs", _("Work programme"), "programs:list"),
    ("tasks", _("My tasks"), "programs:my_tasks"),
    ("library", _("Directive library"), "library:list"),
    ("calendar", _("Calendar"), "calendar:month"),
    ("reporting", _("Reports"), "reporting:inbox"),
    ("dashboard", _("Dashboard"), "reporting:dashboard"),
    ("petitions", _("Petitions"), "petitions:inbox"),
    ("funds", _("Funds"), "funds:campaigns"),
    ("emulation", _("Emulation"), "emulation:list"),
    ("supervision", _("Supervision"), "supervision:list"),
    ("congresses", _("Congresses"), "congresses:overview"),
    ("outreach", _("People and communities"), "outreach:visits"),
    ("news", _("News"), "news:list"),
    ("assistant", _("Assistant"), "assistant:ask"),
    ("training", _("Training"), "training:courses"),
]


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"nav_modules": MODULES}
