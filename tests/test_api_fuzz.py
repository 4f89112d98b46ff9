"""Fuzz the REST API from its own OpenAPI schema (schemathesis): no 5xx, no door left open.

Every operation of /api/v1/schema/ is called with generated data, once as program staff with a
token (no server error; responses match their documented schema) and once without credentials
(refused, unless public by design). Path parameters are either generated or point at a real
record, so the views get past their 404s. Examples are few and derandomised: CI stays quick and
repeatable, and a failure prints the request to replay.
"""

import re
from urllib.parse import unquote

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from courses.models import Enrolment
from courses.services import enrol
from lms.models import ConsentText, Job
from lms.roles import Role
from lms.services.people import consent_record
from lms.wsgi import application
from tests.attendance.factories import build_workshop
from tests.courses.factories import build_course
from tests.factories import PersonFactory, UserFactory

# Operations anyone may call, by design: certificate verification (printed as a QR code), the
# token exchange (it checks the password itself) and the published course catalogue.
PUBLIC = {
    "GET /api/v1/verify/{identifier}",
    "POST /api/v1/auth/token/",
    "GET /api/v1/courses/",
    "GET /api/v1/courses/{code}/",
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 29733,
        "generation": {
            "deterministic": True,
            "database": "none",
            # Credentials are ours to send (or not); generated ones would only test the parser.
            "with-security-parameters": False,
        },
        # The fuzzing phase alone: the schema's examples and the coverage sweep multiply the run
        # time by ten for little more than the fuzzing already finds.
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        # Fixtures are per operation, not per example, on purpose: one small world per operation.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Path parameters of real records, per resource (first path segment), set by the `world`
# fixture before the examples of an operation are generated.
KNOWN: dict[str, dict[str, str]] = {}


def _resource(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    known = KNOWN.get(_resource(context.operation.path), {})
    real = {name: known[name] for name in path_parameters or () if name in known}
    if not real:
        return st.just(path_parameters)
    return st.sampled_from([{**path_parameters, **real}, path_parameters])


def _workshop_world(staff) -> dict[str, str]:
    workshop = build_workshop(code="FUZ-2026-001")
    PersonFactory()  # someone not registered, for the registration endpoints
    return {"code": workshop.code, "session_id": str(workshop.sessions.first().pk)}


def _participant_world(staff) -> dict[str, str]:
    person = PersonFactory()
    text = ConsentText.objects.filter(purpose="ethnicity", language="es").first()
    consent = consent_record(person=person, text=text, method="paper", recorded_by=staff)
    return {"public_id": str(person.public_id), "consent_id": str(consent.pk)}


def _enrolment_world(staff) -> dict[str, str]:
    course, _lessons = build_course(code="FUZ-101")
    enrolment = enrol(
        person=PersonFactory(), course=course, source=Enrolment.Source.API, enrolled_by=staff
    )
    return {"id": str(enrolment.pk)}


def _course_world(staff) -> dict[str, str]:
    course, _lessons = build_course(code="FUZ-101")
    return {"code": course.code}


def _job_world(staff) -> dict[str, str]:
    return {"id": str(Job.objects.create(name="fuzz", created_by=staff).pk)}


WORLDS = {
    "workshops": _workshop_world,
    "sessions": _workshop_world,
    "participants": _participant_world,
    "enrolments": _enrolment_world,
    "courses": _course_world,
    "jobs": _job_world,
    # Seeded by the data migrations.
    "institutions": lambda staff: {"code": "poder-judicial"},
    "positions": lambda staff: {"code": "juez"},
    "regions": lambda staff: {"code": "15"},
    "attendance-marks": lambda staff: {"code": "present"},
}


@pytest.fixture
def staff_token(db):
    return Token.objects.create(user=UserFactory(role=Role.PROGRAM_STAFF))


@pytest.fixture
def world(request, staff_token):
    """The records the operation's path can point at, and requests served in this transaction.

    The WSGI handler closes the database connection after each request (and with it the test's
    transaction); Django's own test client disconnects that signal too.
    """
    path = re.search(r"\[\w+ ([^\]]+)\]", request.node.name)[1]
    build = WORLDS.get(_resource(path))
    KNOWN.clear()
    if build:
        KNOWN[_resource(path)] = build(staff_token.user)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    KNOWN.clear()


@schema.parametrize()
@_settings(examples=15)
def test_staff_get_no_server_error_and_documented_responses(case, staff_token, world):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token.key}"},
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
    )


def _routed(path: str) -> bool:
    try:
        match = resolve(unquote(path))
    except Resolver404:
        return False
    # "/positions/0.0/" resolves as the code "0" with the format suffix ".0": DRF answers 404
    # for a format it cannot render before it looks at credentials. Nothing is there to leak.
    suffix = match.kwargs.get("format")
    return suffix is None or suffix in {r.format for r in api_settings.DEFAULT_RENDERER_CLASSES}


# Whether a request is refused does not depend on its body: fewer examples are enough.
@schema.parametrize()
@_settings(examples=8)
def test_anonymous_callers_are_refused(case, world):
    response = case.call()
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: server error {response.status_code}"
    if f"{case.method} {case.path}" in PUBLIC:
        return
    if response.status_code == 404 and not _routed(case.formatted_path):
        return  # no such address (e.g. "0.5" for a number): nothing answered, nothing leaked
    assert response.status_code in (401, 403), (
        f"{where} answered {response.status_code} without credentials"
    )


HUGE = "99999999999999999999"  # beyond a 64-bit integer: PostgreSQL refuses it in a query


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/participants/{HUGE}/",
        f"/api/v1/enrolments/{HUGE}/",
        f"/api/v1/jobs/{HUGE}/",
        f"/api/v1/sessions/{HUGE}/attendance/",
        f"/api/v1/institutions/{HUGE}/",
        f"/api/v1/workshops/{HUGE}/",
        f"/api/v1/certificates/{HUGE}/",
    ],
)
def test_out_of_range_ids_are_not_found(staff_api, path):
    assert staff_api.get(path).status_code == 404
