"""Accounts: Argon2 hashes, passphrase-friendly password rules, sessions that end, and login
throttling on every door (the site, the admin and the API token)."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from lms.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "una frase larga y fácil de recordar en Huaraz"


def test_passwords_are_hashed_with_argon2_in_every_setting_but_the_tests(settings):
    from lms.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    hashed = make_password(PASSWORD)
    assert hashed.startswith("argon2$argon2id$")
    assert identify_hasher(hashed).algorithm == "argon2"


def test_long_passphrases_pass_and_short_numeric_or_huge_ones_do_not():
    validate_password(PASSWORD)  # 46 characters, spaces and accents: welcome
    validate_password("x" * 30 + " " + "y" * 900)
    with pytest.raises(ValidationError):
        validate_password("corto1234")
    with pytest.raises(ValidationError):
        validate_password("482915736204")
    with pytest.raises(ValidationError) as error:
        validate_password("z" * 1025)
    assert "password_too_long" in [e.code for e in error.value.error_list]


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


@pytest.fixture
def user():
    user = UserFactory(role=Role.PROGRAM_STAFF, email="rosa.alva@example.pe")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_the_site_login_locks_one_account_from_one_address_after_repeated_failures(
    client, throttled, user
):
    url = reverse("accounts:login")
    for _ in range(2):
        response = client.post(url, {"username": user.email, "password": "wrong password!"})
        assert response.status_code == 200  # the form again, with its error
    # The third failure locks; from then on even the right password is refused.
    assert client.post(url, {"username": user.email, "password": "wrong!"}).status_code == 429
    locked = client.post(url, {"username": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert "_auth_user_id" not in client.session
    # Another address can still sign in to that account.
    other = client.post(
        url, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_admin_login_is_throttled_too(client, throttled, user):
    url = reverse("wagtailadmin_login")
    for _ in range(3):
        client.post(url, {"username": user.email, "password": "wrong password!"})
    assert client.post(url, {"username": user.email, "password": PASSWORD}).status_code == 429


def test_the_api_token_is_throttled_with_a_json_answer(api_client, throttled, user):
    url = reverse("api-token")
    for _ in range(2):
        response = api_client.post(url, {"email": user.email, "password": "wrong password!"})
        assert response.status_code == 400
    api_client.post(url, {"email": user.email, "password": "wrong password!"})
    locked = api_client.post(url, {"email": user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "detail" in locked.json()


def test_a_success_before_the_limit_starts_the_count_again(client, throttled, user):
    url = reverse("accounts:login")
    for _ in range(2):
        client.post(url, {"username": user.email, "password": "wrong password!"})
    assert client.post(url, {"username": user.email, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(2):
        client.post(url, {"username": user.email, "password": "wrong password!"})
    assert client.post(url, {"username": user.email, "password": PASSWORD}).status_code == 302


def test_sessions_end_with_the_browser_and_after_eight_hours(client, user):
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
