"""Two-factor authentication: staff, trainers and administrators set up an authenticator app and
give its code after the password (site, admin, API); participants may; wrong codes are throttled
and counted; backup codes work once; administrators reset it; the demo logins still work."""

from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from lms.models import User
from lms.roles import Role
from lms.two_factor import (
    DEMO_TOTP_KEY,
    DEMO_TOTP_SECRET,
    backup_codes_regenerate,
    demo_totp_code,
    demo_totp_device_ensure,
    totp_setup_start,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
DEMO_PASSWORD = "demo-lms-2026"


@pytest.fixture(autouse=True)
def otp_required(settings):
    """The test settings switch the requirement off for the rest of the suite; here it is on."""
    settings.LMS_OTP_REQUIRED = True
    return settings


@pytest.fixture
def staff():
    return UserFactory(role=Role.PROGRAM_STAFF, email="luis.mendoza@example.pe")


@pytest.fixture
def participant():
    return UserFactory(role=Role.PARTICIPANT, email="jose.nanez@example.pe")


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the phone shows now. Each code is accepted once per 30-second step, so this
    first lets the device accept the current step again (as if the last code was long ago)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_for(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def unthrottle(device) -> None:
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)


def password_login(client, user, **extra):
    return client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, **extra
    )


def next_of(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("next", [""])[0]


def is_verified(client) -> bool:
    return "otp_device_id" in client.session


# --- Settings ---------------------------------------------------------------------------------


def test_production_requires_it_and_throttling_is_on():
    from lms.settings import base

    assert base.LMS_OTP_REQUIRED is True  # a constant: no environment variable switches it off
    assert base.OTP_TOTP_THROTTLE_FACTOR > 0
    assert base.OTP_STATIC_THROTTLE_FACTOR > 0
    middleware = base.MIDDLEWARE
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert middleware.index("lms.two_factor_middleware.TwoFactorMiddleware") > middleware.index(
        "django_otp.middleware.OTPMiddleware"
    )
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


# --- Enrolment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [Role.PROGRAM_STAFF, Role.PROGRAM_ADMIN, Role.TRAINER, "is_staff", "is_superuser"]
)
def test_staff_trainers_and_administrators_are_sent_to_set_it_up(client, kind):
    user = UserFactory(role=kind) if isinstance(kind, Role) else UserFactory(**{kind: True})

    response = password_login(client, user)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_setup"))
    assert next_of(response.url) == reverse("learning:my_learning")


