from django.contrib import admin

from dangjian.honours.models import Honour, Nominee, Selection, SelectionRound


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "grantor", "awarded_on", "organization", "member")
    list_filter = ("level",)
    search_fields = ("title", "grantor", "document_number")
    raw_id_fields = ("organization", "member")


class RoundInline(admin.TabularInline):
    model = SelectionRound
    extra = 0


class NomineeInline(admin.TabularInline):
    model = Nominee
    extra = 0
    raw_id_fields = ("member", "organization", "honour")


@admin.register(Selection)
class SelectionAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "kind", "organization", "quota")
    list_filter = ("year", "kind")
    raw_id_fields = ("organization",)
    inlines = [RoundInline, NomineeInline]
