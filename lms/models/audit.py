"""The audit trail: an append-only, hash-chained record of every change that matters.

Each event's ``hash`` is SHA-256 over a canonical serialization of its own fields and the
previous event's hash (``prev_hash``), so changing, removing or inserting an event anywhere breaks
the chain from that point (see ``lms.services.audit``). ``prev_hash`` and ``seq`` are unique, so
two events can never claim the same predecessor: the chain cannot fork, whatever the concurrency.

Nothing personal is hashed: people appear as pseudonymous references (``person:17``,
``user:4``), and the free-text reason is hashed with a random salt kept beside it. Erasing the
reason and its salt (the only change the database allows) leaves the chain verifiable.

On PostgreSQL, triggers refuse UPDATE (other than that erasure), DELETE and TRUNCATE.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.CharField(_("by"), max_length=40, db_index=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=64)
    subject = models.CharField(_("person concerned"), max_length=40, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    reason_salt = models.CharField(max_length=32, blank=True)
    reason_digest = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-seq"]
        # Events are only ever added by the services: no add/change/delete permission is used.
        permissions = [("verify_auditevent", "Can verify the audit trail's hash chain")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_seq_positive"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    @property
    def redacted(self) -> bool:
        """The reason was erased (a person's data was removed); the chain still verifies."""
        return bool(self.reason_digest) and not self.reason and not self.reason_salt
