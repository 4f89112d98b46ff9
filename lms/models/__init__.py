"""Core models: accounts, the audit trail, the participant registry and its code lists, background jobs."""

from lms.models.accounts import User, UserManager
from lms.models.audit import AuditEvent
from lms.models.codes import Institution, Position, Region
from lms.models.jobs import Job
from lms.models.people import (
    PERSON_FIELDS,
    AgeBand,
    AnonymisationBasis,
    Consent,
    ConsentText,
    DocumentType,
    Ethnicity,
    MergeLog,
    Person,
    SelfIdentification,
    Sex,
    WGAnswer,
)
from lms.models.privacy import DataRequest

__all__ = [
    "PERSON_FIELDS",
    "AgeBand",
    "AnonymisationBasis",
    "AuditEvent",
    "Consent",
    "ConsentText",
    "DataRequest",
    "DocumentType",
    "Ethnicity",
    "Institution",
    "Job",
    "MergeLog",
    "Person",
    "Position",
    "Region",
    "SelfIdentification",
    "Sex",
    "User",
    "UserManager",
    "WGAnswer",
]
