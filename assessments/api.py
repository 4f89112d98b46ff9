"""API for workshop test scores: GET a workshop's scores, decisions and knowledge gain; PUT scores
in bulk (all or nothing, idempotent). Trainers reach only the workshops they train."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.completion import reasons_text
from assessments.models import Kind, WorkshopScore
from assessments.scores import score_check, score_record
from assessments.selectors import workshop_knowledge_gain
from attendance.models import Registration, Workshop
from attendance.selectors import workshops_for
from lms.bulk import bulk_work


class ScoreInSerializer(serializers.Serializer):
    participant = serializers.UUIDField(help_text=_("Public id of the participant."))
    test = serializers.ChoiceField(choices=[Kind.PRE, Kind.POST])
    score = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal(0))
    max_score = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"))

    def validate(self, attrs):
        try:
            score_check(score=attrs["score"], max_score=attrs["max_score"])
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        return attrs


class ScoresWriteSerializer(serializers.Serializer):
    scores = ScoreInSerializer(many=True, allow_empty=False)


class TestScoreSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=7, decimal_places=2)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2)


class CompletionOutSerializer(serializers.Serializer):
    status = serializers.CharField()
    why = serializers.CharField()
    attendance_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    post_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    completed_on = serializers.DateField(allow_null=True)


class ParticipantScoresSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    name = serializers.CharField()
    pre = TestScoreSerializer(allow_null=True)
    post = TestScoreSerializer(allow_null=True)
    completion = CompletionOutSerializer(allow_null=True)


class WorkshopScoresSerializer(serializers.Serializer):
    workshop = serializers.CharField()
    participants = ParticipantScoresSerializer(many=True)
    knowledge_gain = serializers.DictField(
        help_text=_(
            "Knowledge gain: n matched, attrition, means, share improved and mastered, Hake gain."
        )
    )


def _payload(workshop: Workshop) -> dict:
    scores = {
        (s.registration_id, s.kind): s
        for s in WorkshopScore.objects.filter(registration__workshop=workshop)
    }
    participants = []
    registrations = (
        workshop.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("person", "completion")
        .order_by("person__family_names", "person__given_names")
    )
    for registration in registrations:
        completion = getattr(registration, "completion", None)
        row = {
            "participant": registration.person.public_id,
            "name": registration.person.full_name,
            "completion": completion
            and {
                "status": completion.status,
                "why": reasons_text(completion.reasons),
                "attendance_percent": completion.attendance_percent,
                "post_percent": completion.post_percent,
                "completed_on": completion.completed_on,
            },
        }
        for kind in (Kind.PRE, Kind.POST):
            score = scores.get((registration.pk, kind))
            row[kind] = score and {
                "score": score.score,
                "max_score": score.max_score,
                "percent": score.percent,
            }
        participants.append(row)
    return {
        "workshop": workshop.code,
        "participants": participants,
        # Figures as strings, like every decimal of this API: exact, never a binary float.
        "knowledge_gain": {
            key: str(value) if isinstance(value, Decimal) else value
            for key, value in workshop_knowledge_gain(workshop).as_dict().items()
        },
    }


class WorkshopScoresView(APIView):
    """Paper pre-/post-test scores of a workshop, each person's completion, the knowledge gain."""

    queryset = WorkshopScore.objects.none()  # view_ to read, change_ to write

    def _workshop(self, request, code: str) -> Workshop:
        return get_object_or_404(workshops_for(request.user), code__iexact=code)

    @extend_schema(responses=WorkshopScoresSerializer)
    def get(self, request, code: str):
        return Response(WorkshopScoresSerializer(_payload(self._workshop(request, code))).data)

    @extend_schema(
        request=ScoresWriteSerializer,
        responses={
            200: WorkshopScoresSerializer,
            400: OpenApiResponse(description=_("A bad entry: nothing written.")),
        },
    )
    def put(self, request, code: str):
        """Record the listed scores; the same scores again change nothing."""
        workshop = self._workshop(request, code)
        payload = ScoresWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        entries = payload.validated_data["scores"]
        wanted = {e["participant"] for e in entries}
        registrations = {
            r.person.public_id: r
            for r in workshop.registrations.filter(person__public_id__in=wanted).select_related(
                "person"
            )
        }
        errors, seen = [], set()
        for index, entry in enumerate(entries):
            registration = registrations.get(entry["participant"])
            key = (entry["participant"], entry["test"])
            if registration is None:
                errors.append(
                    {"index": index, "participant": _("Not registered in this workshop.")}
                )
            elif registration.status != Registration.Status.CONFIRMED:
                errors.append({"index": index, "participant": _("Not confirmed in this workshop.")})
            elif key in seen:
                errors.append({"index": index, "test": _("Listed more than once.")})
            seen.add(key)
        if errors:
            raise ValidationError({"scores": errors})
        with transaction.atomic(), bulk_work():
            for entry in entries:
                score_record(
                    registration=registrations[entry["participant"]],
                    kind=entry["test"],
                    score=entry["score"],
                    max_score=entry["max_score"],
                    method=WorkshopScore.Method.API,
                    recorded_by=request.user,
                )
        return Response(WorkshopScoresSerializer(_payload(workshop)).data)
