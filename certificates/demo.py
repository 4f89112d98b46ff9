"""Demo certificates for `seed_demo`: the default designs (Spanish and English, with a generated
emblem and signatures), certificates for the closed workshops, and one suspended, one revoked and
one replaced certificate so every verification state can be seen."""

import io
import math
import random

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from certificates.identifiers import verification_url
from certificates.models import Certificate, CertificateTemplate, ReasonCategory, Signatory
from lms.demo import register_demo

SIGNATORIES = [
    ("Rosa Elvira Quispe Mamani", "Directora Nacional de Integridad", "Head of National Integrity"),
    ("Jorge Luis Ñahui Torres", "Coordinador de Capacitación", "Training Coordinator"),
]


def _png(image: PILImage.Image, title: str):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    model = get_image_model()
    existing = model.objects.filter(title=title).first()
    if existing:
        return existing
    return model.objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title}.png")
    )


def _font(size: int):
    try:
        return ImageFont.truetype("/usr/share/fonts/truetype/crosextra/Caladea-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default()


def _emblem(colour=(122, 30, 30), accent=(176, 141, 60)):
    size = 480
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=colour, width=18)
    draw.ellipse((48, 48, size - 48, size - 48), outline=accent, width=6)
    for k in range(24):
        angle = 2 * math.pi * k / 24
        x, y = size / 2 + 205 * math.cos(angle), size / 2 + 205 * math.sin(angle)
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=accent)
    draw.text((size / 2, size / 2), "PNI", font=_font(150), fill=colour, anchor="mm")
    return image


def _signature(seed: int):
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    image = PILImage.new("RGBA", (600, 220), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    for t in range(0, 520, 4):
        y = 120 + 45 * math.sin(t / (18 + rng.random() * 6)) * math.cos(t / 70) - t / 12
        points.append((40 + t, y + rng.uniform(-2, 2)))
    draw.line(points, fill=(25, 40, 110, 255), width=5, joint="curve")
    draw.line([(60, 170), (560, 150)], fill=(25, 40, 110, 255), width=3)
    return image


def templates_ensure() -> dict[str, CertificateTemplate]:
    """The default designs; created once, left as they are if they exist (staff may edit them)."""
    emblem = _png(_emblem(), "Emblema del programa (demo)")
    signatures = [_png(_signature(n), f"Firma {n + 1} (demo)") for n in range(len(SIGNATORIES))]
    wording = {
        "es": {
            "name": "Diseño general (español)",
            "title": "Certificado de aprobación",
            "intro": "Se otorga el presente certificado a",
            "body": "por haber aprobado el curso {course}, con una duración de {hours} horas "
            "académicas, dictado en el taller {workshop} ({region}) {dates}.",
            "online_body": "por haber aprobado el curso virtual {course}, con una duración de "
            "{hours} horas académicas, {dates}.",
            "footer": "La autenticidad de este certificado puede verificarse escaneando el código "
            "QR o en la dirección indicada.",
            "issuer_name": "Programa Nacional de Integridad y Lucha contra la Corrupción",
        },
        "en": {
            "name": "General design (English)",
            "title": "Certificate of Completion",
            "intro": "This is to certify that",
            "body": "has successfully completed the course {course}, {hours} contact hours, "
            "taught in workshop {workshop} ({region}) {dates}.",
            "online_body": "has successfully completed the online course {course}, {hours} "
            "contact hours, {dates}.",
            "footer": "Verify this certificate by scanning the QR code or at the address shown.",
            "issuer_name": "National Integrity and Anti-Corruption Program",
        },
    }
    templates = {}
    for language, fields in wording.items():
        template = CertificateTemplate.objects.filter(language=language, is_default=True).first()
        if template is None:
            template = CertificateTemplate.objects.create(
                language=language, is_default=True, logo_left=emblem, **fields
            )
            for n, (name, title_es, title_en) in enumerate(SIGNATORIES):
                Signatory.objects.create(
                    template=template,
                    sort_order=n,
                    name=name,
                    title=title_es if language == "es" else title_en,
                    signature=signatures[n],
                )
        templates[language] = template
    return templates


def _participant_finishes_a_course():
    """The demo participant has finished an online course, so My learning shows a certificate."""
    from wagtail.models import Locale

    from courses.models import CoursePage
    from courses.selectors import course_lessons
    from courses.services import enrol, lesson_complete
    from lms.models import Person

    participant = Person.objects.filter(user__email="participant@demo.pe").first()
    course = (
        CoursePage.objects.live()
        .filter(code="PER-110", locale=Locale.get_default(), modality="online")
        .first()
    )
    if participant is None or course is None:
        return None
    enrolment = enrol(person=participant, course=course)
    for lesson in course_lessons(course):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    return enrolment


@register_demo(order=50)
@transaction.atomic
def seed_certificates(rng: random.Random) -> list[str]:
    from assessments.completion import completions_flush
    from assessments.models import Completion
    from attendance.models import Workshop
    from certificates import automatic
    from certificates.services import (
        bulk_issue,
        certificate_issue,
        certificate_reissue,
        certificate_revoke,
        certificate_suspend,
    )

    templates_ensure()
    participant_course = _participant_finishes_a_course()
    completions_flush()  # the demo's completion decisions, before certificates are issued
    issued = 0
    if participant_course is not None:
        completion = Completion.objects.filter(enrolment=participant_course).first()
        if completion is not None and completion.status == Completion.Status.COMPLETED:
            issued += certificate_issue(completion=completion, notify=False).created
    for workshop in Workshop.objects.filter(status=Workshop.Status.CLOSED).order_by("code"):
        issued += bulk_issue(workshop, workers=1, notify=False).issued
    # Other completions the demo made are issued automatically once it commits: no emails.
    automatic.quietly()
    valid = list(
        Certificate.objects.filter(status="valid", registration__isnull=False).order_by("pk")
    )
    changed = []
    if not Certificate.objects.exclude(status="valid").exists() and len(valid) >= 3:
        certificate_suspend(
            valid[0],
            actor=None,
            note="Revisión de la asistencia solicitada por la coordinación regional.",
            category=ReasonCategory.UNDER_REVIEW,
        )
        certificate_revoke(
            valid[1],
            actor=None,
            note="La asistencia registrada no se pudo sustentar.",
            category=ReasonCategory.COMPLETION_REVISED,
        )
        certificate_reissue(
            valid[2],
            actor=None,
            note="Corrección del nombre a pedido del titular.",
            notify=False,
        )
        changed = [valid[0], valid[1], valid[2]]
    lines = [
        _("Certificates: %(issued)s issued (%(total)s in all).")
        % {"issued": issued, "total": Certificate.objects.count()}
    ]
    if participant_course is not None:
        lines.append(
            _("participant@demo.pe: finished %(course)s; its certificate is in My learning.")
            % {"course": participant_course.course.code}
        )
    labels = (_("suspended"), _("revoked"), _("replaced"))
    for certificate, what in zip(changed, labels, strict=False):
        lines.append(f"  {what}: {verification_url(certificate.identifier)}")
    return lines
