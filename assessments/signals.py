"""Completion follows its inputs: whenever attendance, a registration, a workshop, a score, an
attempt, lesson progress, an attendance mark or a course's rule changes, the decisions it touches
are recomputed in the same transaction (so a reader never sees a stale one)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from assessments import completion as engine
from assessments.models import Assessment, Attempt, Kind, WorkshopScore
from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Session, Workshop
from courses.models import CoursePage, Enrolment, LessonProgress

RULE_FIELDS = (
    "min_attendance_percent",
    "pass_mark_percent",
    "require_all_lessons",
    "excused_left_out",
)


def _raw(kwargs) -> bool:
    return bool(kwargs.get("raw"))  # loading fixtures: leave completions alone


@receiver(post_save, sender=AttendanceRecord)
def attendance_changed(sender, instance, **kwargs):
    if _raw(kwargs):
        return
    engine.refresh_registrations(
        Registration.objects.filter(
            workshop_id=instance.session.workshop_id, person_id=instance.person_id
        )
    )


@receiver(post_save, sender=Registration)
def registration_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        engine.refresh_registrations([instance])


@receiver(post_save, sender=Workshop)
def workshop_changed(sender, instance, created, **kwargs):
    if not (created or _raw(kwargs)):
        engine.refresh_registrations(instance.registrations.all())


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def sessions_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        engine.refresh_registrations(instance.workshop.registrations.all())


@receiver(post_save, sender=WorkshopScore)
@receiver(post_delete, sender=WorkshopScore)
def score_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        engine.refresh_registrations([instance.registration])


@receiver(post_save, sender=Attempt)
def attempt_changed(sender, instance, **kwargs):
    if _raw(kwargs) or instance.status == Attempt.Status.IN_PROGRESS:
        return
    if instance.assessment.kind == Kind.POST:
        course = instance.assessment.course
        engine.refresh_enrolments(Enrolment.objects.filter(person=instance.person, course=course))
        engine.refresh_registrations(
            Registration.objects.filter(person=instance.person, workshop__course=course)
        )


@receiver(post_save, sender=Enrolment)
def enrolment_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        engine.refresh_enrolments([instance])


@receiver(post_save, sender=LessonProgress)
def lesson_done(sender, instance, **kwargs):
    if not _raw(kwargs):
        engine.refresh_enrolments([instance.enrolment])


@receiver(post_save, sender=AttendanceStatus)
def mark_changed(sender, instance, created, **kwargs):
    # What a mark counts as changed: every workshop decision may move.
    if not (created or _raw(kwargs)):
        engine.refresh_registrations(Registration.objects.all().iterator())


@receiver(pre_save, sender=CoursePage)
def remember_rule(sender, instance, **kwargs):
    old = CoursePage.objects.filter(pk=instance.pk).values(*RULE_FIELDS).first()
    instance._old_rule = old


@receiver(post_save, sender=CoursePage)
def rule_changed(sender, instance, created, **kwargs):
    old = getattr(instance, "_old_rule", None)
    if created or _raw(kwargs) or old is None:
        return
    if any(old[f] != getattr(instance, f) for f in RULE_FIELDS):
        _refresh_course(instance)


@receiver(post_save, sender=Assessment)
@receiver(post_delete, sender=Assessment)
def post_test_changed(sender, instance, **kwargs):
    if not _raw(kwargs) and instance.kind == Kind.POST:
        _refresh_course(instance.course)


def _refresh_course(course: CoursePage) -> None:
    engine.refresh_registrations(Registration.objects.filter(workshop__course=course).iterator())
    engine.refresh_enrolments(Enrolment.objects.filter(course=course).iterator())
