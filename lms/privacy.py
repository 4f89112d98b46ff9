"""The registry of personal data: every field of every model of our apps, classified in one place.

For each field it says whether it holds personal data and, when it does, how the participant's
download shows it (``Export``), how anonymisation treats it (``Erase``) and how long it is kept
(``RETENTION``). The download (``lms.selectors.privacy``) and anonymisation
(``lms.services.privacy``) are driven by this table, so a field added here is exported and erased
without further code; ``tests/lms/test_privacy_registry.py`` fails while any field of any model of
lms, courses, attendance, assessments, certificates or reports is missing from it.

Other apps' models are named by label ("attendance.Registration"), never imported: lms stays at
the bottom of the dependency order. docs/privacy.md explains the choices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db.models import Model, Q, QuerySet

from lms.models.people import AgeBand
from lms.services.audit import person_ref
from lms.validators import make_search_text

# The apps whose every field must be classified here.
APPS = ("lms", "courses", "attendance", "assessments", "certificates", "reports")

# What replaces free text that may quote people (staff notes, reasons) when someone is anonymised;
# the database requires some of these columns to be non-empty, so they are not simply emptied.
ERASED_TEXT = "[dato eliminado]"
ANONYMISED_GIVEN_NAMES = "Persona anonimizada"
# A certificate of an anonymised person prints no name; verifiers read why (certificates.verify).
ANONYMISED_HOLDER = "[datos eliminados]"
ANONYMISED_DOCUMENT_TYPE = "0"  # SUNAT 06 "otro": a DNI must be 8 digits, the placeholder is not


class Kind(StrEnum):
    PARTICIPANT = "participant"  # about a participant: in their download, erased by anonymisation
    STAFF = "staff"  # who did something (staff, trainers, signatories): shown as "program staff"
    INCIDENTAL = "incidental"  # may quote anyone's data in passing; removed by apply_retention
    NONE = "none"  # not personal


class Erase(StrEnum):
    KEEP = "keep"  # kept: once the person is anonymised it no longer points to anyone (counts)
    CLEAR = "clear"  # emptied ("", None; a many-to-many is cleared)
    PLACEHOLDER = "placeholder"  # non-empty free text becomes ERASED_TEXT
    SET = "set"  # the value computed by the rule's ``value(row, ctx)``
    RENEW = "renew"  # a fresh random value from the field's default (codes, public ids)
    DELETE = "delete"  # the whole row is deleted
    FILE = "file"  # the stored file is deleted (after commit) and the column emptied
    AUDIT = "audit"  # the audit trail's reasons, by lms.services.audit.audit_erase_reasons


class Export(StrEnum):
    VALUE = "value"  # as stored (choices by their label, links by their name)
    STAFF = "staff"  # "you" when it was the person, else "program staff" or "system"
    FILE = "file"  # whether a file is stored, not the file
    OMIT = "omit"  # not in the download: secrets, internal links, staff notes (see docs)


# How long each kind of data is kept, and the setting that says so (docs/privacy.md).
RETENTION: dict[str, tuple[str, str]] = {
    "record": (
        "LMS_RETENTION_ANONYMISE_INACTIVE_YEARS",
        "Training record: kept while the program reports on it; anonymised on request, or after "
        "this many years without activity (0: never automatically).",
    ),
    "consent": (
        "",
        "Sensitive answers: only while the consent for their purpose stands; withdrawing erases "
        "them at once and apply_retention sweeps any left without an active consent.",
    ),
    "account": (
        "LMS_RETENTION_UNCONFIRMED_SIGNUP_DAYS",
        "Login: while the person uses it; a sign-up never confirmed (and an invitation never "
        "accepted, LMS_RETENTION_INVITATION_DAYS) is removed after this many days.",
    ),
    "job": (
        "LMS_RETENTION_JOB_DAYS",
        "Background job parameters, results and errors: emptied this many days after the job ends.",
    ),
    "audit": (
        "",
        "Audit trail: append-only; holds pseudonymous references, and the free-text reasons of a "
        "person's events are erased when they are anonymised.",
    ),
    "request": (
        "",
        "Personal-data requests: kept as evidence of how they were answered; the free text is "
        "erased with the person.",
    ),
}


@dataclass(frozen=True)
class EraseContext:
    """What value rules may use: the person as it was before erasure and the moment."""

    person: Model
    now: dt.datetime
    today: dt.date
    basis: str


@dataclass(frozen=True)
class FieldRule:
    kind: Kind
    erase: Erase = Erase.KEEP
    export: Export = Export.VALUE
    retention: str = ""
    value: Callable[[Model, EraseContext], object] | None = None
    storage: str = ""
    note: str = ""


@dataclass(frozen=True)
class ModelRule:
    """One model: its fields' rules, how to reach its rows from a person, its download section."""

    label: str
    fields: dict[str, FieldRule]
    # Lookup from this model to lms.Person ("person", "registration__person", "pk" for Person).
    person: str = ""
    # Section of the download ("" = not downloaded: no participant data here).
    area: str = ""
    # Rows of a person when a lookup cannot say it (the audit trail's pseudonymous subject).
    rows: Callable[[Model], QuerySet] | None = None
    # Date fields whose recent values mean the person is still active (retention).
    activity: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)

    def rows_of(self, person) -> QuerySet:
        if self.rows is not None:
            return self.rows(person)
        return self.model._default_manager.filter(**{self.person: person.pk})

    @property
    def deletes_rows(self) -> bool:
        return any(rule.erase == Erase.DELETE for rule in self.fields.values())

    @property
    def exported(self) -> list[str]:
        return [name for name, rule in self.fields.items() if rule.export != Export.OMIT]


