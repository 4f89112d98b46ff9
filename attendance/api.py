"""API for workshops: staff plan workshops and their sessions, staff and trainers register people
and take attendance. Trainers reach only the workshops they train (attendance.selectors)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale

from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Session, Workshop
from attendance.selectors import STAFF_PERMISSION, marks_offered, session_roster, workshops_for
from attendance.services import (
    attendance_bulk,
    register,
    workshop_planning_check,
    workshop_trainers_check,
)
from courses.models import CoursePage
from lms.api.fields import LOOKUP_ANY, LOOKUP_SLUG, SlugRelatedField
from lms.models import Person, Region, User


def _api_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return ValidationError({"non_field_errors": exc.messages})


def _require(request, *perms: str) -> None:
    if not all(request.user.has_perm(p) for p in perms):
        raise PermissionDenied


# --- Workshops and sessions -----------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "number", "starts_at", "ends_at"]
        read_only_fields = ["id"]

    def validate(self, attrs):
        if attrs["starts_at"] >= attrs["ends_at"]:
            raise ValidationError({"ends_at": [_("A session must end after it starts.")]})
        return attrs


class CourseCodeField(SlugRelatedField):
    """A course by its code, in the default (Spanish) language tree."""

    def get_queryset(self):
        return CoursePage.objects.filter(locale=Locale.get_default())


class WorkshopCountsSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()


class WorkshopSerializer(serializers.ModelSerializer):
    course = CourseCodeField(slug_field="code", help_text=_("Course code, e.g. ETI-101."))
    region = SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        help_text=_("INEI code of the department, province or district."),
    )
    trainers = SlugRelatedField(
        slug_field="email",
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True),
        help_text=_("Email addresses of the trainers' logins."),
    )
    sessions = SessionSerializer(many=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = [
            "code",
            "title",
            "course",
            "modality",
            "region",
            "venue",
            "meeting_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "status",
            "trainers",
            "sessions",
            "counts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(WorkshopCountsSerializer)
    def get_counts(self, workshop) -> dict:
        if hasattr(workshop, "confirmed_count"):
            return {"confirmed": workshop.confirmed_count, "waitlisted": workshop.waitlisted_count}
        statuses = workshop.registrations.values_list("status", flat=True)
        return {
            "confirmed": sum(1 for s in statuses if s == Registration.Status.CONFIRMED),
            "waitlisted": sum(1 for s in statuses if s == Registration.Status.WAITLISTED),
        }

    def validate(self, attrs):
        # A trainer reaches only the workshops they train: one they create names them when the
        # trainers are left out, and they cannot take themselves off one.
        user = self.context["request"].user
        if self.instance is not None:
            try:
                workshop_planning_check(
                    user=user,
                    workshop=self.instance,
                    status=attrs.get("status"),
                    sessions_change="sessions" in attrs,
                )
            except DjangoValidationError as exc:
                raise _api_error(exc) from exc
        trainers = attrs.get("trainers")
        if trainers is None and self.instance is None and not user.has_perm(STAFF_PERMISSION):
            attrs["trainers"] = [user]
        elif trainers is not None:
            try:
                workshop_trainers_check(user=user, trainers=trainers)
            except DjangoValidationError as exc:
                raise _api_error(exc) from exc
        return attrs

    def validate_sessions(self, sessions):
        numbers = [s["number"] for s in sessions]
        if len(numbers) != len(set(numbers)):
            raise ValidationError(_("Each session needs its own number."))
        return sessions

    def create(self, validated_data):
        return _workshop_save(workshop=Workshop(), data=validated_data)

    def update(self, instance, validated_data):
        return _workshop_save(workshop=instance, data=validated_data)


@transaction.atomic
def _workshop_save(*, workshop: Workshop, data: dict) -> Workshop:
    """Write the workshop and, when given, make its sessions exactly the listed ones (by number)."""
    sessions = data.pop("sessions", None)
    trainers = data.pop("trainers", None)
    for field, value in data.items():
        setattr(workshop, field, value)
    try:
        workshop.full_clean()
        workshop.save()
        if trainers is not None:
            workshop.trainers.set(trainers)
        if sessions is not None:
            _sessions_replace(workshop=workshop, sessions=sessions)
    except DjangoValidationError as exc:
        raise _api_error(exc) from exc
    return workshop


def _sessions_replace(*, workshop: Workshop, sessions: list[dict]) -> None:
    existing = {s.number: s for s in workshop.sessions.all()}
    wanted = {s["number"] for s in sessions}
    dropped = [s for n, s in existing.items() if n not in wanted]
    if any(s.attendance.exists() for s in dropped):
        raise ValidationError(
            {"sessions": [_("A session with attendance already recorded cannot be removed.")]}
        )
    for session in dropped:
        session.delete()
    for data in sessions:
        session = existing.get(data["number"]) or Session(workshop=workshop)
        for field, value in data.items():
            setattr(session, field, value)
        session.full_clean()
        session.save()


class RegistrationSerializer(serializers.ModelSerializer):
    participant = serializers.UUIDField(source="person.public_id", read_only=True)
    participant_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "public_id",
            "participant",
            "participant_name",
            "status",
            "source",
            "code",
            "waitlisted_at",
            "created_at",
        ]
        read_only_fields = fields


class RegistrationRequestSerializer(serializers.Serializer):
    participant = serializers.UUIDField(help_text=_("Public id of the participant."))


class WorkshopViewSet(viewsets.ModelViewSet):
    """Workshops with their sessions. Staff see and edit all; trainers create workshops and
    edit the ones they train."""

    serializer_class = WorkshopSerializer
    lookup_field = "code"
    lookup_value_regex = LOOKUP_ANY
    queryset = Workshop.objects.none()  # for the schema and the permission class
    filterset_fields = {"status": ["exact"], "course__code": ["exact"], "region__code": ["exact"]}
    search_fields = ["code", "title"]
    ordering_fields = ["code", "created_at"]

    def get_queryset(self):
        return (
            workshops_for(self.request.user)
            .select_related("course", "region")
            .prefetch_related(
                Prefetch("sessions", queryset=Session.objects.order_by("number")),
                "trainers",
            )
            .annotate(
                confirmed_count=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.CONFIRMED),
                    distinct=True,
                ),
                waitlisted_count=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.WAITLISTED),
                    distinct=True,
                ),
            )
            .order_by("-created_at")
        )

    @extend_schema(
        request=RegistrationRequestSerializer,
        responses={
            200: RegistrationSerializer(many=True),
            201: OpenApiResponse(
                RegistrationSerializer,
                description=_("Registered: confirmed, pending approval, or waitlisted."),
            ),
        },
    )
    # Not paginated: a workshop's registrations come back as one list (the schema says so too).
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsAuthenticated],
        pagination_class=None,
    )
    def registrations(self, request, code=None):
        """The workshop's registrations; POST registers a participant (a seat or the waitlist)."""
        if request.method == "GET":
            _require(request, "attendance.view_registration")
            workshop = self.get_object()
            registrations = workshop.registrations.select_related("person").order_by(
                "created_at", "pk"
            )
            return Response(RegistrationSerializer(registrations, many=True).data)
        _require(request, "attendance.add_registration")
        workshop = self.get_object()
        payload = RegistrationRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        person = Person.objects.filter(public_id=payload.validated_data["participant"]).first()
        if person is None:
            raise ValidationError({"participant": [_("No participant has this id.")]})
        try:
            registration = register(
                workshop=workshop,
                person=person,
                source=Registration.Source.STAFF,
                registered_by=request.user,
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


# --- Attendance -----------------------------------------------------------------------------


class MarkSerializer(serializers.Serializer):
    participant = serializers.UUIDField(help_text=_("Public id of the participant."))
    status = serializers.CharField(
        help_text=_("Code of an offered attendance mark (see /api/v1/attendance-marks/).")
    )

    def validate_status(self, value):
        offered = [s.code for s in marks_offered()]
        if value not in offered:
            raise ValidationError(
                _("Unknown attendance mark “%(s)s”; offered: %(codes)s.")
                % {"s": value, "codes": ", ".join(offered)}
            )
        return value


class AttendanceWriteSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, allow_empty=False)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Required to correct attendance once the workshop is closed (staff only)."),
    )

    def validate_marks(self, marks):
        seen, repeated = set(), []
        for mark in marks:
            if mark["participant"] in seen:
                repeated.append(str(mark["participant"]))
            seen.add(mark["participant"])
        if repeated:
            raise ValidationError(
                _("Listed more than once: %(ids)s") % {"ids": ", ".join(sorted(set(repeated)))}
            )
        return marks


