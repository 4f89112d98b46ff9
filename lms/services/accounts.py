"""Participant accounts: sign-up with email confirmation, invitations by staff, activation."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from lms.models import Person, User
from lms.roles import Role, assign_role


def _activation_url(user: User, base_url: str, view: str = "accounts:activate") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse(view, args=[uid, token])


def _send(user: User, template: str, context: dict) -> None:
    subject = render_to_string(f"registration/{template}_subject.txt", context).strip()
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def participant_sign_up(*, email: str, password: str, person_fields: dict, base_url: str) -> User:
    """Create an inactive login and its registry record; the emailed link activates it.

    A document that is already registered is never linked to a new login here: that would let
    anyone who knows a DNI read that person's records. Such people are invited by staff.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An account with this email already exists. Log in or reset your password."
                )
            }
        )
    probe = Person(**person_fields)
    probe.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    if Person.objects.filter(
        document_type=probe.document_type, document_number=probe.document_number
    ).exists():
        raise ValidationError(
            {
                "document_number": _(
                    "This document is already registered. Ask the program staff for an invitation to your existing record."
                )
            }
        )
    user = User.objects.create_user(
        email=email,
        password=password,
        is_active=False,
        first_name=probe.given_names[:150],
        last_name=probe.family_names[:150],
    )
    assign_role(user, Role.PARTICIPANT)
    probe.user = user
    probe.email = probe.email or email
    probe.full_clean()
    probe.save()
    transaction.on_commit(
        lambda: _send(user, "activation", {"user": user, "url": _activation_url(user, base_url)})
    )
    return user


@transaction.atomic
def participant_invite(*, person: Person, invited_by, base_url: str) -> User:
    """Create (or reuse) the login of a registered person and email a link to set a password."""
    if not person.email:
        raise ValidationError(
            {"email": _("This person has no email address to send the invitation to.")}
        )
    user = person.user
    if user is None:
        if User.objects.filter(email__iexact=person.email).exists():
            raise ValidationError({"email": _("Another login already uses this email address.")})
        user = User.objects.create_user(
            email=person.email,
            password=None,
            first_name=person.given_names[:150],
            last_name=person.family_names[:150],
        )
        assign_role(user, Role.PARTICIPANT)
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    transaction.on_commit(
        lambda: _send(
            user,
            "invitation",
            {
                "user": user,
                "person": person,
                "invited_by": invited_by,
                "url": _activation_url(user, base_url, "accounts:invitation"),
            },
        )
    )
    return user


def activation_user(uidb64: str, token: str) -> User | None:
    """The user a valid link belongs to, or None (expired, used or forged)."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    return user if default_token_generator.check_token(user, token) else None


@transaction.atomic
def account_activate(*, user: User, password: str | None = None) -> User:
    """Activate from the emailed link; invitations set the password here."""
    if password:
        user.set_password(password)
    user.is_active = True
    user.save()  # changes the password hash or last_login state, so the link cannot be reused
    return user
