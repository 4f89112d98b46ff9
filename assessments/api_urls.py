"""Assessment API routes: a workshop's test scores."""

from django.urls import path

from assessments import api

urlpatterns = [
    path(
        "workshops/<str:code>/scores/", api.WorkshopScoresView.as_view(), name="api-workshop-scores"
    ),
]
