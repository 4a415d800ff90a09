from django.contrib import admin

from doanket.core.admin import AuditedAdmin
from doanket.organizations.models import Person, Position, Term, Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "level", "kind", "official_code", "valid_from", "valid_to", "is_sample"]
    list_filter = ["level", "kind", "is_sample"]
    search_fields = ["name", "name_key", "official_code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "depth"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(AuditedAdmin):
    list_display = ["predecessor", "kind", "successor", "effective_date"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["name", "unit", "start_date", "end_date"]
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["full_name", "unit", "is_prestigious_person", "is_religious_dignitary"]
    search_fields = ["full_name", "name_key"]
    raw_id_fields = ["unit"]


@admin.register(Position)
class PositionAdmin(AuditedAdmin):
    list_display = ["person", "kind", "unit", "term"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "unit", "term"]
