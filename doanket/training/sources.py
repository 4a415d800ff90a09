"""The number of people trained, offered to the reporting forms (``reporting.sources``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit
from doanket.reporting import sources
from doanket.training.models import Attendance


def people_trained(unit: Unit, start: dt.date, end: dt.date) -> int:
    """People who completed a course the unit organised that began in the period (each once)."""
    return (
        Attendance.objects.filter(
            course__unit=unit, course__start_date__gte=start, course__start_date__lte=end, completed=True
        )
        .values("person_id")
        .distinct()
        .count()
    )


def register() -> None:
    sources.register("training.people_trained", _("People trained in the period"), people_trained)
