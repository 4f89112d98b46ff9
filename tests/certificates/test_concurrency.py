"""Two bulk issues of the same workshop at once (a double click, a re-delivered job) on PostgreSQL:
every completed person ends with exactly one live certificate and one PDF, and one email."""

import pytest
from django.core import mail

from assessments.models import Completion
from certificates import automatic
from certificates.models import Certificate, CertificateEvent
from certificates.services import bulk_issue, certificate_issue
from courses.models import CoursePage
from tests.attendance.test_concurrency import _run_all
from tests.certificates.factories import completed_workshop, default_templates

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_bulk_issues_at_once_leave_one_certificate_per_person():
    default_templates()
    workshop = completed_workshop(people=12)
    errors = _run_all([lambda: bulk_issue(workshop, workers=1) for _ in range(3)])
    assert errors == []
    live = Certificate.objects.filter(registration__workshop=workshop, status="valid")
    assert live.count() == 12
    assert live.values("registration").distinct().count() == 12
    assert all(c.pdf for c in live)
    # Only inserted rows got an "issued" event: one per certificate.
    assert CertificateEvent.objects.filter(certificate__in=live, action="issued").count() == 12


def test_single_issues_racing_for_one_person_return_the_same_certificate():
    default_templates()
    workshop = completed_workshop(people=1)
    completion = Completion.objects.get(registration__workshop=workshop)
    seen = []
    errors = _run_all(
        [
            lambda: seen.append(certificate_issue(completion=completion).certificate.identifier)
            for _ in range(6)
        ]
    )
    assert errors == []
    assert len(set(seen)) == 1
    assert Certificate.objects.filter(registration__workshop=workshop).count() == 1


def test_processes_creating_a_status_list_at_once_agree_on_its_key():
    """Every certificate's position comes from its list's key: two keys for one list would move
    printed credentials' bits."""
    from certificates import openbadges
    from certificates.models import StatusList

    keys = []
    errors = _run_all([lambda: keys.append(openbadges.status_list_key(3)) for _ in range(6)])
    assert errors == []
    assert len(keys) == 6 and len(set(keys)) == 1
    assert StatusList.objects.filter(number=3).count() == 1


def test_automatic_batches_racing_issue_and_email_each_holder_once():
    """The same decisions handed over twice (a batch delivered again while the first still
    runs, or two transactions noting the same people)."""
    default_templates()
    workshop = completed_workshop(people=8)  # closed; its course issues by hand so far
    for registration in workshop.registrations.select_related("person"):
        registration.person.email = f"persona{registration.pk}@example.pe"
        registration.person.save()
    CoursePage.objects.filter(pk=workshop.course_id).update(certificates_automatic=True)
    ids = list(
        Completion.objects.filter(registration__workshop=workshop, status="completed").values_list(
            "pk", flat=True
        )
    )
    mail.outbox = []

    errors = _run_all([lambda: automatic.issue_completions(ids) for _ in range(3)])

    assert errors == []
    live = Certificate.objects.filter(registration__workshop=workshop, status="valid")
    assert live.count() == 8 and live.values("registration").distinct().count() == 8
    assert all(c.pdf and c.holder_notified_at for c in live)
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 8 and len(set(recipients)) == 8
