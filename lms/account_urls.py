from django.urls import path
from django.utils.translation import gettext_lazy as _

from lms import account_views as views
from lms import two_factor_views

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
    path(_("two-factor/"), two_factor_views.setup, name="two_factor_setup"),
    path(_("two-factor/code/"), two_factor_views.verify, name="two_factor_verify"),
    path(_("security/"), two_factor_views.security, name="security"),
    path(
        _("security/backup-codes/"),
        two_factor_views.backup_codes,
        name="two_factor_backup_codes",
    ),
    path(_("security/two-factor/off/"), two_factor_views.turn_off, name="two_factor_disable"),
]
