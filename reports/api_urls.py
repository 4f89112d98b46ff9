"""Donor report API routes: the participation report and the indicator catalogue."""

from django.urls import path

from reports import api

urlpatterns = [
    path(
        "reports/participation/",
        api.ParticipationReportView.as_view(),
        name="api-reports-participation",
    ),
    path("reports/indicators/", api.IndicatorListView.as_view(), name="api-reports-indicators"),
]
