"""Retention of the citizens' identity (Luật 91/2025/QH15, Nghị định 356/2025/NĐ-CP): once a
petition has been closed for ``PETITION_IDENTITY_RETENTION_DAYS`` (answered, or merged into
another), its sender's name and contacts are erased — the petition, its handling and its answer
stay; so are the names and address of the citizens received, after the same time. Run daily by the
worker (``tasks.apply_retention``); each erasure is in the audit log (as the fact, never the values)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doanket.core import audit
from doanket.core.models import AuditAction
from doanket.petitions.models import IDENTITY_FIELDS, Petition, Reception, Status
from doanket.petitions.services import RECEPTION_IDENTITY, _masked, _snapshot

ERASED = "(đã xoá theo thời hạn lưu trữ)"
BATCH = 500


def _has_identity() -> Q:
    found = Q()
    for name in IDENTITY_FIELDS:
        found |= ~Q(**{name: ""})
    return found


def erase_old_identities(now: dt.datetime | None = None) -> int:
    """Erase the senders of petitions closed before the retention period; returns how many."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.PETITION_IDENTITY_RETENTION_DAYS)
    closed = Q(status=Status.ANSWERED, answered_at__lt=limit) | Q(status=Status.MERGED, updated_at__lt=limit)
    erased = 0
    while True:
        with transaction.atomic():
            batch = list(Petition.objects.filter(closed).filter(_has_identity()).select_for_update()[:BATCH])
            if not batch:
                break
            entries = []
            for petition in batch:
                before = _snapshot(petition)
                for name in IDENTITY_FIELDS:
                    setattr(petition, name, "")
                petition.show_name = petition.notify_email = petition.notify_sms = False
                entries.append(
                    audit.entry(None, AuditAction.UPDATE, petition, before=before, after=_snapshot(petition))
                )
            Petition.objects.bulk_update(
                batch, [*IDENTITY_FIELDS, "show_name", "notify_email", "notify_sms"], batch_size=BATCH
            )
            audit.record_all(entries)
            erased += len(batch)
    old = Reception.objects.filter(received_at__lt=limit).exclude(visitors=ERASED)
    with transaction.atomic():
        receptions = list(old.select_for_update()[:10_000])
        entries = []
        for reception in receptions:
            before = _masked(reception, RECEPTION_IDENTITY)
            reception.visitors, reception.address = ERASED, ""
            entries.append(
                audit.entry(
                    None, AuditAction.UPDATE, reception, before=before, after=_masked(reception, RECEPTION_IDENTITY)
                )
            )
        Reception.objects.bulk_update(receptions, ["visitors", "address"], batch_size=BATCH)
        audit.record_all(entries)
    return erased + len(receptions)
