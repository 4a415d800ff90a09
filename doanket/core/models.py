"""The audit log and the worker heartbeat: platform records every module writes to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doanket.core import chain

# The PostgreSQL advisory lock that orders the audit log's writers (any fixed 64-bit number).
CHAIN_LOCK = 0x646F616E6B6574  # "doanket"


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported (personal data)")


def _chain(entries: Sequence[AuditEntry], using: str) -> None:
    """Give each new entry its hash, linked to the last stored entry, in the caller's transaction.

    On PostgreSQL a transaction-scoped advisory lock makes the writers of the log take turns until
    they commit, so the entry read as the last one is the last one, and ids follow the chain (the
    order ``ship_audit`` relies on). SQLite needs none: the platform opens its transactions
    IMMEDIATE, so a writer holds the database's write lock from its first statement."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditEntry.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
    previous = last if last is not None else chain.GENESIS
    for entry in entries:
        if entry.at is None:
            entry.at = timezone.now()
        entry.hash = chain.link(previous, entry)
        previous = entry.hash


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def bulk_create(  # type: ignore[override]
        self, objs: Iterable[AuditEntry], batch_size: int | None = None, **kwargs: Any
    ) -> list[AuditEntry]:
        """Chain the entries, then insert them (the lock taken by ``_chain`` holds to the commit)."""
        entries = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            _chain(entries, self.db)
            return super().bulk_create(entries, batch_size, **kwargs)  # type: ignore[arg-type,return-value]

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be deleted from the application.")


class AuditEntry(models.Model):
    """One create, change or delete of a record: who, when, what changed. Append-only: the
    application refuses to change or delete an entry, and so does the database (triggers, see
    migration 0003); each entry's ``hash`` links it to the one before (``core/chain.py``)."""

    # Set when the entry is made, not by the database: the hash covers it before it is stored.
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("record type"), max_length=100, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    # The path of the unit the record belongs to, so the log can be filtered by subtree.
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    hash = models.CharField(_("hash"), max_length=64, editable=False, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(AuditEntry, instance=self)
        with transaction.atomic(using=using, savepoint=False):
            _chain([self], using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be deleted from the application.")


class AuditShipment(models.Model):
    """How far the audit log has been shipped to one destination (``ship_audit``)."""

    destination = models.CharField(max_length=20, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.destination} → #{self.last_id}"


class WorkerHeartbeat(models.Model):
    """Written every few seconds by each running background worker; read by /healthz."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.seen_at:%H:%M:%S}"
