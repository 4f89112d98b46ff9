from django.urls import path
from django.utils.translation import gettext_lazy as _

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.workshop_list, name="workshops"),
    path(_("workshop/<str:code>/"), views.workshop_detail, name="workshop"),
    path(_("check-in/<int:session_id>/<str:token>/"), views.checkin, name="checkin"),
    path(_("check-in/continue/"), views.checkin_continue, name="checkin_continue"),
    path(_("session/<int:session_id>/qr/"), views.checkin_screen, name="checkin_screen"),
]
