"""Thin API views over the registry services and selectors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.template import engines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from drf_spectacular.views import SpectacularRedocView
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.api import serializers as s
from lms.api.fields import LOOKUP_SLUG, query_text
from lms.models import Institution, Job, Person, Position, Region
from lms.selectors.people import person_search
from lms.services.imports import participants_import_start
from lms.services.merge import person_merge
from lms.services.people import (
    consent_record,
    consent_withdraw,
    person_create,
    person_update,
    self_identification_record,
)


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ApiValidationError({"non_field_errors": exc.messages})


class PersonFilter(filters.FilterSet):
    institution = filters.CharFilter(field_name="institution__code")
    position = filters.CharFilter(field_name="position__code")
    region = filters.CharFilter(
        method="filter_region", label=_("INEI code of a department or province")
    )
    document_number = filters.CharFilter()

    class Meta:
        model = Person
        fields = ["document_type", "document_number", "sex", "institution", "position", "region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__code__startswith=value)


class PersonViewSet(viewsets.ModelViewSet):
    """Participants: people in the registry, found by their public id (never a sequence)."""

    lookup_field = "public_id"
    filterset_class = PersonFilter
    # Added to the 409 of a DELETE refused because of the person's history (lms.api.exceptions).
    delete_hint = gettext_lazy("Merge the record into the one kept, or anonymise it, instead.")
    ordering_fields = ["family_names", "given_names", "created_at", "updated_at"]
    queryset = Person.objects.none()  # for the schema and the permission class

    def get_queryset(self):
        qs = Person.objects.select_related("institution", "position", "region")
        query = query_text(self.request, "q")
        return person_search(queryset=qs, query=query) if query else qs

    def get_serializer_class(self):
        return s.PersonDetailSerializer if self.action == "retrieve" else s.PersonSerializer

    def perform_create(self, serializer):
        try:
            serializer.instance = person_create(**serializer.validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc

    def perform_update(self, serializer):
        try:
            serializer.instance = person_update(
                person=serializer.instance, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc

    def _require(self, *perms: str) -> None:
        if not all(self.request.user.has_perm(p) for p in perms):
            raise PermissionDenied

    @extend_schema(
        request=s.ConsentSerializer,
        responses={200: s.ConsentSerializer(many=True), 201: s.ConsentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # one plain list
    def consents(self, request, public_id=None):
        """Consents for sensitive data (Ley 29733): list them, or record one."""
        self._require("lms.view_sensitive_data")
        person = self.get_object()
        if request.method == "GET":
            return Response(
                s.ConsentSerializer(person.consents.select_related("text"), many=True).data
            )
        self._require("lms.add_consent")
        payload = s.ConsentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            consent = consent_record(
                person=person,
                text=data["text"],
                method=data["method"],
                given_at=data["given_at"],
                recorded_by=request.user,
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ConsentSerializer})
    @action(detail=True, methods=["post"], url_path=r"consents/(?P<consent_id>[0-9]+)/withdraw")
    def withdraw_consent(self, request, public_id=None, consent_id=None):
        """Withdraw a consent: the answers it covered are erased at once."""
        self._require("lms.view_sensitive_data", "lms.change_consent")
        person = self.get_object()
        consent = person.consents.filter(pk=consent_id, withdrawn_at__isnull=True).first()
        if consent is None:
            raise NotFound
        return Response(s.ConsentSerializer(consent_withdraw(consent=consent)).data)

    @extend_schema(
        request=s.SelfIdentificationWriteSerializer, responses={200: s.SelfIdentificationSerializer}
    )
    @action(detail=True, methods=["put"], url_path="self-identification")
    def self_identification(self, request, public_id=None):
        """Store ethnicity and/or disability answers; refused without an active consent."""
        self._require("lms.view_sensitive_data", "lms.change_person")
        person = self.get_object()
        payload = s.SelfIdentificationWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            selfid = self_identification_record(
                person=person,
                ethnicity=payload.validated_data.get("ethnicity"),
                disability_answers=payload.validated_data.get("disability"),
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(s.SelfIdentificationSerializer(selfid).data)

    @extend_schema(request=s.MergeSerializer, responses={200: s.PersonSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, public_id=None):
        """Fold the `duplicate` record into this one; its related records move here."""
        if not request.user.has_perm("lms.merge_person"):
            raise PermissionDenied
        kept = self.get_object()
        payload = s.MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            person_merge(
                kept=kept,
                duplicate=payload.validated_data["duplicate"],
                actor=request.user,
                reason=payload.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        kept.refresh_from_db()
        return Response(s.PersonSerializer(kept, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={
            200: OpenApiResponse(
                s.ImportResultSerializer, description=_("Imported (or dry run passed).")
            ),
            202: OpenApiResponse(
                s.JobSerializer, description=_("Queued on a worker; follow the job.")
            ),
            400: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ImportRejected",
                    serializers=[s.ImportResultSerializer, s.ImportRequestErrorSerializer],
                    resource_type_field_name=None,
                ),
                description=_("Rejected: nothing was written."),
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_file(self, request):
        """Import a CSV or XLSX file: every row is written, or none (errors list row and column)."""
        if not request.user.has_perm("lms.import_person"):
            raise PermissionDenied
        payload = s.ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        job = participants_import_start(
            data=upload.read(),
            filename=upload.name,
            dry_run=payload.validated_data["dry_run"],
            user=request.user,
        )
        if not job.is_finished:
            return Response(s.JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        if job.result is None:
            return Response({"detail": job.error}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        code = (
            status.HTTP_200_OK
            if job.status == Job.Status.SUCCEEDED
            else status.HTTP_400_BAD_REQUEST
        )
        return Response(job.result, status=code)


class InstitutionViewSet(viewsets.ModelViewSet):
    queryset = Institution.objects.all()
    serializer_class = s.InstitutionSerializer
    lookup_field = "code"
    lookup_value_regex = LOOKUP_SLUG
    search_fields = ["name", "name_en", "short_name", "code"]


class PositionViewSet(viewsets.ModelViewSet):
    queryset = Position.objects.all()
    serializer_class = s.PositionSerializer
    lookup_field = "code"
    lookup_value_regex = LOOKUP_SLUG
    search_fields = ["name", "name_en", "code"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.select_related("parent")
    serializer_class = s.RegionSerializer
    lookup_field = "code"
    lookup_value_regex = LOOKUP_SLUG
    filterset_fields = ["level", "parent__code"]
    search_fields = ["name", "code", "iso_code"]
    pagination_class = None


class JobViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Background jobs with their progress; people see their own, holders of view_job all."""

    serializer_class = s.JobSerializer
    permission_classes = [IsAuthenticated]
    queryset = Job.objects.none()

    def get_queryset(self):
        user = self.request.user
        qs = Job.objects.all()
        return qs if user.has_perm("lms.view_job") else qs.filter(created_by=user)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class TokenView(APIView):
    """Exchange email and password for an API token (send it as `Authorization: Token <key>`).

    Staff, trainers and administrators (and anyone who turned two-factor authentication on) also
    send `otp`, a code from their authenticator app or a backup code.
    """

    permission_classes = [AllowAny]
    # Credentials (and the two-factor code) are in the body: a browser session, even one still
    # owing its code, has no say here.
    authentication_classes: list = []
    throttle_scope = "token"

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={
            200: {"type": "object", "properties": {"token": {"type": "string"}}},
            400: OpenApiResponse(
                description="Wrong email or password, or a missing or wrong two-factor code "
                "(the error is under `otp`)."
            ),
        },
    )
    def post(self, request):
        payload = s.TokenRequestSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=payload.validated_data["user"])
        return Response({"token": token.key})


# drf-spectacular's own redoc.html links Google Fonts; this page loads only our /static/ files.
_REDOC_PAGE = engines["django"].from_string(
    """<!DOCTYPE html>
<html>
  <head>
    <title>{{ title }}</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>body { margin: 0; padding: 0; }</style>
  </head>
  <body>
    <redoc spec-url="{{ schema_url }}"></redoc>
    <script src="{{ redoc_standalone }}"></script>
  </body>
</html>
"""
)


class RedocView(SpectacularRedocView):
    """Redoc served from this server only (no CDN, no web fonts from elsewhere)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        context = {
            "title": self.title,
            "redoc_standalone": self._redoc_standalone(),
            "schema_url": self._get_schema_url(request),
        }
        return HttpResponse(_REDOC_PAGE.render(context, request))