@dataclass(frozen=True)
class ExternalRule:
    """A model of a third-party app holding a participant's login data: deleted on anonymisation."""

    label: str
    match: Callable[[Model], Q]
    note: str = ""


# --- Building blocks -----------------------------------------------------------------------


def personal(
    erase: Erase = Erase.KEEP,
    *,
    export: Export = Export.VALUE,
    retention: str = "record",
    value: Callable | None = None,
    storage: str = "",
    note: str = "",
) -> FieldRule:
    return FieldRule(Kind.PARTICIPANT, erase, export, retention, value, storage, note)


def staff(note: str = "") -> FieldRule:
    return FieldRule(Kind.STAFF, Erase.KEEP, Export.STAFF, "", note=note)


def incidental(retention: str, note: str = "") -> FieldRule:
    return FieldRule(Kind.INCIDENTAL, Erase.KEEP, Export.OMIT, retention, note=note)


def not_personal(names: str, *, export: Export = Export.VALUE) -> dict[str, FieldRule]:
    """Fields (names separated by spaces) that hold nothing about a person."""
    return {name: FieldRule(Kind.NONE, export=export) for name in names.split()}


def each(names: str, rule: FieldRule) -> dict[str, FieldRule]:
    """The same rule for several fields (names separated by spaces)."""
    return dict.fromkeys(names.split(), rule)


def kept(names: str, *, retention: str = "record") -> dict[str, FieldRule]:
    """Facts about the person (names separated by spaces) that stay, as counts, once the person
    is anonymised: they then point at nobody."""
    return {name: personal(Erase.KEEP, retention=retention) for name in names.split()}


LINK = personal(Erase.KEEP, export=Export.OMIT, note="the link to the person")
STAFF_NOTE = personal(
    Erase.PLACEHOLDER,
    export=Export.OMIT,
    note="free text written by staff; may name other people (complainants, witnesses)",
)
PAGE = not_personal("page_ptr")


