from django.urls import path

from dangjian.members import views, views_roster

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("add/", views.create, name="create"),
    path("lookup/", views.lookup, name="lookup"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transfer-out/", views.transfer_out, name="transfer-out"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("posts/add/", views.post_add, name="post-add"),
    path("posts/<int:pk>/end/", views.post_end, name="post-end"),
    # Roster import/export (views_roster.py) goes below.
    path("import/", views_roster.import_roster_view, name="import"),
    path("import/confirm/", views_roster.import_confirm, name="import-confirm"),
    path("import/template/", views_roster.import_template, name="import-template"),
    path("export/", views_roster.export, name="export"),
]
