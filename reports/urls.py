"""The participation report on the site: the dashboard and its downloads."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/", views.download, name="download"),
]
