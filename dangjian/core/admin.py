from django.contrib import admin

from dangjian.core.models import AuditLog, Job, Role


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organization", "member"]
    list_filter = ["kind"]
    raw_id_fields = ["member", "organization"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: nobody edits the audit log, not even an administrator."""

    list_display = ["timestamp", "actor_name", "via", "action", "verb", "content_type", "object_repr"]
    list_filter = ["action", "via", "content_type"]
    search_fields = ["object_repr", "actor_name"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: a job is changed by its worker, or retried by its owner on its page."""

    list_display = ["created_at", "title", "kind", "owner", "state", "attempt", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
