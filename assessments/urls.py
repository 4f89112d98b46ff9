from django.urls import path
from django.utils.translation import gettext_lazy as _

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path(_("<int:pk>/start/"), views.start, name="start"),
    path(_("attempt/<int:pk>/"), views.take, name="attempt"),
    path(_("attempt/<int:pk>/result/"), views.review, name="review"),
]
