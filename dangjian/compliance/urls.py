from django.urls import path

from dangjian.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cell/", views.cell_detail, name="cell"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("rules/", views.rule_list, name="rules"),
    path("charts/", views.charts_page, name="charts"),
    path("ledger/", views.year_ledger_page, name="ledger"),
]