def age_band(birth_date: dt.date | None, today: dt.date) -> str:
    """The five-year band of someone born on ``birth_date`` (0-14, 15-19, ..., 70+; "" unknown)."""
    if birth_date is None:
        return ""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    age = today.year - birth_date.year - before_birthday
    if age < 15:
        return AgeBand.UNDER_15.value
    if age >= 70:
        return AgeBand.A70.value
    low = age - age % 5
    return f"{low}-{low + 4}"


def _person_values() -> dict[str, FieldRule]:
    def number(person, ctx):
        return f"ANON-{person.pk}"

    def family(person, ctx):
        return f"#{person.pk}"

    def search_text(person, ctx):
        return make_search_text(ANONYMISED_GIVEN_NAMES, family(person, ctx), number(person, ctx))

    def department(person, ctx):
        # Province plus institution, position, sex and age band can single someone out.
        region = person.region
        return region.parent_id or region.pk if region is not None else None

    return {
        **not_personal("id"),
        "public_id": personal(Erase.RENEW),
        "document_type": personal(Erase.SET, value=lambda p, ctx: ANONYMISED_DOCUMENT_TYPE),
        "document_number": personal(Erase.SET, value=number),
        "given_names": personal(Erase.SET, value=lambda p, ctx: ANONYMISED_GIVEN_NAMES),
        "family_names": personal(Erase.SET, value=family),
        "sex": personal(Erase.KEEP, note="coarse attribute for donor counts"),
        "birth_date": personal(Erase.CLEAR, note="replaced by age_band"),
        "email": personal(Erase.CLEAR),
        "phone": personal(Erase.CLEAR),
        "institution": personal(Erase.KEEP, note="coarse attribute (code list)"),
        "position": personal(Erase.KEEP, note="coarse attribute (code list)"),
        "region": personal(Erase.SET, value=department, note="coarsened to the department"),
        "user": LINK,
        "search_text": personal(Erase.SET, export=Export.OMIT, value=search_text),
        "created_at": personal(Erase.KEEP),
        "updated_at": personal(Erase.SET, value=lambda p, ctx: ctx.now),
        "age_band": personal(
            Erase.SET, value=lambda p, ctx: p.age_band or age_band(p.birth_date, ctx.today)
        ),
        "anonymised_at": personal(Erase.SET, value=lambda p, ctx: ctx.now),
        "anonymised_basis": personal(Erase.SET, value=lambda p, ctx: ctx.basis),
    }


def _user_values() -> dict[str, FieldRule]:
    return {
        **not_personal("id"),
        "password": personal(
            Erase.SET,
            export=Export.OMIT,
            retention="account",
            value=lambda u, c: make_password(None),
        ),
        "last_login": personal(Erase.CLEAR, retention="account"),
        "is_superuser": personal(Erase.SET, retention="account", value=lambda u, c: False),
        "first_name": personal(Erase.CLEAR, retention="account"),
        "last_name": personal(Erase.CLEAR, retention="account"),
        "is_staff": personal(Erase.SET, retention="account", value=lambda u, c: False),
        "is_active": personal(Erase.SET, retention="account", value=lambda u, c: False),
        "date_joined": personal(Erase.KEEP, retention="account"),
        # The email is the login and must stay unique: an address that can never be delivered.
        "email": personal(
            Erase.SET,
            retention="account",
            value=lambda u, c: f"anonimizado-{u.pk}@anonimizado.invalid",
        ),
        "groups": personal(Erase.CLEAR, retention="account", note="roles"),
        "user_permissions": personal(Erase.CLEAR, retention="account"),
    }


def _audit_rows(person) -> QuerySet:
    return apps.get_model("lms.AuditEvent").objects.filter(subject=person_ref(person))


# --- The registry ----------------------------------------------------------------------------

REGISTRY: dict[str, ModelRule] = {}


def register(rule: ModelRule) -> ModelRule:
    REGISTRY[rule.label] = rule
    return rule


ID = not_personal("id")

