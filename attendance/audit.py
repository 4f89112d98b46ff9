"""Audited changes: attendance marks, session times and registration statuses."""

from attendance.models import AttendanceRecord, Registration, Session
from lms.auditing import track
from lms.services.audit import person_ref

track(
    AttendanceRecord,
    "attendance",
    fields=["session", "person", "status", "method", "recorded_at"],
    subject=lambda record: person_ref(record.person_id),
)
# Moving a session's times moves who counts as present, late or absent.
track(Session, "session", fields=["workshop", "number", "starts_at", "ends_at"])
track(
    Registration,
    "registration",
    fields=["workshop", "person", "status"],
    subject=lambda registration: person_ref(registration.person_id),
)
