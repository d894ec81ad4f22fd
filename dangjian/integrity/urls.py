from django.urls import path

from dangjian.integrity import views

app_name = "integrity"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("talks/", views.talks, name="talks"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule-create"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
    path("expenses/", views.expenses, name="expenses"),
    path("expenses/new/", views.expense_create, name="expense-create"),
    path("expenses/<int:pk>/edit/", views.expense_edit, name="expense-edit"),
    *views.sheet_urls(),
]
