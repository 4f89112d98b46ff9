"""REST API v1: registry endpoints, schema and self-hosted docs (no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from lms.api import views

router = DefaultRouter()
router.register("participants", views.PersonViewSet, basename="participant")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("positions", views.PositionViewSet, basename="position")
router.register("regions", views.RegionViewSet, basename="region")
router.register("jobs", views.JobViewSet, basename="job")

urlpatterns = [
    path("", include(router.urls)),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own file (?script), not inline,
    # so the Content-Security-Policy needs no 'unsafe-inline' here either.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", views.RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
