"""Participation facts follow their sources in the same transaction (see reports.facts)."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from assessments.models import Attempt, Completion
from attendance.models import (
    AttendanceRecord,
    AttendanceStatus,
    Registration,
    Session,
    Workshop,
)
from courses.models import Enrolment, LessonProgress
from lms.models import MergeLog
from reports import facts
from reports.models import Fact


def _raw(kwargs) -> bool:
    return bool(kwargs.get("raw"))


@receiver(post_save, sender=AttendanceRecord)
@receiver(post_delete, sender=AttendanceRecord)
def attendance_changed(sender, instance, **kwargs):
    if _raw(kwargs):
        return
    workshop_id = (
        Session.objects.filter(pk=instance.session_id).values_list("workshop_id", flat=True).first()
    )
    if workshop_id is not None:
        facts.refresh_workshop_reach(workshop_id, [instance.person_id])


@receiver(post_save, sender=Session)
@receiver(post_delete, sender=Session)
def session_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        facts.refresh_workshop_reach(instance.workshop_id)


@receiver(post_save, sender=Workshop)
def workshop_changed(sender, instance, created, **kwargs):
    if not (created or _raw(kwargs)):
        facts.refresh_workshop_reach(instance.pk)


@receiver(post_save, sender=AttendanceStatus)
def mark_changed(sender, instance, created, **kwargs):
    """A mark that now counts (or no longer counts) as attended changes who was reached."""
    if created or _raw(kwargs):
        return
    workshops = (
        Session.objects.filter(attendance__status=instance)
        .values_list("workshop_id", flat=True)
        .distinct()
    )
    for workshop_id in list(workshops):
        facts.refresh_workshop_reach(workshop_id)


@receiver(post_save, sender=LessonProgress)
@receiver(post_delete, sender=LessonProgress)
def progress_changed(sender, instance, **kwargs):
    if not _raw(kwargs) and Enrolment.objects.filter(pk=instance.enrolment_id).exists():
        facts.refresh_enrolment_reach(instance.enrolment_id)


@receiver(post_save, sender=Attempt)
@receiver(post_delete, sender=Attempt)
def attempt_changed(sender, instance, **kwargs):
    if _raw(kwargs):
        return
    course_id = instance.assessment.course_id
    for enrolment_id in Enrolment.objects.filter(
        person_id=instance.person_id, course_id=course_id
    ).values_list("pk", flat=True):
        facts.refresh_enrolment_reach(enrolment_id)
    # An online pre-test changes the knowledge gain of decisions already taken.
    for completion_id in Completion.objects.filter(
        person_id=instance.person_id, course_id=course_id
    ).values_list("pk", flat=True):
        facts.refresh_outcome(completion_id)


@receiver(post_save, sender=Completion)
def completion_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        facts.refresh_outcome(instance.pk)


@receiver(pre_delete, sender=Completion)
def completion_removed(sender, instance, **kwargs):
    if instance.enrolment_id:
        facts.forget_outcome(enrolment_id=instance.enrolment_id)
    elif instance.registration_id:
        workshop_id = (
            Registration.objects.filter(pk=instance.registration_id)
            .values_list("workshop_id", flat=True)
            .first()
        )
        if workshop_id is not None:
            facts.forget_outcome(workshop_id=workshop_id, person_id=instance.person_id)


def merge_facts(kept, duplicate) -> int:
    """lms.services.merge resolver: the duplicate's facts go; once every record has moved (the
    merge log is written last), the kept person's facts are recomputed (``merge_done``)."""
    Fact.objects.filter(person=duplicate).delete()
    return 0


@receiver(post_save, sender=MergeLog)
def merge_done(sender, instance, created, **kwargs):
    if created and not _raw(kwargs):
        facts.refresh_person(instance.kept_id)
