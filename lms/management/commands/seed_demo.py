"""python manage.py seed_demo [--participants N] [--seed S]: demo logins and fake participants.

Everything is drawn from one ``random.Random(seed)``, person after person, so the same seed gives
the same people, and a larger N gives the same first people plus more. Running it again adds
nothing: people are keyed by (document type, document number) and logins by email.

The participants are invented: Peruvian given and family names (with accents and ñ), a position
that matches the institution, a region weighted toward the program regions, a valid DNI (or a
foreigner's card), and for about 5% of them consented ethnic and disability self-identification,
recorded through the same services the application uses.
"""

import datetime as dt
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from lms.demo import run_demo_seeders
from lms.models import (
    Consent,
    ConsentText,
    DocumentType,
    Ethnicity,
    Institution,
    Person,
    Position,
    Region,
    Sex,
    User,
    WGAnswer,
)
from lms.models.people import WG_DOMAINS
from lms.roles import Role, assign_role
from lms.services.people import consent_record, self_identification_record
from lms.two_factor import (
    DEMO_TOTP_SECRET,
    REQUIRED_ROLES,
    demo_totp_device_ensure,
    demo_totp_device_remove,
    demo_totp_uri,
)
from lms.validators import fold, make_search_text

DEFAULT_PARTICIPANTS = 300
DEFAULT_SEED = 2026
DEMO_PASSWORD = "demo-lms-2026"  # noqa: S105  (published on purpose: demo logins only)
BASE_URL = "http://127.0.0.1:8000"
ADMIN_URL = f"{BASE_URL}/admin/"
API_DOCS_URL = f"{BASE_URL}/api/v1/docs/"
TOKEN_URL = f"{BASE_URL}/api/v1/auth/token/"
ME_URL = f"{BASE_URL}/api/v1/me/"
LIMA = ZoneInfo("America/Lima")
BATCH_SIZE = 500

# --- Names ------------------------------------------------------------------------------------

FEMALE_GIVEN_NAMES = (
    "María", "Rosa", "Carmen", "Ana María", "Luz Marina", "Juana", "Elena", "Gloria",
    "Patricia", "Milagros", "Roxana", "Yolanda", "Flor de María", "Maribel", "Nélida", "Sofía",
    "Valeria", "Lucía", "Ximena", "Fiorella", "Giuliana", "Ángela", "Mónica", "Verónica",
    "Beatriz", "Inés", "Raquel", "Rocío", "Marisol", "Yesenia", "Liliana", "Teresa",
    "María del Pilar", "María de los Ángeles", "Rosa Elena", "Nelly", "Olga", "Sonia",
    "Zulema", "Begoña",
)  # fmt: skip
MALE_GIVEN_NAMES = (
    "José", "Juan", "Luis", "Carlos", "Jorge", "Jesús", "Víctor", "César", "Raúl",
    "Miguel Ángel", "José Luis", "Juan Carlos", "Julio César", "Héctor", "Rubén", "Iván",
    "Óscar", "Edwin", "Wilber", "Percy", "Alejandro", "Andrés", "Martín", "Sebastián",
    "Joaquín", "Fernando", "Ricardo", "Germán", "Hernán", "Efraín", "Teófilo", "Ángel",
    "Nicolás", "Tomás", "Rolando", "Walter", "Ítalo", "Moisés", "Saúl", "Marco Antonio",
)  # fmt: skip
FAMILY_NAMES = (
    # Quechua and Aymara
    "Quispe", "Mamani", "Condori", "Huamán", "Huamaní", "Ccahuana", "Ccori", "Choque", "Apaza",
    "Ticona", "Cusi", "Yupanqui", "Huillca", "Chambi", "Paucar", "Huarcaya", "Ñaupari", "Ñañez",
    "Sucasaire", "Ccallo", "Taipe", "Limachi",
    # Spanish
    "Rodríguez", "Chávez", "Núñez", "Peña", "Ibáñez", "García", "Flores", "Sánchez", "Ramírez",
    "Torres", "Díaz", "Vásquez", "Gutiérrez", "Castillo", "Rojas", "Mendoza", "Gonzales",
    "Pérez", "López", "Ríos", "Espinoza", "Salazar", "Cárdenas", "Paredes", "Villanueva",
    "Muñoz", "Zúñiga", "Benavides", "Alarcón", "Zegarra", "De la Cruz",
    # Amazonian Spanish, Afro-Peruvian and Tusán families
    "Del Águila", "Arévalo", "Tuesta", "Panduro", "Ballumbrosio", "Chang",
)  # fmt: skip

