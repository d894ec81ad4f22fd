from django.urls import path

from dangjian.activities import views, views_self, views_signin

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("ics/<str:token>.ics", views.ics_feed, name="ics"),
    path("ics/reset/", views.ics_reset, name="ics-reset"),
    path("plan/", views.plan, name="plan"),
    path("approvals/", views.approvals, name="approvals"),
    path("talks/new/", views.talk_new, name="talk-new"),
    path("reflections/", views.reflections, name="reflections"),
    path("reflections/review/", views_self.reflection_review, name="reflection-review"),
    path("mine/", views_self.mine, name="mine"),
    path("mine/reflection/", views_self.reflection_submit, name="reflection-submit"),
    path("types/", views.types, name="types"),
    path("types/new/", views.type_edit, name="type-new"),
    path("types/<int:pk>/", views.type_edit, name="type-edit"),
    path("types/<int:pk>/delete/", views.type_delete, name="type-delete"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment-delete"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.plan, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_plan, name="return"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/makeup/", views.makeup, name="makeup"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("<int:pk>/draw/", views.draw, name="draw"),
    path("<int:pk>/signin/", views_signin.signin_screen, name="signin-screen"),
    path("<int:pk>/signin/sheet/", views_signin.signin_sheet, name="signin-sheet"),
    path("signin/", views_signin.signin_me, name="signin-me"),
    path("signin/<str:token>/", views_signin.signin_scan, name="signin-scan"),
]
