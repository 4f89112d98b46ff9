"""Who reaches what: every URL of our apps, for every role, against tests/permissions_matrix.py.

The URLs are found by walking the resolver (views whose module is in one of our apps, the
Wagtail admin screens our hooks register included); a URL without an entry fails
``test_every_url_of_our_apps_has_an_entry``. Objects are built once for the module (``world``),
each request runs in its own savepoint, so writes by allowed roles never leak into other cases.
"""

from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessments.models import Completion
from assessments.services import attempt_start, attempt_submit
from attendance.feeds import person_feed_token
from attendance.services import register
from attendance.tokens import make_checkin_token
from certificates.services import certificate_issue, certificate_pdf_store, eligible_completions
from courses.selectors import course_lessons
from courses.services import enrol
from lms.models import AuditEvent, Consent, ConsentText, DataRequest, Institution, Job
from lms.services.people import consent_record
from lms.services.privacy import data_request_submit
from tests.assessments.factories import build_assessment, single
from tests.attendance.factories import build_workshop
from tests.certificates.factories import completed_workshop, default_templates
from tests.factories import PersonFactory, UserFactory
from tests.permissions_matrix import (
    ANONYMOUS,
    CLASSMATE,
    HOLDER,
    MATRIX,
    NOT_TO_SEE,
    OK,
    REPRESENTATIVE,
    ROLES,
    STRANGER,
    Entry,
    Outcome,
)

OUR_APPS = ("lms", "courses", "attendance", "assessments", "certificates", "reports")
FAKE_PDF = b"%PDF-1.4\n% stored by the permissions matrix: no rendering needed\n%%EOF\n"


# --- Walking the URLs -----------------------------------------------------------------------


