"""The permissions matrix as data: for every URL of our apps, what each role gets.

``MATRIX`` is keyed by URL name as ``reverse`` takes it (``"attendance:checkin"``,
``"workshop-detail"``); a DRF name with a ``.<format>`` twin shares its entry (same view). An
``Entry`` names the outcome for each of the six ``ROLES`` on the objects of the test's ``world``
(URL kwargs are paths into it, like ``"workshop_own.pk"``), and ``Variant``s repeat the request on
other objects or with another method for the roles they list: a trainer on a workshop they do not
train, a participant on a classmate's certificate, a POST next to a GET.

To add an entry: pick a profile (``admin_page``, ``api``, ``site``, ``public``), override the
roles that differ, add a variant for each object-level rule. Outcomes are exact (``OK`` is 200,
``NOT_FOUND`` 404...) except ``ALLOWED``: reached, whatever the answer to a minimal body.
Besides the outcome, a 200 on a non-public page must not show the people in ``NOT_TO_SEE``.

``REPRESENTATIVE`` holds a few checks of URLs that are not ours (Wagtail, DRF, drf-spectacular).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lms.roles import Role
from reports.models import Indicator

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"
TRAINER = "trainer"
STAFF = "staff"
DONOR = "donor"
ADMIN = "admin"

# None: no login. The others are the roles of lms.roles given to a fresh user.
ROLES: dict[str, Role | None] = {
    ANONYMOUS: None,
    PARTICIPANT: Role.PARTICIPANT,
    TRAINER: Role.TRAINER,
    STAFF: Role.PROGRAM_STAFF,
    DONOR: Role.DONOR,
    ADMIN: Role.PROGRAM_ADMIN,
}


# --- Outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a response must be. ``kind`` is checked by the test (see ``outcome_of``)."""

    kind: str
    target: str | None = None  # for "redirect": a path ("/") or a path into the world

    def __str__(self):
        return f"redirect to {self.target}" if self.kind == "redirect" else self.kind


OK = Outcome("200")
# Reached: the view ran and answered (2xx, 3xx that is not a refusal, or 400 for a minimal
# body). For POST/PUT with an empty body: authorization is the point here, not validation.
ALLOWED = Outcome("allowed")
LOGIN = Outcome("302 to the site login")
ADMIN_LOGIN = Outcome("302 to the admin login")  # anonymous, or no wagtailadmin.access_admin
ADMIN_DENIED = Outcome("302 to the admin home")  # in the admin, but PermissionDenied
UNAUTHORIZED = Outcome("401")
FORBIDDEN = Outcome("403")
NOT_FOUND = Outcome("404")
NOT_ALLOWED = Outcome("405")


def redirect_to(target: str) -> Outcome:
    """A redirect that is the answer itself (e.g. "not enrolled: back to the course page")."""
    return Outcome("redirect", target)


def fixed(value: Any) -> Callable:
    """A URL kwarg that is a constant, not a path into the world."""
    return lambda world: value


# People of the world, by family names: what a page a role reaches must not show them.
HOLDER = "Alva Quispe"  # the participant: completed the trainer's workshop
CLASSMATE = "Benites Rojas"  # in the same workshop
STRANGER = "Condori Mamani"  # in a workshop the trainer does not train
NOT_TO_SEE = {
    TRAINER: (STRANGER,),
    PARTICIPANT: (CLASSMATE, STRANGER),
    DONOR: (HOLDER, CLASSMATE, STRANGER),
}


# --- Entries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """The same URL on other objects or with another method, for the roles listed."""

    label: str
    expect: dict[str, Outcome]
    kwargs: dict[str, str | Callable] | None = None
    method: str | None = None
    data: dict[str, str | Callable] | None = None


@dataclass(frozen=True)
class Entry:
    expect: dict[str, Outcome]
    kwargs: dict[str, str | Callable] = field(default_factory=dict)
    method: str = "get"
    data: dict[str, str | Callable] = field(default_factory=dict)  # the body, as kwargs
    label: str = ""  # e.g. "own": the objects in kwargs are the trainer's / participant's
    variants: tuple[Variant, ...] = ()
    url: Callable | None = None  # a URL not built by reverse (a Wagtail page)


def _profile(**defaults: Outcome) -> Callable[..., dict[str, Outcome]]:
    def build(**overrides: Outcome) -> dict[str, Outcome]:
        unknown = overrides.keys() - ROLES.keys()
        assert not unknown, unknown
        return {**defaults, **overrides}

    return build


# Our Wagtail admin views: no access_admin sends to the admin login; staff-only by default.
admin_page = _profile(
    anonymous=ADMIN_LOGIN,
    participant=ADMIN_LOGIN,
    donor=ADMIN_LOGIN,
    trainer=ADMIN_DENIED,
    staff=OK,
    admin=OK,
)
# The REST API: staff-only by default, 401 without credentials.
api = _profile(
    anonymous=UNAUTHORIZED,
    participant=FORBIDDEN,
    donor=FORBIDDEN,
    trainer=FORBIDDEN,
    staff=OK,
    admin=OK,
)
# Site pages behind a login that every logged-in user reaches.
site = _profile(anonymous=LOGIN, participant=OK, donor=OK, trainer=OK, staff=OK, admin=OK)
# Public by design: everyone gets the same answer.
public = _profile(anonymous=OK, participant=OK, donor=OK, trainer=OK, staff=OK, admin=OK)


