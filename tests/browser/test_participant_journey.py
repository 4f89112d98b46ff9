"""A participant signs up on the site, activates the account from the email, signs in, enrols in a
course, studies a lesson, passes the quiz in the next lesson, registers for the course's workshop,
checks in by opening the QR link at the session and downloads the certificate with their name.

The course's rule (assessments/completion.py) for the workshop: attendance of at least 80% of the
sessions (one session: the one the participant checks in to) and the post-test passed (the quiz in
the lesson is the course's post-test; an online attempt counts for the workshop). When staff close
the workshop, its certificates are issued automatically (certificates/automatic.py) and each holder
is emailed theirs.
"""

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.db import connections
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from assessments.models import Completion
from attendance.models import AttendanceRecord, Registration, Session, Workshop
from attendance.tokens import make_checkin_token
from certificates.models import Certificate
from lms.models import Region
from tests.assessments.factories import build_assessment, single
from tests.browser.helpers import download, log_in, pdf_text
from tests.certificates.factories import default_templates
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "jose.nanez@example.pe"
PASSWORD = "una-clave-muy-larga-2026"
WORKSHOP = "LIM-2026-051"


def es(name, *args):
    with translation.override("es"):
        return reverse(name, args=args)


@pytest.fixture
def course():
    """One module of two lessons; the second holds the post-test quiz. Its workshop in Lima has
    one session, on now."""
    default_templates()
    course, lessons = build_course(
        code="ETI-201", title="Ética Pública e Integridad", lessons_per_module=(2,)
    )
    questions = [
        single(
            "¿Quién aprueba el expediente de contratación?",
            right="El titular de la entidad",
            wrong=("El postor ganador", "El proveedor"),
        ),
        single(
            "¿Qué debe hacer ante un obsequio de un proveedor?",
            right="Rechazarlo e informarlo",
            wrong=("Aceptarlo si es pequeño",),
        ),
    ]
    post = build_assessment(course, kind="post", questions=questions)
    quiz_lesson = lessons[1]
    quiz_lesson.body = [
        *[(block.block_type, block.value) for block in quiz_lesson.body],
        ("quiz", {"title": "Compruebe lo aprendido", "instructions": "", "assessment": post}),
    ]
    quiz_lesson.save_revision().publish()
    workshop = Workshop.objects.create(
        code=WORKSHOP,
        course=course,
        region=Region.objects.get(code="1501"),
        venue="Auditorio de la Corte Superior de Lima",
        capacity=20,
        status=Workshop.Status.OPEN,
    )
    starts = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10)
    Session.objects.create(
        workshop=workshop, number=1, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    return course, lessons, workshop


def close_in_another_thread(workshop: Workshop) -> None:
    """Staff close the workshop (elsewhere: rendering the PDFs cannot run in this thread, where
    the browser driver's event loop runs)."""

    def close():
        try:
            workshop.status = Workshop.Status.CLOSED
            workshop.save()
        finally:
            connections.close_all()

    thread = threading.Thread(target=close)
    thread.start()
    thread.join()


def test_a_participant_signs_up_studies_checks_in_and_downloads_the_certificate(
    page, course, check, tmp_path
):
    course, lessons, workshop = course

    # Sign up.
    page.goto("/es/")
    check(page)
    page.get_by_role("navigation", name="Cuenta").get_by_role("link", name="Registrarse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crear una cuenta")
    check(page, "participant-01-sign-up")
    page.get_by_label("Nombres").fill("José Luis")
    page.get_by_label("Apellidos").fill("Ñañez Quispe")
    page.get_by_label("Número de documento").fill("10117410-2")
    page.get_by_label("Sexo").select_option(label="Masculino")
    page.get_by_label("Correo electrónico").fill(EMAIL)
    page.get_by_label("Contraseña:", exact=True).fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    page.get_by_label("He leído el Aviso de privacidad").check()
    page.get_by_role("button", name="Crear la cuenta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revise su correo electrónico")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    check(page)

    # The emailed link activates the account (and signs in): sign out and in again.
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    check(page)
    page.get_by_role("button", name="Cerrar sesión").click()
    page.get_by_role("navigation", name="Cuenta").get_by_role("link", name="Iniciar sesión").click()
    check(page)
    log_in(page, EMAIL, PASSWORD)
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    # Enrol in the course.
    page.goto(course.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ética Pública e Integridad")
    check(page, "participant-02-course")
    page.get_by_role("button", name="Inscribirse en este curso").click()

    # Study the first lesson.
    expect(page.get_by_role("heading", level=1)).to_have_text("Lección 1.1")
    expect(page.locator(".lesson-body")).to_contain_text("Texto 1.1 con ñ y tildes: acción.")
    check(page, "participant-03-lesson")
    page.get_by_role("button", name="Marcar como completada y continuar").click()

    # The quiz in the second lesson.
    expect(page.get_by_role("heading", level=1)).to_have_text("Lección 1.2")
    quiz = page.locator("section.quiz")
    expect(quiz.get_by_role("heading")).to_have_text("Compruebe lo aprendido")
    check(page)
    quiz.get_by_role("link", name="Resolver el cuestionario").click()
    check(page)
    page.get_by_role("button", name="Empezar").click()
    page.get_by_role("radio", name="El titular de la entidad").check()
    page.get_by_role("radio", name="Rechazarlo e informarlo").check()
    check(page, "participant-04-quiz")
    page.get_by_role("button", name="Enviar").click()
    expect(page.locator(".score")).to_contain_text("100%")
    expect(page.locator(".score")).to_contain_text("Aprobado (nota aprobatoria 70%)")
    check(page, "participant-05-quiz-result")
    page.goto(lessons[1].url)
    page.get_by_role("button", name="Marcar como completada y finalizar").click()
    expect(page.get_by_role("status")).to_have_text(
        "Ha completado todas las lecciones de este curso."
    )
    check(page)

    # Register for the workshop.
    page.goto(es("attendance:workshops"))
    check(page)
    page.locator("li.card", has_text=WORKSHOP).get_by_role("link").click()
    check(page)
    page.get_by_role("button", name="Inscribirse").click()
    expect(page.get_by_role("status")).to_contain_text("Inscrito/a: Confirmada.")
    check(page, "participant-06-workshop")
    registration = Registration.objects.get(workshop=workshop, person__user__email=EMAIL)
    assert registration.status == Registration.Status.CONFIRMED

    # At the session, the phone's camera opens the QR on the trainer's screen.
    session = workshop.sessions.get()
    page.goto(es("attendance:checkin", session.pk, make_checkin_token(session)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Su asistencia quedó registrada")
    expect(page.get_by_role("status")).to_contain_text(f"{WORKSHOP} · sesión 1 · Presente")
    check(page, "participant-07-checked-in")
    record = AttendanceRecord.objects.get(session=session, person=registration.person)
    assert (record.method, record.status_id) == ("qr", "present")

    # Attendance 100% and the post-test passed: completed. Staff close the workshop and the
    # certificate is issued and emailed, PDF attached.
    completion = Completion.objects.get(registration=registration)
    assert completion.status == Completion.Status.COMPLETED, completion.reasons
    close_in_another_thread(workshop)
    certificate = Certificate.objects.get(registration=registration)
    (emailed,) = [m for m in mail.outbox if certificate.identifier in m.body]
    assert emailed.to == [EMAIL]
    assert emailed.attachments[0][1] == storages["private"].open(certificate.pdf).read()
    # The lessons and the quiz also completed the course online: that certificate was issued
    # (and emailed) when the quiz was passed.
    online = Certificate.objects.get(enrolment__person=registration.person)
    assert [m.to for m in mail.outbox if online.identifier in m.body] == [[EMAIL]]

    # The certificate in My learning, and its PDF.
    page.get_by_role("link", name="Mi aprendizaje").first.click()
    mine = page.locator("li.card", has=page.get_by_text(certificate.display_identifier))
    expect(mine.get_by_role("heading")).to_have_text("Ética Pública e Integridad")
    mine.scroll_into_view_if_needed()
    check(page, "participant-08-my-certificates")
    filename, data = download(page, mine.get_by_role("link", name="Descargar PDF").click)
    assert filename.startswith(f"{WORKSHOP}_Nanez-Quispe-Jose-Luis_") and filename.endswith(".pdf")
    text = pdf_text(data, tmp_path)
    assert "José Luis Ñañez Quispe" in text
    assert certificate.display_identifier in text
