from django.urls import path

from dangjian.duties import views, views_excel

app_name = "duties"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/complete/", views.item_complete, name="item-complete"),
    path("items/<int:pk>/reopen/", views.item_reopen, name="item-reopen"),
    path("liaisons/", views.liaison_list, name="liaisons"),
    path("liaisons/new/", views.liaison_create, name="liaison-create"),
    path("liaisons/<int:pk>/edit/", views.liaison_edit, name="liaison-edit"),
    path("hearings/", views.hearings, name="hearings"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/new/", views.letter_create, name="letter-create"),
    path("letters/signers/", views.signer_lookup, name="signer-lookup"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter-edit"),
    path("letters/<int:pk>/document/", views.letter_document, name="letter-document"),
    path("key-tasks/", views.key_task_list, name="key-tasks"),
    path("key-tasks/new/", views.key_task_create, name="key-task-create"),
    path("key-tasks/<int:pk>/edit/", views.key_task_edit, name="key-task-edit"),
    path("results/", views.result_list, name="results"),
    path("results/new/", views.result_create, name="result-create"),
    path("results/<int:pk>/edit/", views.result_edit, name="result-edit"),
    *views_excel.urlpatterns(),
]