# A participant's own data: a login without a participant record is told so (404).
my_data = _profile(
    anonymous=LOGIN,
    participant=OK,
    donor=NOT_FOUND,
    trainer=NOT_FOUND,
    staff=NOT_FOUND,
    admin=NOT_FOUND,
)


def _indicator():
    """An indicator of the catalogue (made inside the case's savepoint)."""
    indicator, _created = Indicator.objects.get_or_create(
        code="PERM-1",
        version=1,
        defaults={
            "name": "Personas",
            "definition": "—",
            "level": "output",
            "unit": "people",
            "measure": "reached",
        },
    )
    return indicator


def public_all(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


ADD_PERSON = "/admin/workshops/registrations/add-person/"
CLASSMATE_DOCUMENT = {"document_type": fixed("1"), "document_number": "classmate.document_number"}
OWN_SESSION = {"session_id": "session_own.pk"}
OTHER_SESSION = {"session_id": "session_other.pk"}
OWN_SESSION_PK = {"pk": "session_own.pk"}
OTHER_SESSION_PK = {"pk": "session_other.pk"}
OWN_WORKSHOP = {"pk": "workshop_own.pk"}
OTHER_WORKSHOP = {"pk": "workshop_other.pk"}
OWN_CODE = {"code": "workshop_own.code"}
OTHER_CODE = {"code": "workshop_other.code"}
PERSON = {"public_id": "person.public_id"}
# Logins without a participant record (or not enrolled): sent back to the course page.
NOT_ENROLLED = dict.fromkeys((DONOR, TRAINER, STAFF, ADMIN), redirect_to("course.url"))
# certificate_own: the participant's, in the workshop the trainer trains.
OWN_CERTIFICATE = {"identifier": "certificate_own.identifier"}
CLASSMATE_CERTIFICATE = {"identifier": "certificate_classmate.identifier"}
OTHER_CERTIFICATE = {"identifier": "certificate_other.identifier"}


def _holder_download() -> Entry:
    """A certificate's file for its holder: their trainer and staff may fetch it too."""
    return Entry(
        site(donor=NOT_FOUND),
        OWN_CERTIFICATE,
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND, TRAINER: OK}, CLASSMATE_CERTIFICATE),
            Variant(
                "other", {PARTICIPANT: NOT_FOUND, TRAINER: NOT_FOUND, STAFF: OK}, OTHER_CERTIFICATE
            ),
        ),
    )


def trainer_other(outcome: Outcome, kwargs: dict, **more: Outcome) -> Variant:
    """A workshop (or its session, registration...) the trainer does not train."""
    return Variant("other", {TRAINER: outcome, STAFF: more.pop("staff", OK), **more}, kwargs)


def as_method(method: str, expect: dict[str, Outcome], label: str | None = None) -> Variant:
    return Variant(label or method, expect, method=method)


# API writes with an empty body: refused roles as for reading, allowed ones get a 400.
def api_write(**overrides: Outcome) -> dict[str, Outcome]:
    return api(staff=ALLOWED, admin=ALLOWED, **overrides)


# Certificate status changes: seen (else 404), then staff (else 403).
def _certificate_change() -> Entry:
    return Entry(
        api(
            participant=FORBIDDEN, trainer=FORBIDDEN, donor=NOT_FOUND, staff=ALLOWED, admin=ALLOWED
        ),
        OWN_CERTIFICATE,
        method="post",
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND}, CLASSMATE_CERTIFICATE),
            Variant("other", {TRAINER: NOT_FOUND, STAFF: ALLOWED}, OTHER_CERTIFICATE),
        ),
    )


