from django.contrib import admin

from dangjian.orgs.models import Organization, Term


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "order", "has_committee", "established_on", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["organization", "elected_on", "length_years", "due_on", "ended_on"]
