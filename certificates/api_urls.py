"""Certificates in the REST API (issue, status changes, downloads) under /api/v1/."""

urlpatterns: list = []
