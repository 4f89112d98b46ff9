from django.urls import path
from django.utils.translation import gettext_lazy as _

from lms import account_views as views

app_name = "accounts"

urlpatterns = [
    path(_("login/"), views.LoginView.as_view(), name="login"),
    path(_("logout/"), views.LogoutView.as_view(), name="logout"),
    path(_("sign-up/"), views.SignUpView.as_view(), name="signup"),
    path(_("activate/<uidb64>/<token>/"), views.activate, name="activate"),
    path(_("invitation/<uidb64>/<token>/"), views.accept_invitation, name="invitation"),
    path(_("password-reset/"), views.PasswordResetView.as_view(), name="password_reset"),
    path(
        _("password-reset/sent/"), views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        _("password-reset/<uidb64>/<token>/"),
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
