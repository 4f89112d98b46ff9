"""The question bank in the admin refuses questions a participant could not answer, and the
lesson quiz block leads to its assessment."""

import pytest
from django.urls import reverse

from assessments.models import Question
from courses.services import enrol
from tests.assessments.factories import build_assessment, single
from tests.courses.factories import build_course
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def question_form(kind, options, **extra):
    data = {
        "text": "¿Quién aprueba?",
        "text_en": "",
        "type": kind,
        "points": "1",
        "numeric_answer": extra.get("numeric_answer", ""),
        "numeric_tolerance": "0",
        "feedback": "",
        "feedback_en": "",
        "tags": "integridad",
        "active": "on",
        "choices-TOTAL_FORMS": str(len(options)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for n, (text, right) in enumerate(options):
        data[f"choices-{n}-text"] = text
        data[f"choices-{n}-text_en"] = ""
        data[f"choices-{n}-ORDER"] = str(n + 1)
        data[f"choices-{n}-id"] = ""
        if right:
            data[f"choices-{n}-is_correct"] = "on"
    return data


ADD = "wagtailsnippets_assessments_question:add"


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", [("A", True), ("B", True)], "exactamente una correcta"),
        ("single", [("A", True)], "al menos dos opciones"),
        ("multiple", [("A", False), ("B", False)], "una o más correctas"),
        ("true_false", [("V", True), ("F", True), ("?", False)], "dos opciones, una de ellas"),
        ("numeric", [("15", True)], "no tiene opciones"),
    ],
)
def test_unanswerable_questions_are_refused(client, trainer_user, kind, options, message):
    client.force_login(trainer_user)
    response = client.post(reverse(ADD), question_form(kind, options))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_trainer_adds_a_question_with_its_options(client, trainer_user):
    client.force_login(trainer_user)
    response = client.post(reverse(ADD), question_form("single", [("A", True), ("B", False)]))
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [("A", True), ("B", False)]
    assert list(question.tags.names()) == ["integridad"]


def test_the_lesson_quiz_block_links_to_its_assessment(client):
    course, lessons = build_course(code="QUIZ-101")
    assessment = build_assessment(course, kind="practice", questions=[single()])
    lesson = lessons[0]
    lesson.body = [
        ("quiz", {"title": "Compruebe lo aprendido", "instructions": "", "assessment": assessment})
    ]
    lesson.save_revision().publish()
    user = UserFactory()
    enrol(person=PersonFactory(user=user), course=course)
    client.force_login(user)
    page = client.get(lesson.url).content.decode()
    assert "Compruebe lo aprendido" in page
    assert reverse("assessments:assessment", args=[assessment.pk]) in page
    assert "Resolver el cuestionario" in page


LISTING = "wagtailsnippets_assessments_question:list"


def test_the_question_bank_lists_and_filters_by_tag(client, admin_role_user):
    single("¿Quién firma el acta?", tags=["obsequios"])
    single("¿Quién declara intereses?", tags=["conflicto-de-intereses", "declaraciones"])
    single("¿Quién revisa la compra?")
    client.force_login(admin_role_user)

    response = client.get(reverse(LISTING))
    assert response.status_code == 200
    page = response.content.decode()
    assert "¿Quién firma el acta?" in page and "¿Quién revisa la compra?" in page
    assert 'value="conflicto-de-intereses"' in page  # the tag filter offers the bank's tags

    response = client.get(reverse(LISTING), {"tag": ["obsequios", "declaraciones"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "¿Quién firma el acta?" in page and "¿Quién declara intereses?" in page
    assert "¿Quién revisa la compra?" not in page

    response = client.get(reverse(LISTING), {"tag": "declaraciones", "type": "single"})
    page = response.content.decode()
    assert "¿Quién declara intereses?" in page and "¿Quién firma el acta?" not in page
