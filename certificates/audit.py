"""Audited changes: certificates issued, suspended, revoked, reinstated and replaced.

The holder's name is not in the event (it is personal); the identifier, course, dates and status
are. Services set the actor and the reason (``audit_context``); bulk issue records its own events.
"""

from certificates.models import Certificate
from lms.auditing import track
from lms.services.audit import person_ref

CERTIFICATE_FIELDS = [
    "identifier",
    "course",
    "registration",
    "enrolment",
    "completion",
    "status",
    "status_category",
    "contact_hours",
    "completed_on",
    "valid_until",
    "replaces",
    "issued_at",
]

track(
    Certificate,
    "certificate",
    fields=CERTIFICATE_FIELDS,
    subject=lambda certificate: person_ref(certificate.person_id),
    delete=False,
)
