"""Workshop API routes: workshops (with registrations) and session attendance."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from attendance import api

router = DefaultRouter()
router.include_root_view = False
router.register("workshops", api.WorkshopViewSet, basename="workshop")
router.register("attendance-marks", api.AttendanceMarkViewSet, basename="attendance-mark")

urlpatterns = [
    path(
        "sessions/<int:session_id>/attendance/",
        api.SessionAttendanceView.as_view(),
        name="api-session-attendance",
    ),
    path("", include(router.urls)),
]
