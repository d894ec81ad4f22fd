from django.urls import path

from dangjian.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("due/", views.due_list, name="due"),
    path("plans/", views.plans, name="plans"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/<int:number>/", views.step_add, name="step-add"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/transfer/lookup/", views.transfer_lookup, name="transfer-lookup"),
    path("documents/<int:pk>/", views.document, name="document"),
]
