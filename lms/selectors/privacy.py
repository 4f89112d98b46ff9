"""Reads for a participant's privacy pages: everything held on them, their consents, requests.

The download is built from the registry in ``lms.privacy``: every model with a download section
("area") contributes the person's rows, with every field the registry does not omit. A field
added to a model is therefore downloaded as soon as it is classified (the registry test insists).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lms.exports import write_csv
from lms.models import Consent, ConsentText, DataRequest, Person
from lms.privacy import Export, FieldRule, ModelRule, exported_rules

FORMAT = "integridad-lms/personal-data/1"


@dataclass(frozen=True)
class _Viewer:
    """Whose download it is: their own login shows as "you", anyone else as "program staff"."""

    user_id: int | None

    def who(self, value) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, str) and not value.startswith("user:"):
            return {"system": _("system"), "anonymous": _("anonymous visitor")}.get(
                value, _("program staff")
            )
        user_id = int(value.split(":", 1)[1]) if isinstance(value, str) else value
        return (
            _("you") if self.user_id is not None and user_id == self.user_id else _("program staff")
        )


def _plain(value):
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str | int | float | bool | dict | list) or value is None:
        return value
    return str(value)


def _value(obj: models.Model, field: models.Field, rule: FieldRule, viewer: _Viewer):
    if rule.export == Export.STAFF:
        return viewer.who(getattr(obj, field.attname))
    if rule.export == Export.FILE:
        return bool(getattr(obj, field.attname))
    if field.many_to_many:
        return [str(related) for related in getattr(obj, field.name).all()]
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return _plain(value)


def _rows(rule: ModelRule, person: Person, viewer: _Viewer) -> list[dict]:
    model = rule.model
    fields = [(model._meta.get_field(name), rule.fields[name]) for name in rule.exported]
    return [
        {field.name: _value(obj, field, field_rule, viewer) for field, field_rule in fields}
        for obj in rule.rows_of(person).order_by("pk")
    ]


def person_data(*, person: Person) -> dict:
    """Everything held on ``person``, one section per area, in the active language."""
    viewer = _Viewer(person.user_id)
    areas = {}
    for rule in exported_rules():
        areas[rule.area] = {
            "title": capfirst(str(rule.model._meta.verbose_name_plural)),
            "fields": rule.exported,
            "records": _rows(rule, person, viewer),
        }
    return {
        "format": FORMAT,
        "generated_at": timezone.localtime().isoformat(),
        "language": translation.get_language(),
        "areas": areas,
    }


def person_data_zip(*, data: dict) -> bytes:
    """The same document as a ZIP with one CSV per area (UTF-8 with BOM, formulas neutralised)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for area, section in data["areas"].items():
            header = section["fields"]
            rows = [[record.get(name) for name in header] for record in section["records"]]
            archive.writestr(f"{area}.csv", write_csv(rows, header))
    return buffer.getvalue()


# --- Consents --------------------------------------------------------------------------------


def consent_text_current(*, purpose: str, language: str | None = None) -> ConsentText | None:
    """The newest text of a purpose in ``language``, else in the default language."""
    texts = ConsentText.objects.filter(purpose=purpose).order_by("-published_at", "-pk")
    for code in (language or translation.get_language(), settings.LANGUAGE_CODE):
        text = texts.filter(language=code).first()
        if text is not None:
            return text
    return None


@dataclass(frozen=True)
class PurposeState:
    purpose: str
    label: str
    active: Consent | None
    history: list[Consent]
    current_text: ConsentText | None

    @property
    def can_give(self) -> bool:
        """No consent stands, or the one that stands is for an older text than the current one."""
        if self.current_text is None:
            return False
        return self.active is None or self.active.text_id != self.current_text.pk


def consent_overview(*, person: Person) -> list[PurposeState]:
    consents = list(person.consents.select_related("text").order_by("-given_at", "-pk"))
    states = []
    for purpose, label in ConsentText.Purpose.choices:
        history = [c for c in consents if c.purpose == purpose]
        active = next((c for c in history if c.withdrawn_at is None), None)
        states.append(
            PurposeState(
                purpose=purpose,
                label=str(label),
                active=active,
                history=history,
                current_text=consent_text_current(purpose=purpose),
            )
        )
    return states


def data_requests_of(*, person: Person):
    return DataRequest.objects.filter(person=person).order_by("-received_at", "-pk")
