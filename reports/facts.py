"""Participation facts: the compact, de-duplicated form of attendance, online activity and
completions that donor reports count from (see reports.models.Fact).

- **reach**: one row per (workshop, person, month) in which the person had at least one session
  marked as attended (a mark that counts as attended: present, late...), and one per (online
  enrolment, month) with a lesson completed or a test submitted. "Reached" counts by the date of
  each attendance, so a workshop across 30 September / 1 October reaches people in both years.
- **outcome**: one row per final completion decision (completed or not completed), in the month
  of completion (the workshop's last session, or the online completion date), with the pre- and
  post-test percentages used for knowledge gain.

Months are local (``TIME_ZONE``, America/Lima): a session at 20:00 on 30 September in Lima is in
September, though it is already 1 October in UTC.

Facts follow their sources in the same transaction (reports.signals call the ``refresh_*``
functions; inside ``facts_deferred()`` they are queued and refreshed once at the end of the bulk
work). ``facts_rebuild()`` recomputes all of them set-wise in the database, and ``facts_check()``
compares what is stored with a rebuild.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import ExpressionWrapper, F, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from assessments.completion import completions_flush
from assessments.models import Attempt, Completion, Kind, WorkshopScore
from attendance.models import AttendanceRecord, AttendanceStatus, Registration, Session, Workshop
from courses.models import Enrolment, LessonProgress
from reports.models import Fact
from reports.periods import month_ordinal

ATTENDED = AttendanceStatus.CountsAs.ATTENDED
FINAL = (Completion.Status.COMPLETED, Completion.Status.NOT_COMPLETED)

_batch = threading.local()


def _local_month(moment) -> int:
    return month_ordinal(timezone.localtime(moment).date())


# --- Incremental refresh ----------------------------------------------------------------------


def refresh_workshop_reach(workshop_id: int, person_ids: Iterable[int] | None = None) -> None:
    """Recompute the reach facts of these people (all, when None) in one workshop."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        if person_ids is None:
            pending["workshops"].add(workshop_id)
        else:
            pending["workshop_people"].update((workshop_id, p) for p in person_ids)
        return
    _refresh_workshop_reach(workshop_id, None if person_ids is None else set(person_ids))


def _refresh_workshop_reach(workshop_id: int, person_ids: set[int] | None) -> None:
    course_id = Workshop.objects.filter(pk=workshop_id).values_list("course_id", flat=True).first()
    existing = Fact.objects.filter(kind=Fact.Kind.REACH, workshop_id=workshop_id)
    records = AttendanceRecord.objects.filter(
        session__workshop_id=workshop_id, status__counts_as=ATTENDED
    )
    if person_ids is not None:
        existing = existing.filter(person_id__in=person_ids)
        records = records.filter(person_id__in=person_ids)
    wanted = set()
    if course_id is not None:
        for person_id, starts_at in records.values_list("person_id", "session__starts_at"):
            wanted.add((person_id, _local_month(starts_at)))
    rows = {
        (person_id, month): pk
        for pk, person_id, month in existing.values_list("pk", "person_id", "month")
    }
    have = set(rows)
    if have - wanted:
        Fact.objects.filter(pk__in=[rows[key] for key in have - wanted]).delete()
    Fact.objects.bulk_create(
        Fact(
            kind=Fact.Kind.REACH,
            person_id=person_id,
            course_id=course_id,
            workshop_id=workshop_id,
            month=month,
        )
        for person_id, month in sorted(wanted - have)
    )
    if course_id is not None and have & wanted:
        # The workshop may have moved to another course.
        existing.exclude(course_id=course_id).update(course_id=course_id)


def refresh_enrolment_reach(enrolment_id: int) -> None:
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending["enrolments"].add(enrolment_id)
        return
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    Fact.objects.filter(kind=Fact.Kind.REACH, enrolment_id=enrolment_id).delete()
    if enrolment is None:
        return
    moments = list(
        LessonProgress.objects.filter(enrolment=enrolment).values_list("completed_at", flat=True)
    )
    moments += list(
        Attempt.objects.filter(
            person_id=enrolment.person_id,
            assessment__course_id=enrolment.course_id,
            status=Attempt.Status.SUBMITTED,
        ).values_list("submitted_at", flat=True)
    )
    months = {_local_month(m) for m in moments if m is not None}
    Fact.objects.bulk_create(
        Fact(
            kind=Fact.Kind.REACH,
            person_id=enrolment.person_id,
            course_id=enrolment.course_id,
            enrolment_id=enrolment.pk,
            month=month,
        )
        for month in sorted(months)
    )


