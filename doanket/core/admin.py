"""Admin for platform records, and the base every audited admin of the project uses."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from doanket.core import audit
from doanket.core.models import AuditAction, AuditEntry, WorkerHeartbeat

admin.site.site_header = _("Đoàn Kết administration")
admin.site.site_title = _("Đoàn Kết administration")
admin.site.index_title = _("Records")


class AuditedAdmin(admin.ModelAdmin):
    """Every save and delete through the Django admin lands in the audit log too."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            action = AuditAction.UPDATE if change else AuditAction.CREATE
            audit.record(request.user, action, obj, before=before)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit.record(request.user, AuditAction.DELETE, obj)
                obj.delete()
            for obj in instances:
                creating = obj.pk is None
                before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
                obj.save()
                audit.record(request.user, AuditAction.CREATE if creating else AuditAction.UPDATE, obj, before=before)
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with transaction.atomic():
            audit.record(request.user, AuditAction.DELETE, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(request.user, AuditAction.DELETE, obj)
            super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "model", "object_repr"]
    list_filter = ["action", "model", "at"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "seen_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