MATRIX: dict[str, Entry] = {
    # --- lms: registry screens in the admin ---------------------------------------------------
    "lms_import_participants": Entry(
        admin_page(), variants=(as_method("post", {TRAINER: ADMIN_DENIED, STAFF: OK}),)
    ),
    "lms_invite_participant": Entry(admin_page(), PERSON),
    "lms_self_identification": Entry(admin_page(), PERSON),
    "lms_merge_participant": Entry(admin_page(), PERSON),
    "participants:index": Entry(admin_page()),
    "participants:index_results": Entry(admin_page()),
    # The admin's job pages need lms.view_job, which trainers do not have: they follow their
    # jobs in the API (job-detail) and on the workshop's certificates page.
    "jobs:inspect": Entry(admin_page(), {"pk": "job_trainer.pk"}, label="trainers-job"),
    # The audit trail: staff read it; checking the chain is for the program administration.
    "audit:index": Entry(admin_page()),
    "audit:index_results": Entry(admin_page()),
    "audit:inspect": Entry(admin_page(), {"pk": lambda w: w.audit_event().pk}),
    "lms_audit_verify": Entry(admin_page(staff=ADMIN_DENIED)),
    # Personal-data requests (Ley 29733): staff process them; only administrators anonymise.
    "data_requests:index": Entry(admin_page()),
    "data_requests:index_results": Entry(admin_page()),
    "lms_data_request_process": Entry(admin_page(), {"pk": lambda w: w.data_request().pk}),
    "lms_data_request_record": Entry(admin_page(), PERSON),
    "lms_anonymise_participant": Entry(admin_page(staff=ADMIN_DENIED), PERSON),
    # --- lms: a participant's own data (site) --------------------------------------------------
    "privacy:overview": Entry(my_data()),
    "privacy:consents": Entry(my_data()),
    "privacy:consent_give": Entry(my_data(), {"purpose": fixed("ethnicity")}),
    "privacy:consent_withdraw": Entry(
        my_data(),
        {"consent_id": "consent.pk"},
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND}, {"consent_id": "consent_classmate.pk"}),
            Variant("own-post", {PARTICIPANT: redirect_to("my_consents_url")}, method="post"),
            Variant(
                "classmate-post",
                {PARTICIPANT: NOT_FOUND},
                {"consent_id": "consent_classmate.pk"},
                method="post",
            ),
        ),
    ),
    "privacy:self_identification": Entry(
        my_data(), variants=(as_method("post", {PARTICIPANT: ALLOWED, DONOR: NOT_FOUND}),)
    ),
    "privacy:download": Entry(my_data()),
    "privacy:download_json": Entry(my_data()),
    "privacy:download_csv": Entry(my_data()),
    "privacy:requests": Entry(my_data()),
    "privacy:request_new": Entry(
        my_data(), variants=(as_method("post", {PARTICIPANT: ALLOWED, DONOR: NOT_FOUND}),)
    ),
    # --- lms: API ------------------------------------------------------------------------------
    "participant-list": Entry(api(), variants=(as_method("post", api_write(), "create"),)),
    "participant-import-file": Entry(api_write(), method="post"),
    "participant-detail": Entry(
        api(),
        PERSON,
        variants=(
            as_method("patch", api_write()),
            # Only the program administration deletes people (one without records).
            Variant(
                "delete",
                {TRAINER: FORBIDDEN, STAFF: FORBIDDEN, ADMIN: ALLOWED},
                {"public_id": "person_bare.public_id"},
                method="delete",
            ),
        ),
    ),
    "participant-consents": Entry(
        api(), PERSON, variants=(as_method("post", api_write(), "record"),)
    ),
    "participant-merge": Entry(api_write(), PERSON, method="post"),
    "participant-self-identification": Entry(api_write(), PERSON, method="put"),
    "participant-withdraw-consent": Entry(
        api_write(), {**PERSON, "consent_id": "consent.pk"}, method="post"
    ),
    "institution-list": Entry(
        api(trainer=OK), variants=(as_method("post", api_write(), "create"),)
    ),
    "institution-detail": Entry(
        api(trainer=OK),
        {"code": fixed("poder-judicial")},
        variants=(
            as_method("patch", api_write()),
            Variant(
                "delete",
                {TRAINER: FORBIDDEN, STAFF: FORBIDDEN, ADMIN: ALLOWED},
                {"code": "institution_bare.code"},
                method="delete",
            ),
        ),
    ),
    "position-list": Entry(api(trainer=OK), variants=(as_method("post", api_write(), "create"),)),
    "position-detail": Entry(
        api(trainer=OK),
        {"code": fixed("juez")},
        variants=(as_method("patch", api_write()),),
    ),
    "region-list": Entry(api(trainer=OK)),
    "region-detail": Entry(api(trainer=OK), {"code": fixed("15")}),
    # Jobs belong to whoever started them; holders of lms.view_job (staff) see all.
    "job-list": Entry(api(participant=OK, donor=OK, trainer=OK)),
    "job-detail": Entry(
        api(participant=NOT_FOUND, donor=NOT_FOUND, trainer=OK),
        {"pk": "job_trainer.pk"},
        label="trainers-job",
        variants=(
            Variant(
                "staffs-job",
                {TRAINER: NOT_FOUND, PARTICIPANT: NOT_FOUND, STAFF: OK},
                {"pk": "job_staff.pk"},
            ),
        ),
    ),
    "api-me": Entry(api(participant=OK, donor=OK, trainer=OK)),
    # Credentials are in the body: no session or token counts, everyone gets the same 400.
    "api-token": Entry(public_all(ALLOWED), method="post"),
    "api-redoc": Entry(public()),
    # --- courses -------------------------------------------------------------------------------
    "enrolments:index": Entry(admin_page()),
    "enrolments:index_results": Entry(admin_page()),
    "courses_bulk_enrol": Entry(admin_page()),
    "api-my-enrolments": Entry(
        api(participant=OK, donor=OK, trainer=OK),
        variants=(
            as_method(
                "post",
                {ANONYMOUS: UNAUTHORIZED, PARTICIPANT: ALLOWED, DONOR: ALLOWED},
                "enrol",
            ),
        ),
    ),
    # The published catalogue.
    "course-list": Entry(public()),
    "course-detail": Entry(public(), {"code": "course.code"}),
    "enrolment-list": Entry(api(), variants=(as_method("post", api_write(), "bulk"),)),
    # Participants read their own enrolments at api-my-enrolments, not here.
    "enrolment-detail": Entry(api(), {"pk": "enrolment.pk"}, label="participants"),
    "learning:my_learning": Entry(site()),
    "learning:enrol": Entry(
        site(
            participant=redirect_to("lesson_first.url"),
            **NOT_ENROLLED,
        ),
        {"course_id": "course.pk"},
        method="post",
    ),
    "learning:resume": Entry(
        site(
            participant=redirect_to("lesson_first.url"),
            **NOT_ENROLLED,
        ),
        {"course_id": "course.pk"},
    ),
    "learning:complete": Entry(
        site(
            participant=redirect_to("lesson_second.url"),
            **NOT_ENROLLED,
        ),
        {"lesson_id": "lesson_first.pk"},
        method="post",
    ),
    # --- attendance: admin ---------------------------------------------------------------------
    "workshops:index": Entry(admin_page(trainer=OK)),
    "workshops:index_results": Entry(admin_page(trainer=OK)),
    "workshops:inspect": Entry(
        admin_page(trainer=OK),
        OWN_WORKSHOP,
        label="own",
        variants=(trainer_other(ADMIN_DENIED, OTHER_WORKSHOP),),
    ),
    # Trainers add workshops and change the ones they train, with their sessions: these
    # views are ours (scoped to the user's workshops), on Wagtail's generic views.
    **{
        name: Entry(
            admin_page(trainer=OK),
            OWN_WORKSHOP,
            label="own",
            variants=(trainer_other(ADMIN_DENIED, OTHER_WORKSHOP),),
        )
        for name in (
            "workshops:edit",
            "workshops:history",
            "workshops:history_results",
            "workshops:usage",
        )
    },
    # Workshops are cancelled, never deleted.
    "workshops:delete": Entry(
        admin_page(staff=ADMIN_DENIED, admin=ADMIN_DENIED), OWN_WORKSHOP, label="own"
    ),
    **{
        name: Entry(
            admin_page(trainer=OK),
            OWN_SESSION_PK,
            label="own",
            variants=(trainer_other(ADMIN_DENIED, OTHER_SESSION_PK),),
        )
        for name in (
            "workshop_sessions:edit",
            "workshop_sessions:delete",
            "workshop_sessions:history",
            "workshop_sessions:history_results",
            "workshop_sessions:usage",
        )
    },
    "workshop_sessions:index": Entry(admin_page(trainer=OK)),
    "workshop_sessions:index_results": Entry(admin_page(trainer=OK)),
    "workshop_registrations:index": Entry(admin_page(trainer=OK)),
    "workshop_registrations:index_results": Entry(admin_page(trainer=OK)),
    "workshop_registrations:inspect": Entry(
        admin_page(trainer=OK),
        {"pk": "registration_own.pk"},
        label="own",
        variants=(trainer_other(ADMIN_DENIED, {"pk": "registration_other.pk"}),),
    ),
    "attendance_records:index": Entry(admin_page(trainer=OK)),
    "attendance_records:index_results": Entry(admin_page(trainer=OK)),
    "attendance_corrections:index": Entry(admin_page()),
    "attendance_corrections:index_results": Entry(admin_page()),
    "attendance_roster": Entry(
        admin_page(trainer=OK),
        OWN_SESSION,
        label="own",
        variants=(
            trainer_other(ADMIN_DENIED, OTHER_SESSION),
            Variant("own-post", {TRAINER: ALLOWED, STAFF: ALLOWED}, method="post"),
            Variant(
                "other-post",
                {TRAINER: ADMIN_DENIED, STAFF: ALLOWED},
                OTHER_SESSION,
                method="post",
            ),
        ),
    ),
    # Approve, reject, cancel: staff only (trainers lack change_registration).
    "attendance_registration_action": Entry(
        admin_page(),
        {"pk": "registration_own.pk", "action": fixed("cancel")},
        label="own",
        variants=(
            Variant(
                "own-post",
                {TRAINER: ADMIN_DENIED, STAFF: ALLOWED},
                method="post",
            ),
        ),
    ),
    "attendance_scan": Entry(
        admin_page(trainer=OK),
        {"session_id": "session_today.pk"},
        label="own",
        variants=(trainer_other(ADMIN_DENIED, OTHER_SESSION),),
    ),
    "attendance_scan_mark": Entry(
        admin_page(trainer=ALLOWED, staff=ALLOWED, admin=ALLOWED),
        {"session_id": "session_today.pk"},
        method="post",
        label="own",
        variants=(
            trainer_other(ADMIN_DENIED, OTHER_SESSION, staff=ALLOWED),
            Variant("own-get", {TRAINER: NOT_ALLOWED}, method="get"),
        ),
    ),
    "attendance_walk_in": Entry(
        admin_page(trainer=OK),
        {"session_id": "session_today.pk"},
        label="own",
        variants=(trainer_other(ADMIN_DENIED, OTHER_SESSION),),
    ),
    "attendance_badge": Entry(
        admin_page(trainer=OK),
        {"pk": "registration_own.pk"},
        label="own",
        variants=(trainer_other(ADMIN_DENIED, {"pk": "registration_other.pk"}),),
    ),
    "attendance_registration_import": Entry(admin_page(trainer=OK)),
    # The workshop is in the form: only those the user reaches are offered (and accepted).
    "attendance_registration_add": Entry(
        admin_page(trainer=OK),
        variants=(
            Variant(
                "own-post",
                {TRAINER: redirect_to(ADD_PERSON), STAFF: redirect_to(ADD_PERSON)},
                method="post",
                data={"workshop": "workshop_today.pk", **CLASSMATE_DOCUMENT},
            ),
            Variant(
                "other-post",
                {TRAINER: OK, STAFF: redirect_to(ADD_PERSON)},  # 200: the form, refused
                method="post",
                data={"workshop": "workshop_open_other.pk", **CLASSMATE_DOCUMENT},
            ),
        ),
    ),
    # --- attendance: API -----------------------------------------------------------------------
    # Trainers schedule workshops (they are made one of its trainers) and plan the ones they
    # train; another trainer's workshop is not found, to read or to change.
    "workshop-list": Entry(
        api(trainer=OK),
        variants=(as_method("post", api_write(trainer=ALLOWED), "create"),),
    ),
    "workshop-detail": Entry(
        api(trainer=OK),
        OWN_CODE,
        label="own",
        variants=(
            trainer_other(NOT_FOUND, OTHER_CODE),
            Variant("own-patch", {TRAINER: ALLOWED, STAFF: ALLOWED}, method="patch"),
            Variant(
                "other-patch", {TRAINER: NOT_FOUND, STAFF: ALLOWED}, OTHER_CODE, method="patch"
            ),
            # Workshops are cancelled, never deleted.
            Variant(
                "own-delete",
                {TRAINER: FORBIDDEN, STAFF: FORBIDDEN, ADMIN: FORBIDDEN},
                method="delete",
            ),
        ),
    ),
    "workshop-registrations": Entry(
        api(trainer=OK),
        OWN_CODE,
        label="own",
        variants=(
            trainer_other(NOT_FOUND, OTHER_CODE),
            Variant(
                "own-post",
                {TRAINER: ALLOWED, STAFF: ALLOWED, PARTICIPANT: FORBIDDEN, DONOR: FORBIDDEN},
                method="post",
            ),
            Variant("other-post", {TRAINER: NOT_FOUND}, OTHER_CODE, method="post"),
        ),
    ),
    "api-session-attendance": Entry(
        api(trainer=OK),
        OWN_SESSION,
        label="own",
        variants=(
            trainer_other(NOT_FOUND, OTHER_SESSION),
            Variant(
                "own-put", {TRAINER: ALLOWED, STAFF: ALLOWED, PARTICIPANT: FORBIDDEN}, method="put"
            ),
            Variant("other-put", {TRAINER: NOT_FOUND}, OTHER_SESSION, method="put"),
        ),
    ),
    # The program's attendance marks: for those who take attendance (trainers and staff).
    # Regression: any login (participants, donors) used to read them.
    "attendance-mark-list": Entry(api(trainer=OK)),
    "attendance-mark-detail": Entry(api(trainer=OK), {"code": fixed("present")}),
    # --- attendance: site ----------------------------------------------------------------------
    "attendance:workshops": Entry(public()),
    "attendance:workshop": Entry(
        public(),
        {"code": "workshop_today.code"},
        variants=(
            # Registering needs a login; without a participant record it only says so.
            as_method(
                "post",
                {
                    ANONYMOUS: LOGIN,
                    PARTICIPANT: ALLOWED,
                    DONOR: ALLOWED,
                    TRAINER: ALLOWED,
                },
            ),
        ),
    ),
    # The rotating token is the key; anonymous people log in first, then continue.
    "attendance:checkin": Entry(
        public(
            anonymous=LOGIN,
            # Not registered in the workshop (or no participant record): refused, said on screen.
            donor=FORBIDDEN,
            trainer=FORBIDDEN,
            staff=FORBIDDEN,
            admin=FORBIDDEN,
        ),
        {"session_id": "session_today.pk", "token": lambda w: w.checkin_token(w.session_today)},
        label="registered",
        variants=(
            Variant(
                "not-registered",
                {PARTICIPANT: FORBIDDEN},
                {
                    "session_id": "session_open_other.pk",
                    "token": lambda w: w.checkin_token(w.session_open_other),
                },
            ),
        ),
    ),
    # Without a pending check-in in the session: "expired" (400) for anyone logged in.
    "attendance:checkin_continue": Entry(
        site(participant=ALLOWED, donor=ALLOWED, trainer=ALLOWED, staff=ALLOWED, admin=ALLOWED)
    ),
    # The projected QR: the workshop's trainers and staff. Session ids are not secret: 403.
    "attendance:checkin_screen": Entry(
        site(participant=FORBIDDEN, donor=FORBIDDEN),
        {"session_id": "session_today.pk"},
        label="own",
        variants=(trainer_other(FORBIDDEN, OTHER_SESSION),),
    ),
    "attendance_feeds:workshop": Entry(public(), {"code": "workshop_today.code"}),
    # A signed token of the person's public id: whoever holds the link.
    "attendance_feeds:person": Entry(public(), {"token": "feed_token"}),
    # --- assessments ---------------------------------------------------------------------------
    "assessments_workshop_scores": Entry(
        admin_page(trainer=OK),
        OWN_WORKSHOP,
        label="own",
        variants=(
            trainer_other(ADMIN_DENIED, OTHER_WORKSHOP),
            Variant("own-post", {TRAINER: ALLOWED, STAFF: ALLOWED}, method="post"),
            Variant("other-post", {TRAINER: ADMIN_DENIED}, OTHER_WORKSHOP, method="post"),
        ),
    ),
    # Deciding a completion against the rules: staff only.
    "assessments_override": Entry(admin_page(), {"pk": "completion_own.pk"}, label="own"),
    "api-workshop-scores": Entry(
        api(trainer=OK),
        OWN_CODE,
        label="own",
        variants=(
            trainer_other(NOT_FOUND, OTHER_CODE),
            Variant(
                "own-put", {TRAINER: ALLOWED, STAFF: ALLOWED, PARTICIPANT: FORBIDDEN}, method="put"
            ),
            Variant("other-put", {TRAINER: NOT_FOUND}, OTHER_CODE, method="put"),
        ),
    ),
    # Online assessments: for people enrolled in the course or confirmed in one of its
    # workshops; a login without a participant record is refused.
    "assessments:assessment": Entry(
        site(donor=FORBIDDEN, trainer=FORBIDDEN, staff=FORBIDDEN, admin=FORBIDDEN),
        {"pk": "assessment.pk"},
        label="eligible",
        variants=(
            Variant("not-eligible", {PARTICIPANT: FORBIDDEN}, {"pk": "assessment_other.pk"}),
        ),
    ),
    "assessments:start": Entry(
        site(
            participant=redirect_to("attempt_open_url"),
            donor=FORBIDDEN,
            trainer=FORBIDDEN,
            staff=FORBIDDEN,
            admin=FORBIDDEN,
        ),
        {"pk": "assessment.pk"},
        method="post",
        label="eligible",
        variants=(
            Variant("not-eligible", {PARTICIPANT: FORBIDDEN}, {"pk": "assessment_other.pk"}),
        ),
    ),
    # Someone else's attempt: 404, as if it did not exist.
    "assessments:attempt": Entry(
        site(donor=FORBIDDEN, trainer=FORBIDDEN, staff=FORBIDDEN, admin=FORBIDDEN),
        {"pk": "attempt_open.pk"},
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND}, {"pk": "attempt_classmate_open.pk"}),
            Variant("own-post", {PARTICIPANT: ALLOWED}, method="post"),
            Variant(
                "classmate-post",
                {PARTICIPANT: NOT_FOUND},
                {"pk": "attempt_classmate_open.pk"},
                method="post",
            ),
        ),
    ),
    "assessments:review": Entry(
        site(donor=FORBIDDEN, trainer=FORBIDDEN, staff=FORBIDDEN, admin=FORBIDDEN),
        {"pk": "attempt_done.pk"},
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND}, {"pk": "attempt_classmate_done.pk"}),
        ),
    ),
    # --- certificates: admin -------------------------------------------------------------------
    "issued_certificates:index": Entry(admin_page(trainer=OK)),
    "issued_certificates:index_results": Entry(admin_page(trainer=OK)),
    "issued_certificates:inspect": Entry(
        admin_page(trainer=OK),
        {"pk": "certificate_own.pk"},
        label="own",
        variants=(trainer_other(ADMIN_DENIED, {"pk": "certificate_other.pk"}),),
    ),
    "wagtailsnippets_certificates_certificatetemplate:list": Entry(admin_page()),
    "wagtailsnippets_certificates_certificatetemplate:list_results": Entry(admin_page()),
    "wagtailsnippets_certificates_certificatetemplate:edit": Entry(
        admin_page(), {"pk": "template.pk"}
    ),
    "certificates_template_preview": Entry(admin_page(), {"pk": "template.pk"}),
    # Suspend, revoke, reinstate, re-issue: staff only, refused before the lookup.
    "certificates_action": Entry(
        admin_page(),
        {"pk": "certificate_own.pk", "action": fixed("suspend")},
        label="own",
        variants=(Variant("own-post", {TRAINER: ADMIN_DENIED, STAFF: ALLOWED}, method="post"),),
    ),
    # A certificate the trainer does not see: 404 (certificates_for), not "denied".
    "certificates_admin_pdf": Entry(
        admin_page(trainer=OK),
        {"pk": "certificate_own.pk"},
        label="own",
        variants=(trainer_other(NOT_FOUND, {"pk": "certificate_other.pk"}),),
    ),
    "certificates_workshop": Entry(
        admin_page(trainer=OK),
        OWN_WORKSHOP,
        label="own",
        variants=(
            trainer_other(ADMIN_DENIED, OTHER_WORKSHOP),
            # Issue to one person (who already has it: the live certificate is kept).
            Variant(
                "own-post",
                {TRAINER: ALLOWED, STAFF: ALLOWED},
                method="post",
                data={"registration": "registration_own.pk"},
            ),
            Variant(
                "other-post",
                {TRAINER: ADMIN_DENIED},
                OTHER_WORKSHOP,
                method="post",
                data={"registration": "registration_other.pk"},
            ),
        ),
    ),
    "certificates_workshop_zip": Entry(
        admin_page(trainer=OK),
        OWN_WORKSHOP,
        label="own",
        variants=(trainer_other(ADMIN_DENIED, OTHER_WORKSHOP),),
    ),
    # --- certificates: API ---------------------------------------------------------------------
    # Everyone logged in lists what they may see: staff all, trainers their workshops', the
    # others their own (a donor: none).
    "certificate-list": Entry(
        api(participant=OK, donor=OK, trainer=OK),
        variants=(
            as_method(
                "post",
                api_write(trainer=ALLOWED),
                "issue",
            ),
        ),
    ),
    "certificate-detail": Entry(
        api(participant=OK, donor=NOT_FOUND, trainer=OK),
        OWN_CERTIFICATE,
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND, TRAINER: OK}, CLASSMATE_CERTIFICATE),
            Variant(
                "other", {PARTICIPANT: NOT_FOUND, TRAINER: NOT_FOUND, STAFF: OK}, OTHER_CERTIFICATE
            ),
        ),
    ),
    "certificate-pdf": Entry(
        api(participant=OK, donor=NOT_FOUND, trainer=OK),
        OWN_CERTIFICATE,
        label="own",
        variants=(
            Variant("classmate", {PARTICIPANT: NOT_FOUND, TRAINER: OK}, CLASSMATE_CERTIFICATE),
            Variant(
                "other", {PARTICIPANT: NOT_FOUND, TRAINER: NOT_FOUND, STAFF: OK}, OTHER_CERTIFICATE
            ),
        ),
    ),
    "certificate-suspend": _certificate_change(),
    "certificate-revoke": _certificate_change(),
    "certificate-reinstate": _certificate_change(),
    "certificate-reissue": _certificate_change(),
    # Bulk issue to everyone completed, as a job: the workshop's trainers and staff.
    "api-workshop-certificates-issue": Entry(
        api_write(trainer=ALLOWED),
        OWN_CODE,
        method="post",
        label="own",
        variants=(trainer_other(NOT_FOUND, OTHER_CODE, staff=ALLOWED),),
    ),
    # --- certificates: site --------------------------------------------------------------------
    "certificates:download": _holder_download(),
    # The holder's Open Badges 3.0 credential (with the salted email hash): like the PDF.
    "certificates:credential": _holder_download(),
    # Public verification: the QR code's page, its form and its JSON; the public credential.
    "verify:form": Entry(public()),
    # What crawlers may index: public, the same for everyone.
    "robots": Entry(public()),
    "verify:credential": Entry(public(), OWN_CERTIFICATE),
    "verify:certificate": Entry(public(), OWN_CERTIFICATE),
    "verify:api": Entry(public(), OWN_CERTIFICATE),
    "verify:certificate_qr": Entry(public(), OWN_CERTIFICATE),
    # The issuer's public keys (JWKS, did:web document): public, cacheable JSON.
    "verify:jwks": Entry(public()),
    "verify:did": Entry(public()),
    # The status lists credentials point at (list 0: the block of the first certificates).
    "verify:status_list": Entry(public(), {"number": fixed(0), "purpose": fixed("revocation")}),
    # --- reports: API (donor aggregates; the unsuppressed staff view needs view_staff_report) --
    "api-reports-participation": Entry(
        api(donor=OK),
        data={"fy": fixed("2026")},
        variants=(
            Variant(
                "staff-audience",
                {DONOR: FORBIDDEN, STAFF: OK, ADMIN: OK},
                data={"fy": fixed("2026"), "audience": fixed("staff")},
            ),
            Variant("bad-fy", {DONOR: Outcome("400"), STAFF: Outcome("400")}, data={}),
        ),
    ),
    "api-reports-indicators": Entry(api(donor=OK)),
    # --- reports: admin (the catalogue, reported figures, recording what was reported) -------
    "report_indicators:index": Entry(admin_page()),
    "report_indicators:index_results": Entry(admin_page()),
    "reported_values:index": Entry(admin_page()),
    "reported_values:index_results": Entry(admin_page()),
    "reports_publish": Entry(
        admin_page(),
        variants=(
            Variant(
                "post",
                {TRAINER: ADMIN_DENIED, STAFF: ALLOWED, ADMIN: ALLOWED},
                method="post",
                data={"fiscal_year": fixed("2026"), "quarter": fixed("1")},
            ),
        ),
    ),
    # --- reports: site (the dashboard and its downloads; same rules as the API) ----------------
    "reports:dashboard": Entry(
        site(participant=FORBIDDEN, trainer=FORBIDDEN),
        data={"fy": fixed("2026")},
        variants=(
            Variant(
                "staff-audience",
                {DONOR: FORBIDDEN, STAFF: OK, ADMIN: OK},
                data={"fy": fixed("2026"), "audience": fixed("staff")},
            ),
            Variant(
                "bad-fy", {DONOR: Outcome("400"), STAFF: Outcome("400")}, data={"fy": fixed("x")}
            ),
        ),
    ),
    "reports:download": Entry(
        site(participant=FORBIDDEN, trainer=FORBIDDEN),
        data={"fy": fixed("2026"), "format": fixed("json")},
        variants=(
            Variant(
                "staff-audience",
                {DONOR: FORBIDDEN, STAFF: OK, ADMIN: OK},
                data={"fy": fixed("2026"), "format": fixed("json"), "audience": fixed("staff")},
            ),
        ),
    ),
    # --- accounts ------------------------------------------------------------------------------
    "accounts:login": Entry(
        public(
            participant=redirect_to("my_learning_url"),
            donor=redirect_to("my_learning_url"),
            trainer=redirect_to("my_learning_url"),
            staff=redirect_to("my_learning_url"),
            admin=redirect_to("my_learning_url"),
        )
    ),
    "accounts:logout": Entry(public_all(redirect_to("/")), method="post"),
    "accounts:signup": Entry(public()),
    # Emailed links: the token is the key (here a valid one, of a user not yet active).
    "accounts:activate": Entry(
        public_all(redirect_to("my_learning_url")),
        {"uidb64": "pending_uid", "token": "pending_token"},
    ),
    "accounts:invitation": Entry(public(), {"uidb64": "pending_uid", "token": "pending_token"}),
    "accounts:password_reset": Entry(public()),
    "accounts:password_reset_done": Entry(public()),
    "accounts:password_reset_confirm": Entry(
        public_all(ALLOWED), {"uidb64": "pending_uid", "token": "pending_token"}
    ),
    "accounts:two_factor_setup": Entry(site()),
    # Nothing pending: straight on.
    "accounts:two_factor_verify": Entry(
        site(participant=ALLOWED, donor=ALLOWED, trainer=ALLOWED, staff=ALLOWED, admin=ALLOWED)
    ),
    "accounts:security": Entry(site()),
    "accounts:two_factor_backup_codes": Entry(
        site(participant=ALLOWED, donor=ALLOWED, trainer=ALLOWED, staff=ALLOWED, admin=ALLOWED),
        method="post",
    ),
    "accounts:two_factor_disable": Entry(
        site(participant=ALLOWED, donor=ALLOWED, trainer=ALLOWED, staff=ALLOWED, admin=ALLOWED),
        method="post",
    ),
}


