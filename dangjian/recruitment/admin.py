from django.contrib import admin

from dangjian.recruitment.models import Case, CaseTransfer, Plan, Step, StepDocument


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ("kind", "number", "date", "passed", "months", "notes")
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "stage", "status", "opened_on", "next_number", "next_deadline")
    list_filter = ("stage", "status")
    search_fields = ("name", "id_number")
    inlines = [StepInline]
    readonly_fields = ("member",)


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "number", "date", "passed")
    list_filter = ("kind", "number")


admin.site.register(StepDocument)
admin.site.register(CaseTransfer)
admin.site.register(Plan)
