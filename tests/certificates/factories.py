"""Certificate designs and workshops whose participants have completed (ready to certify)."""

import datetime as dt

from django.utils import timezone

from assessments.models import Completion
from attendance.models import Workshop
from attendance.services import attendance_record, register
from certificates.models import CertificateTemplate, Signatory
from courses.models import CoursePage
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

PAST = timezone.now().replace(microsecond=0) - dt.timedelta(days=20)


def default_templates() -> dict[str, CertificateTemplate]:
    """The default Spanish and English designs (no images: they are optional)."""
    es = CertificateTemplate.objects.create(
        name="Diseño general (es)",
        language="es",
        is_default=True,
        title="Certificado de aprobación",
        intro="Se otorga el presente certificado a",
        body="por haber aprobado el curso {course} ({hours} horas), taller {workshop}, {region}, "
        "{dates}.",
        online_body="por haber aprobado el curso en línea {course} ({hours} horas), {dates}.",
        issuer_name="Programa Nacional de Integridad",
    )
    en = CertificateTemplate.objects.create(
        name="General design (en)",
        language="en",
        is_default=True,
        title="Certificate of completion",
        intro="This certifies that",
        body="has completed the course {course} ({hours} hours), workshop {workshop}, {region}, "
        "{dates}.",
        issuer_name="National Integrity Program",
    )
    for template in (es, en):
        Signatory.objects.create(template=template, name="Ana Pérez Ñahui", title="Directora")
    return {"es": es, "en": en}


def completed_workshop(
    *, code="LIM-2026-021", people=3, names=None, automatic: bool = False
) -> Workshop:
    """A closed workshop where everyone attended every session: all completed. Its course leaves
    issuing to staff unless ``automatic`` (certificates.automatic): the tests that use it issue
    by hand, in bulk or racing, and must find no certificate yet when the closing commits."""
    workshop = build_workshop(code=code, sessions=2, starts=PAST, capacity=max(people, 1) + 5)
    CoursePage.objects.filter(pk=workshop.course_id).update(certificates_automatic=automatic)
    workshop.course.certificates_automatic = automatic
    names = names or [(f"María José {i}", "Ñúñez Huamán") for i in range(people)]
    for given, family in names:
        person = PersonFactory(given_names=given, family_names=family)
        register(workshop=workshop, person=person)
        for session in workshop.sessions.all():
            attendance_record(session=session, person=person, status="present", method="roster")
    workshop.status = Workshop.Status.CLOSED
    workshop.save()
    from assessments.completion import refresh_registrations

    refresh_registrations(workshop.registrations.all())
    assert Completion.objects.filter(
        registration__workshop=workshop, status="completed"
    ).count() == len(names)
    return workshop
