"""Reads for certificates: who may see which certificate, a workshop's certificate sheet, finding
one by what someone typed, PDF file names and the ZIP of a workshop's PDFs."""

import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.files.storage import storages
from django.db.models import Q, QuerySet

from assessments.models import Completion
from attendance.models import Registration, Workshop
from attendance.selectors import workshops_for
from certificates.identifiers import MalformedIdentifier, normalize
from certificates.models import Certificate

# Holders of this permission see every certificate; holders of view_certificate alone (trainers)
# see those of the workshops they train.
STAFF_PERMISSION = "certificates.change_certificate"
VIEW_PERMISSION = "certificates.view_certificate"
LIVE = (Certificate.Status.VALID, Certificate.Status.SUSPENDED)


def certificates_for(user, *, own: bool = True) -> QuerySet[Certificate]:
    """Staff: all. Trainers: their workshops'. Everyone logged in: their own (``own``)."""
    if not (user and user.is_authenticated and user.is_active):
        return Certificate.objects.none()
    if user.has_perm(STAFF_PERMISSION):
        return Certificate.objects.all()
    reach = Q(pk__in=[])
    if user.has_perm(VIEW_PERMISSION):
        reach |= Q(registration__workshop__in=workshops_for(user).values("pk"))
    if own:
        reach |= Q(person__user=user)
    return Certificate.objects.filter(reach)


def user_can_manage(user) -> bool:
    """Suspend, revoke, reinstate and re-issue: program staff only."""
    return user.has_perm(STAFF_PERMISSION)


def find_identifier(text: str) -> str | None:
    """The canonical identifier of what someone typed (dashes, case, O/0 and I/1 forgiven)."""
    try:
        return normalize(text)
    except MalformedIdentifier:
        return None


def certificate_search(queryset: QuerySet[Certificate], query: str) -> QuerySet[Certificate]:
    """By identifier (whole, or a piece of it as printed) or by the holder's name."""
    query = (query or "").strip()
    if not query:
        return queryset
    condition = Q(holder_name__icontains=query)
    canonical = find_identifier(query)
    if canonical:
        condition |= Q(identifier=canonical)
    compact = "".join(ch for ch in query if ch.isalnum()).upper()
    if len(compact) >= 4:
        condition |= Q(identifier__contains=compact)
    return queryset.filter(condition)


@dataclass(frozen=True)
class SheetRow:
    registration: Registration
    completion: Completion | None
    certificate: Certificate | None  # the live one, else the latest

    @property
    def person(self):
        return self.registration.person

    @property
    def completed(self) -> bool:
        return self.completion is not None and self.completion.status == Completion.Status.COMPLETED

    @property
    def has_live(self) -> bool:
        return self.certificate is not None and self.certificate.is_live


def workshop_certificate_sheet(workshop: Workshop) -> list[SheetRow]:
    """Confirmed registrants (and anyone else holding a certificate of the workshop) with their
    completion and certificate, by family names."""
    certificates: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(registration__workshop=workshop).order_by(
        "issued_at", "pk"
    ):
        current = certificates.get(certificate.registration_id)
        if current is None or not current.is_live:
            certificates[certificate.registration_id] = certificate
    registrations = (
        Registration.objects.filter(workshop=workshop)
        .filter(Q(status=Registration.Status.CONFIRMED) | Q(pk__in=certificates.keys()))
        .select_related("person", "completion")
        .order_by("person__family_names", "person__given_names", "pk")
    )
    return [
        SheetRow(
            registration=registration,
            completion=getattr(registration, "completion", None),
            certificate=certificates.get(registration.pk),
        )
        for registration in registrations
    ]


def live_workshop_certificates(workshop: Workshop) -> QuerySet[Certificate]:
    return (
        Certificate.objects.filter(registration__workshop=workshop, status__in=LIVE)
        .select_related("person", "template", "course")
        .order_by("person__family_names", "person__given_names", "pk")
    )


def _ascii_words(text: str) -> str:
    """ "Ñúñez Huamán, María-José" → "Nunez-Huaman-Maria-Jose"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return "-".join(words)


def pdf_filename(certificate: Certificate) -> str:
    """LIM-2026-021_Nunez-Huaman-Maria-Jose_K7QM.pdf: sorts by workshop and family names."""
    person = certificate.person
    name = _ascii_words(f"{person.family_names} {person.given_names}") or "certificado"
    prefix = _ascii_words(certificate.workshop_code or certificate.course.code) or "certificado"
    return f"{prefix}_{name}_{certificate.identifier[:4]}.pdf"


class _Sink:
    """A write-only file for zipfile whose bytes are handed out as they are written."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.written = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def pdf_zip_stream(certificates: Iterable[Certificate]) -> Iterator[bytes]:
    """A ZIP of the certificates' stored PDFs, produced one file at a time (memory stays flat).

    PDFs are already compressed, so they are stored as they are. Every certificate must have its
    PDF stored (services.certificate_pdf_ensure).
    """
    storage = storages["private"]
    sink = _Sink()
    names: set[str] = set()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for certificate in certificates:
            name = pdf_filename(certificate)
            if name in names:  # two people with the same names in one workshop
                name = name.replace(".pdf", f"-{certificate.identifier[4:8]}.pdf")
            names.add(name)
            with storage.open(certificate.pdf, "rb") as source:
                archive.writestr(name, source.read())
            yield sink.drain()
    yield sink.drain()
