"""Identity checks a registrar meets when typing or importing a person: documents, names, dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lms.validators import (
    fold,
    looks_like_mojibake,
    normalize_document_number,
    normalize_name,
    validate_birth_date,
)

DNI = "1"
CE = "4"
PASSPORT = "7"


def years_ago(years: int, *, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary + dt.timedelta(days=days)


# --- DNI ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "10117410",
        " 10117410 ",
        "10117410-2",
        "10117410G",
        "10117410g",
        "10117410 - 2",
        "10117410-G",
    ],
)
def test_dni_with_or_without_a_correct_check_character_is_stored_as_8_digits(raw):
    assert normalize_document_number(DNI, raw) == "10117410"


def test_dni_with_leading_zero_keeps_it():
    assert normalize_document_number(DNI, "01234567-0") == "01234567"


@pytest.mark.parametrize("raw", ["10117410-3", "10117410H"])
def test_wrong_dni_check_character_is_rejected_naming_the_expected_one(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_document_number(DNI, raw)
    assert exc.value.code == "dni_check"
    message = exc.value.messages[0]
    # The registrar is told both accepted forms of the check character for 10117410: 2 or G.
    assert "10117410" in message
    assert "2" in message.replace("10117410", "")
    assert "G" in message


@pytest.mark.parametrize("raw", ["1011741", "1011741A", "ABCDEFGH", "10117410-22", "1011741022"])
def test_dni_that_is_not_8_digits_is_rejected(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_document_number(DNI, raw)
    assert exc.value.code == "dni_format"


def test_nine_digits_are_refused_unless_the_ninth_is_the_check_digit():
    # A 9th digit is read as the check character typed without a hyphen (10117410 -> 2).
    with pytest.raises(ValidationError) as exc:
        normalize_document_number(DNI, "123456789")  # check digit of 12345678 is 1
    assert exc.value.code == "dni_check"
    assert normalize_document_number(DNI, "101174102") == "10117410"


def test_empty_document_number_is_required():
    with pytest.raises(ValidationError) as exc:
        normalize_document_number(DNI, "  ")
    assert exc.value.code == "required"


# --- Carné de extranjería and passport ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("001234567", "001234567"), ("ab-123456", "AB123456"), ("X12 345 678 90", "X1234567890")],
)
def test_foreigners_card_is_upper_case_alphanumeric(raw, stored):
    assert normalize_document_number(CE, raw) == stored


@pytest.mark.parametrize("raw", ["1234567890123", "AB_12345", "AB.12345"])
def test_foreigners_card_longer_than_12_or_with_symbols_is_rejected(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_document_number(CE, raw)
    assert exc.value.code == "ce_format"


def test_passport_is_free_text_up_to_20_characters():
    assert normalize_document_number(PASSPORT, "us 12/34") == "US12/34"
    with pytest.raises(ValidationError):
        normalize_document_number(PASSPORT, "X" * 21)


# --- Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["José Ñañez Quispe", "María-José", "D'Ángelo", "Ñuñoa", "Huamán Mamani"]
)
def test_names_are_kept_exactly_as_written(name):
    assert normalize_name(name) == name


def test_names_only_lose_surrounding_and_repeated_spaces():
    assert normalize_name("  José   Ñañez\tQuispe ") == "José Ñañez Quispe"


def test_decomposed_accents_are_stored_composed():
    decomposed = "Jose\u0301 N\u0303an\u0303ez"
    assert normalize_name(decomposed) == "José Ñañez"


def test_mojibake_name_is_rejected_with_the_probable_spelling():
    assert looks_like_mojibake("JosÃ©")
    with pytest.raises(ValidationError) as exc:
        normalize_name("JosÃ©")
    assert exc.value.code == "mojibake"
    assert "José" in exc.value.messages[0]
    assert "UTF-8" in exc.value.messages[0]


def test_real_names_are_not_mistaken_for_mojibake():
    assert not looks_like_mojibake("José Ñañez Quispe")
    assert not looks_like_mojibake("Ángela Pérez")


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+Jose", "-Jose", "@Jose"])
def test_a_name_cannot_start_like_a_spreadsheet_formula(name):
    with pytest.raises(ValidationError) as exc:
        normalize_name(name)
    assert exc.value.code == "formula"


@pytest.mark.parametrize("name", ["Jose2", "Rosa_Maria", "Rosa;Maria", "<b>Rosa</b>"])
def test_digits_and_symbols_do_not_belong_in_a_name(name):
    with pytest.raises(ValidationError) as exc:
        normalize_name(name)
    assert exc.value.code == "invalid_name"


def test_blank_name_is_required():
    with pytest.raises(ValidationError) as exc:
        normalize_name("   ")
    assert exc.value.code == "required"


# --- Birth date ----------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [14, 30, 110])
def test_plausible_birth_dates_pass(years):
    validate_birth_date(years_ago(years))


def test_birth_date_in_the_future_is_rejected():
    with pytest.raises(ValidationError) as exc:
        validate_birth_date(timezone.localdate() + dt.timedelta(days=1))
    assert exc.value.code == "future"


@pytest.mark.parametrize(
    ("make_date", "age"),
    [
        (lambda: years_ago(14, days=1), 13),  # turns 14 tomorrow
        (lambda: years_ago(111), 111),
        (lambda: dt.date(1900, 1, 1), None),
    ],
)
def test_implausible_ages_are_rejected_with_the_age(make_date, age):
    # The date is computed when the test runs, not at collection: a run can cross midnight.
    when = make_date()
    with pytest.raises(ValidationError) as exc:
        validate_birth_date(when)
    assert exc.value.code == "implausible_age"
    if age is not None:
        assert str(age) in exc.value.messages[0]


# --- fold() --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ñúñez", "nunez"),
        ("  ÁLVAREZ ", "alvarez"),
        ("Apurímac", "apurimac"),
        ("Poder Judicial", "poder judicial"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


def test_fold_makes_accented_and_plain_spellings_equal():
    assert fold("Policía Nacional del Perú") == fold("POLICIA NACIONAL DEL PERU")
