from django.contrib import admin

from dangjian.activities.models import Activity, ActivityType, Attachment, Attendance, Reflection


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "counts_as_org_life", "takes_attendance", "is_builtin", "active"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["topic", "organization", "activity_type", "status", "held_on"]
    list_filter = ["status", "activity_type"]
    search_fields = ["topic"]
    raw_id_fields = ["host", "lecturer", "talk_party_a", "talk_party_b"]
    inlines = [AttendanceInline]


admin.site.register(Attachment)
admin.site.register(Reflection)
