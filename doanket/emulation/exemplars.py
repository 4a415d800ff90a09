"""Exemplary models, examples and initiatives (mô hình điểm, điển hình tiên tiến, sáng kiến):
recorded by their unit with evidence, nominated to a unit above, adopted by other units — whose
results the model's unit follows.

Read like a programme: a unit's own and those of the units above it (what an upper unit holds up
as an example is meant for the units below), and those nominated to the reader's units or to a
unit above them. A unit adopts a model it can read, for itself or a unit of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from doanket.accounts import authz
from doanket.accounts.authz import Perm, require_edit
from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.emulation.models import Adoption, Exemplar, Movement
from doanket.emulation.services import EmulationError
from doanket.organizations.models import Unit


def visible_q(user: Any) -> Q:
    """The exemplars ``user`` reads: of its units and of the units above, and those nominated to
    its units or to a unit above them (a commune's model put before the province is there for the
    province's other communes to replicate)."""
    return authz.scope_q_with_ancestors(user, Perm.VIEW_PROGRAM, "unit__path") | authz.scope_q_with_ancestors(
        user, Perm.VIEW_PROGRAM, "nominated_to__path"
    )


@transaction.atomic
def record(
    actor: Any,
    unit: Unit,
    *,
    kind: str,
    title: str,
    description: str,
    results: str = "",
    started_on: dt.date | None = None,
    movement: Movement | None = None,
    evidence: UploadedFile | None = None,
    public: bool = False,
) -> Exemplar:
    """A unit's model with its evidence (a PDF or a photo, told by its bytes); ``public``: shown on
    the portal's page of commendations."""
    require_edit(actor, unit)
    if not nfc(title) or not nfc_lines(description):
        raise EmulationError(_("Give the model's name and say what it is and how it works."))
    exemplar = Exemplar(
        unit=unit,
        kind=kind,
        title=title,
        description=description,
        results=results,
        started_on=started_on,
        movement=movement,
        public=public,
        created_by=audit.user_of(actor),
    )
    if evidence is not None:
        try:
            name, exemplar.evidence_type, extension = uploads.evidence(evidence)
        except uploads.Refused as exc:
            raise EmulationError(str(exc)) from exc
        exemplar.evidence_name = name
        exemplar.evidence.save(f"minh-chung{extension}", evidence, save=False)
    exemplar.save()
    audit.record(actor, AuditAction.CREATE, exemplar)
    return exemplar


@transaction.atomic
def nominate_upward(actor: Any, exemplar: Exemplar, to: Unit) -> Exemplar:
    """Put the model before a unit above its own (for recognition, for replication wider)."""
    require_edit(actor, exemplar.unit)
    path = exemplar.unit.path or ""
    if to.pk == exemplar.unit_id or not path.startswith(to.path or ""):
        raise EmulationError(_("A model is nominated to a unit above its own."))
    before = audit.snapshot(exemplar)
    exemplar.nominated_to = to
    exemplar.save(update_fields=["nominated_to"])
    audit.record(actor, AuditAction.UPDATE, exemplar, before=before)
    return exemplar


def adopt(actor: Any, exemplar: Exemplar, unit: Unit, adopted_on: dt.date, results: str = "") -> Adoption:
    """``unit`` replicates the model (again: its results are updated)."""
    require_edit(actor, unit)
    if unit.pk == exemplar.unit_id:
        raise EmulationError(_("A unit does not adopt its own model."))
    if actor is not None and not Exemplar.objects.filter(visible_q(actor), pk=exemplar.pk).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            found = Adoption.objects.select_for_update().filter(exemplar=exemplar, unit=unit).first()
            if found is not None:
                before = audit.snapshot(found)
                found.results = results
                found.save(update_fields=["results", "updated_at"])
                audit.record(actor, AuditAction.UPDATE, found, before=before)
                return found
            made = Adoption.objects.create(exemplar=exemplar, unit=unit, adopted_on=adopted_on, results=results)
            audit.record(actor, AuditAction.CREATE, made)
            return made
    except IntegrityError as exc:
        raise EmulationError(_("%(unit)s has just adopted this model.") % {"unit": unit.name}) from exc