class MarkOutSerializer(serializers.Serializer):
    participant = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField(help_text=_("Code of the mark; empty if unmarked."))


class SessionAttendanceSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    workshop = serializers.CharField(help_text=_("Workshop code."))
    number = serializers.IntegerField()
    locked = serializers.BooleanField(
        help_text=_("Workshop closed: changes need program staff and a reason.")
    )
    marks = MarkOutSerializer(many=True)


def _attendance_payload(session: Session) -> dict:
    return {
        "session": session.pk,
        "workshop": session.workshop.code,
        "number": session.number,
        "locked": session.workshop.attendance_locked,
        "marks": [
            {
                "participant": row.person.public_id,
                "name": row.person.full_name,
                "status": row.status,
            }
            for row in session_roster(session)
        ],
    }


class SessionAttendanceView(APIView):
    """A session's roster (confirmed registrants) with their marks; PUT records marks in bulk."""

    queryset = AttendanceRecord.objects.none()  # reads need view_, writes change_attendancerecord

    def _session(self, request, session_id: int) -> Session:
        return get_object_or_404(
            Session.objects.select_related("workshop"),
            pk=session_id,
            workshop__in=workshops_for(request.user),
        )

    @extend_schema(responses=SessionAttendanceSerializer)
    def get(self, request, session_id: int):
        return Response(_attendance_payload(self._session(request, session_id)))

    @extend_schema(
        request=AttendanceWriteSerializer,
        responses={
            200: SessionAttendanceSerializer,
            400: OpenApiResponse(
                description=_("Unknown or unconfirmed participants: nothing written.")
            ),
            403: OpenApiResponse(description=_("Closed workshop: staff only, with a reason.")),
        },
    )
    def put(self, request, session_id: int):
        """Set the listed marks. The same marks again change nothing (no new corrections)."""
        session = self._session(request, session_id)
        payload = AttendanceWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marks = payload.validated_data["marks"]
        wanted = [m["participant"] for m in marks]
        people = {p.public_id: p for p in Person.objects.filter(public_id__in=wanted)}
        confirmed = set(
            Registration.objects.filter(
                workshop_id=session.workshop_id,
                status=Registration.Status.CONFIRMED,
                person__public_id__in=wanted,
            ).values_list("person__public_id", flat=True)
        )
        unknown = [str(pid) for pid in wanted if pid not in people]
        unconfirmed = [str(pid) for pid in wanted if pid in people and pid not in confirmed]
        errors = []
        if unknown:
            errors.append(_("Unknown participants: %(ids)s") % {"ids": ", ".join(unknown)})
        if unconfirmed:
            errors.append(
                _("Not confirmed in this workshop: %(ids)s") % {"ids": ", ".join(unconfirmed)}
            )
        if errors:
            raise ValidationError({"marks": errors})
        try:
            attendance_bulk(
                session=session,
                marks={people[m["participant"]]: m["status"] for m in marks},
                method=AttendanceRecord.Method.API,
                recorded_by=request.user,
                reason=payload.validated_data.get("reason", ""),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc
        return Response(_attendance_payload(session))


class AttendanceMarkSerializer(serializers.ModelSerializer):
    label = serializers.CharField(help_text=_("Name in the request's language."))

    class Meta:
        model = AttendanceStatus
        fields = ["code", "label", "name", "name_en", "counts_as", "active"]


class TakesAttendance(BasePermission):
    """Those who read attendance (trainers, staff); not every login (participants, donors)."""

    def has_permission(self, request, view):
        return request.user.has_perm("attendance.view_attendancerecord")


class AttendanceMarkViewSet(viewsets.ReadOnlyModelViewSet):
    """The attendance marks the program uses, in roster order, and what each counts as."""

    queryset = AttendanceStatus.objects.all()
    serializer_class = AttendanceMarkSerializer
    lookup_field = "code"
    lookup_value_regex = LOOKUP_SLUG
    pagination_class = None
    permission_classes = [TakesAttendance]
