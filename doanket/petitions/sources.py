"""The period's petition numbers, offered to report forms (``reporting.sources``): received (in
all, by channel, by kind), answered, answered on time, overdue, forwarded — each counted over the
petitions handled by the unit itself (merged duplicates left out)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from doanket.organizations.models import Unit
from doanket.petitions.models import Channel, Kind, Petition, Status
from doanket.reporting import sources


def _own(unit: Unit) -> QuerySet[Petition]:
    return Petition.objects.filter(unit=unit).exclude(status=Status.MERGED)


def received(unit: Unit, start: dt.date, end: dt.date, **only: str) -> int:
    return _own(unit).filter(received_at__date__gte=start, received_at__date__lte=end, **only).count()


def answered(unit: Unit, start: dt.date, end: dt.date) -> int:
    return _own(unit).filter(answered_at__date__gte=start, answered_at__date__lte=end).count()


def answered_on_time(unit: Unit, start: dt.date, end: dt.date) -> int:
    rows = _own(unit).filter(answered_at__date__gte=start, answered_at__date__lte=end)
    return rows.filter(answered_at__date__lte=F("due_date")).count()


def overdue(unit: Unit, start: dt.date, end: dt.date) -> int:
    """Due in the period (and already past due) and not answered by their due date."""
    late = Q(answered_at__isnull=True) | Q(answered_at__date__gt=F("due_date"))
    until = min(end + dt.timedelta(days=1), timezone.localdate())
    return _own(unit).filter(due_date__gte=start, due_date__lt=until).filter(late).count()


def forwarded(unit: Unit, start: dt.date, end: dt.date) -> int:
    return _own(unit).filter(forwarded_at__date__gte=start, forwarded_at__date__lte=end).count()


def _received_label(what: object) -> Promise:
    """Translated when shown: the registry is filled once, at start-up."""

    def text() -> str:
        return str(_("Petitions received in the period: %(what)s")) % {"what": str(what).lower()}

    return lazy(text, str)()  # type: ignore[return-value]  # a lazy str is a Promise


def register() -> None:
    sources.register("petitions.received", _("Petitions received in the period"), received)
    for channel in Channel:
        sources.register(
            f"petitions.received.{channel.value}",
            _received_label(channel.label),
            partial(received, channel=channel.value),
        )
    for kind in Kind:
        sources.register(
            f"petitions.received.{kind.value}",
            _received_label(kind.label),
            partial(received, kind=kind.value),
        )
    sources.register("petitions.answered", _("Petitions answered in the period"), answered)
    sources.register("petitions.answered_on_time", _("Petitions answered on time in the period"), answered_on_time)
    sources.register("petitions.overdue", _("Petitions due in the period and answered late or not at all"), overdue)
    sources.register("petitions.forwarded", _("Petitions forwarded to agencies in the period"), forwarded)
    sources.register_text("petitions.themes", _("Issues raised in the period's petitions (draft)"), themes)


def themes(unit: Unit, start: dt.date, end: dt.date) -> str:
    """The paragraph "issues the people raised", from the themes of the period's petitions."""
    from doanket.petitions import synthesis

    return synthesis.draft_section(unit, start, end)
