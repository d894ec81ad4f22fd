from django.urls import path

from dangjian.campaigns import views, views_excel

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_edit, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/plan-document/", views.plan_document, name="plan-document"),
    path("<int:pk>/team/", views.team_add, name="team-add"),
    path("<int:pk>/team/lookup/", views.team_lookup, name="team-lookup"),
    path("team/<int:pk>/remove/", views.team_remove, name="team-remove"),
    path("<int:pk>/plan/", views.plan_item_add, name="plan-item-add"),
    path("plan/<int:pk>/delete/", views.plan_item_delete, name="plan-item-delete"),
    path("<int:pk>/link/", views.link_activity, name="link"),
    path("<int:pk>/unlink/", views.unlink_activity, name="unlink"),
    path("activity/<int:pk>/join/", views.activity_join, name="activity-join"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("pledges/new/", views.pledge_edit, name="pledge-new"),
    path("pledges/export/", views_excel.pledge_export, name="pledge-export"),
    path("pledges/import/", views_excel.pledge_import, name="pledge-import"),
    path("pledges/import/template/", views_excel.pledge_template, name="pledge-template"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge-edit"),
    path("research/", views.project_list, name="projects"),
    path("research/new/", views.project_edit, name="project-new"),
    path("research/<int:pk>/", views.project_detail, name="project"),
    path("research/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("research/<int:pk>/sessions/", views.project_session, name="project-session"),
    path("research/<int:pk>/outputs/", views.output_add, name="output-add"),
    path("outputs/<int:pk>/document/", views.output_document, name="output-document"),
]
