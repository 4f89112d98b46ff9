"""Merging two records of one person keeps every attempt, numbered in order."""

import pytest

from assessments.services import attempt_start, attempt_submit
from lms.services.merge import MergeConflict, person_merge
from tests.assessments.factories import build_assessment, single
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    course, _lessons = build_course(code="MRG-101")
    return build_assessment(course, questions=[single()], attempts_allowed=0)


def test_the_duplicates_attempts_follow_the_kept_ones(assessment, staff_user):
    kept, duplicate = PersonFactory(), PersonFactory()
    for person in (kept, kept, duplicate):
        attempt_submit(attempt=attempt_start(assessment=assessment, person=person))
    person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason="Mismo DNI.")
    assert sorted(kept.attempts.values_list("number", flat=True)) == [1, 2, 3]


def test_two_open_attempts_are_refused_with_a_reason(assessment, staff_user):
    kept, duplicate = PersonFactory(), PersonFactory()
    attempt_start(assessment=assessment, person=kept)
    attempt_start(assessment=assessment, person=duplicate)
    with pytest.raises(MergeConflict, match="intento en curso"):
        person_merge(kept=kept, duplicate=duplicate, actor=staff_user, reason="Mismo DNI.")
    assert duplicate.attempts.count() == 1
