"""Reads for assessments: the score pairs behind knowledge gain, per workshop, course or cohort,
and completions as the certificates and reports apps read them."""

from django.db.models import QuerySet

from assessments.gain import KnowledgeGain, knowledge_gain
from assessments.models import Assessment, Attempt, Completion, Kind, WorkshopScore
from attendance.models import Registration, Workshop
from courses.models import CoursePage, Enrolment


def _paper_pairs(registrations: QuerySet[Registration]) -> dict[int, list]:
    """{person id: [pre %, post %]} from the paper tests of these registrations."""
    pairs: dict[int, list] = {}
    scores = WorkshopScore.objects.filter(registration__in=registrations).select_related(
        "registration"
    )
    for score in scores:
        slot = pairs.setdefault(score.registration.person_id, [None, None])
        slot[0 if score.kind == Kind.PRE else 1] = score.percent
    return pairs


def _online_pairs(course: CoursePage, people: set[int] | None = None) -> dict[int, list]:
    """{person id: [pre %, post %]} from the first submitted attempt of the course's pre-test and
    post-test (the first, so that retakes of a post-test do not inflate the gain)."""
    pairs: dict[int, list] = {}
    attempts = Attempt.objects.filter(
        assessment__course=course,
        assessment__kind__in=[Kind.PRE, Kind.POST],
        status=Attempt.Status.SUBMITTED,
    ).order_by("submitted_at", "pk")
    if people is not None:
        attempts = attempts.filter(person_id__in=people)
    for attempt in attempts.select_related("assessment"):
        slot = pairs.setdefault(attempt.person_id, [None, None])
        index = 0 if attempt.assessment.kind == Kind.PRE else 1
        if slot[index] is None:
            slot[index] = attempt.percent
    return pairs


def may_take(person, assessment: Assessment) -> bool:
    """Online assessments are for people enrolled in the course or confirmed in one of its
    workshops."""
    course = assessment.course
    return (
        Enrolment.objects.filter(person=person, course=course).exists()
        or Registration.objects.filter(
            person=person, workshop__course=course, status=Registration.Status.CONFIRMED
        ).exists()
    )


def pre_test_for(course: CoursePage) -> Assessment | None:
    return Assessment.objects.filter(course=course, kind=Kind.PRE).first()


def post_test_for(course: CoursePage) -> Assessment | None:
    return Assessment.objects.filter(course=course, kind=Kind.POST).first()


def mastery_for(course: CoursePage) -> int:
    post = Assessment.objects.filter(course=course, kind=Kind.POST).first()
    return post.mastery if post else course.mastery_percent


def workshop_knowledge_gain(workshop: Workshop) -> KnowledgeGain:
    registrations = workshop.registrations.filter(status=Registration.Status.CONFIRMED)
    pairs = _paper_pairs(registrations)
    return knowledge_gain(
        [tuple(p) for p in pairs.values()], mastery_percent=mastery_for(workshop.course)
    )


def cohort_knowledge_gain(
    *,
    course: CoursePage,
    registrations: QuerySet[Registration] | None = None,
    include_online: bool = True,
) -> KnowledgeGain:
    """A course's gain over a cohort: paper scores of the given registrations (default: every
    confirmed registration of the course's workshops) and, for people with no paper score,
    their online tests. Each person counts once."""
    if registrations is None:
        registrations = Registration.objects.filter(
            workshop__course=course, status=Registration.Status.CONFIRMED
        )
    pairs = _paper_pairs(registrations)
    if include_online:
        for person_id, pair in _online_pairs(course).items():
            pairs.setdefault(person_id, pair)
    return knowledge_gain([tuple(p) for p in pairs.values()], mastery_percent=mastery_for(course))


def course_knowledge_gain(course: CoursePage) -> KnowledgeGain:
    return cohort_knowledge_gain(course=course)


def completions(*, course: CoursePage | None = None, status: str | None = None) -> QuerySet:
    """The completion decisions, the single source for certificates and reports."""
    rows = Completion.objects.select_related("person", "course", "registration__workshop")
    if course is not None:
        rows = rows.filter(course=course)
    if status:
        rows = rows.filter(status=status)
    return rows
