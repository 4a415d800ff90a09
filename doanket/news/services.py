"""News items and people's diplomacy activities, as plain functions the views, the demo and the
tests share. Every write is checked on the item's unit and audited.

Who does what: the unit's officers (``EDIT_PROGRAM``, the work permission the unit-level modules
share) write drafts, and publish and withdraw them — the same rule as the petitions' published
answers (``HANDLE_PETITION``) and the funds' ledger (``HANDLE_FUND``): the officer who handles the
work publishes it, and the audit log names who did. Readers (``VIEW_PROGRAM``) see drafts of their
units; the public sees only what is published.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from doanket.accounts import authz
from doanket.accounts.authz import Perm, require_edit
from doanket.core import audit, uploads
from doanket.core.models import AuditAction
from doanket.core.text import nfc, nfc_lines
from doanket.news.models import Activity, Kind, NewsItem, State
from doanket.organizations.models import Unit


class NewsError(Exception):
    """A refusal with a message for the officer."""


MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 1600  # pixels; a larger photo is scaled down
MAX_PHOTO_PIXELS = 50_000_000  # a 5 MB file that unpacks to more is refused before it is decoded
PHOTO_TYPES = {"image/jpeg", "image/png"}

# The allowed moves of an item, and the message for an illegal one.
TRANSITIONS: dict[str, set[str]] = {
    State.DRAFT: {State.PUBLISHED},
    State.PUBLISHED: {State.WITHDRAWN},
    State.WITHDRAWN: {State.PUBLISHED},
}


# --- Reading ------------------------------------------------------------------------------------


def items_for(user: Any) -> QuerySet[NewsItem]:
    """Every item (drafts too) of the units the user reads."""
    return NewsItem.objects.filter(authz.scope_q(user, Perm.VIEW_PROGRAM, "unit__path")).select_related("unit")


def activities_for(user: Any) -> QuerySet[Activity]:
    """The diplomacy activities of the user's units and all units below (the province reads its
    border communes')."""
    return Activity.objects.filter(authz.scope_q(user, Perm.VIEW_PROGRAM, "unit__path")).select_related("unit")


def published(unit: Unit | None = None) -> QuerySet[NewsItem]:
    """What the public reads: published items, newest first, of ``unit`` and the units below it
    (a province's page carries its communes' news), or of every unit."""
    rows = NewsItem.objects.filter(state=State.PUBLISHED).select_related("unit")
    if unit is not None:
        rows = rows.filter(unit__path__startswith=unit.path or "")
    return rows.order_by("-published_at", "-pk")


# --- Photos -------------------------------------------------------------------------------------


def checked_photo(upload: UploadedFile) -> tuple[ContentFile[bytes], str, str]:
    """(file to keep, content type, extension) of an uploaded photo — a JPEG or PNG by its bytes,
    at most 5 MB — or :class:`uploads.Refused` saying why not. The image
    is also decoded (a file that only starts like a JPEG is refused), scaled down to 1600 pixels
    and re-encoded, which drops the camera's metadata (place, time, device)."""
    name, content_type, extension = uploads.evidence(upload, MAX_PHOTO_BYTES)
    if content_type not in PHOTO_TYPES:
        raise uploads.Refused(_("%(name)s is not a photo: upload a JPEG or PNG image.") % {"name": name})
    upload.seek(0)
    data = upload.read()
    data = _reencoded(name, data, content_type)
    return ContentFile(data), content_type, extension


def _reencoded(name: str, data: bytes, content_type: str) -> bytes:
    unreadable = uploads.Refused(_("%(name)s is not a readable photo.") % {"name": name})
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise unreadable from exc
    with image:
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise uploads.Refused(_("%(name)s is too large a picture.") % {"name": name})
        try:
            image.load()
            image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise unreadable from exc
    return out.getvalue()


def _drop_on_commit(item: NewsItem) -> None:
    """Delete the item's current photo file once the transaction commits — never before: a refused
    or failed edit rolls back to a record that must still find its file."""
    if item.photo:
        name, storage = str(item.photo.name), item.photo.storage
        transaction.on_commit(lambda: storage.delete(name))


def _keep_photo(item: NewsItem, checked: tuple[ContentFile[bytes], str, str]) -> None:
    content, content_type, extension = checked
    _drop_on_commit(item)
    item.photo_type, item.photo_size = content_type, len(content)
    item.photo.save(f"tin-{item.pk}{extension}", content, save=False)


# --- Writing ------------------------------------------------------------------------------------


