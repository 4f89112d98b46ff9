"""Donor reports in the API: the participation report as JSON (``Report.as_dict()``) and the
indicator catalogue. Donors hold ``reports.view_donor_report`` and see aggregates only, small
cells suppressed; the unsuppressed staff view needs ``reports.view_staff_report``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.models import Dimension, Indicator, IndicatorTarget
from reports.services import AUDIENCES, DONOR, STAFF, participation_report

VIEW_DONOR = "reports.view_donor_report"
VIEW_STAFF = "reports.view_staff_report"


class CanViewDonorReport(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm(VIEW_DONOR))


def _api_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


class ReportQuerySerializer(serializers.Serializer):
    fy = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4, required=False)
    by = serializers.CharField(required=False, allow_blank=True, max_length=200)
    audience = serializers.ChoiceField(choices=AUDIENCES, required=False, default=DONOR)
    k = serializers.IntegerField(min_value=2, max_value=100, required=False)


ERROR_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy(
        "Bad parameters: an object keyed by parameter (fy, quarter, by, audience, k), each "
        "with a list of messages."
    ),
)


class ParticipationReportView(APIView):
    """The donor participation report of a fiscal year or quarter."""

    permission_classes = [CanViewDonorReport]

    @extend_schema(
        operation_id="reports_participation",
        summary=gettext_lazy("Participation report (Indicator Tracking Table and breakdowns)"),
        parameters=[
            OpenApiParameter(
                "fy",
                int,
                required=True,
                description=gettext_lazy("US Government fiscal year, e.g. 2026 (Oct–Sep)."),
            ),
            OpenApiParameter(
                "quarter",
                int,
                enum=[1, 2, 3, 4],
                description=gettext_lazy("Fiscal quarter (1 = Oct–Dec); the whole year if empty."),
            ),
            OpenApiParameter(
                "by",
                str,
                description=gettext_lazy(
                    "Comma-separated breakdowns to cross, at most three, e.g. sex,institution. "
                    "Choices: %(choices)s."
                )
                % {"choices": ", ".join(Dimension.values)},
            ),
            OpenApiParameter(
                "audience",
                str,
                enum=list(AUDIENCES),
                description=gettext_lazy(
                    "donor (default): small cells suppressed; staff: unsuppressed, needs "
                    "reports.view_staff_report."
                ),
            ),
            OpenApiParameter(
                "k",
                int,
                description=gettext_lazy(
                    "Smallest count shown to a donor (default 10); donor audience only."
                ),
            ),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=gettext_lazy(
                    "The report: parameters, generated_at, audit_head, indicators (each with "
                    "periods and breakdowns; suppressed cells have value and n null and "
                    "suppressed true), knowledge_gain and footnotes."
                ),
            ),
            400: ERROR_RESPONSE,
        },
    )
    def get(self, request):
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        audience = params.get("audience", DONOR)
        if audience == STAFF and not request.user.has_perm(VIEW_STAFF):
            raise PermissionDenied(_("The unsuppressed staff report is for program staff."))
        by = [part.strip() for part in (params.get("by") or "").split(",") if part.strip()]
        try:
            report = participation_report(
                fy=params["fy"],
                quarter=params.get("quarter"),
                by=by,
                audience=audience,
                k=params.get("k"),
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(report.as_dict())


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorTarget
        fields = ["fiscal_year", "quarter", "value"]


class IndicatorSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    courses = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    positions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    institutions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    modalities = serializers.ListField(child=serializers.CharField(), read_only=True)
    disaggregations = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "version",
            "name",
            "name_en",
            "definition",
            "definition_en",
            "level",
            "unit",
            "measure",
            "courses",
            "min_gender_hours",
            "modalities",
            "positions",
            "institutions",
            "disaggregations",
            "baseline",
            "baseline_note",
            "active",
            "sort_order",
            "targets",
        ]
        read_only_fields = fields


class IndicatorListView(generics.ListAPIView):
    """The indicator catalogue: codes, definitions, filters, baselines and targets."""

    permission_classes = [CanViewDonorReport]
    serializer_class = IndicatorSerializer
    filter_backends = []
    queryset = Indicator.objects.prefetch_related("targets", "courses", "positions", "institutions")

    @extend_schema(operation_id="reports_indicators_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
