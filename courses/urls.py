from django.urls import path
from django.utils.translation import gettext_lazy as _

from courses import views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path(_("enrol/<int:course_id>/"), views.enrol_view, name="enrol"),
    path(_("resume/<int:course_id>/"), views.resume_view, name="resume"),
    path(_("lesson/<int:lesson_id>/complete/"), views.complete_view, name="complete"),
]