def _clean(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = nfc(title), nfc(summary), nfc_lines(body)
    if not (title and summary and body):
        raise NewsError(_("Write the title, the summary and the text."))
    return title, summary, body


@transaction.atomic
def write(
    actor: Any,
    unit: Unit,
    *,
    title: str,
    summary: str,
    body: str,
    kind: str = Kind.NEWS,
    photo: UploadedFile | None = None,
    photo_caption: str = "",
    activity: Activity | None = None,
) -> NewsItem:
    """A new draft of ``unit``."""
    require_edit(actor, unit)
    title, summary, body = _clean(title, summary, body)
    item = NewsItem.objects.create(
        unit=unit,
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        photo_caption=photo_caption,
        activity=activity,
        created_by=audit.user_of(actor),
    )
    if photo is not None:
        _keep_photo(item, checked_photo(photo))
        item.save()
    audit.record(actor, AuditAction.CREATE, item)
    return item


def _locked(item: NewsItem) -> NewsItem:
    return NewsItem.objects.select_for_update().select_related("unit").get(pk=item.pk)


@transaction.atomic
def edit(
    actor: Any,
    item: NewsItem,
    *,
    title: str,
    summary: str,
    body: str,
    kind: str,
    photo: UploadedFile | None = None,
    photo_caption: str = "",
    remove_photo: bool = False,
) -> NewsItem:
    """Change an item's text or photo (a published item changes on the portal at once)."""
    item = _locked(item)
    require_edit(actor, item.unit)
    checked = checked_photo(photo) if photo is not None else None  # refused before anything changes
    before = audit.snapshot(item)
    item.title, item.summary, item.body = _clean(title, summary, body)
    item.kind, item.photo_caption = kind, photo_caption
    if remove_photo and item.photo:
        _drop_on_commit(item)
        item.photo, item.photo_type, item.photo_size = "", "", 0
    if checked is not None:
        _keep_photo(item, checked)
    item.updated_at = timezone.now()
    item.save()
    audit.record(actor, AuditAction.UPDATE, item, before=before)
    return item


@transaction.atomic
def move(actor: Any, item: NewsItem, to: str) -> NewsItem:
    """Publish or withdraw ``item`` along ``TRANSITIONS``; publishing the first time dates it."""
    item = _locked(item)
    require_edit(actor, item.unit)
    if to not in TRANSITIONS[item.state]:
        raise NewsError(
            _("An item that is “%(state)s” cannot become “%(to)s”.")
            % {"state": item.get_state_display(), "to": State(to).label}
        )
    before = audit.snapshot(item)
    item.state = to
    if to == State.PUBLISHED and item.published_at is None:
        item.published_at = timezone.now()
    item.updated_at = timezone.now()
    item.save()
    audit.record(actor, AuditAction.UPDATE, item, before=before)
    return item


def publish(actor: Any, item: NewsItem) -> NewsItem:
    return move(actor, item, State.PUBLISHED)


def withdraw(actor: Any, item: NewsItem) -> NewsItem:
    return move(actor, item, State.WITHDRAWN)


# --- People's diplomacy ---------------------------------------------------------------------------


@transaction.atomic
def record_activity(
    actor: Any,
    unit: Unit,
    *,
    held_on: dt.date,
    kind: str,
    partner: str,
    place: str,
    participants: int,
    summary: str,
) -> Activity:
    require_edit(actor, unit)
    if not (nfc(partner) and nfc(place) and nfc_lines(summary)):
        raise NewsError(_("Name the partner and the place, and say what was done."))
    if participants < 0:
        raise NewsError(_("The number of participants cannot be negative."))
    if held_on > timezone.localdate() + dt.timedelta(days=366):
        raise NewsError(_("The date is more than a year ahead."))
    made = Activity.objects.create(
        unit=unit,
        held_on=held_on,
        kind=kind,
        partner=partner,
        place=place,
        participants=participants,
        summary=summary,
        created_by=audit.user_of(actor),
    )
    audit.record(actor, AuditAction.CREATE, made)
    return made


def draft_from(actor: Any, activity: Activity) -> NewsItem:
    """A draft news item of the activity's unit telling of it, for the officer to edit and publish
    (the activity's draft already written is returned instead of a second one)."""
    existing = activity.news.filter(~Q(state=State.WITHDRAWN)).order_by("pk").first()
    if existing is not None:
        require_edit(actor, activity.unit)
        return existing
    summary = _("%(kind)s with %(partner)s at %(place)s on %(date)s, %(n)s participants.") % {
        "kind": activity.get_kind_display(),
        "partner": activity.partner,
        "place": activity.place,
        "date": f"{activity.held_on:%d/%m/%Y}",
        "n": activity.participants,
    }
    return write(
        actor,
        activity.unit,
        title=f"{activity.get_kind_display()}: {activity.partner}"[:300],
        summary=summary[:500],
        body=activity.summary,
        kind=Kind.NEWS,
        activity=activity,
    )
