"""What a participant sees: rules before starting, no answer in the page before submitting, the
review as the assessment allows, and nobody else's attempt."""

import re

import pytest
from django.urls import reverse

from assessments.models import Attempt
from courses.services import enrol
from tests.assessments.factories import build_assessment, numeric, right_answer, single
from tests.courses.factories import build_course
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(client):
    course, _lessons = build_course(code="ETI-301")
    first = single(
        "¿Quién aprueba el expediente de contratación?",
        right="El titular de la entidad",
        wrong=("El postor ganador", "El proveedor"),
    )
    first.feedback = "Lo aprueba el titular o a quien este delegue."
    first.save()
    second = numeric()
    assessment = build_assessment(
        course, kind="post", questions=[first, second], time_limit_minutes=20, attempts_allowed=2
    )
    user = UserFactory()
    person = PersonFactory(user=user)
    enrol(person=person, course=course)
    client.force_login(user)
    return client, assessment, person, first, second


def start(client, assessment):
    response = client.post(reverse("assessments:start", args=[assessment.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(assessment=assessment, status="in_progress")


def test_the_rules_are_stated_before_starting(setting):
    client, assessment, *_ = setting
    page = client.get(reverse("assessments:assessment", args=[assessment.pk])).content.decode()
    assert "Tiempo límite: 20 minutos" in page
    assert "se califican las respuestas guardadas hasta entonces" in page
    assert "2 intentos disponibles" in page
    assert "Nota aprobatoria: 70%" in page


def test_the_attempt_page_holds_no_answer_and_no_feedback(setting):
    client, assessment, _person, _first, second = setting
    attempt = start(client, assessment)
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "¿Quién aprueba el expediente de contratación?" in page
    assert "El titular de la entidad" in page and "El proveedor" in page
    # Nothing tells the right option from the others, and neither feedback nor number is there.
    assert "Lo aprueba el titular" not in page
    assert "Quince" not in page
    assert not re.search(r"correct|is_correct|data-right|✓", page, re.IGNORECASE)
    options = re.findall(r'<input type="radio"[^>]*>', page)
    assert len(options) == 3
    assert len({re.sub(r'value="\d+"', "", o) for o in options}) == 1  # identical but for the id
    assert f'name="q{second.pk}" value=""' in page  # the numeric answer is not pre-filled


def test_submitting_shows_the_score_and_then_the_feedback(setting):
    client, assessment, _person, first, second = setting
    attempt = start(client, assessment)
    url = reverse("assessments:attempt", args=[attempt.pk])
    response = client.post(
        url, {f"q{first.pk}": right_answer(first)[0], f"q{second.pk}": "14", "submit": "1"}
    )
    assert response.status_code == 302
    review = client.get(response["Location"]).content.decode()
    assert "50%" in review and "No aprobado (nota aprobatoria 70%)" in review
    assert "Lo aprueba el titular o a quien este delegue." in review
    # The page of a submitted attempt now leads to the review, and cannot be posted to.
    assert client.get(url)["Location"].endswith(reverse("assessments:review", args=[attempt.pk]))
    client.post(url, {f"q{second.pk}": "15", "submit": "1"})
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_autosave_answers_in_json(setting):
    client, assessment, _person, first, _second = setting
    attempt = start(client, assessment)
    url = reverse("assessments:attempt", args=[attempt.pk])
    choice = right_answer(first)[0]
    response = client.post(url, {f"q{first.pk}": choice}, HTTP_ACCEPT="application/json")
    assert response.json()["ok"] is True
    assert attempt.questions.get(question=first).selected == [choice]
    bad = client.post(url, {f"q{first.pk}": "999999"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["message"] == "Opción desconocida."


def test_nobody_else_reaches_an_attempt_and_outsiders_cannot_start(setting, client):
    _client, assessment, *_ = setting
    attempt = start(_client, assessment)
    other = UserFactory()
    PersonFactory(user=other)
    client.force_login(other)
    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("assessments:assessment", args=[assessment.pk])).status_code == 403
    assert client.post(reverse("assessments:start", args=[assessment.pk])).status_code == 403
