"""Forms are laid out by system administrators here (a form builder page is still to come)."""

from django.contrib import admin

from doanket.reporting.models import FormVersion, Indicator, ReportForm, Schedule, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "position",
        "section",
        "code",
        "label",
        "type",
        "measure",
        "required",
        "min_value",
        "max_value",
        "choices",
        "rollup",
        "sum_of",
        "key",
        "source",
    ]


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "unit"]
    search_fields = ["title", "code"]
    raw_id_fields = ["unit"]


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ["form", "number", "created_at"]
    inlines = [SectionInline, IndicatorInline]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "form", "frequency", "level", "kind", "active"]
    raw_id_fields = ["unit"]
