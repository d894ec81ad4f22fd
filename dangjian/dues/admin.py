from django.contrib import admin

from dangjian.dues.models import DuesBase, DuesPayment, HardshipReduction, MonthlyDue, PaymentAllocation


@admin.register(DuesBase)
class DuesBaseAdmin(admin.ModelAdmin):
    list_display = ("member", "effective_month", "category", "amount", "rate", "standard", "source")
    list_filter = ("category", "source")
    search_fields = ("member__name",)
    autocomplete_fields = ()
    raw_id_fields = ("member",)
    readonly_fields = ("standard", "rate", "rates_from")


@admin.register(HardshipReduction)
class HardshipReductionAdmin(admin.ModelAdmin):
    list_display = ("member", "kind", "amount", "first_month", "last_month", "approved_on", "document_number")
    raw_id_fields = ("member",)


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    readonly_fields = ("month", "amount", "member")
    can_delete = False


@admin.register(DuesPayment)
class DuesPaymentAdmin(admin.ModelAdmin):
    list_display = ("member", "paid_on", "amount", "method", "receipt_number", "extra_amount", "to_centre")
    list_filter = ("method", "to_centre")
    search_fields = ("member__name", "receipt_number")
    raw_id_fields = ("member", "overridden_by")
    inlines = [AllocationInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Payments are recorded through the dues pages so allocations and the ledger stay in step.
        return False


@admin.register(MonthlyDue)
class MonthlyDueAdmin(admin.ModelAdmin):
    list_display = ("member", "month", "organization", "category", "base", "standard", "due", "paid")
    list_filter = ("month",)
    search_fields = ("member__name",)
    raw_id_fields = ("member", "organization", "reduction")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
