"""Certificates in the REST API (issue, status changes, downloads) under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from certificates import api

router = DefaultRouter()
router.include_root_view = False
router.register("certificates", api.CertificateViewSet, basename="certificate")

urlpatterns = [
    path(
        "workshops/<str:code>/certificates/issue/",
        api.WorkshopIssueView.as_view(),
        name="api-workshop-certificates-issue",
    ),
    path("", include(router.urls)),
]
