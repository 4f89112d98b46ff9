"""Public account pages for participants: log in/out, sign up, activate, reset password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from lms.account_forms import SetPasswordForm, SignUpForm
from lms.services.accounts import account_activate, activation_user, participant_sign_up
from lms.two_factor import pending_step
from lms.two_factor_middleware import step_url


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # The password is only the first step for those who use two-factor authentication.
        step = pending_step(self.request.user)
        if step is None:
            return response
        return redirect(step_url(step, next_url=self.get_success_url()))


class LogoutView(auth_views.LogoutView):
    pass


class SignUpView(FormView):
    template_name = "registration/signup.html"
    form_class = SignUpForm

    def form_valid(self, form):
        try:
            participant_sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                person_fields=form.person_fields(),
                base_url=self.request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        return render(
            self.request, "registration/signup_done.html", {"email": form.cleaned_data["email"]}
        )


def activate(request, uidb64: str, token: str):
    """A sign-up link: the password was chosen at sign-up, so the link only activates."""
    user = activation_user(uidb64, token)
    if user is None or not user.has_usable_password():
        return render(request, "registration/activation_invalid.html", status=400)
    account_activate(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your account is active. Welcome!"))
    return redirect("learning:my_learning")


def accept_invitation(request, uidb64: str, token: str):
    """An invitation link always asks for a new password before logging in."""
    user = activation_user(uidb64, token)
    if user is None:
        return render(request, "registration/activation_invalid.html", status=400)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        account_activate(user=user, password=form.cleaned_data["password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set. Welcome!"))
        return redirect("learning:my_learning")
    return render(request, "registration/set_password.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/set_password.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed. You can log in now."))
        return super().form_valid(form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login while the account is locked for this address (429)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    retry = {"Retry-After": str(minutes * 60)}
    if request.path.startswith("/api/"):
        detail = _("Too many failed attempts. Try again in %(minutes)s minutes.") % {
            "minutes": minutes
        }
        return JsonResponse({"detail": detail}, status=429, headers=retry)
    response = render(
        request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429
    )
    response["Retry-After"] = retry["Retry-After"]
    return response
