"""API representations of the registry; writes go through lms.services."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lms.models import (
    PERSON_FIELDS,
    Institution,
    Job,
    Person,
    Position,
    Region,
    SelfIdentification,
)
from lms.roles import user_roles


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["code", "name", "name_en", "short_name", "aliases", "is_active", "sort_order"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["code", "name", "name_en", "aliases", "is_active", "sort_order"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

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
    institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    position = serializers.SlugRelatedField(
        slug_field="code", queryset=Position.objects.all(), required=False, allow_null=True
    )
    region = serializers.SlugRelatedField(
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


class MergeSerializer(serializers.Serializer):
    duplicate = serializers.SlugRelatedField(slug_field="public_id", queryset=Person.objects.all())
    reason = serializers.CharField(max_length=2000)


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


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

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"), username=attrs["email"], password=attrs["password"]
        )
        if user is None:
            raise serializers.ValidationError(_("Wrong email or password."), code="authorization")
        attrs["user"] = user
        return attrs
