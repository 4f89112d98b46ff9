"""API for certificates: list and read (staff all, trainers their workshops', participants their
own), the PDF, issue one (idempotent), change a status with a reason, and a workshop's bulk issue
as a background job. Thin over certificates.services and certificates.selectors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance.models import Registration
from attendance.selectors import workshops_for
from certificates import serializers as s
from certificates.jobs import issue_workshop_start
from certificates.models import Certificate
from certificates.panels import pdf_response
from certificates.selectors import (
    STAFF_PERMISSION,
    VIEW_PERMISSION,
    certificates_for,
    find_identifier,
    pdf_filename,
)
from certificates.services import (
    certificate_issue,
    certificate_pdf_bytes,
    certificate_reinstate,
    certificate_reissue,
    certificate_revoke,
    certificate_suspend,
)
from courses.models import Enrolment
from lms.api.serializers import JobSerializer


def _api_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


class CertificateFilter(filters.FilterSet):
    workshop = filters.CharFilter(field_name="workshop_code", lookup_expr="iexact")
    course = filters.CharFilter(field_name="course__code")
    participant = filters.UUIDFilter(field_name="person__public_id")

    class Meta:
        model = Certificate
        fields = ["workshop", "status", "course", "participant"]


class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Certificates by identifier (dashes and case do not matter). Staff see all, trainers those
    of the workshops they train, participants their own."""

    permission_classes = [IsAuthenticated]
    queryset = Certificate.objects.none()  # for the schema
    lookup_field = "identifier"
    lookup_value_regex = "[^/]+"
    filterset_class = CertificateFilter
    search_fields = ["holder_name", "identifier"]
    ordering_fields = ["issued_at", "holder_name"]

    def get_queryset(self):
        return (
            certificates_for(self.request.user)
            .select_related("person", "course", "registration", "replaces", "replaced_by")
            .prefetch_related("events__actor")
        )

    serializer_class = s.CertificateSerializer

    def get_object(self):
        canonical = find_identifier(self.kwargs["identifier"])
        if canonical is None:
            raise Http404
        certificate = get_object_or_404(self.get_queryset(), identifier=canonical)
        self.check_object_permissions(self.request, certificate)
        return certificate

    def _manageable(self) -> Certificate:
        """The certificate, if the user sees it (else 404) and is staff (else 403)."""
        certificate = self.get_object()
        if not self.request.user.has_perm(STAFF_PERMISSION):
            raise PermissionDenied
        return certificate

    def _detail(self, certificate: Certificate, code=status.HTTP_200_OK) -> Response:
        certificate = self.get_queryset().get(pk=certificate.pk)
        data = s.CertificateSerializer(certificate, context={"request": self.request}).data
        return Response(data, status=code)

    @extend_schema(
        request=s.IssueRequestSerializer,
        responses={
            201: OpenApiResponse(s.CertificateSerializer, description=_("Issued.")),
            200: OpenApiResponse(
                s.CertificateSerializer, description=_("Already issued: the live one.")
            ),
        },
    )
    def create(self, request):
        """Issue the certificate of a registration or enrolment; issuing again returns it.

        Trainers issue to the completed people of their workshops; staff also to someone not
        completed, with a reason.
        """
        user = request.user
        if not user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        payload = s.IssueRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        source = {}
        if "registration" in data:
            registration = (
                Registration.objects.filter(
                    public_id=data["registration"], workshop__in=workshops_for(user).values("pk")
                )
                .select_related("workshop__course", "person")
                .first()
            )
            if registration is None:
                raise ValidationError({"registration": [_("No registration has this id.")]})
            source["registration"] = registration
        else:
            enrolment = (
                Enrolment.objects.filter(pk=data["enrolment"]).first()
                if user.has_perm(STAFF_PERMISSION)
                else None
            )
            if enrolment is None:
                raise ValidationError({"enrolment": [_("No enrolment has this id.")]})
            source["enrolment"] = enrolment
        try:
            outcome = certificate_issue(
                **source, actor=user, reason=data["reason"], language=data.get("language")
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        return self._detail(
            outcome.certificate,
            status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The certificate's PDF.")
            )
        }
    )
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request, identifier=None):
        """The PDF: for staff, the trainers of the workshop, and the holder while it is valid."""
        certificate = self.get_object()
        own = certificate.person.user_id == request.user.pk
        if (
            own
            and certificate.status != Certificate.Status.VALID
            and not certificates_for(request.user, own=False).filter(pk=certificate.pk).exists()
        ):
            raise Http404
        return pdf_response(certificate_pdf_bytes(certificate), pdf_filename(certificate))

    def _change(self, request, change) -> Response:
        certificate = self._manageable()
        payload = s.StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            result = change(certificate, payload.validated_data)
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return self._detail(result)

    @staticmethod
    def _category(data) -> str:
        if not data.get("category"):
            raise ValidationError({"category": [_("Choose the reason category.")]})
        return data["category"]

    @extend_schema(request=s.StatusChangeSerializer, responses=s.CertificateSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, identifier=None):
        """Suspend a valid certificate (verifiers are told it is suspended)."""
        return self._change(
            request,
            lambda c, d: certificate_suspend(
                c, actor=request.user, note=d["reason"], category=self._category(d)
            ),
        )

    @extend_schema(request=s.StatusChangeSerializer, responses=s.CertificateSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, identifier=None):
        """Revoke a valid or suspended certificate; final."""
        return self._change(
            request,
            lambda c, d: certificate_revoke(
                c, actor=request.user, note=d["reason"], category=self._category(d)
            ),
        )

    @extend_schema(request=s.StatusChangeSerializer, responses=s.CertificateSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, identifier=None):
        """Make a suspended certificate valid again."""
        return self._change(
            request, lambda c, d: certificate_reinstate(c, actor=request.user, note=d["reason"])
        )

    @extend_schema(
        request=s.StatusChangeSerializer,
        responses=OpenApiResponse(s.CertificateSerializer, description=_("The new certificate.")),
    )
    @action(detail=True, methods=["post"])
    def reissue(self, request, identifier=None):
        """Issue a new certificate from today's records; a live old one is marked replaced."""
        return self._change(
            request, lambda c, d: certificate_reissue(c, actor=request.user, note=d["reason"])
        )


class WorkshopIssueView(APIView):
    """Issue certificates to everyone who completed the workshop, as a background job."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.WorkshopIssueRequestSerializer,
        responses={
            202: OpenApiResponse(
                s.WorkshopIssueResponseSerializer,
                description=_("Started; follow the job at status_url."),
            )
        },
    )
    def post(self, request, code: str):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        workshop = get_object_or_404(workshops_for(request.user), code=code)
        payload = s.WorkshopIssueRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = issue_workshop_start(
            workshop=workshop, user=request.user, language=payload.validated_data.get("language")
        )
        return Response(
            {
                "job": JobSerializer(job).data,
                "status_url": request.build_absolute_uri(reverse("job-detail", args=[job.pk])),
            },
            status=status.HTTP_202_ACCEPTED,
        )
