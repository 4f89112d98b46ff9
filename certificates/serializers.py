"""API shapes of certificates, their history, and the requests that issue or change them."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.identifiers import verification_url
from certificates.models import Certificate, CertificateEvent, ReasonCategory
from lms.api.serializers import JobSerializer


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field documented with its values in place: the schema's shared enum components
    are named by field name, and "status", "language" and "category" are taken elsewhere."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


class CertificateEventSerializer(serializers.ModelSerializer):
    action = choice(CertificateEvent.Action.choices, read_only=True)
    # Plain text, not an enum: the reason categories are one enum in the schema, the request's.
    category = serializers.CharField(
        read_only=True, help_text=_("The reason category, as in status_category; may be empty.")
    )
    by = serializers.SerializerMethodField(
        help_text=_("Who did it; empty for the automatic issue.")
    )

    class Meta:
        model = CertificateEvent
        fields = ["action", "from_status", "to_status", "category", "note", "by", "at"]
        read_only_fields = fields

    def get_by(self, event) -> str | None:
        if event.actor is None:
            return None
        return event.actor.get_full_name() or event.actor.email


class CertificateSerializer(serializers.ModelSerializer):
    display_identifier = serializers.CharField(read_only=True)
    status = choice(Certificate.Status.choices, read_only=True)
    status_category = serializers.CharField(
        read_only=True,
        help_text=_("Why it is suspended or revoked: one of the category values; else empty."),
    )
    language = choice(settings.LANGUAGES, read_only=True)
    state = choice(
        Certificate.State.choices,
        read_only=True,
        help_text=_("The status as verifiers see it: a valid certificate past its date expires."),
    )
    participant = serializers.UUIDField(source="person.public_id", read_only=True)
    course = serializers.CharField(source="course.code", read_only=True)
    workshop = serializers.CharField(source="workshop_code", read_only=True)
    registration = serializers.UUIDField(
        source="registration.public_id", read_only=True, allow_null=True
    )
    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True, allow_null=True)
    replaces = serializers.CharField(source="replaces.identifier", read_only=True, allow_null=True)
    replaced_by = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    issue_reason = serializers.CharField(read_only=True)
    events = CertificateEventSerializer(many=True, read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "identifier",
            "display_identifier",
            "status",
            "state",
            "status_category",
            "status_note",
            "status_changed_at",
            "holder_name",
            "participant",
            "course",
            "course_title",
            "contact_hours",
            "workshop",
            "region_name",
            "modality",
            "language",
            "started_on",
            "completed_on",
            "valid_until",
            "issuer_name",
            "issued_at",
            "registration",
            "enrolment",
            "replaces",
            "replaced_by",
            "verification_url",
            "pdf_url",
            "issue_reason",
            "events",
        ]
        read_only_fields = fields

    def get_replaced_by(self, certificate) -> str | None:
        replacement = getattr(certificate, "replaced_by", None)
        return replacement.identifier if replacement else None

    def get_verification_url(self, certificate) -> str:
        return verification_url(certificate.identifier)

    def get_pdf_url(self, certificate) -> str:
        url = reverse("certificate-pdf", args=[certificate.identifier])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class IssueRequestSerializer(serializers.Serializer):
    registration = serializers.UUIDField(
        required=False, help_text=_("Public id of the workshop registration.")
    )
    enrolment = serializers.IntegerField(
        required=False, help_text=_("Id of the online course enrolment.")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required (staff only) to issue to someone who has not completed."),
    )
    language = choice(settings.LANGUAGES, required=False, help_text=_("Default: Spanish."))

    def validate(self, attrs):
        if ("registration" in attrs) == ("enrolment" in attrs):
            raise serializers.ValidationError(
                {"registration": [_("Give a registration or an enrolment (one of them).")]}
            )
        return attrs


class StatusChangeSerializer(serializers.Serializer):
    category = choice(
        ReasonCategory.choices,
        required=False,
        help_text=_("Required to suspend or revoke; not used to reinstate or re-issue."),
    )
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Why; recorded in the certificate's history.")
    )


class WorkshopIssueRequestSerializer(serializers.Serializer):
    language = choice(settings.LANGUAGES, required=False, help_text=_("Default: Spanish."))


class WorkshopIssueResponseSerializer(serializers.Serializer):
    job = JobSerializer()
    status_url = serializers.URLField(help_text=_("Follow the job's progress here."))
