"""API representations of the registry; writes go through lms.services."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lms.api.fields import SlugRelatedField
from lms.models import (
    PERSON_FIELDS,
    Consent,
    ConsentText,
    Ethnicity,
    Institution,
    Job,
    Person,
    Position,
    Region,
    SelfIdentification,
    WGAnswer,
)
from lms.roles import user_roles
from lms.two_factor import otp_code_check, otp_required_for, totp_device_for
from lms.uploads import SPREADSHEET, SPREADSHEET_MAX_BYTES, validate_upload


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["code", "name", "name_en", "short_name", "aliases", "is_active", "sort_order"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["code", "name", "name_en", "aliases", "is_active", "sort_order"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "level", "name", "iso_code", "parent"]


class SelfIdentificationSerializer(serializers.ModelSerializer):
    has_disability = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = SelfIdentification
        fields = [
            "ethnicity",
            "wg_seeing",
            "wg_hearing",
            "wg_walking",
            "wg_remembering",
            "wg_self_care",
            "wg_communicating",
            "has_disability",
        ]


class PersonSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    institution = SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    position = SlugRelatedField(
        slug_field="code", queryset=Position.objects.all(), required=False, allow_null=True
    )
    region = SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is checked by the model's constraint after normalisation (see services).
        validators = []


class PersonDetailSerializer(PersonSerializer):
    """Adds sensitive self-identification, only for holders of lms.view_sensitive_data."""

    self_identification = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "self_identification"]

    def get_self_identification(self, person) -> dict | None:
        request = self.context.get("request")
        if not request or not request.user.has_perm("lms.view_sensitive_data"):
            return None
        selfid = getattr(person, "self_identification", None)
        return SelfIdentificationSerializer(selfid).data if selfid else None


class ConsentSerializer(serializers.ModelSerializer):
    """A recorded consent; the text is named by purpose, version and language."""

    version = serializers.CharField(write_only=True)
    language = serializers.ChoiceField(choices=["es", "en"], write_only=True, default="es")
    text_version = serializers.CharField(source="text.version", read_only=True)
    text_language = serializers.CharField(source="text.language", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "version",
            "language",
            "text_version",
            "text_language",
            "method",
            "given_at",
            "withdrawn_at",
        ]
        read_only_fields = ["id", "withdrawn_at"]

    def validate(self, attrs):
        text = ConsentText.objects.filter(
            purpose=attrs["purpose"], version=attrs.pop("version"), language=attrs.pop("language")
        ).first()
        if text is None:
            raise serializers.ValidationError(
                {"version": _("No consent text with this purpose, version and language.")}
            )
        attrs["text"] = text
        return attrs


class SelfIdentificationWriteSerializer(serializers.Serializer):
    """Omitted keys are left as they are; an empty value erases the answer."""

    ethnicity = serializers.ChoiceField(choices=[("", "—"), *Ethnicity.choices], required=False)
    disability = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "—"), *WGAnswer.choices]),
        required=False,
        help_text=_(
            "Washington Group answers by domain: seeing, hearing, walking, remembering, self_care, communicating."
        ),
    )


class MergeSerializer(serializers.Serializer):
    duplicate = SlugRelatedField(slug_field="public_id", queryset=Person.objects.all())
    reason = serializers.CharField(max_length=2000)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)

    def validate_file(self, upload):
        validate_upload(upload, field=_("File"), types=SPREADSHEET, max_bytes=SPREADSHEET_MAX_BYTES)
        return upload


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportRequestErrorSerializer(serializers.Serializer):
    """A 400 before the file is read at all: what is wrong with the upload, by field."""

    file = serializers.ListField(child=serializers.CharField(), required=False)
    dry_run = serializers.ListField(child=serializers.CharField(), required=False)


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    total_rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    source_format = serializers.CharField()
    errors = RowErrorSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    # Blank until a worker picks the job up (read-only fields lose allow_blank, and the schema
    # would then refuse "").
    backend = serializers.ChoiceField(choices=Job.Backend.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "name",
            "label",
            "status",
            "done",
            "total",
            "percent",
            "result",
            "error",
            "backend",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(source="get_full_name")
    roles = serializers.SerializerMethodField()
    is_superuser = serializers.BooleanField()

    def get_roles(self, user) -> list[str]:
        return [role.value for role in user_roles(user)]


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "Two-factor code: the six digits the authenticator app shows, or a backup code. "
            "Required for staff, trainers and administrators, and for anyone who turned "
            "two-factor authentication on; ignored otherwise."
        ),
    )

    def validate(self, attrs):
        # The Django request (not DRF's wrapper), so login throttling marks a lock-out on it.
        request = getattr(self.context.get("request"), "_request", None)
        user = authenticate(request=request, username=attrs["email"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(_("Wrong email or password."), code="authorization")
        if totp_device_for(user) is not None:
            code = attrs.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {
                        "otp": _(
                            "This account uses two-factor authentication: send the code from "
                            "your authenticator app (or a backup code) in “otp”."
                        )
                    },
                    code="required",
                )
            check = otp_code_check(user=user, code=code, request=request)
            if not check.ok:
                raise serializers.ValidationError({"otp": check.message()}, code="invalid")
        elif otp_required_for(user):
            raise serializers.ValidationError(
                {
                    "otp": _(
                        "Your role requires two-factor authentication, which is not set up yet "
                        "for this account. Log in on the site once to set it up, then ask for a "
                        "token again with a code in “otp”."
                    )
                },
                code="otp_setup_required",
            )
        attrs["user"] = user
        return attrs
