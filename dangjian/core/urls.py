from django.urls import path

from dangjian.core import views, views_jobs

app_name = "core"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("jobs/", views_jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", views_jobs.job_detail, name="job"),
    path("jobs/<int:pk>/retry/", views_jobs.job_retry, name="job-retry"),
    path("jobs/<int:pk>/download/", views_jobs.job_download, name="job-download"),
]
