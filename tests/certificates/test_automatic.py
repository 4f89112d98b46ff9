"""Certificates issued at completion, without anyone asking (certificates.automatic): online at
once, workshops when they are closed; each holder emailed their PDF, once. Hand-overs happen
after the commit, so the tests run the transaction's on_commit callbacks."""

import logging
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from assessments.models import Completion
from attendance.models import Workshop
from attendance.services import attendance_record, register
from certificates import automatic
from certificates.models import Certificate, CertificateTemplate
from certificates.services import (
    certificate_holder_notify,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from courses.services import enrol, lesson_complete
from tests.attendance.factories import build_workshop
from tests.certificates.factories import PAST, default_templates
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def designs(db):
    return default_templates()


def workshop_attended(*, code="CUS-2026-070", present=2, absent=1) -> Workshop:
    """An open workshop whose sessions are over: ``present`` people came to both, the others
    to none."""
    workshop = build_workshop(code=code, sessions=2, starts=PAST, capacity=present + absent + 5)
    for i in range(present + absent):
        person = PersonFactory(email=f"persona{i}@example.pe")
        register(workshop=workshop, person=person)
        status = "present" if i < present else "absent"
        for session in workshop.sessions.all():
            attendance_record(session=session, person=person, status=status, method="roster")
    return workshop


def close(workshop: Workshop) -> None:
    workshop.status = Workshop.Status.CLOSED
    workshop.save()


def test_closing_a_workshop_issues_everyone_completed_and_emails_them_the_pdf(
    django_capture_on_commit_callbacks,
):
    workshop = workshop_attended(present=2, absent=1)
    assert not Certificate.objects.exists()  # open: decisions can still change

    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)

    certificates = Certificate.objects.filter(registration__workshop=workshop).order_by("pk")
    assert certificates.count() == 2
    assert all(c.pdf and c.holder_notified_at and c.issued_by is None for c in certificates)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.person.email for c in certificates)
    message = mail.outbox[0]
    certificate = certificates.get(person__email=message.to[0])
    assert workshop.course.title in message.subject
    assert f"/v/{certificate.identifier}" in message.body
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert name.endswith(".pdf")


def test_nothing_is_issued_while_the_workshop_is_open(django_capture_on_commit_callbacks):
    workshop = workshop_attended()
    with django_capture_on_commit_callbacks(execute=True):
        workshop.venue = "Sala 2"
        workshop.save()  # every decision is saved again

    assert (
        Completion.objects.filter(registration__workshop=workshop, status="completed").count() == 2
    )
    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_a_course_that_does_not_issue_automatically_leaves_it_to_staff(
    django_capture_on_commit_callbacks,
):
    workshop = workshop_attended()
    workshop.course.certificates_automatic = False
    workshop.course.save()

    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)

    assert not Certificate.objects.exists()
    assert mail.outbox == []


def test_later_changes_issue_and_email_no_one_twice(django_capture_on_commit_callbacks):
    workshop = workshop_attended(present=2, absent=0)
    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)
    first = set(Certificate.objects.values_list("identifier", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        workshop.venue = "Auditorio"
        workshop.save()  # every decision is saved again
        workshop.status = Workshop.Status.COMPLETED
        workshop.save()

    assert set(Certificate.objects.values_list("identifier", flat=True)) == first
    assert len(mail.outbox) == 2


def test_a_late_completion_in_a_closed_workshop_is_issued_then(
    django_capture_on_commit_callbacks, staff_user
):
    workshop = workshop_attended(present=1, absent=1)
    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)
    late = Completion.objects.get(registration__workshop=workshop, status="not_completed")

    # Staff correct the roster of the closed workshop: the absent person was there.
    with django_capture_on_commit_callbacks(execute=True):
        for session in workshop.sessions.all():
            attendance_record(
                session=session,
                person=late.person,
                status="present",
                method="roster",
                recorded_by=staff_user,
                reason="Firmó la hoja de asistencia en papel.",
            )

    assert Certificate.objects.filter(person=late.person).count() == 1
    assert mail.outbox[-1].to == [late.person.email]


def test_a_revoked_certificate_is_not_issued_again(django_capture_on_commit_callbacks):
    workshop = workshop_attended(present=1, absent=0)
    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)
    certificate = Certificate.objects.get()
    certificate_revoke(certificate, actor=None, note="Asistencia no sustentada.")

    with django_capture_on_commit_callbacks(execute=True):
        workshop.venue = "Auditorio"
        workshop.save()

    assert list(Certificate.objects.values_list("status", flat=True)) == ["revoked"]


