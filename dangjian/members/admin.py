from django.contrib import admin

from dangjian.members.models import Member, Post, StatusChange, Transfer


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "gender", "organization", "status", "admission_date", "confirmation_date"]
    list_filter = ["status", "gender", "education"]
    search_fields = ["name", "pinyin_initials"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Records are never hard-deleted: a member leaves the roll by a dated status change.
        return False


admin.site.register(StatusChange)
admin.site.register(Transfer)
admin.site.register(Post)