for _rule in (
    # lms ----------------------------------------------------------------------------------------
    ModelRule(
        "lms.Person", _person_values(), person="pk", area="profile", activity=("updated_at",)
    ),
    ModelRule(
        "lms.User", _user_values(), person="person", area="account", activity=("last_login",)
    ),
    ModelRule(
        "lms.Consent",
        {
            **ID,
            "person": LINK,
            **kept("text purpose method given_at", retention="consent"),
            "recorded_by": staff(),
            # The data it covered is erased: the consent of an anonymised person stands for nothing.
            "withdrawn_at": personal(
                Erase.SET, retention="consent", value=lambda c, ctx: c.withdrawn_at or ctx.now
            ),
        },
        person="person",
        area="consents",
        activity=("given_at",),
    ),
    ModelRule(
        "lms.SelfIdentification",
        {
            **ID,
            **each(
                "person ethnicity_consent disability_consent",
                personal(Erase.DELETE, retention="consent", export=Export.OMIT),
            ),
            **each(
                "ethnicity wg_seeing wg_hearing wg_walking wg_remembering wg_self_care "
                "wg_communicating updated_at",
                personal(Erase.DELETE, retention="consent"),
            ),
        },
        person="person",
        area="self_identification",
    ),
    ModelRule(
        "lms.MergeLog",
        {
            **ID,
            "kept": LINK,
            "duplicate_snapshot": personal(Erase.SET, value=lambda m, ctx: {}),
            **kept("moved filled_fields created_at"),
            "reason": STAFF_NOTE,
            "actor": staff(),
        },
        person="kept",
        area="merges",
    ),
    ModelRule(
        "lms.DataRequest",
        {
            **ID,
            "person": LINK,
            **kept(
                "public_id kind field channel language status received_at due_on closed_at updated_at",
                retention="request",
            ),
            "correct_value": personal(Erase.CLEAR, retention="request"),
            "details": personal(Erase.CLEAR, retention="request"),
            "response": personal(Erase.PLACEHOLDER, retention="request"),
            "handled_by": staff(),
        },
        person="person",
        area="data_requests",
        activity=("received_at",),
    ),
    ModelRule(
        "lms.AuditEvent",
        {
            **not_personal("seq at action object_type object_id"),
            "actor": staff("pseudonymous: user:<id>, system or anonymous"),
            "subject": personal(export=Export.OMIT, retention="audit", note="person:<id>"),
            "before": personal(retention="audit", note="nothing personal, by contract"),
            "after": personal(retention="audit", note="nothing personal, by contract"),
            "reason": personal(Erase.AUDIT, export=Export.OMIT, retention="audit"),
            "reason_salt": personal(Erase.AUDIT, export=Export.OMIT, retention="audit"),
            **not_personal("reason_digest prev_hash hash", export=Export.OMIT),
        },
        rows=_audit_rows,
        area="audit_events",
    ),
    ModelRule(
        "lms.Job",
        {
            **not_personal(
                "id name status done total backend attempts created_at started_at finished_at"
            ),
            "label": incidental("job", "names the uploaded file"),
            "params": incidental("job", "the uploaded file's name and path"),
            "result": incidental("job", "an import's errors quote the rows"),
            "error": incidental("job"),
            "created_by": staff(),
        },
    ),
    ModelRule(
        "lms.Institution",
        not_personal("id name name_en aliases code short_name is_active sort_order"),
    ),
    ModelRule("lms.Position", not_personal("id name name_en aliases code is_active sort_order")),
    ModelRule("lms.Region", not_personal("id code level name iso_code parent")),
    ModelRule("lms.ConsentText", not_personal("id purpose version language text published_at")),
    # courses ------------------------------------------------------------------------------------
    ModelRule("courses.HomePage", {**PAGE, **not_personal("intro verification_note")}),
    ModelRule("courses.CatalogPage", {**PAGE, **not_personal("intro")}),
    ModelRule(
        "courses.CoursePage",
        {
            **PAGE,
            **not_personal(
                "code summary objectives contact_hours modality sensitisation_only "
                "gender_equality_hours min_attendance_percent pass_mark_percent mastery_percent "
                "require_all_lessons excused_left_out certificate_valid_months certificates_automatic "
                "audience"
            ),
        },
    ),
    ModelRule("courses.ModulePage", {**PAGE, **not_personal("summary")}),
    ModelRule("courses.LessonPage", {**PAGE, **not_personal("summary estimated_minutes body")}),
    ModelRule(
        "courses.Enrolment",
        {
            **ID,
            "person": LINK,
            **kept("course source enrolled_at last_lesson last_activity_at lessons_completed_at"),
            "enrolled_by": staff(),
        },
        person="person",
        area="enrolments",
        activity=("enrolled_at", "last_activity_at"),
    ),
    ModelRule(
        "courses.LessonProgress",
        {**ID, **kept("enrolment lesson completed_at")},
        person="enrolment__person",
        area="lesson_progress",
        activity=("completed_at",),
    ),
    # attendance ---------------------------------------------------------------------------------
    ModelRule(
        "attendance.Workshop",
        {
            **not_personal(
                "id code course title modality region venue meeting_url capacity "
                "registration_opens_at registration_closes_at requires_approval status "
                "created_at updated_at"
            ),
            "trainers": staff(),
        },
    ),
    ModelRule(
        "attendance.Session",
        not_personal("id workshop number starts_at ends_at checkin_secret"),
    ),
    ModelRule(
        "attendance.AttendanceStatus",
        not_personal("id code name name_en counts_as active sort_order"),
    ),
    ModelRule(
        "attendance.Registration",
        {
            **ID,
            # Printed on badges and sign-in sheets beside the name: renewed, so paper cannot
            # lead back to the anonymised record.
            "public_id": personal(Erase.RENEW),
            "code": personal(Erase.RENEW),
            "person": LINK,
            **kept(
                "workshop status source waitlisted_at needs_review reminded_at created_at "
                "updated_at"
            ),
            "registered_by": staff(),
        },
        person="person",
        area="registrations",
        activity=("created_at",),
    ),
    ModelRule(
        "attendance.AttendanceRecord",
        {
            **ID,
            "person": LINK,
            **kept("session status method recorded_at"),
            "recorded_by": staff(),
        },
        person="person",
        area="attendance",
        activity=("recorded_at",),
    ),
    ModelRule(
        "attendance.AttendanceCorrection",
        {
            **ID,
            **kept("record old_status new_status corrected_at"),
            "reason": STAFF_NOTE,
            "corrected_by": staff(),
        },
        person="record__person",
        area="attendance_corrections",
    ),
    # assessments --------------------------------------------------------------------------------
    ModelRule("assessments.QuestionTag", not_personal("id tag content_object")),
    ModelRule(
        "assessments.Question",
        {
            **not_personal(
                "id text text_en type points numeric_answer numeric_tolerance feedback "
                "feedback_en active created_at updated_at tags"
            ),
            "created_by": staff(),
        },
    ),
    ModelRule("assessments.Choice", not_personal("id question text text_en is_correct sort_order")),
    ModelRule(
        "assessments.Assessment",
        not_personal(
            "id course kind title title_en instructions instructions_en selection draw_tags "
            "draw_count shuffle_questions shuffle_choices attempts_allowed time_limit_minutes "
            "late_policy pass_mark_percent mastery_percent review paper_max_score created_at "
            "updated_at"
        ),
    ),
    ModelRule("assessments.AssessmentItem", not_personal("id assessment question sort_order")),
    ModelRule(
        "assessments.Attempt",
        {
            **ID,
            "person": LINK,
            **kept(
                "assessment number status started_at deadline submitted_at late score "
                "max_score percent"
            ),
        },
        person="person",
        area="attempts",
        activity=("started_at",),
    ),
    ModelRule(
        "assessments.AttemptQuestion",
        {
            **ID,
            **kept(
                "attempt question position choice_order points selected number answered_at "
                "correct awarded"
            ),
        },
        person="attempt__person",
        area="attempt_answers",
    ),
    ModelRule(
        "assessments.WorkshopScore",
        {
            **ID,
            **kept("registration kind score max_score method recorded_at"),
            "recorded_by": staff(),
        },
        person="registration__person",
        area="workshop_scores",
        activity=("recorded_at",),
    ),
    ModelRule(
        "assessments.Completion",
        {
            **ID,
            "person": LINK,
            **kept(
                "course registration enrolment computed_status status reasons "
                "attendance_percent post_percent lessons_done lessons_total completed_on "
                "computed_at"
            ),
        },
        person="person",
        area="completions",
    ),
    ModelRule(
        "assessments.CompletionOverride",
        {
            **ID,
            **kept("completion status completed_on decided_at"),
            "reason": STAFF_NOTE,
            "decided_by": staff(),
        },
        person="completion__person",
        area="completion_overrides",
    ),
    # certificates -------------------------------------------------------------------------------
    ModelRule(
        "certificates.CertificateTemplate",
        not_personal(
            "id name language is_default title subtitle intro body online_body footer "
            "issuer_name primary_colour accent_colour heading_font body_font logo_left "
            "logo_right background extra_css updated_at courses"
        ),
    ),
    ModelRule(
        "certificates.Signatory",
        {
            **not_personal("id template sort_order title"),
            "name": staff("an official who signs, in that role"),
            "signature": staff("an official's signature image"),
        },
    ),
    ModelRule(
        "certificates.Certificate",
        {
            **ID,
            "person": LINK,
            **kept(
                "identifier course registration enrolment completion template language "
                "course_title contact_hours workshop_code region_name modality started_on "
                "completed_on issuer_name valid_until issued_at status status_changed_at "
                "status_category replaces holder_notified_at verification_count last_verified_at"
            ),
            "holder_name": personal(Erase.SET, value=lambda c, ctx: ANONYMISED_HOLDER),
            "issued_by": staff(),
            "issue_reason": STAFF_NOTE,
            "status_note": STAFF_NOTE,
            "pdf": personal(
                Erase.FILE, export=Export.FILE, storage="private", note="prints the name"
            ),
            "pdf_sha256": personal(Erase.CLEAR, export=Export.OMIT),
        },
        person="person",
        area="certificates",
        activity=("issued_at",),
    ),
    ModelRule("certificates.StatusList", not_personal("id number key created_at")),
    ModelRule(
        "certificates.CertificateEvent",
        {
            **ID,
            **kept("certificate action from_status to_status category at"),
            "note": STAFF_NOTE,
            "actor": staff(),
        },
        person="certificate__person",
        area="certificate_events",
    ),
    # reports ------------------------------------------------------------------------------------
    ModelRule(
        "reports.Indicator",
        not_personal(
            "id code version name name_en definition definition_en level unit measure courses "
            "min_gender_hours modalities positions institutions disaggregations baseline "
            "baseline_note active sort_order created_at updated_at"
        ),
    ),
    ModelRule("reports.IndicatorTarget", not_personal("id indicator fiscal_year quarter value")),
    ModelRule(
        "reports.ReportedValue",
        {
            **not_personal("id indicator fiscal_year quarter value suppressed reported_at"),
            "reported_by": staff(),
        },
    ),
    ModelRule(
        "reports.ReportSubscription",
        {
            **not_personal("id language disaggregate_by active last_sent_month created_at"),
            "name": staff("a donor's contact who receives the monthly report"),
            "email": staff("a donor's contact who receives the monthly report"),
        },
    ),
    # Derived from attendance and completions (already in the download); kept on anonymisation
    # so donor counts do not change.
    ModelRule(
        "reports.Fact",
        {
            **ID,
            "person": LINK,
            **kept("kind course workshop enrolment month completed pre_percent post_percent"),
        },
        person="person",
        area="participation_facts",
    ),
):
    register(_rule)


