from django.contrib import admin

from dangjian.rectification.models import Finding, Inspection, Measure


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ("text", "responsible", "deadline", "done_on")


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "source", "found_on", "deadline", "status", "reopen_count")
    list_filter = ("status", "source")
    search_fields = ("description",)
    raw_id_fields = ("organization", "responsible", "meeting", "inspection", "campaign", "verified_by")
    inlines = [MeasureInline]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "kind", "started_on", "report_number")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("organization",)
