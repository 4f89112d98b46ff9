from django.urls import include, path
from rest_framework.routers import DefaultRouter

from courses import api

router = DefaultRouter()
router.include_root_view = False
router.register("courses", api.CourseViewSet, basename="course")
router.register("enrolments", api.EnrolmentViewSet, basename="enrolment")

urlpatterns = [
    path("me/enrolments/", api.MyEnrolmentsView.as_view(), name="api-my-enrolments"),
    path("", include(router.urls)),
]
