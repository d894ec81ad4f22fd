from django.urls import path

from dangjian.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("new/", views.finding_create, name="create"),
    path("<int:pk>/", views.finding_detail, name="finding"),
    path("<int:pk>/edit/", views.finding_edit, name="edit"),
    path("<int:pk>/measures/", views.measure_add, name="measure-add"),
    path("<int:pk>/close/", views.finding_close, name="close"),
    path("<int:pk>/reopen/", views.finding_reopen, name="reopen"),
    path("measures/<int:pk>/done/", views.measure_done, name="measure-done"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("import/", views.import_view, name="import"),
    path("import/template/", views.template, name="template"),
    path("export/", views.export, name="export"),
]