# --- Who works where --------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A position, how common it is among participants, and where such people work."""

    position: str
    weight: float
    institutions: tuple[tuple[str, float], ...]


PROFILES: tuple[Profile, ...] = (
    Profile(
        "funcionario",
        30,
        (
            ("gobierno-regional", 30),
            ("gobierno-local", 40),
            ("minjusdh", 10),
            ("defensoria", 10),
            ("sip-pcm", 10),
        ),
    ),
    Profile("policia", 15, (("mininter-pnp", 1),)),
    Profile("fiscal", 12, (("ministerio-publico", 1),)),
    Profile("juez", 10, (("poder-judicial", 85), ("amag", 10), ("jnj", 5))),
    Profile("auditor", 8, (("contraloria", 1),)),
    Profile("periodista", 7, (("medios", 1),)),
    Profile("sociedad-civil", 8, (("sociedad-civil", 1),)),
    Profile("abogado", 4, (("colegio-abogados", 1),)),
    Profile("procurador", 3, (("procuraduria-anticorrupcion", 1),)),
    Profile("docente", 1.5, (("academia", 1),)),
    Profile("estudiante", 1, (("academia", 1),)),
    Profile("otro", 0.5, (("sector-privado", 1),)),
)

PERSONAL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "hotmail.com", "outlook.com")
INSTITUTION_DOMAINS: dict[str, tuple[str, ...]] = {
    "poder-judicial": ("pj.gob.pe",),
    "amag": ("amag.edu.pe",),
    "jnj": ("jnj.gob.pe",),
    "ministerio-publico": ("mpfn.gob.pe",),
    "contraloria": ("contraloria.gob.pe",),
    "defensoria": ("defensoria.gob.pe",),
    "mininter-pnp": ("policia.gob.pe",),
    "minjusdh": ("minjus.gob.pe",),
    "procuraduria-anticorrupcion": ("minjus.gob.pe",),
    "sip-pcm": ("pcm.gob.pe",),
    "academia": ("unmsm.edu.pe", "pucp.edu.pe", "unsaac.edu.pe", "unap.edu.pe", "unp.edu.pe"),
    "medios": PERSONAL_DOMAINS,
    "sociedad-civil": PERSONAL_DOMAINS,
    "colegio-abogados": PERSONAL_DOMAINS,
    "sector-privado": PERSONAL_DOMAINS,
}

# --- Where ------------------------------------------------------------------------------------

# INEI department code -> weight; Lima is the heaviest, every other department shares OTHER_WEIGHT.
PROGRAM_REGION_WEIGHTS: dict[str, float] = {
    "15": 25,
    "16": 8,
    "08": 8,
    "20": 7,
    "04": 7,
    "13": 7,
    "02": 5,
    "03": 4,
    "06": 5,
    "17": 4,
    "18": 3,
    "25": 5,
}
OTHER_DEPARTMENTS_WEIGHT = 12
DEPARTMENT_LEVEL_SHARE = 0.15  # the rest are recorded at province level
CAPITAL_PROVINCE_SHARE = 0.5  # of province-level people, those in the department's capital province

# --- Self-identification ----------------------------------------------------------------------

