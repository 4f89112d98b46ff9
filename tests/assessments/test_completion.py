"""The completion engine on its boundary cases: the rule is the course's, the reason is said."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.completion import (
    completion_override,
    completion_refresh_registration,
    reasons_text,
)
from assessments.models import Completion, CompletionOverride
from assessments.scores import score_record
from attendance.models import AttendanceStatus, Workshop
from attendance.services import attendance_record, register
from courses.services import enrol, lesson_complete
from tests.assessments.factories import build_assessment, single
from tests.attendance.factories import build_workshop
from tests.courses.factories import build_course
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PAST = timezone.now().replace(microsecond=0) - dt.timedelta(days=30)


@pytest.fixture
def workshop():
    return build_workshop(sessions=5, starts=PAST, capacity=30)


def attend(workshop, person, *marks):
    for session, mark in zip(workshop.sessions.order_by("number"), marks, strict=False):
        attendance_record(session=session, person=person, status=mark, method="roster")


def close(workshop):
    workshop.status = Workshop.Status.CLOSED
    workshop.save()


def decision(registration) -> Completion:
    return Completion.objects.get(registration=registration)


def test_exactly_80_percent_attendance_completes(workshop):
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "present", "late", "present", "absent")
    done = decision(registration)
    assert done.status == "completed"
    assert done.attendance_percent == Decimal("80.00")
    assert reasons_text(done.reasons) == "asistencia 80% ≥ 80%"
    assert (
        done.completed_on
        == timezone.localtime(workshop.sessions.order_by("-ends_at").first().ends_at).date()
    )


def test_below_the_minimum_is_in_progress_while_open_then_not_completed(workshop):
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "absent", "present", "absent", "present")
    open_ = decision(registration)
    assert open_.status == "in_progress"
    assert reasons_text(open_.reasons) == "asistencia 60% < 80%"
    close(workshop)
    assert decision(registration).status == "not_completed"


def test_unmarked_sessions_count_as_absences_once_the_workshop_is_closed(workshop):
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "present", "present", "present")
    assert decision(registration).status == "completed"  # 4 of 5 already
    other = register(workshop=workshop, person=PersonFactory())
    attend(workshop, other.person, "present", "present", "present")
    waiting = decision(other)
    assert waiting.status == "in_progress"
    assert "2 sesión(es) sin asistencia registrada" in reasons_text(waiting.reasons)
    close(workshop)
    assert decision(other).status == "not_completed"
    assert decision(other).attendance_percent == Decimal("60.00")


def test_post_test_equal_to_the_pass_mark_completes_and_below_does_not(workshop):
    build_assessment(workshop.course, kind="post", questions=[single()])
    course = workshop.course
    assert course.pass_mark_percent == 70
    at_mark = register(workshop=workshop, person=PersonFactory())
    below = register(workshop=workshop, person=PersonFactory())
    for registration in (at_mark, below):
        attend(workshop, registration.person, *["present"] * 5)
    score_record(
        registration=at_mark,
        kind="post",
        score=Decimal("14"),
        max_score=Decimal("20"),
        method="grid",
    )
    score_record(
        registration=below,
        kind="post",
        score=Decimal("13.8"),
        max_score=Decimal("20"),
        method="grid",
    )
    assert decision(at_mark).status == "completed"
    assert reasons_text(decision(at_mark).reasons) == "asistencia 100% ≥ 80%; post-test 70% ≥ 70%"
    assert decision(below).status == "in_progress"
    assert "post-test 69% < 70%" in reasons_text(decision(below).reasons)
    close(workshop)
    assert decision(below).status == "not_completed"


def test_missing_post_test_keeps_it_open_then_fails_when_closed(workshop):
    build_assessment(workshop.course, kind="post", questions=[single()])
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, *["present"] * 5)
    assert decision(registration).status == "in_progress"
    assert "sin puntaje de post-test" in reasons_text(decision(registration).reasons)
    close(workshop)
    assert decision(registration).status == "not_completed"


def test_excused_absences_count_as_absences_unless_the_course_leaves_them_out():
    workshop = build_workshop(sessions=4, starts=PAST, status="closed")
    workshop.status = "open"
    workshop.save()
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "present", "present", "excused")
    assert decision(registration).attendance_percent == Decimal("75.00")
    assert decision(registration).status == "in_progress"
    course = workshop.course
    course.excused_left_out = True
    course.save()
    assert decision(registration).attendance_percent == Decimal("100.00")
    assert decision(registration).status == "completed"


def test_whether_late_counts_is_the_late_mark_setting(workshop):
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "present", "present", "late", "late")
    assert decision(registration).status == "completed"
    late = AttendanceStatus.objects.get(code="late")
    late.counts_as = AttendanceStatus.CountsAs.ABSENT
    late.save()
    assert decision(registration).attendance_percent == Decimal("60.00")
    assert decision(registration).status == "in_progress"


def test_staff_override_wins_is_kept_and_can_be_undone(workshop, staff_user, trainer_user):
    registration = register(workshop=workshop, person=PersonFactory())
    attend(workshop, registration.person, "present", "absent", "absent", "absent", "absent")
    close(workshop)
    completion = decision(registration)
    assert completion.status == "not_completed"
    with pytest.raises(PermissionDenied):
        completion_override(
            completion=completion, status="completed", reason="x", decided_by=trainer_user
        )
    completion = completion_override(
        completion=completion,
        status="completed",
        reason="Asistió a la sesión de recuperación del 12/10 (acta 45).",
        decided_by=staff_user,
    )
    assert completion.status == "completed" and completion.computed_status == "not_completed"
    assert "decidido por el personal del programa" in reasons_text(completion.reasons)
    # Recomputing (any input change does) keeps the override.
    completion_refresh_registration(registration)
    assert decision(registration).status == "completed"
    completion = completion_override(
        completion=completion, status="", reason="Acta anulada.", decided_by=staff_user
    )
    assert completion.status == completion.computed_status == "not_completed"
    assert CompletionOverride.objects.filter(completion=completion).count() == 2


def test_a_cancelled_registration_is_not_completed(workshop):
    from attendance.services import registration_cancel

    registration = register(workshop=workshop, person=PersonFactory())
    registration_cancel(registration=registration)
    assert decision(registration).status == "not_completed"


def test_online_enrolment_needs_every_lesson_and_the_post_test():
    from assessments.services import attempt_start, attempt_submit
    from tests.assessments.factories import right_answer

    course, lessons = build_course(code="ONL-101")
    question = single()
    build_assessment(course, kind="post", questions=[question], attempts_allowed=1)
    person = PersonFactory()
    enrolment = enrol(person=person, course=course)
    for lesson in lessons:
        lesson_complete(enrolment=enrolment, lesson=lesson)
    completion = Completion.objects.get(enrolment=enrolment)
    assert completion.status == "in_progress"
    assert "sin puntaje de post-test" in reasons_text(completion.reasons)
    attempt = attempt_start(assessment=course.assessments.get(), person=person)
    attempt_submit(attempt=attempt, answers={question.pk: right_answer(question)})
    completion.refresh_from_db()
    assert completion.status == "completed"
    assert completion.post_percent == Decimal("100.00")
    assert completion.completed_on == timezone.localdate()
