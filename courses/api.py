"""API for courses: the published catalogue, my enrolments and progress, staff enrolment."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale

from courses.models import CoursePage, Enrolment
from courses.selectors import course_modules, enrolment_progress, localized, resume_lesson
from courses.services import enrol
from lms.api.fields import LOOKUP_ANY, query_text
from lms.models import Person


class LessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    estimated_minutes = serializers.IntegerField()
    url = serializers.CharField()


class ModuleSerializer(serializers.Serializer):
    title = serializers.CharField()
    lessons = LessonSerializer(many=True)


class CourseSerializer(serializers.ModelSerializer):
    language = serializers.CharField(read_only=True)
    audience = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    objectives = serializers.SerializerMethodField()
    modules = serializers.SerializerMethodField()
    url = serializers.CharField(read_only=True)

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "code",
            "title",
            "language",
            "summary",
            "objectives",
            "audience",
            "contact_hours",
            "modality",
            "sensitisation_only",
            "gender_equality_hours",
            "min_attendance_percent",
            "pass_mark_percent",
            "mastery_percent",
            "require_all_lessons",
            "url",
            "modules",
        ]

    def get_objectives(self, course) -> list[str]:
        return [block.value for block in course.objectives]

    def get_modules(self, course) -> list[dict]:
        return [
            {"title": module.title, "lessons": [_lesson(lesson) for lesson in lessons]}
            for module, lessons in course_modules(course)
        ]


def _lesson(lesson) -> dict:
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "slug": lesson.slug,
        "estimated_minutes": lesson.estimated_minutes,
        "url": lesson.url,
    }


LANG = OpenApiParameter(
    "lang", str, enum=["es", "en"], description=_("Content language (default: es).")
)


class CourseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published courses with their modules and lessons, in one language."""

    serializer_class = CourseSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = LOOKUP_ANY
    queryset = CoursePage.objects.none()

    def get_queryset(self):
        code = query_text(self.request, "lang", "es")
        locale = Locale.objects.filter(language_code=code).first() or Locale.get_default()
        return (
            CoursePage.objects.live()
            .filter(locale=locale)
            .prefetch_related("audience")
            .order_by("path")
        )

    @extend_schema(parameters=[LANG])
    def list(self, request, *args, **kwargs):
        with translation.override(query_text(request, "lang", "es")):
            return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[LANG])
    def retrieve(self, request, *args, **kwargs):
        with translation.override(query_text(request, "lang", "es")):
            return super().retrieve(request, *args, **kwargs)


class EnrolmentSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code")
    course_title = serializers.CharField(source="course.title")
    participant = serializers.UUIDField(source="person.public_id")
    lessons_done = serializers.SerializerMethodField()
    lessons_total = serializers.SerializerMethodField()
    percent = serializers.SerializerMethodField()
    resume_url = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "participant",
            "course",
            "course_title",
            "source",
            "enrolled_at",
            "last_activity_at",
            "lessons_completed_at",
            "lessons_done",
            "lessons_total",
            "percent",
            "resume_url",
        ]

    def _progress(self, enrolment):
        cache = self.context.setdefault("_progress", {})
        if enrolment.pk not in cache:
            cache[enrolment.pk] = enrolment_progress(enrolment)
        return cache[enrolment.pk]

    def get_lessons_done(self, enrolment) -> int:
        return self._progress(enrolment).done

    def get_lessons_total(self, enrolment) -> int:
        return self._progress(enrolment).total

    def get_percent(self, enrolment) -> int:
        return self._progress(enrolment).percent

    def get_resume_url(self, enrolment) -> str | None:
        lesson = resume_lesson(enrolment)
        return localized(lesson).url if lesson else None


class CourseCodeSerializer(serializers.Serializer):
    course = serializers.CharField(help_text=_("Course code, e.g. ETI-101."))


class BulkEnrolSerializer(serializers.Serializer):
    course = serializers.CharField()
    participants = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=5000
    )


def _course_by_code(code: str) -> CoursePage:
    course = CoursePage.objects.live().filter(code=code, locale=Locale.get_default()).first()
    if course is None:
        raise ValidationError({"course": [_("No published course has this code.")]})
    return course


class MyEnrolmentsView(APIView):
    """The logged-in participant's enrolments with progress; POST enrols them in a course."""

    permission_classes = [IsAuthenticated]

    def _person(self, request) -> Person:
        person = getattr(request.user, "person", None)
        if person is None:
            raise ValidationError(
                {"detail": [_("Your login is not linked to a participant record.")]}
            )
        return person

    @extend_schema(responses=EnrolmentSerializer(many=True))
    def get(self, request):
        person = getattr(request.user, "person", None)
        enrolments = (
            Enrolment.objects.filter(person=person).select_related("course", "person")
            if person
            else []
        )
        return Response(EnrolmentSerializer(enrolments, many=True).data)

    @extend_schema(request=CourseCodeSerializer, responses={201: EnrolmentSerializer})
    def post(self, request):
        payload = CourseCodeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrolment = enrol(
                person=self._person(request),
                course=_course_by_code(payload.validated_data["course"]),
                source=Enrolment.Source.API,
                enrolled_by=request.user,
            )
        except DjangoValidationError as exc:
            raise ValidationError({"course": exc.messages}) from exc
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff: every enrolment (filter by course code); POST bulk/ enrols many people at once."""

    serializer_class = EnrolmentSerializer
    queryset = Enrolment.objects.select_related("course", "person").order_by("-enrolled_at")
    filterset_fields = {"course__code": ["exact"], "source": ["exact"]}

    @extend_schema(request=BulkEnrolSerializer, responses={200: EnrolmentSerializer(many=True)})
    def create(self, request):
        """Enrol the listed participants (public ids) in a course; existing enrolments are kept."""
        if not request.user.has_perm("courses.add_enrolment"):
            self.permission_denied(request)
        payload = BulkEnrolSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        course = _course_by_code(payload.validated_data["course"])
        wanted = set(payload.validated_data["participants"])
        people = {p.public_id: p for p in Person.objects.filter(public_id__in=wanted)}
        missing = sorted(str(pid) for pid in wanted - people.keys())
        if missing:
            raise ValidationError(
                {"participants": [_("Unknown participants: %(ids)s") % {"ids": ", ".join(missing)}]}
            )
        enrolments = [
            enrol(
                person=person, course=course, source=Enrolment.Source.API, enrolled_by=request.user
            )
            for person in people.values()
        ]
        return Response(EnrolmentSerializer(enrolments, many=True).data)
