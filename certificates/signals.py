"""Forget the kept verification pages of a certificate the moment it, or its holder, changes;
note the completion decisions that are due a certificate (certificates.automatic)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from assessments.models import Completion
from certificates.automatic import completion_noted
from certificates.models import Certificate
from certificates.verification import verification_pages_forget
from lms.services.privacy import person_anonymised


def _forget(identifiers: list[str]) -> None:
    # Now, and again once the change is committed: a page rendered from the old row by a
    # request that read it just before the commit is dropped too.
    verification_pages_forget(identifiers)
    transaction.on_commit(lambda: verification_pages_forget(identifiers))


@receiver(post_save, sender=Certificate, dispatch_uid="certificates-verify-page-saved")
@receiver(post_delete, sender=Certificate, dispatch_uid="certificates-verify-page-deleted")
def certificate_changed(sender, instance, **kwargs):
    _forget([instance.identifier])


@receiver(person_anonymised, dispatch_uid="certificates-verify-page-anonymised")
def holder_anonymised(sender, person, **kwargs):
    _forget(list(Certificate.objects.filter(person=person).values_list("identifier", flat=True)))


@receiver(post_save, sender=Completion, dispatch_uid="certificates-automatic-issue")
def completion_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        completion_noted(instance)
