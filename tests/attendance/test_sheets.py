"""The printable sign-in sheet: who is on it, in which order, and what it does not reveal."""

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest

from attendance.models import Registration
from attendance.services import register
from attendance.sheets import mask_document, signin_sheet_pdf
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

LIMA = ZoneInfo("America/Lima")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


@pytest.fixture
def workshop(db):
    return build_workshop(code="LIM-2026-014", sessions=2, starts=START, capacity=3)


def test_sheet_lists_confirmed_people_with_masked_documents(workshop):
    nanez = PersonFactory(
        given_names="María José", family_names="Ñañez Huamán", document_number="10117410"
    )
    alvarez = PersonFactory(
        given_names="Óscar", family_names="Álvarez Quispe", document_number="40123456"
    )
    nunez = PersonFactory(given_names="Ana", family_names="Nuñez Rojas", document_number="45678901")
    regs = [register(workshop=workshop, person=p) for p in (nanez, alvarez, nunez)]
    waitlisted = register(
        workshop=workshop,
        person=PersonFactory(given_names="Lucía", family_names="Zevallos Paz"),
    )
    assert waitlisted.status == Registration.Status.WAITLISTED

    session = workshop.sessions.get(number=2)
    pdf = signin_sheet_pdf(session)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)

    assert "LIM-2026-014" in text
    assert "Ñañez Huamán" in text
    assert "María José" in text
    for registration in regs:
        assert registration.code in text
    assert "DNI ****7410" in text
    assert "10117410" not in text
    assert "40123456" not in text
    # Session 2 is the day after, 09:00–12:00 Lima time.
    assert "09:00" in text
    assert "12:00" in text
    assert "Zevallos" not in text
    # Spanish order: accents do not count, Ñ comes after N.
    assert text.index("Álvarez") < text.index("Nuñez") < text.index("Ñañez")


@pytest.mark.usefixtures("english")
def test_sheet_numbers_its_pages(workshop):
    for n in range(3):
        register(workshop=workshop, person=PersonFactory(given_names=f"Persona {chr(65 + n)}"))
    text = pdf_text(signin_sheet_pdf(workshop.sessions.get(number=1), blank_rows=20))
    first, second, *_rest = text.split("\f")
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    # The table header repeats on every page.
    assert "Signature" in second


def test_mask_keeps_only_the_last_four_characters():
    assert mask_document("1", "10117410") == "DNI ****7410"
    assert mask_document("4", "001234567") == "CE ****4567"
    assert mask_document("0", "123") == mask_document("0", "123").split()[0] + " ****"