def _view_module(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return view.__module__


def _walk(resolver: URLResolver, prefix: str = "", namespaces: tuple = ()):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else route
            yield name, route, _view_module(pattern.callback)


def our_urls() -> dict[str, list[str]]:
    """{URL name: [routes]} of the views in our apps (DRF's ``.<format>`` twins share a name)."""
    found: dict[str, list[str]] = {}
    for name, route, module in _walk(get_resolver()):
        if module.split(".")[0] in OUR_APPS:
            found.setdefault(name, []).append(route)
    return found


def all_url_names() -> set[str]:
    return {name for name, _route, _module in _walk(get_resolver())}


def test_every_url_of_our_apps_has_an_entry():
    missing = {name: routes for name, routes in our_urls().items() if name not in MATRIX}
    assert not missing, (
        "These URL patterns have no entry in tests/permissions_matrix.py MATRIX; add one that "
        "says what each role gets (see the module docstring):\n"
        + "\n".join(f"  {name!r}: {' | '.join(routes)}" for name, routes in sorted(missing.items()))
    )


def test_no_entry_for_a_url_that_is_gone():
    ours = our_urls().keys()
    stale = sorted(MATRIX.keys() - ours)
    assert not stale, f"MATRIX has entries for URLs our apps no longer have: {stale}"
    gone = sorted(REPRESENTATIVE.keys() - all_url_names())
    assert not gone, f"REPRESENTATIVE has entries for URLs that no longer exist: {gone}"
    overlap = sorted(REPRESENTATIVE.keys() & ours)
    assert not overlap, f"Move these to MATRIX, they are our views: {overlap}"


def test_every_entry_names_every_role():
    incomplete = {
        name: sorted(ROLES.keys() - entry.expect.keys())
        for name, entry in MATRIX.items()
        if entry.expect.keys() != ROLES.keys()
    }
    assert not incomplete, f"Entries without an outcome for these roles: {incomplete}"


# --- The cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    role: str
    label: str
    entry: Entry
    method: str
    kwargs: dict
    data: dict
    outcome: Outcome

    def __str__(self):
        tag = f"{self.role}-{self.label}" if self.label else self.role
        return f"{self.name}[{tag}]"


def _cases() -> list[Case]:
    cases = []
    for name, entry in [*MATRIX.items(), *REPRESENTATIVE.items()]:
        for role, outcome in entry.expect.items():
            cases.append(
                Case(
                    name, role, entry.label, entry, entry.method, entry.kwargs, entry.data, outcome
                )
            )
        for variant in entry.variants:
            for role, outcome in variant.expect.items():
                cases.append(
                    Case(
                        name,
                        role,
                        variant.label,
                        entry,
                        variant.method or entry.method,
                        entry.kwargs if variant.kwargs is None else variant.kwargs,
                        entry.data if variant.data is None else variant.data,
                        outcome,
                    )
                )
    return cases


CASES = _cases()


def test_case_ids_are_unique():
    # pytest would number duplicates silently; a failure must name the case it is about.
    ids = [str(case) for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _resolve(value, world):
    if callable(value):
        return value(world)
    for attribute in value.split("."):
        world = getattr(world, attribute)
    return world


def _path(url: str) -> str:
    return urlsplit(url).path


def outcome_of(response, world) -> str:
    """The response in the matrix's words, for the failure message and the comparison."""
    status = response.status_code
    if status in (301, 302):
        target = _path(response["Location"])
        if target == world.login_path:
            return "302 to the site login"
        if target == world.admin_login_path:
            return "302 to the admin login"
        if target == world.admin_home_path:
            return "302 to the admin home"
        return f"redirect to {target}"
    return str(status)


def matches(outcome: Outcome, response, world) -> bool:
    actual = outcome_of(response, world)
    if outcome.kind == "allowed":
        refused = ("302 to the site login", "302 to the admin login", "302 to the admin home")
        return actual not in (*refused, "401", "403", "404", "405") and response.status_code < 500
    if outcome.kind == "redirect":
        target = outcome.target
        expected = target if target.startswith("/") else _path(_resolve(target, world))
        return actual == f"redirect to {expected}"
    return actual == outcome.kind


# --- The objects ----------------------------------------------------------------------------


def build_world() -> SimpleNamespace:
    """A workshop the trainer trains (the participant and a classmate completed it, with
    certificates), one the trainer does not train (a stranger's), a workshop on today, an
    online assessment with attempts, jobs, a consent, a login waiting for activation."""
    w = SimpleNamespace()
    w.users = {key: UserFactory(role=role) for key, role in ROLES.items() if role is not None}
    trainer, participant = w.users["trainer"], w.users["participant"]
    w.template = default_templates()["es"]

    w.workshop_own = completed_workshop(
        code="PERM-OWN", names=[("Rosa", HOLDER), ("Luis", CLASSMATE)]
    )
    w.workshop_own.trainers.add(trainer)
    w.workshop_other = completed_workshop(code="PERM-OTH", names=[("Ana", STRANGER)])
    w.registration_own, classmate_registration = w.workshop_own.registrations.order_by(
        "person__family_names"
    )
    w.registration_other = w.workshop_other.registrations.get()
    w.person = w.registration_own.person
    w.person.user = participant
    w.person.save()
    w.classmate = classmate = classmate_registration.person
    w.session_own = w.workshop_own.sessions.order_by("number").first()
    w.session_other = w.workshop_other.sessions.order_by("number").first()
    w.completion_own = Completion.objects.get(registration=w.registration_own)

    for workshop in (w.workshop_own, w.workshop_other):
        for completion in eligible_completions(workshop):
            certificate = certificate_issue(completion=completion, render=False).certificate
            certificate_pdf_store(certificate, FAKE_PDF)
    w.certificate_own = w.registration_own.certificates.get()
    w.certificate_classmate = classmate_registration.certificates.get()
    w.certificate_other = w.registration_other.certificates.get()

    # On today: check-in, the projected QR, the scanner, public pages and feeds.
    w.workshop_today = build_workshop(code="PERM-HOY", status="open")
    w.workshop_today.trainers.add(trainer)
    register(workshop=w.workshop_today, person=w.person)
    w.session_today = w.workshop_today.sessions.order_by("number").first()
    w.workshop_open_other = build_workshop(code="PERM-HOY-B", status="open")
    w.session_open_other = w.workshop_open_other.sessions.order_by("number").first()
    # Made at request time: a token lives 20 to 40 seconds.
    w.checkin_token = make_checkin_token

    # Online: the participant is enrolled in the course of the workshop they attended.
    w.course = w.workshop_own.course
    w.lesson_first, w.lesson_second, *_rest = course_lessons(w.course)
    w.enrolment = enrol(person=w.person, course=w.course)
    w.assessment = build_assessment(w.course, questions=[single()], attempts_allowed=0)
    w.assessment_other = build_assessment(w.workshop_other.course, questions=[single()])
    w.attempt_done = attempt_submit(attempt=attempt_start(assessment=w.assessment, person=w.person))
    w.attempt_open = attempt_start(assessment=w.assessment, person=w.person)
    w.attempt_classmate_done = attempt_submit(
        attempt=attempt_start(assessment=w.assessment, person=classmate)
    )
    w.attempt_classmate_open = attempt_start(assessment=w.assessment, person=classmate)

    w.job_trainer = Job.objects.create(name="certificates.issue_workshop", created_by=trainer)
    w.job_staff = Job.objects.create(name="lms.import_participants", created_by=w.users["staff"])
    w.consent = consent_record(
        person=w.person,
        text=ConsentText.objects.filter(purpose="ethnicity", language="es").first(),
        method=Consent.Method.PAPER,
    )
    w.consent_classmate = consent_record(
        person=classmate,
        text=ConsentText.objects.filter(purpose="ethnicity", language="es").first(),
        method=Consent.Method.PAPER,
    )
    w.feed_token = person_feed_token(w.person)
    # Built when a case asks (inside its savepoint).
    w.audit_event = lambda: AuditEvent.objects.order_by("seq").first()
    w.data_request = lambda: data_request_submit(
        person=w.person, kind=DataRequest.Kind.OPPOSITION, details="No más correos."
    )
    # Deletable: nothing refers to them.
    w.person_bare = PersonFactory()
    w.institution_bare = Institution.objects.create(code="perm-bare", name="Sin personas")

    pending = UserFactory(is_active=False)
    w.pending_uid = urlsafe_base64_encode(force_bytes(pending.pk))
    w.pending_token = default_token_generator.make_token(pending)

    with translation.override("es"):
        w.login_path = reverse("accounts:login")
        w.my_learning_url = reverse("learning:my_learning")
        w.attempt_open_url = reverse("assessments:attempt", args=[w.attempt_open.pk])
        w.my_consents_url = reverse("privacy:consents")
    w.admin_login_path = reverse("wagtailadmin_login")
    w.admin_home_path = reverse("wagtailadmin_home")
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once; rolled back after the module (each case runs in a savepoint inside)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # Two-factor login is tested in tests/lms/test_two_factor.py; here force_login is the login.
    settings.LMS_OTP_REQUIRED = False


def _send(client, case: Case, world):
    kwargs = {key: _resolve(value, world) for key, value in case.kwargs.items()}
    data = {key: _resolve(value, world) for key, value in case.data.items()}
    with translation.override("es"):
        url = case.entry.url(world) if case.entry.url else reverse(case.name, kwargs=kwargs)
    if case.method in ("get", "post"):
        # POST as a form (multipart): what the site's forms send, and every API parser reads.
        return getattr(client, case.method)(url, data)
    return getattr(client, case.method)(url, data, content_type="application/json")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permissions(case, world, db, client):
    if case.role != ANONYMOUS:
        client.force_login(world.users[case.role])
    response = _send(client, case, world)
    assert matches(case.outcome, response, world), (
        f"{case.method.upper()} {case} expected {case.outcome}, got {outcome_of(response, world)}"
    )
    # Reached is not enough: a page of someone's records must not show other people's.
    if response.status_code == 200 and case.entry.expect.get(ANONYMOUS) != OK:
        body = b"" if response.streaming else response.content
        shown = [name for name in NOT_TO_SEE.get(case.role, ()) if name.encode() in body]
        assert not shown, f"{case.method.upper()} {case} shows {shown} to the {case.role}"