def _paper_percent(score, max_score):
    """As WorkshopScore.percent computes it."""
    if score is None or not max_score:
        return None
    return WorkshopScore(score=score, max_score=max_score).percent


def _score_pair_registration(registration: Registration) -> tuple:
    """Paper scores of the workshop first; an online pre-/post-test of the course otherwise."""
    pair = [None, None]
    for score in WorkshopScore.objects.filter(registration=registration):
        pair[0 if score.kind == Kind.PRE else 1] = score.percent
    if None in pair:
        online = _score_pair_online(registration.person_id, registration.workshop.course_id)
        pair = [online[i] if pair[i] is None else pair[i] for i in (0, 1)]
    return tuple(pair)


def _score_pair_online(person_id: int, course_id: int) -> tuple:
    """The first submitted attempt of the course's pre-test and of its post-test (retakes of the
    post-test do not inflate the gain), as assessments.selectors reads them."""
    pair = [None, None]
    attempts = (
        Attempt.objects.filter(
            person_id=person_id,
            assessment__course_id=course_id,
            assessment__kind__in=[Kind.PRE, Kind.POST],
            status=Attempt.Status.SUBMITTED,
        )
        .order_by("submitted_at", "pk")
        .values_list("assessment__kind", "percent")
    )
    for kind, percent in attempts:
        index = 0 if kind == Kind.PRE else 1
        if pair[index] is None:
            pair[index] = percent
    return tuple(pair)


def _outcome_month(completion: Completion) -> int | None:
    if completion.completed_on:
        return month_ordinal(completion.completed_on)
    if completion.registration_id:
        last = Session.objects.filter(workshop_id=completion.registration.workshop_id).aggregate(
            last=Max("starts_at")
        )["last"]
        if last:
            return _local_month(last)
    return _local_month(completion.computed_at or timezone.now())


def refresh_outcome(completion_id: int) -> None:
    """Recompute the outcome fact of one completion decision (none while it is in progress)."""
    pending = getattr(_batch, "pending", None)
    if pending is not None:
        pending["outcomes"].add(completion_id)
        return
    _refresh_outcome(completion_id)


def _refresh_outcome(completion_id: int) -> None:
    completion = (
        Completion.objects.select_related("registration__workshop", "enrolment")
        .filter(pk=completion_id)
        .first()
    )
    if completion is None:
        return
    source = (
        {"workshop_id": completion.registration.workshop_id, "person_id": completion.person_id}
        if completion.registration_id
        else {"enrolment_id": completion.enrolment_id, "person_id": completion.person_id}
    )
    Fact.objects.filter(kind=Fact.Kind.OUTCOME, **source).delete()
    if completion.status not in FINAL:
        return
    if completion.registration_id:
        pre, post = _score_pair_registration(completion.registration)
    else:
        pre, post = _score_pair_online(completion.person_id, completion.course_id)
    Fact.objects.create(
        kind=Fact.Kind.OUTCOME,
        course_id=completion.course_id,
        month=_outcome_month(completion),
        completed=completion.status == Completion.Status.COMPLETED,
        pre_percent=pre,
        post_percent=post,
        **source,
    )


def forget_outcome(*, workshop_id=None, person_id=None, enrolment_id=None) -> None:
    if enrolment_id:
        Fact.objects.filter(kind=Fact.Kind.OUTCOME, enrolment_id=enrolment_id).delete()
    else:
        Fact.objects.filter(
            kind=Fact.Kind.OUTCOME, workshop_id=workshop_id, person_id=person_id
        ).delete()