def test_staff_set_up_with_qr_and_secret_then_get_ten_backup_codes_once(client, staff, english):
    password_login(client, staff)
    # Until then, the admin and the pages that need a login lead to the set-up page.
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin.url.startswith(reverse("accounts:two_factor_setup"))
    assert next_of(admin.url) == "/admin/"

    page = client.get(admin.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert len(page.context["secret"].split(" ")[0]) == 4  # grouped for typing
    # Reloading shows the same secret: a code scanned already stays good.
    assert client.get(admin.url).context["secret"] == page.context["secret"]

    wrong = client.post(admin.url, {"code": wrong_code(device), "next": "/admin/"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert not is_verified(client)

    unthrottle(device)
    done = client.post(admin.url, {"code": code_for(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=staff).count() == 10
    assert is_verified(client)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("learning:my_learning")).status_code == 200


def test_a_participant_is_not_asked_for_a_code(client, participant):
    response = password_login(client, participant)

    assert response.status_code == 302
    assert response.url == reverse("learning:my_learning")
    assert client.get(response.url).status_code == 200


def test_a_donor_is_not_asked_either():
    donor = UserFactory(role=Role.DONOR)
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"email": donor.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


# --- Verification -----------------------------------------------------------------------------


def test_staff_with_an_authenticator_give_its_code_after_the_password(client, staff):
    device = confirmed_device(staff)

    response = password_login(client, staff)
    assert response.url.startswith(reverse("accounts:two_factor_verify"))

    # Every page that needs a login leads to the code, through the login page.
    learning = client.get(reverse("learning:my_learning"), follow=True)
    assert learning.redirect_chain[-1][0].startswith(reverse("accounts:two_factor_verify"))
    assert next_of(learning.redirect_chain[-1][0]) == reverse("learning:my_learning")

    verified = client.post(response.url, {"code": code_for(device), "next": "/admin/"})
    assert verified.status_code == 302
    assert verified.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_leads_to_the_code_too(client, staff):
    confirmed_device(staff)

    login = client.post(
        reverse("wagtailadmin_login"), {"username": staff.email, "password": PASSWORD}
    )
    assert login.status_code == 302
    admin = client.get("/admin/pages/")
    assert admin.status_code == 302
    assert admin.url.startswith(reverse("accounts:two_factor_verify"))
    assert next_of(admin.url) == "/admin/pages/"


def test_before_the_code_public_pages_logout_and_verification_keep_working(client, staff):
    confirmed_device(staff)
    password_login(client, staff)

    privacy = client.get(reverse("privacy"))
    assert privacy.status_code == 200
    assert privacy.context["request"].user.is_anonymous  # shown as to a visitor
    assert client.get("/v/").status_code == 200
    # The login page itself leads to the code (no second login half-way).
    assert client.get(reverse("accounts:login")).url.startswith(
        reverse("accounts:two_factor_verify")
    )
    logout = client.post(reverse("accounts:logout"))
    assert logout.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_participant_who_turned_it_on_gives_the_code(client, participant):
    device = confirmed_device(participant)

    response = password_login(client, participant)

    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    assert client.post(response.url, {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("learning:my_learning")).status_code == 200


def test_wrong_codes_are_refused_and_throttled(client, staff, english):
    device = confirmed_device(staff)
    password_login(client, staff)
    url = reverse("accounts:two_factor_verify")

    wrong = client.post(url, {"code": wrong_code(device)})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    # Straight after a wrong code even the right one must wait (1 s, then 2, 4, 8...).
    throttled = client.post(url, {"code": code_for(device)})
    assert "Too many wrong codes" in throttled.content.decode()
    assert not is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    unthrottle(device)
    client.post(url, {"code": "000 000" if code_for(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 2
    assert client.get("/admin/").status_code == 302

    unthrottle(device)
    assert client.post(url, {"code": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_count_as_failed_logins(client, staff, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    device = confirmed_device(staff)
    password_login(client, staff)
    url = reverse("accounts:two_factor_verify")

    for _ in range(2):
        unthrottle(device)
        assert client.post(url, {"code": wrong_code(device)}).status_code == 200
    unthrottle(device)
    locked = client.post(url, {"code": wrong_code(device)})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session  # the half-open session ended
    assert password_login(client, staff).status_code == 429


def test_wrong_codes_at_the_api_token_count_as_failed_logins(staff, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    device = confirmed_device(staff)
    for _ in range(2):
        unthrottle(device)
        response = token_request(email=staff.email, password=PASSWORD, otp=wrong_code(device))
        assert response.status_code == 400
    unthrottle(device)
    locked = token_request(email=staff.email, password=PASSWORD, otp=wrong_code(device))
    assert locked.status_code == 429
    unthrottle(device)
    assert (
        token_request(email=staff.email, password=PASSWORD, otp=code_for(device)).status_code == 429
    )


def test_a_backup_code_works_once(client, staff):
    confirmed_device(staff)
    codes = backup_codes_regenerate(user=staff)
    url = reverse("accounts:two_factor_verify")

    password_login(client, staff)
    # Typed as shown (grouped, any case).
    used = client.post(url, {"code": f"{codes[0][:4].upper()} {codes[0][4:]}"}, follow=True)
    assert used.redirect_chain
    assert is_verified(client)
    assert "9" in " ".join(str(m) for m in used.context["messages"])
    assert StaticToken.objects.filter(device__user=staff).count() == 9

    client.post(reverse("accounts:logout"))
    password_login(client, staff)
    again = client.post(url, {"code": codes[0]})
    assert again.status_code == 200
    assert not is_verified(client)


# --- API --------------------------------------------------------------------------------------


def token_request(**data):
    # The API answers in the language the client asks for (Spanish by default).
    return APIClient().post(
        "/api/v1/auth/token/", data, format="json", headers={"accept-language": "en"}
    )


def test_the_api_token_needs_the_code_for_staff(staff):
    device = confirmed_device(staff)

    missing = token_request(email=staff.email, password=PASSWORD)
    assert missing.status_code == 400
    assert "otp" in missing.json()
    assert "token" not in missing.json()

    wrong = token_request(email=staff.email, password=PASSWORD, otp=wrong_code(device))
    assert wrong.status_code == 400
    assert "otp" in wrong.json()

    unthrottle(device)
    right = token_request(email=staff.email, password=PASSWORD, otp=code_for(device))
    assert right.status_code == 200, right.content
    token = right.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["email"] == staff.email


def test_the_api_token_accepts_a_backup_code_once(staff):
    confirmed_device(staff)
    code = backup_codes_regenerate(user=staff)[0]

    assert token_request(email=staff.email, password=PASSWORD, otp=code).status_code == 200
    assert token_request(email=staff.email, password=PASSWORD, otp=code).status_code == 400


def test_staff_without_an_authenticator_are_told_to_set_it_up_on_the_site(staff, english):
    response = token_request(email=staff.email, password=PASSWORD, otp="123456")

    assert response.status_code == 400
    assert "set it up" in " ".join(response.json()["otp"])


def test_a_participant_gets_a_token_without_a_code(participant):
    assert token_request(email=participant.email, password=PASSWORD).status_code == 200


def test_a_session_is_refused_by_the_api_until_the_code(client, staff, english):
    device = confirmed_device(staff)
    password_login(client, staff)

    refused = client.get("/api/v1/me/", headers={"accept-language": "en"})
    assert refused.status_code == 403
    assert "two-factor" in refused.json()["detail"].lower()

    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})
    assert client.get("/api/v1/me/").status_code == 200


def test_the_schema_documents_the_otp_field(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", stdout=out)
    component = yaml.safe_load(out.getvalue())["components"]["schemas"]["TokenRequestRequest"]

    assert component["properties"]["otp"]["type"] == "string"
    assert "authenticator" in component["properties"]["otp"]["description"]
    assert component["required"] == ["email", "password"]  # otp only for those who use it


# --- Account security page --------------------------------------------------------------------


def test_a_participant_turns_it_on_and_off_from_the_security_page(client, participant, english):
    client.force_login(participant)
    security = client.get(reverse("accounts:security"))
    assert security.status_code == 200
    assert "Off." in security.content.decode()

    setup_url = reverse("accounts:two_factor_setup")
    client.get(setup_url)
    device = TOTPDevice.objects.get(user=participant)
    done = client.post(setup_url, {"code": code_for(device), "next": reverse("accounts:security")})
    assert len(done.context["codes"]) == 10

    on = client.get(reverse("accounts:security")).content.decode()
    assert "On." in on and "10 backup codes left" in on

    new_codes = client.post(reverse("accounts:two_factor_backup_codes"))
    assert len(new_codes.context["codes"]) == 10
    assert not set(new_codes.context["codes"]) & set(done.context["codes"])

    refused = client.post(reverse("accounts:two_factor_disable"), {"code": wrong_code(device)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=participant).exists()

    unthrottle(device)
    off = client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device)})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=participant).exists()
    assert not StaticDevice.objects.filter(user=participant).exists()


def test_staff_cannot_turn_it_off(client, staff):
    device = confirmed_device(staff)
    password_login(client, staff)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})

    page = client.get(reverse("accounts:security"))
    assert page.status_code == 200
    assert page.context["turn_off_form"] is None
    client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_replacing_the_authenticator_needs_the_current_code_first(client, staff):
    old = confirmed_device(staff)
    password_login(client, staff)

    response = client.get(reverse("accounts:two_factor_setup"))
    assert response.url.startswith(reverse("accounts:two_factor_verify"))

    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(old)})
    client.get(reverse("accounts:two_factor_setup"))
    new = totp_setup_start(user=staff)
    client.post(reverse("accounts:two_factor_setup"), {"code": code_for(new)})
    assert list(TOTPDevice.objects.filter(user=staff)) == [new]


# --- Administrators' reset ----------------------------------------------------------------------


def test_otp_reset_removes_the_devices_and_staff_set_it_up_again(client, staff):
    device = confirmed_device(staff)
    backup_codes_regenerate(user=staff)
    password_login(client, staff)
    client.post(reverse("accounts:two_factor_verify"), {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200

    out = StringIO()
    call_command("otp_reset", staff.email.upper(), stdout=out)

    assert staff.email in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    # The session verified with the removed authenticator is verified no more.
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin.url.startswith(reverse("accounts:two_factor_setup"))


def test_otp_reset_of_an_unknown_email_fails_loudly():
    with pytest.raises(CommandError):
        call_command("otp_reset", "nadie@example.pe", stdout=StringIO())


# --- Demo -------------------------------------------------------------------------------------


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", participants=2, seed=1, registry_only=True, stdout=out)
    return out.getvalue()


def test_demo_staff_log_in_with_the_published_demo_authenticator(client):
    output = seed_demo()

    assert DEMO_TOTP_SECRET[:4] in output and "demo_otp" in output
    for email in ("superuser@demo.pe", "admin@demo.pe", "staff@demo.pe", "trainer@demo.pe"):
        device = TOTPDevice.objects.get(user__email=email, confirmed=True)
        assert device.key == DEMO_TOTP_KEY
    for email in ("participant@demo.pe", "donor@demo.pe"):
        assert not TOTPDevice.objects.filter(user__email=email).exists()

    code = StringIO()
    call_command("demo_otp", stdout=code)
    assert code.getvalue().strip() == demo_totp_code()

    staff = User.objects.get(email="staff@demo.pe")
    login = client.post(
        reverse("accounts:login"), {"username": staff.email, "password": DEMO_PASSWORD}
    )
    assert login.url.startswith(reverse("accounts:two_factor_verify"))
    assert client.post(login.url, {"code": demo_totp_code(), "next": "/admin/"}).url == "/admin/"
    assert client.get("/admin/").status_code == 200

    # Seeding again keeps the same authenticator (a phone that has it keeps working).
    seed_demo()
    assert TOTPDevice.objects.get(user=staff).key == DEMO_TOTP_KEY


def test_demo_without_two_factor_where_it_is_switched_off(client, otp_required):
    seed_demo()
    otp_required.LMS_OTP_REQUIRED = False
    output = seed_demo()

    assert "LMS_OTP_REQUIRED" in output
    assert not TOTPDevice.objects.filter(user__email__endswith="@demo.pe").exists()
    staff = User.objects.get(email="staff@demo.pe")
    client.post(reverse("accounts:login"), {"username": staff.email, "password": DEMO_PASSWORD})
    assert client.get("/admin/").status_code == 200


def test_the_published_demo_authenticator_is_refused_where_demo_data_is_not_allowed(
    settings, staff
):
    settings.LMS_ALLOW_DEMO_DATA = False

    with pytest.raises(ImproperlyConfigured):
        demo_totp_device_ensure(user=staff)
    with pytest.raises(CommandError):
        call_command("demo_otp", stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=staff).exists()
