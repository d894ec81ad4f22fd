from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from dangjian.core import accounts, audit  # noqa: F401 - connect the audit signal handlers
        from dangjian.core.agenda import todo_panel
        from dangjian.core.home import NavItem, register_nav, register_panel
        from dangjian.core.scope import Audience

        register_panel(todo_panel)
        register_nav(NavItem(90, "审计日志", "audit-log"))
        register_nav(NavItem(95, "账号管理", "admin:auth_user_changelist", audience=Audience.ADMIN))