def refresh_person(person_id: int) -> None:
    """Recompute every fact of one person (after a merge moved records to them in bulk)."""
    workshops = set(
        AttendanceRecord.objects.filter(person_id=person_id)
        .values_list("session__workshop_id", flat=True)
        .distinct()
    )
    workshops |= set(
        Fact.objects.filter(person_id=person_id, workshop__isnull=False).values_list(
            "workshop_id", flat=True
        )
    )
    for workshop_id in sorted(workshops):
        _refresh_workshop_reach(workshop_id, {person_id})
    Fact.objects.filter(person_id=person_id, enrolment__isnull=False).exclude(
        enrolment__person_id=person_id
    ).delete()
    for enrolment_id in Enrolment.objects.filter(person_id=person_id).values_list("pk", flat=True):
        refresh_enrolment_reach(enrolment_id)
    Fact.objects.filter(person_id=person_id, kind=Fact.Kind.OUTCOME).delete()
    for completion_id in Completion.objects.filter(person_id=person_id).values_list(
        "pk", flat=True
    ):
        refresh_outcome(completion_id)


@contextmanager
def facts_deferred():
    """Queue reach refreshes during bulk work and run them once at the end (lms.bulk)."""
    if getattr(_batch, "pending", None) is not None:
        yield
        return
    _batch.pending = {
        "workshops": set(),
        "workshop_people": set(),
        "enrolments": set(),
        "outcomes": set(),
    }
    try:
        yield
        # Decisions queued by the completion engine's own bulk context are taken first, so their
        # outcome facts are queued here too (and each is computed once).
        completions_flush()
        pending = _batch.pending
    finally:
        _batch.pending = None
    for workshop_id in pending["workshops"]:
        _refresh_workshop_reach(workshop_id, None)
    by_workshop: dict[int, set[int]] = {}
    for workshop_id, person_id in pending["workshop_people"]:
        if workshop_id not in pending["workshops"]:
            by_workshop.setdefault(workshop_id, set()).add(person_id)
    for workshop_id, people in by_workshop.items():
        _refresh_workshop_reach(workshop_id, people)
    for enrolment_id in pending["enrolments"]:
        refresh_enrolment_reach(enrolment_id)
    for completion_id in sorted(pending["outcomes"]):
        _refresh_outcome(completion_id)


# --- Set-wise rebuild -------------------------------------------------------------------------


def _month_expression(field: str):
    """year * 12 + month - 1 of a datetime field, in the local time zone, in the database."""
    return ExpressionWrapper(
        ExtractYear(field) * Value(12) + ExtractMonth(field) - Value(1),
        output_field=IntegerField(),
    )


def _insert_select(queryset, columns: dict[str, str]) -> int:
    """INSERT INTO facts (column, ...) SELECT alias, ... FROM (the queryset's SQL)."""
    sql, params = queryset.query.sql_with_params()
    table = Fact._meta.db_table
    quote = connection.ops.quote_name
    targets = ", ".join(quote(c) for c in columns)
    sources = ", ".join(quote(a) for a in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({targets}) SELECT {sources} FROM ({sql}) AS source",  # noqa: S608  (names quoted, values bound)
            params,
        )
        return cursor.rowcount


REACH_COLUMNS = {
    "kind": "f_kind",
    "person_id": "f_person",
    "course_id": "f_course",
    "workshop_id": "f_workshop",
    "month": "f_month",
    "completed": "f_completed",
}


def _workshop_reach_rows():
    """Distinct (person, course, workshop, local month) of attendance that counts as attended."""
    return (
        AttendanceRecord.objects.filter(status__counts_as=ATTENDED)
        .annotate(
            f_kind=Value(Fact.Kind.REACH.value, output_field=IntegerField()),
            f_person=F("person_id"),
            f_course=F("session__workshop__course_id"),
            f_workshop=F("session__workshop_id"),
            f_month=_month_expression("session__starts_at"),
            f_completed=Value(False),
        )
        .values(*REACH_COLUMNS.values())
        .distinct()
        .order_by()
    )


