"""Real threads against PostgreSQL: a double-clicked start gives one attempt, a double-clicked
submit grades once."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Attempt
from assessments.services import attempt_start, attempt_submit
from tests.assessments.factories import build_assessment, right_answer, single
from tests.attendance.test_concurrency import _run_all
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_simultaneous_starts_give_one_open_attempt():
    course, _lessons = build_course(code="CONC-101")
    assessment = build_assessment(course, questions=[single()], attempts_allowed=3)
    person = PersonFactory()
    started = []
    errors = _run_all(
        [lambda: started.append(attempt_start(assessment=assessment, person=person).pk)] * 20
    )
    assert errors == []
    assert Attempt.objects.filter(assessment=assessment, person=person).count() == 1
    assert len(set(started)) == 1


def test_simultaneous_submits_grade_once():
    course, _lessons = build_course(code="CONC-102")
    question = single()
    assessment = build_assessment(course, questions=[question])
    attempt = attempt_start(assessment=assessment, person=PersonFactory())
    answers = {question.pk: right_answer(question)}
    errors = _run_all([lambda: attempt_submit(attempt=attempt, answers=answers)] * 10)
    assert len(errors) == 9
    assert all(isinstance(e, ValidationError) for e in errors)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score) == ("submitted", 1)
