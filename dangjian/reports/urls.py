from django.urls import path

from dangjian.reports import views, views_proofread

app_name = "reports"

urlpatterns = [
    path("", views.draft_list, name="list"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/edit/", views.draft_edit, name="edit"),
    path("<int:pk>/inputs/", views.draft_inputs, name="inputs"),
    path("<int:pk>/regenerate/", views.draft_regenerate, name="regenerate"),
    path("<int:pk>/diff/", views.draft_diff, name="diff"),
    path("<int:pk>/figures/<str:key>/", views.figure_evidence, name="figure"),
    path("<int:pk>/download.<str:fmt>", views.draft_download, name="download"),
    path("<int:pk>/pdf/", views.draft_pdf, name="pdf"),
    path("<int:pk>/export/", views.draft_export, name="export"),
    path("<int:pk>/proofread/", views_proofread.draft_proofread, name="draft-proofread"),
    path("genres/", views.genre_list, name="genres"),
    path("genres/<int:pk>/", views.genre_detail, name="genre"),
    path("genres/<int:pk>/copy/", views.genre_copy, name="genre-copy"),
    path("proofread/", views_proofread.proofread, name="proofread"),
    path("proofread/download/", views_proofread.proofread_download, name="proofread-download"),
]