def test_an_online_course_is_certified_as_soon_as_it_is_completed(
    django_capture_on_commit_callbacks,
):
    course, lessons = build_course(code="ONL-201")
    person = PersonFactory(email="aprendiz@example.pe")
    enrolment = enrol(person=person, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons[:-1]:
            lesson_complete(enrolment=enrolment, lesson=lesson)
    assert not Certificate.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(enrolment=enrolment, lesson=lessons[-1])

    certificate = Certificate.objects.get()
    assert (certificate.enrolment, certificate.course_title) == (enrolment, course.title)
    assert certificate.pdf
    assert [m.to for m in mail.outbox] == [["aprendiz@example.pe"]]
    assert course.title in mail.outbox[0].subject and course.title in mail.outbox[0].body
    assert f"/v/{certificate.identifier}" in mail.outbox[0].body


def test_a_holder_without_an_email_is_certified_and_not_emailed(
    django_capture_on_commit_callbacks,
):
    workshop = workshop_attended(present=1, absent=0)
    person = workshop.registrations.get().person
    person.email = ""
    person.save()

    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)

    certificate = Certificate.objects.get()
    assert certificate.holder_notified_at is None
    assert mail.outbox == []


def close_with_a_worker(settings, capture, workshop: Workshop) -> tuple[list[int], dict]:
    """Close the workshop with jobs going to Celery: what was sent to the worker."""
    settings.LMS_JOBS_BACKEND = "celery"
    with (
        mock.patch.object(automatic.issue_completions_task, "delay") as delay,
        capture(execute=True),
    ):
        close(workshop)
    # One message for the whole workshop, sent after the commit.
    delay.assert_called_once()
    (ids,), kwargs = delay.call_args
    return ids, kwargs


def test_a_closed_workshop_is_handed_to_a_worker_as_one_batch(
    settings, django_capture_on_commit_callbacks
):
    workshop = workshop_attended(present=3, absent=1)

    ids, kwargs = close_with_a_worker(settings, django_capture_on_commit_callbacks, workshop)

    completed = Completion.objects.filter(registration__workshop=workshop, status="completed")
    assert sorted(ids) == sorted(completed.values_list("pk", flat=True)) and len(ids) == 3
    assert kwargs == {"notify": True, "render": True}
    assert not Certificate.objects.exists()

    automatic.issue_completions_task(ids)  # the worker
    automatic.issue_completions_task(ids)  # the same message delivered again
    assert Certificate.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_rolled_back_transaction_hands_nothing_over(django_capture_on_commit_callbacks):
    rolled_back = workshop_attended(code="CUS-2026-071", present=1, absent=0)
    closed = workshop_attended(code="CUS-2026-072", present=1, absent=0)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            close(rolled_back)
            raise RuntimeError("the request failed")
        close(closed)

    assert list(Certificate.objects.values_list("workshop_code", flat=True)) == ["CUS-2026-072"]


def test_without_a_design_the_completion_stays_uncertified_and_nothing_fails(
    django_capture_on_commit_callbacks, caplog
):
    CertificateTemplate.objects.filter(language="es").delete()
    workshop = workshop_attended(present=1, absent=0)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        close(workshop)

    assert not Certificate.objects.exists()
    assert "no certificate issued automatically" in caplog.text
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.CLOSED


def test_a_certificate_issued_by_staff_is_emailed_once(django_capture_on_commit_callbacks):
    workshop = workshop_attended(present=1, absent=0)
    workshop.course.certificates_automatic = False
    workshop.course.save()
    close(workshop)
    completion = Completion.objects.get(status="completed")

    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(completion=completion).certificate

    assert len(mail.outbox) == 1
    assert certificate_holder_notify(certificate) is False  # already told
    assert len(mail.outbox) == 1


def test_a_worker_that_died_before_sending_sends_when_delivered_again(
    settings, django_capture_on_commit_callbacks
):
    workshop = workshop_attended(present=2, absent=0)
    ids, _kwargs = close_with_a_worker(settings, django_capture_on_commit_callbacks, workshop)

    with (
        mock.patch.object(automatic, "certificate_holders_notify", side_effect=SystemExit),
        pytest.raises(SystemExit),
    ):
        automatic.issue_completions_task(ids)  # killed after issuing, before sending
    assert Certificate.objects.count() == 2 and mail.outbox == []

    automatic.issue_completions_task(ids)

    assert Certificate.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_reissued_certificate_is_emailed_to_its_holder(django_capture_on_commit_callbacks):
    workshop = workshop_attended(present=1, absent=0)
    with django_capture_on_commit_callbacks(execute=True):
        close(workshop)
    old = Certificate.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(old, actor=None, note="Corrección del nombre.")

    assert len(mail.outbox) == 2
    assert f"/v/{new.identifier}" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [new.person.email]