SELF_ID_SHARE = 0.05
DISABILITY_SHARE = 0.6  # of those who self-identify, who also answer the Washington Group set
# 2017 Census, national, people aged 12+ (percent).
ETHNICITY_WEIGHTS: dict[str, float] = {
    Ethnicity.MESTIZO: 60.2,
    Ethnicity.QUECHUA: 22.3,
    Ethnicity.WHITE: 5.9,
    Ethnicity.AFRO: 3.6,
    Ethnicity.UNKNOWN: 3.3,
    Ethnicity.AIMARA: 2.4,
    Ethnicity.OTHER: 1.7,
    Ethnicity.AMAZONIAN: 0.3,
    Ethnicity.OTHER_INDIGENOUS: 0.3,
}
# Departments where the census share differs a lot from the national one.
ETHNICITY_OVERRIDES: dict[str, dict[str, float]] = {
    "03": {Ethnicity.QUECHUA: 84, Ethnicity.MESTIZO: 13},
    "08": {Ethnicity.QUECHUA: 74, Ethnicity.MESTIZO: 21},
    "02": {Ethnicity.QUECHUA: 45, Ethnicity.MESTIZO: 47},
    "04": {Ethnicity.QUECHUA: 29, Ethnicity.AIMARA: 4},
    "18": {Ethnicity.QUECHUA: 25, Ethnicity.AIMARA: 15},
    "17": {Ethnicity.QUECHUA: 36, Ethnicity.AMAZONIAN: 3},
    "16": {Ethnicity.AMAZONIAN: 3, Ethnicity.QUECHUA: 1},
    "25": {Ethnicity.AMAZONIAN: 6, Ethnicity.QUECHUA: 4},
}
# Per domain; with six domains about 6% of people pass the disability cut-off (a lot / cannot).
WG_ANSWER_WEIGHTS: dict[str, float] = {
    WGAnswer.NO_DIFFICULTY: 90,
    WGAnswer.SOME: 9,
    WGAnswer.A_LOT: 0.8,
    WGAnswer.CANNOT: 0.2,
}

# --- Demo logins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    email: str
    first_name: str
    last_name: str
    role: Role | None  # None: the superuser, who needs no group
    opens: tuple[str, ...]


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("superuser@demo.pe", "Ricardo", "Gutiérrez Peña", None, (ADMIN_URL, API_DOCS_URL)),
    DemoLogin(
        "admin@demo.pe",
        "Carmen Rosa",
        "Villanueva Paredes",
        Role.PROGRAM_ADMIN,
        (ADMIN_URL, API_DOCS_URL),
    ),
    DemoLogin(
        "staff@demo.pe",
        "Luis Alberto",
        "Mendoza Rojas",
        Role.PROGRAM_STAFF,
        (ADMIN_URL, API_DOCS_URL),
    ),
    DemoLogin(
        "trainer@demo.pe", "Gabriela", "Torres Huamán", Role.TRAINER, (ADMIN_URL, API_DOCS_URL)
    ),
    DemoLogin("participant@demo.pe", "José", "Ñañez Quispe", Role.PARTICIPANT, (API_DOCS_URL,)),
    DemoLogin("donor@demo.pe", "Patricia", "Salazar Núñez", Role.DONOR, (API_DOCS_URL,)),
)
PARTICIPANT_LOGIN = "participant@demo.pe"
STAFF_LOGIN = "staff@demo.pe"
# Logins whose role requires two-factor authentication: they get the published demo authenticator.
TWO_FACTOR_LOGINS = tuple(
    login.email for login in DEMO_LOGINS if login.role is None or login.role in REQUIRED_ROLES
)


# --- Pure generation (no database) ------------------------------------------------------------


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    department_code: str
    department_name: str


@dataclass(frozen=True)
class SelfIdSeed:
    ethnicity: str
    disability: dict[str, str] | None
    method: str
    given_at: dt.datetime


@dataclass(frozen=True)
class PersonSeed:
    document_type: str
    document_number: str
    given_names: str
    family_names: str
    sex: str
    birth_date: dt.date
    email: str
    phone: str
    institution: str
    position: str
    region: str
    self_id: SelfIdSeed | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.document_type, self.document_number)


