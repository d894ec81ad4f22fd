from django.urls import path

from dangjian.honours import views

app_name = "honours"
urlpatterns = [
    path("", views.honour_list, name="list"),
    path("new/", views.honour_create, name="create"),
    path("<int:pk>/edit/", views.honour_edit, name="edit"),
    path("selections/", views.selection_list, name="selections"),
    path("selections/new/", views.selection_create, name="selection-create"),
    path("selections/<int:pk>/", views.selection_detail, name="selection"),
    path("selections/<int:pk>/rounds/", views.round_add, name="round-add"),
    path("selections/<int:pk>/nominees/", views.nominee_add, name="nominee-add"),
    path("nominees/<int:pk>/result/", views.nominee_result, name="nominee-result"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.template, name="template"),
    path("export/", views.export, name="export"),
]
