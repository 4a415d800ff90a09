"""The figures of supervision offered to the reporting forms (``reporting.sources``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit
from doanket.reporting import sources
from doanket.supervision.models import Answer, Inspection, Progress, Recommendation, Supervision


def supervisions_done(unit: Unit, start: dt.date, end: dt.date) -> int:
    """The unit's supervisions done whose time ends in the period."""
    return Supervision.objects.filter(
        plan__unit=unit, progress=Progress.DONE, ends_on__gte=start, ends_on__lte=end
    ).count()


def recommendations_made(unit: Unit, start: dt.date, end: dt.date) -> int:
    return Recommendation.objects.filter(
        supervision__plan__unit=unit, created_at__date__gte=start, created_at__date__lte=end
    ).count()


def recommendations_answered(unit: Unit, start: dt.date, end: dt.date) -> int:
    return Recommendation.objects.filter(
        supervision__plan__unit=unit, answer=Answer.ANSWERED, answered_on__gte=start, answered_on__lte=end
    ).count()


def inspections(unit: Unit, start: dt.date, end: dt.date) -> int:
    """Inspections of the People's Inspection Boards of the unit and the communes below it."""
    return Inspection.objects.filter(
        board__path__startswith=unit.path or "", held_on__gte=start, held_on__lte=end
    ).count()


def register() -> None:
    sources.register("supervision.done", _("Supervisions completed in the period"), supervisions_done)
    sources.register(
        "supervision.recommendations", _("Supervision recommendations made in the period"), recommendations_made
    )
    sources.register(
        "supervision.answered", _("Supervision recommendations answered in the period"), recommendations_answered
    )
    sources.register("supervision.inspections", _("People's Inspection Board inspections in the period"), inspections)
