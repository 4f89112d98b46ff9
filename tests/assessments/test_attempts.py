"""Online attempts: the server keeps time, attempts are limited, submitted attempts never change,
grading is exact."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Attempt
from assessments.services import (
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)
from tests.assessments.factories import (
    build_assessment,
    multiple,
    numeric,
    right_answer,
    single,
    wrong_answer,
)
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0)


@pytest.fixture
def course():
    return build_course(code="ETI-201")[0]


@pytest.fixture
def questions():
    return [single(), multiple(), numeric(tolerance="0.5")]


def test_time_limit_is_the_servers_and_late_work_is_scored_as_of_the_deadline(course, questions):
    assessment = build_assessment(course, questions=questions, time_limit_minutes=10)
    person = PersonFactory()
    attempt = attempt_start(assessment=assessment, person=person, now=T0)
    assert attempt.deadline == T0 + dt.timedelta(minutes=10)
    first, second, third = questions
    attempt_save_answers(
        attempt=attempt, answers={first.pk: right_answer(first)}, now=T0 + dt.timedelta(minutes=9)
    )
    with pytest.raises(ValidationError, match="Se acabó el tiempo"):
        attempt_save_answers(
            attempt=attempt,
            answers={second.pk: right_answer(second)},
            now=T0 + dt.timedelta(minutes=11),
        )
    # Answers sent with a late submission do not count; those saved in time do.
    done = attempt_submit(
        attempt=attempt,
        answers={third.pk: right_answer(third)},
        now=T0 + dt.timedelta(minutes=12),
    )
    assert done.status == "submitted" and done.late is True
    assert (done.score, done.max_score, done.percent) == (1, 3, Decimal("33.33"))


def test_a_late_submission_is_refused_when_the_assessment_says_so(course, questions):
    assessment = build_assessment(
        course, questions=questions, time_limit_minutes=5, late_policy="refuse"
    )
    attempt = attempt_start(assessment=assessment, person=PersonFactory(), now=T0)
    first = questions[0]
    attempt_save_answers(attempt=attempt, answers={first.pk: right_answer(first)}, now=T0)
    done = attempt_submit(attempt=attempt, now=T0 + dt.timedelta(minutes=6))
    assert done.status == "refused" and done.score is None and done.percent is None


def test_an_overdue_attempt_is_closed_when_the_person_comes_back(course, questions):
    assessment = build_assessment(
        course, questions=questions, time_limit_minutes=5, attempts_allowed=2
    )
    person = PersonFactory()
    first = attempt_start(assessment=assessment, person=person, now=T0)
    second = attempt_start(assessment=assessment, person=person, now=T0 + dt.timedelta(hours=1))
    first.refresh_from_db()
    assert first.status == "submitted" and first.late
    assert second.pk != first.pk and second.number == 2


def test_attempts_are_limited_and_an_open_attempt_is_resumed(course, questions):
    assessment = build_assessment(course, questions=questions, attempts_allowed=2)
    person = PersonFactory()
    one = attempt_start(assessment=assessment, person=person)
    assert attempt_start(assessment=assessment, person=person).pk == one.pk  # resumed
    attempt_submit(attempt=one)
    two = attempt_start(assessment=assessment, person=person)
    attempt_submit(attempt=two)
    with pytest.raises(ValidationError, match="todos los intentos"):
        attempt_start(assessment=assessment, person=person)
    assert Attempt.objects.filter(person=person).count() == 2


def test_a_submitted_attempt_never_changes(course, questions):
    assessment = build_assessment(course, questions=questions)
    attempt = attempt_start(assessment=assessment, person=PersonFactory())
    first = questions[0]
    done = attempt_submit(attempt=attempt, answers={first.pk: wrong_answer(first)})
    with pytest.raises(ValidationError, match="ya fue enviado"):
        attempt_save_answers(attempt=done, answers={first.pk: right_answer(first)})
    with pytest.raises(ValidationError, match="ya fue enviado"):
        attempt_submit(attempt=done, answers={first.pk: right_answer(first)})
    done.refresh_from_db()
    assert done.score == 0


def test_grading_is_exact_per_question(course):
    many = multiple(right=("A", "B"), wrong=("C",))
    number = numeric(answer="15", tolerance="0.5")
    assessment = build_assessment(course, questions=[many, number], attempts_allowed=0)
    person = PersonFactory()
    a, b, c = (many.choices.get(text=t).pk for t in "ABC")
    cases = [
        ({many.pk: [a, b], number.pk: "15,4"}, 2),  # decimal comma accepted, within ±0.5
        ({many.pk: [a], number.pk: "15.6"}, 0),  # half the options is not the answer
        ({many.pk: [a, b, c], number.pk: "14.5"}, 1),
    ]
    for answers, expected in cases:
        attempt = attempt_start(assessment=assessment, person=person)
        assert attempt_submit(attempt=attempt, answers=answers).score == expected


def test_bad_answers_are_refused_and_nothing_is_saved(course, questions):
    assessment = build_assessment(course, questions=questions)
    attempt = attempt_start(assessment=assessment, person=PersonFactory())
    first, _second, third = questions
    other = single("Otra pregunta")
    with pytest.raises(ValidationError) as exc:
        attempt_save_answers(
            attempt=attempt,
            answers={
                first.pk: right_answer(first),
                third.pk: "quince",
                other.pk: right_answer(other),
            },
        )
    assert set(exc.value.message_dict) == {str(third.pk), str(other.pk)}
    assert not attempt.questions.filter(answered_at__isnull=False).exists()


def test_questions_drawn_from_tags_and_shuffled_are_fixed_at_start(course):
    pool = [single(f"Pregunta {n}", tags=["integridad"]) for n in range(6)]
    single("Fuera del tema", tags=["otro"])
    assessment = build_assessment(
        course,
        selection="drawn",
        draw_tags="integridad",
        draw_count=4,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    attempt = attempt_start(assessment=assessment, person=PersonFactory(), rng=random.Random(7))
    drawn = list(attempt.questions.values_list("question_id", flat=True))
    assert len(drawn) == 4 and set(drawn) <= {q.pk for q in pool}
    again = attempt_start(assessment=assessment, person=attempt.person)
    assert list(again.questions.values_list("question_id", flat=True)) == drawn


def test_too_few_questions_to_draw_is_said(course):
    single("Una", tags=["integridad"])
    assessment = build_assessment(course, selection="drawn", draw_tags="integridad", draw_count=3)
    with pytest.raises(ValidationError, match="Solo 1 preguntas activas"):
        attempt_start(assessment=assessment, person=PersonFactory())
