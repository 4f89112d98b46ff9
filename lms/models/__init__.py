"""Core models: accounts, the participant registry and its code lists, background jobs."""

from lms.models.accounts import User, UserManager
from lms.models.codes import Institution, Position, Region
from lms.models.jobs import Job
from lms.models.people import (
    PERSON_FIELDS,
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

__all__ = [
    "PERSON_FIELDS",
    "Consent",
    "ConsentText",
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