class RegionPicker:
    """Draws a region: department by weight, then mostly one of its provinces."""

    def __init__(self, regions: Iterable[RegionInfo]):
        self.departments: dict[str, RegionInfo] = {}
        self.provinces: dict[str, list[RegionInfo]] = {}
        for region in sorted(regions, key=lambda r: r.code):
            if region.code == region.department_code:
                self.departments[region.code] = region
            else:
                self.provinces.setdefault(region.department_code, []).append(region)
        if not self.departments:
            raise CommandError(_("No regions found; run the migrations first."))
        others = [c for c in self.departments if c not in PROGRAM_REGION_WEIGHTS]
        self.codes = [c for c in PROGRAM_REGION_WEIGHTS if c in self.departments] + others
        self.weights = [PROGRAM_REGION_WEIGHTS.get(c, 0.0) for c in self.codes]
        for i, code in enumerate(self.codes):
            if code in others:
                self.weights[i] = OTHER_DEPARTMENTS_WEIGHT / len(others)

    def pick(self, rng: random.Random) -> RegionInfo:
        department = rng.choices(self.codes, self.weights)[0]
        provinces = self.provinces.get(department)
        if not provinces or rng.random() < DEPARTMENT_LEVEL_SHARE:
            return self.departments[department]
        if rng.random() < CAPITAL_PROVINCE_SHARE:
            return provinces[0]  # DD01 is the department's capital province
        return rng.choice(provinces)


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def ascii_slug(text: str) -> str:
    """'Ñañez Quispe' -> 'nanezquispe' (for email addresses and host names)."""
    return re.sub(r"[^a-z]", "", fold(text))


def pick_given_names(rng: random.Random, sex: str) -> str:
    if sex == Sex.NOT_REPORTED:
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
    names = FEMALE_GIVEN_NAMES if sex == Sex.FEMALE else MALE_GIVEN_NAMES
    first = rng.choice(names)
    if " " not in first and rng.random() < 0.35:
        second = rng.choice([n for n in names if " " not in n and n != first])
        return f"{first} {second}"
    return first


def pick_family_names(rng: random.Random) -> str:
    paternal, maternal = rng.sample(FAMILY_NAMES, 2)
    return f"{paternal} {maternal}"


def pick_birth_date(rng: random.Random, position: str) -> dt.date:
    first, last = (dt.date(1995, 1, 1), dt.date(2003, 12, 31))
    if position != "estudiante":
        first, last = (dt.date(1960, 1, 1), dt.date(1998, 12, 31))
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def pick_document(rng: random.Random, taken: set[tuple[str, str]]) -> tuple[str, str]:
    """A fresh DNI (8 digits), or for ~3% a foreigner's card number like '001234567'."""
    while True:
        if rng.random() < 0.03:
            key = (DocumentType.CE.value, f"00{rng.randrange(10**7):07d}")
        else:
            key = (DocumentType.DNI.value, f"{rng.randint(1_000_000, 79_999_999):08d}")
        if key not in taken:
            taken.add(key)
            return key


def email_domain(rng: random.Random, institution: str, region: RegionInfo) -> str:
    if institution == "gobierno-regional":
        return f"region{ascii_slug(region.department_name)}.gob.pe"
    if institution == "gobierno-local":
        return f"muni{ascii_slug(region.name)}.gob.pe"
    return rng.choice(INSTITUTION_DOMAINS.get(institution, PERSONAL_DOMAINS))


def pick_email(
    rng: random.Random,
    given_names: str,
    family_names: str,
    domain: str,
    taken: set[str],
) -> str:
    """'jose.nanez@pj.gob.pe.example', or for personal mail 'jose.nanez84@gmail.com.example'.

    The reserved .example suffix (RFC 2606) keeps demo mail from ever reaching a real inbox.
    """
    given = ascii_slug(given_names.split()[0])
    paternal, _sep, maternal = family_names.partition(" ")
    paternal = ascii_slug(paternal)
    if domain in PERSONAL_DOMAINS:
        local = f"{given}.{paternal}{rng.randint(1, 99)}"
    elif rng.random() < 0.7:
        local = f"{given}.{paternal}"
    else:
        local = f"{given[0]}{paternal}"
    candidate, n = local, 1
    while f"{candidate}@{domain}" in taken:
        n += 1
        candidate = f"{local}{ascii_slug(maternal)[:1]}" if n == 2 else f"{local}{n}"
    taken.add(f"{candidate}@{domain}")
    return f"{candidate}@{domain}.example"


