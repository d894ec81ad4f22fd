"""URL root: each app mounts its own urls.py."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dangjian.core import views as core_views
from dangjian.core.scope import Audience, access
from dangjian.orgs.setup import first_run

admin.site.site_header = "党建台账 系统管理"
admin.site.site_title = "党建台账"
admin.site.login_form = core_views.ThrottledAdminAuthenticationForm
handler500 = "dangjian.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", access(Audience.PUBLIC)(core_views.LoginView.as_view()), name="login"),
    path("logout/", access(Audience.ANYONE, post_only=True)(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/", access(Audience.ANYONE)(core_views.PasswordChangeView.as_view()), name="password-change"
    ),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("setup/", first_run, name="first-run"),
    path("", include("dangjian.core.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("members/", include("dangjian.members.urls")),
    path("activities/", include("dangjian.activities.urls")),
    path("compliance/", include("dangjian.compliance.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("recruitment/", include("dangjian.recruitment.urls")),
    path("duties/", include("dangjian.duties.urls")),
    path("integrity/", include("dangjian.integrity.urls")),
    path("campaigns/", include("dangjian.campaigns.urls")),
    path("reports/", include("dangjian.reports.urls")),
    path("rectification/", include("dangjian.rectification.urls")),
    path("honours/", include("dangjian.honours.urls")),
    path("admin/", admin.site.urls),
]
