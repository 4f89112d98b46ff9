"""A participant with data in every area (registry, login, consents and answers, a workshop with
attendance, scores, a correction and a certificate, an online course with an attempt, a merge, a
request, audit events, failed logins), beside a classmate whose data must never leak into theirs.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments.models import Completion, CompletionOverride
from assessments.scores import score_record
from assessments.services import attempt_start, attempt_submit
from attendance.models import AttendanceCorrection, AttendanceRecord
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_pdf_store, certificate_suspend
from courses.services import enrol, lesson_complete
from lms.models import (
    Consent,
    ConsentText,
    DataRequest,
    MergeLog,
    Person,
    User,
    WGAnswer,
)
from lms.models.people import WG_DOMAINS
from lms.roles import Role
from lms.services.audit import audit_record, person_ref
from lms.services.people import consent_record, self_identification_record
from lms.services.privacy import data_request_submit
from tests.assessments.factories import build_assessment, right_answer, single
from tests.certificates.factories import completed_workshop, default_templates
from tests.courses.factories import build_course
from tests.factories import UserFactory

GIVEN = "Rosa Elvira"
FAMILY = "Mamani Quispe"
EMAIL = "rosa.mamani@example.pe"
PHONE = "+51 987 654 321"
THIRD_PARTY = "Juan Pérez Salas"  # named in staff notes about Rosa
OTHER_GIVEN = "Óscar Andrés"
OTHER_FAMILY = "Huamán Ccori"


@dataclass
class Participant:
    person: Person
    user: User
    other: Person
    staff: User
    certificate: Certificate
    document_number: str

    @property
    def needles(self) -> list[str]:
        """Strings that must be gone from every table once the person is anonymised."""
        return [
            GIVEN,
            FAMILY,
            EMAIL,
            "987 654 321",
            THIRD_PARTY,
            self.document_number,
        ]


def _consent(person, purpose):
    text = ConsentText.objects.filter(purpose=purpose, language="es").first()
    return consent_record(person=person, text=text, method=Consent.Method.PAPER)


def build_participant() -> Participant:
    default_templates()
    staff = UserFactory(role=Role.PROGRAM_ADMIN, email="admin.staff@example.pe")
    completed_workshop(
        code="PRV-2026-001", people=2, names=[(GIVEN, FAMILY), (OTHER_GIVEN, OTHER_FAMILY)]
    )
    person = Person.objects.get(given_names=GIVEN)
    other = Person.objects.get(given_names=OTHER_GIVEN)
    user = UserFactory(role=Role.PARTICIPANT, email=EMAIL, first_name=GIVEN, last_name=FAMILY)
    Person.objects.filter(pk=person.pk).update(
        user=user, email=EMAIL, phone=PHONE, birth_date=dt.date(1991, 5, 17)
    )
    other_user = UserFactory(role=Role.PARTICIPANT, email="oscar@example.pe")
    Person.objects.filter(pk=other.pk).update(user=other_user, email="oscar@example.pe")
    person.refresh_from_db()
    other.refresh_from_db()

    _consent(person, ConsentText.Purpose.ETHNICITY)
    _consent(person, ConsentText.Purpose.DISABILITY)
    self_identification_record(
        person=person,
        ethnicity="quechua",
        disability_answers={**dict.fromkeys(WG_DOMAINS, WGAnswer.NO_DIFFICULTY), "seeing": "3"},
    )

    registration = person.registrations.get()
    score_record(
        registration=registration,
        kind="pre",
        score=Decimal(12),
        max_score=Decimal(20),
        method="grid",
        recorded_by=staff,
    )
    record = AttendanceRecord.objects.filter(person=person).first()
    AttendanceCorrection.objects.create(
        record=record,
        old_status="absent",
        new_status="present",
        reason=f"Firmó tarde; lo confirmó {THIRD_PARTY}",
        corrected_by=staff,
    )
    completion = Completion.objects.get(registration=registration)
    CompletionOverride.objects.create(
        completion=completion,
        status="completed",
        completed_on=timezone.localdate(),
        reason=f"Revisado con {THIRD_PARTY}",
        decided_by=staff,
    )
    certificate = certificate_issue(completion=completion, render=False).certificate
    certificate_pdf_store(certificate, b"%PDF-1.7 fake certificate of " + GIVEN.encode())
    certificate_suspend(certificate, actor=staff, note=f"Denuncia presentada por {THIRD_PARTY}")
    certificate.refresh_from_db()

    course, lessons = build_course(code="PRV-ONLINE")
    enrolment = enrol(person=person, course=course)
    lesson_complete(enrolment=enrolment, lesson=lessons[0])
    question = single()
    assessment = build_assessment(course, kind="post", questions=[question])
    attempt = attempt_start(assessment=assessment, person=person)
    attempt_submit(attempt=attempt, answers={str(question.pk): right_answer(question)})

    MergeLog.objects.create(
        kept=person,
        duplicate_snapshot={"given_names": GIVEN, "family_names": FAMILY, "email": EMAIL},
        moved={"attendance.Registration": 1},
        filled_fields=["phone"],
        reason=f"Duplicado de {GIVEN} {FAMILY}",
        actor=staff,
    )
    data_request_submit(
        person=person,
        kind=DataRequest.Kind.RECTIFICATION,
        field="family_names",
        correct_value=f"{FAMILY} de Ccori",
        details=f"Mi apellido es {FAMILY} de Ccori",
    )
    audit_record(
        "test.note",
        object_type="lms.person",
        object_id=str(person.pk),
        subject=person_ref(person),
        reason=f"Llamada de {GIVEN} {FAMILY}",
        actor=staff,
    )
    Token.objects.create(user=user)
    AccessAttempt.objects.create(
        username=EMAIL,
        ip_address="10.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/es/cuenta/",
        get_data="",
        post_data=f"username={EMAIL}",
        failures_since_start=1,
    )
    return Participant(
        person=person,
        user=user,
        other=other,
        staff=staff,
        certificate=certificate,
        document_number=person.document_number,
    )
