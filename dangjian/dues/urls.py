from django.urls import path

from dangjian.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("month/", views.month_page, name="month"),
    path("overview/", views.overview, name="overview"),
    path("overview/run/", views.run, name="run"),
    path("mine/", views.mine, name="mine"),
    path("member/<int:pk>/", views.member_detail, name="member"),
    path("member/<int:pk>/pay/", views.payment_new, name="payment-new"),
    path("member/<int:pk>/base/", views.base_new, name="base-new"),
    path("member/<int:pk>/reduction/", views.reduction_new, name="reduction-new"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<str:kind>/", views.import_view, name="import"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import-template"),
    path("export/standard.xlsx", views.export_standard, name="export-standard"),
    path("export/collection.xlsx", views.export_collection, name="export-collection"),
]