# Third-party models tied to a participant's login: their rows are deleted on anonymisation.
EXTERNAL: tuple[ExternalRule, ...] = (
    ExternalRule("authtoken.Token", lambda user: Q(user=user), "API token"),
    ExternalRule("otp_totp.TOTPDevice", lambda user: Q(user=user), "authenticator secret"),
    ExternalRule("otp_static.StaticDevice", lambda user: Q(user=user), "backup codes"),
    ExternalRule("axes.AccessAttempt", lambda user: Q(username__iexact=user.email), "failures"),
    ExternalRule("axes.AccessFailureLog", lambda user: Q(username__iexact=user.email), "failures"),
    ExternalRule("axes.AccessLog", lambda user: Q(username__iexact=user.email), "logins"),
)


def exported_rules() -> list[ModelRule]:
    """The models of the participant's download, in the order of its sections."""
    return [rule for rule in REGISTRY.values() if rule.area]


# --- Completeness --------------------------------------------------------------------------


def model_fields(model: type[Model]) -> list[str]:
    """The fields a model itself stores: columns (its id, a page's link to its Page row, the ones
    migrations add) and many-to-many links. Inherited Wagtail Page columns belong to wagtailcore."""
    return [f.name for f in model._meta.local_fields] + [
        f.name for f in model._meta.local_many_to_many
    ]


