"""Two bulk issues of the same workshop at once (a double click, a re-delivered job) on PostgreSQL:
every completed person ends with exactly one live certificate and one PDF."""

import pytest

from assessments.models import Completion
from certificates.models import Certificate, CertificateEvent
from certificates.services import bulk_issue, certificate_issue
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
