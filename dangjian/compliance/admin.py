from django.contrib import admin

from dangjian.compliance.models import Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "frequency",
        "minimum",
        "source",
        "source_status",
        "valid_from",
        "valid_to",
        "active",
    ]
    list_filter = ["kind", "frequency", "source_status", "active"]
    search_fields = ["name", "code", "source"]
