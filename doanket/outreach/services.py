"""Visits, hot spots and the registry of the people the Front listens to, as plain functions the
views and the demo share; every write checked by :func:`require_edit` and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm, require_edit
from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.funds.models import Campaign
from doanket.organizations.models import Person, Unit
from doanket.outreach.models import HotSpot, HotSpotAction, HotSpotState, Visit


class OutreachError(Exception):
    """A refusal with a message for the officer."""


# The registry: who the Front listens to (the organisation's people with these standings).
STANDINGS = {
    "prestigious": Q(is_prestigious_person=True),
    "elder": Q(is_elder=True),
    "dignitary": Q(is_religious_dignitary=True),
    "advisory": Q(is_advisory_member=True),
}


def registry(user: Any, standing: str = "", text: str = "") -> QuerySet[Person]:
    """The prestigious persons, elders, religious dignitaries and advisory-council members of the
    user's units (personal data: only for roles that see it), found by name without accents."""
    people = Person.objects.filter(authz.scope_q(user, Perm.VIEW_PERSONAL_DATA, "unit__path"))
    chosen = STANDINGS.get(standing)
    if chosen is None:
        chosen = Q()
        for q in STANDINGS.values():
            chosen |= q
    return people.filter(chosen).search(text).select_related("unit").order_by("name_key", "pk")


@transaction.atomic
def record_visit(
    actor: Any,
    unit: Unit,
    *,
    occasion: str,
    visited_on: dt.date,
    visitors: str,
    persons: Iterable[Person] = (),
    community: str = "",
    gift: str = "",
    gift_value: int = 0,
    fund: Campaign | None = None,
    notes: str = "",
) -> Visit:
    require_edit(actor, unit)
    persons = list(persons)
    if not nfc_lines(visitors):
        raise OutreachError(_("Name who visited."))
    if not persons and not nfc(community):
        raise OutreachError(_("Say whom the unit visited: the persons, or the community or family."))
    if visited_on > timezone.localdate():
        raise OutreachError(_("A visit is recorded once it has taken place: its date is in the future."))
    if gift_value < 0:
        raise OutreachError(_("The value of the gift is a number of đồng, not negative."))
    if any(not person.unit.is_within(unit) for person in persons):
        raise OutreachError(_("%(unit)s records visits to the people of its own units.") % {"unit": unit.name})
    if fund is not None and not (unit.is_within(fund.unit) or fund.unit.is_within(unit)):
        raise OutreachError(_("The fund %(fund)s is not one of %(unit)s's.") % {"fund": fund.name, "unit": unit.name})
    made = Visit.objects.create(
        unit=unit,
        occasion=occasion,
        visited_on=visited_on,
        visitors=visitors,
        community=community,
        gift=gift,
        gift_value=gift_value,
        fund=fund,
        notes=notes,
        created_by=audit.user_of(actor),
    )
    made.persons.set(persons)
    after = audit.snapshot(made)
    after["persons"] = sorted(person.pk for person in persons)
    audit.record(actor, AuditAction.CREATE, made, after=after)
    return made


@transaction.atomic
def flag_hot_spot(
    actor: Any,
    unit: Unit,
    *,
    title: str,
    description: str,
    risk: str,
    flagged_on: dt.date,
    place: Unit | None = None,
) -> HotSpot:
    require_edit(actor, unit)
    if not (nfc(title) and nfc_lines(description)):
        raise OutreachError(_("Say what is at stake and how the situation stands."))
    if place is not None and not place.is_within(unit):
        raise OutreachError(_("%(unit)s flags hot spots within its own area.") % {"unit": unit.name})
    if flagged_on > timezone.localdate():
        raise OutreachError(_("The date is in the future."))
    made = HotSpot.objects.create(
        unit=unit,
        place=place,
        title=title,
        description=description,
        risk=risk,
        flagged_on=flagged_on,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


@transaction.atomic
def act_on(
    actor: Any, hot_spot: HotSpot, *, taken_on: dt.date, action: str, by: str, risk: str, resolved: bool = False
) -> HotSpotAction:
    """A step in the hot spot's history; the hot spot takes the risk it leaves, and is closed when
    the step resolves it."""
    require_edit(actor, hot_spot.unit)
    hot_spot = HotSpot.objects.select_for_update().get(pk=hot_spot.pk)
    if hot_spot.state == HotSpotState.RESOLVED:
        raise OutreachError(_("This hot spot is resolved; flag a new one if the dispute returns."))
    if not (nfc_lines(action) and nfc(by)):
        raise OutreachError(_("Say what was done and by whom."))
    if taken_on < hot_spot.flagged_on or taken_on > timezone.localdate():
        raise OutreachError(_("The action's date is before the hot spot was flagged or in the future."))
    made = HotSpotAction.objects.create(
        hot_spot=hot_spot, taken_on=taken_on, action=action, by=by, risk=risk, created_by=audit.user_of(actor)
    )
    audit.record(actor, AuditAction.CREATE, made)
    before = audit.snapshot(hot_spot)
    hot_spot.risk = risk
    if resolved:
        hot_spot.state, hot_spot.resolved_on = HotSpotState.RESOLVED, taken_on
    hot_spot.save()
    audit.record(actor, AuditAction.UPDATE, hot_spot, before=before)
    return made


def visits_of(person: Person) -> list[dict[str, Any]]:
    """The visits paid to ``person`` (for the export of their data)."""
    return [
        {
            "date": v.visited_on.isoformat(),
            "occasion": str(v.get_occasion_display()),
            "unit": str(v.unit.name),
            "visitors": v.visitors,
            "gift": v.gift,
            "gift_value": v.gift_value,
        }
        for v in person.visits.select_related("unit").order_by("visited_on", "pk")
    ]