def pick_phone(rng: random.Random) -> str:
    return f"+51 9{rng.randrange(100):02d} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"


def pick_self_id(rng: random.Random, department_code: str) -> SelfIdSeed:
    weights = {**ETHNICITY_WEIGHTS, **ETHNICITY_OVERRIDES.get(department_code, {})}
    disability = None
    if rng.random() < DISABILITY_SHARE:
        disability = {domain: weighted(rng, WG_ANSWER_WEIGHTS) for domain in WG_DOMAINS}
    method = Consent.Method.ONLINE if rng.random() < 0.7 else Consent.Method.PAPER
    start = dt.datetime(2025, 1, 1, 8, tzinfo=LIMA)
    given_at = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
    return SelfIdSeed(weighted(rng, weights), disability, method, given_at)


def generate_people(rng: random.Random, count: int, regions: RegionPicker) -> list[PersonSeed]:
    """Draw `count` people in order; each draws only from `rng`, so prefixes are stable."""
    profile_weights = [p.weight for p in PROFILES]
    documents: set[tuple[str, str]] = set()
    emails: set[str] = set()
    people = []
    for _i in range(count):
        profile = rng.choices(PROFILES, profile_weights)[0]
        institution = weighted(rng, dict(profile.institutions))
        region = regions.pick(rng)
        sex = rng.choices((Sex.FEMALE, Sex.MALE, Sex.NOT_REPORTED), (48, 49, 3))[0]
        given_names = pick_given_names(rng, sex)
        family_names = pick_family_names(rng)
        document_type, document_number = pick_document(rng, documents)
        birth_date = pick_birth_date(rng, profile.position)
        email = ""
        if rng.random() < 0.88:
            domain = email_domain(rng, institution, region)
            email = pick_email(rng, given_names, family_names, domain, emails)
        phone = pick_phone(rng) if rng.random() < 0.85 else ""
        self_id = (
            pick_self_id(rng, region.department_code) if rng.random() < SELF_ID_SHARE else None
        )
        people.append(
            PersonSeed(
                document_type=document_type,
                document_number=document_number,
                given_names=given_names,
                family_names=family_names,
                sex=sex.value,
                birth_date=birth_date,
                email=email,
                phone=phone,
                institution=institution,
                position=profile.position,
                region=region.code,
                self_id=self_id,
            )
        )
    return people


# --- Database ---------------------------------------------------------------------------------


def load_regions() -> RegionPicker:
    rows = Region.objects.values_list("code", "name", "parent__code", "parent__name")
    return RegionPicker(
        RegionInfo(code, name, parent_code or code, parent_name or name)
        for code, name, parent_code, parent_name in rows
    )


