from django.urls import path

from dangjian.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("add/", views.create, name="create"),
    path("lookup/", views.lookup, name="lookup"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/terms/add/", views.term_add, name="term-add"),
]