def app_models(app_labels=APPS) -> list[type[Model]]:
    """Every concrete model of our apps (many-to-many link tables are covered by their field)."""
    found = []
    for label in app_labels:
        config = apps.get_app_config(label)
        found += [m for m in config.get_models() if not m._meta.abstract and not m._meta.proxy]
    return found


def registry_problems(models=None, registry: dict[str, ModelRule] | None = None) -> list[str]:
    """What is missing or inconsistent: a field nobody classified, a rule for a field that no
    longer exists, a participant's data that neither the download nor erasure can reach."""
    models = app_models() if models is None else models
    registry = REGISTRY if registry is None else registry
    problems = []
    for model in models:
        label = model._meta.label
        rule = registry.get(label)
        names = model_fields(model)
        if rule is None:
            problems.append(f"{label}: not in the personal-data registry (lms/privacy.py)")
            continue
        problems += [
            f"{label}.{n}: not classified in lms/privacy.py" for n in names if n not in rule.fields
        ]
        problems += [
            f"{label}.{n}: classified but no such field" for n in rule.fields if n not in names
        ]
        participant = [n for n, r in rule.fields.items() if r.kind == Kind.PARTICIPANT]
        if participant and not (rule.person or rule.rows):
            problems.append(
                f"{label}: holds a participant's data but has no way to find their rows"
            )
        if participant and not rule.area:
            problems.append(f"{label}: holds a participant's data but is not in the download")
        if rule.deletes_rows and any(rule.fields[n].erase != Erase.DELETE for n in participant):
            problems.append(f"{label}: rows are deleted, so every personal field must say DELETE")
        for name, field_rule in rule.fields.items():
            where = f"{label}.{name}"
            if field_rule.erase == Erase.SET and field_rule.value is None:
                problems.append(f"{where}: SET without a value")
            if field_rule.erase == Erase.FILE and not field_rule.storage:
                problems.append(f"{where}: FILE without a storage")
            if field_rule.retention and field_rule.retention not in RETENTION:
                problems.append(f"{where}: unknown retention {field_rule.retention!r}")
            if field_rule.kind != Kind.PARTICIPANT and field_rule.erase != Erase.KEEP:
                problems.append(f"{where}: only a participant's data is erased")
    areas = [r.area for r in registry.values() if r.area]
    problems += [f"download section {a!r} used twice" for a in set(areas) if areas.count(a) > 1]
    return problems