@transaction.atomic
def facts_rebuild() -> dict[str, int]:
    """Recompute every fact from its sources: workshop reach and outcomes set-wise in the
    database, online reach per enrolment. Returns the number of facts of each kind."""
    Fact.objects.all().delete()
    _insert_select(_workshop_reach_rows(), REACH_COLUMNS)
    enrolments = set(LessonProgress.objects.values_list("enrolment_id", flat=True).distinct())
    enrolments |= set(
        Enrolment.objects.filter(
            person__attempts__status=Attempt.Status.SUBMITTED,
            person__attempts__assessment__course=F("course"),
        ).values_list("pk", flat=True)
    )
    for enrolment_id in sorted(enrolments):
        refresh_enrolment_reach(enrolment_id)
    _rebuild_outcomes()
    return {
        "reach": Fact.objects.filter(kind=Fact.Kind.REACH).count(),
        "outcome": Fact.objects.filter(kind=Fact.Kind.OUTCOME).count(),
    }


def _rebuild_outcomes() -> None:
    paper = WorkshopScore.objects.filter(registration=OuterRef("registration"))
    online = Attempt.objects.filter(
        person=OuterRef("person"),
        assessment__course=OuterRef("course"),
        status=Attempt.Status.SUBMITTED,
    ).order_by("submitted_at", "pk")

    def paper_value(kind, field):
        return Subquery(paper.filter(kind=kind).values(field)[:1])

    def online_percent(kind):
        return Subquery(online.filter(assessment__kind=kind).values("percent")[:1])

    last_session = Subquery(
        Session.objects.filter(workshop=OuterRef("registration__workshop"))
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        Completion.objects.filter(status__in=FINAL)
        .annotate(
            f_last=last_session,
            f_pre_score=paper_value(Kind.PRE, "score"),
            f_pre_max=paper_value(Kind.PRE, "max_score"),
            f_post_score=paper_value(Kind.POST, "score"),
            f_post_max=paper_value(Kind.POST, "max_score"),
            f_pre_online=online_percent(Kind.PRE),
            f_post_online=online_percent(Kind.POST),
        )
        .values_list(
            "person_id",
            "course_id",
            "registration__workshop_id",
            "enrolment_id",
            "status",
            "completed_on",
            "f_last",
            "computed_at",
            "f_pre_score",
            "f_pre_max",
            "f_post_score",
            "f_post_max",
            "f_pre_online",
            "f_post_online",
        )
        .order_by()
    )
    # The heavy joins run in SQL; the month and the percentages are computed here exactly as the
    # incremental path computes them, so a rebuild and a refresh always agree.
    batch = []
    for row in rows.iterator(chunk_size=5000):
        (person, course, workshop, enrolment, status, completed_on, last, computed_at) = row[:8]
        pre_s, pre_m, post_s, post_m, pre_online, post_online = row[8:]
        if completed_on:
            month = month_ordinal(completed_on)
        elif workshop is not None and last is not None:
            month = _local_month(last)
        else:
            month = _local_month(computed_at)
        pre = _paper_percent(pre_s, pre_m) if workshop is not None else None
        post = _paper_percent(post_s, post_m) if workshop is not None else None
        batch.append(
            Fact(
                kind=Fact.Kind.OUTCOME,
                person_id=person,
                course_id=course,
                workshop_id=workshop,
                enrolment_id=None if workshop is not None else enrolment,
                month=month,
                completed=status == Completion.Status.COMPLETED,
                pre_percent=pre if pre is not None else pre_online,
                post_percent=post if post is not None else post_online,
            )
        )
        if len(batch) >= 5000:
            Fact.objects.bulk_create(batch)
            batch = []
    Fact.objects.bulk_create(batch)


def _snapshot() -> set[tuple]:
    return set(
        Fact.objects.values_list(
            "kind",
            "person_id",
            "course_id",
            "workshop_id",
            "enrolment_id",
            "month",
            "completed",
            "pre_percent",
            "post_percent",
        )
    )


def facts_check() -> tuple[int, int]:
    """(missing, extra): how the stored facts differ from a rebuild (rolled back)."""
    stored = _snapshot()
    sid = transaction.savepoint() if transaction.get_connection().in_atomic_block else None
    if sid is None:
        with transaction.atomic():
            facts_rebuild()
            rebuilt = _snapshot()
            transaction.set_rollback(True)
    else:
        facts_rebuild()
        rebuilt = _snapshot()
        transaction.savepoint_rollback(sid)
    return len(rebuilt - stored), len(stored - rebuilt)