# --- Not ours: Wagtail's and the API tooling's own URLs, a few representative checks ------------
# Checked like the matrix, but not required for every URL: they belong to the libraries.

REPRESENTATIVE: dict[str, Entry] = {
    "wagtailadmin_home": Entry(admin_page(trainer=OK)),
    # Generic Wagtail views of our viewsets: model permissions and our read-only policies.
    # Trainers schedule workshops and their sessions (the forms only offer their workshops).
    "workshops:add": Entry(admin_page(trainer=OK)),
    "workshop_sessions:add": Entry(admin_page(trainer=OK)),
    "participants:edit": Entry(admin_page(), {"pk": "person.pk"}),
    "participants:inspect": Entry(admin_page(), {"pk": "person.pk"}),
    "issued_certificates:edit": Entry(
        admin_page(staff=ADMIN_DENIED, admin=ADMIN_DENIED), {"pk": "certificate_own.pk"}
    ),
    "workshop_registrations:edit": Entry(
        admin_page(staff=ADMIN_DENIED, admin=ADMIN_DENIED), {"pk": "registration_own.pk"}
    ),
    # History pages name the object (a registration: its person). Registrations are read-only
    # in the admin: no history page, even for staff.
    "workshop_registrations:history": Entry(
        admin_page(staff=ADMIN_DENIED, admin=ADMIN_DENIED),
        {"pk": "registration_other.pk"},
        label="other",
    ),
    "jobs:index": Entry(admin_page()),
    # A lesson page (served by Wagtail, guarded by courses' before_serve_page hook).
    "wagtail_serve": Entry(
        site(donor=redirect_to("course.url")),
        url=lambda w: w.lesson_first.url,
        label="lesson",
    ),
    "privacy": Entry(public()),
    "api-root": Entry(api(participant=OK, donor=OK, trainer=OK)),
    "api-schema": Entry({ANONYMOUS: OK, DONOR: OK}),
    # Donor reports: the generic views of the catalogue and subscription viewsets; reported
    # figures are read-only, even for the program administration.
    "report_indicators:add": Entry(admin_page()),
    "report_indicators:edit": Entry(admin_page(), {"pk": lambda w: _indicator().pk}),
    "report_subscriptions:index": Entry(admin_page()),
    "report_subscriptions:add": Entry(admin_page()),
    "reported_values:add": Entry(admin_page(staff=ADMIN_DENIED, admin=ADMIN_DENIED)),
    "api-docs": Entry({ANONYMOUS: OK, DONOR: OK}),
}