def existing_keys(seeds: Sequence[PersonSeed]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for start in range(0, len(seeds), BATCH_SIZE):
        numbers = {s.document_number for s in seeds[start : start + BATCH_SIZE]}
        found.update(
            Person.objects.filter(document_number__in=numbers).values_list(
                "document_type", "document_number"
            )
        )
    return found


def code_map(model, codes: Iterable[str]) -> dict:
    objects = model.objects.in_bulk(set(codes), field_name="code")
    missing = set(codes) - objects.keys()
    if missing:
        raise CommandError(
            _("Missing %(model)s codes: %(codes)s; run the migrations first.")
            % {"model": model._meta.verbose_name, "codes": ", ".join(sorted(missing))}
        )
    return objects


def build_person(seed: PersonSeed, institutions: dict, positions: dict, regions: dict) -> Person:
    person = Person(
        document_type=seed.document_type,
        document_number=seed.document_number,
        given_names=seed.given_names,
        family_names=seed.family_names,
        sex=seed.sex,
        birth_date=seed.birth_date,
        email=seed.email,
        phone=seed.phone,
        institution=institutions[seed.institution],
        position=positions[seed.position],
        region=regions[seed.region],
    )
    # Normalises and checks names, document and birth date exactly as a form would.
    person.full_clean(
        exclude=["institution", "position", "region", "user"],
        validate_unique=False,
        validate_constraints=False,
    )
    # bulk_create skips Person.save(), which is where search_text is usually computed.
    person.search_text = make_search_text(
        person.given_names, person.family_names, person.document_number
    )
    return person


def create_people(seeds: Sequence[PersonSeed]) -> tuple[list[PersonSeed], int]:
    """Insert the seeds not yet in the database; return those created and the number skipped."""
    present = existing_keys(seeds)
    new = [s for s in seeds if s.key not in present]
    institutions = code_map(Institution, {s.institution for s in new})
    positions = code_map(Position, {s.position for s in new})
    regions = code_map(Region, {s.region for s in new})
    Person.objects.bulk_create(
        [build_person(s, institutions, positions, regions) for s in new], batch_size=BATCH_SIZE
    )
    return new, len(seeds) - len(new)


def consent_text(purpose: str) -> ConsentText:
    text = ConsentText.objects.filter(purpose=purpose, version="1", language="es").first()
    if text is None:
        raise CommandError(
            _("No consent text version 1 in Spanish for %(purpose)s; run the migrations first.")
            % {"purpose": purpose}
        )
    return text


def record_self_identification(seeds: Sequence[PersonSeed], recorded_by: User) -> int:
    """Consent first, then the answers, through the services (which refuse data without it)."""
    with_data = [s for s in seeds if s.self_id is not None]
    if not with_data:
        return 0
    texts = {purpose: consent_text(purpose) for purpose in ConsentText.Purpose.values}
    people = {
        (p.document_type, p.document_number): p
        for p in Person.objects.filter(document_number__in=[s.document_number for s in with_data])
    }
    for seed in with_data:
        person, answers = people[seed.key], seed.self_id
        purposes = [ConsentText.Purpose.ETHNICITY]
        if answers.disability is not None:
            purposes.append(ConsentText.Purpose.DISABILITY)
        for purpose in purposes:
            consent_record(
                person=person,
                text=texts[purpose],
                method=answers.method,
                given_at=answers.given_at,
                recorded_by=recorded_by,
            )
        self_identification_record(
            person=person, ethnicity=answers.ethnicity, disability_answers=answers.disability
        )
    return len(with_data)


def ensure_login(login: DemoLogin) -> User:
    """Create the login or bring it back to its demo state (names, password, flags, role)."""
    user, created = User.objects.get_or_create(
        email=login.email,
        defaults={"first_name": login.first_name, "last_name": login.last_name},
    )
    is_superuser = login.role is None
    # Only re-hash when needed: a new hash would log out whoever is using the demo login.
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.is_staff = user.is_superuser = is_superuser
    user.save()
    if login.role is not None:
        try:
            assign_role(user, login.role)
        except Group.DoesNotExist:
            raise CommandError(
                _("The role group “%(role)s” is missing; run manage.py sync_roles.")
                % {"role": login.role.value}
            ) from None
    return user


def ensure_two_factor(users: dict[str, User]) -> bool:
    """The demo authenticator for the logins that must use two-factor authentication (when it is
    required here); returns whether it is."""
    for email in TWO_FACTOR_LOGINS:
        if settings.LMS_OTP_REQUIRED:
            demo_totp_device_ensure(user=users[email])
        else:
            demo_totp_device_remove(user=users[email])
    return settings.LMS_OTP_REQUIRED


def link_participant(user: User, seed: PersonSeed | None) -> Person | None:
    """Give the participant login a person record (the first demo person), once."""
    person = Person.objects.filter(user=user).first()
    if person is None and seed is not None:
        person = Person.objects.filter(
            document_type=seed.document_type, document_number=seed.document_number
        ).first()
        if person is None or person.user_id is not None:
            return None
        person.user = user
        person.email = user.email
        person.save(update_fields=["user", "email"])
    if person is not None:
        user.first_name, user.last_name = person.given_names, person.family_names
        user.save(update_fields=["first_name", "last_name"])
    return person


# --- Output -----------------------------------------------------------------------------------


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def login_rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for login in DEMO_LOGINS:
        role = login.role.value if login.role else _("Superuser (every permission)")
        for i, url in enumerate(login.opens):
            rows.append((role, login.email, DEMO_PASSWORD, url) if i == 0 else ("", "", "", url))
    return rows


class Command(BaseCommand):
    help = _(
        "Create demo logins (one per role, plus a superuser) and deterministic fake participants."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--participants",
            type=int,
            default=DEFAULT_PARTICIPANTS,
            help=_("How many participants to generate (default %(default)s)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Random seed; the same seed gives the same people (default %(default)s)."),
        )
        parser.add_argument(
            "--registry-only",
            action="store_true",
            help=_("Only the logins and the participant registry: no courses, workshops or tests."),
        )

    def handle(
        self, *args, participants: int, seed: int, registry_only: bool = False, **options
    ) -> None:
        if participants < 0:
            raise CommandError(_("--participants cannot be negative."))
        if not settings.LMS_ALLOW_DEMO_DATA:
            raise CommandError(
                _(
                    "Demo data (with published passwords) is refused here: set LMS_ALLOW_DEMO_DATA=1."
                )
            )
        seeds = generate_people(random.Random(seed), participants, load_regions())
        with transaction.atomic():
            users = {login.email: ensure_login(login) for login in DEMO_LOGINS}
            two_factor = ensure_two_factor(users)
            created, skipped = create_people(seeds)
            self_identified = record_self_identification(created, users[STAFF_LOGIN])
            linked = link_participant(users[PARTICIPANT_LOGIN], seeds[0] if seeds else None)
            # Later features (courses, workshops, certificates...) add their demo data here.
            extra = [] if registry_only else run_demo_seeders(random.Random(seed))
        self.report(len(created), skipped, self_identified, linked, two_factor)
        for line in extra:
            self.stdout.write(line)

    def report(
        self,
        created: int,
        skipped: int,
        self_identified: int,
        linked: Person | None,
        two_factor: bool,
    ) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo logins")))
        header = (_("Role"), _("Email"), _("Password"), _("Can open"))
        self.stdout.write(format_table(header, login_rows()))
        self.report_two_factor(two_factor)
        self.stdout.write(
            _(
                "Participant and donor logins have no admin access: get a token at %(token)s, "
                "then call %(me)s."
            )
            % {"token": TOKEN_URL, "me": ME_URL}
        )
        if linked is None:
            self.stdout.write(
                self.style.WARNING(_("The participant login is not linked to a person."))
            )
        else:
            self.stdout.write(
                _("The participant login is %(person)s.") % {"person": linked.full_name}
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Participants: %(created)d created, %(skipped)d skipped (already present); "
                    "%(selfid)d with consented self-identification."
                )
                % {"created": created, "skipped": skipped, "selfid": self_identified}
            )
        )

    def report_two_factor(self, required: bool) -> None:
        if not required:
            self.stdout.write(
                _(
                    "Two-factor authentication is not required here (LMS_OTP_REQUIRED is off): "
                    "every demo login needs only its password."
                )
            )
            return
        secret = " ".join(DEMO_TOTP_SECRET[i : i + 4] for i in range(0, len(DEMO_TOTP_SECRET), 4))
        self.stdout.write(
            _(
                "Two-factor authentication: %(logins)s also ask for a six-digit code after the "
                "password. They share one published demo authenticator: run `python manage.py "
                "demo_otp` for the current code, or add the secret %(secret)s to an "
                "authenticator app (`demo_otp --qr` draws a QR code to scan)."
            )
            % {"logins": ", ".join(TWO_FACTOR_LOGINS), "secret": secret}
        )
        self.stdout.write(demo_totp_uri())
