"""Benchmark the completion engine: marking a roster one person at a time (each mark recomputes
that person's decision at once) against the same marks written in bulk (decisions batched and
computed once, at the end), and a full rebuild.

    .venv/bin/python bench/completion.py [--people 60] [--repeat 3]

Uses a throwaway database like bench/import_participants.py (SQLite in a temporary folder, or
with DATABASE_URL=postgres://... a database created and dropped on that server). It seeds the
demo (for a course with a post-test), then schedules a workshop of N confirmed people and three
sessions, and measures on separate sessions:

  (0) baseline    attendance_record() per person with the engine's signal disconnected: what
                  the marks alone cost.
  (a) one by one  attendance_record() per person: N writes, N decisions recomputed, each mark
                  audited (lms.AuditEvent) and the donor-report facts kept in step.
  (a1), (a2)      the same with the audit trail, or the report facts, switched off: what each
                  costs per mark.
  (b) bulk        attendance_bulk() for the N people: one transaction, N decisions once each.
  (c) rebuild     completions_refresh_all(): every registration and enrolment of the database.

Figures are printed, not asserted; the run exits non-zero if (a) and (b) leave different
decisions, because the timings would then mean nothing.
"""

import argparse
import datetime as dt
import io
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_participants import throwaway_database


def build(people: int):
    from django.utils import timezone
    from wagtail.models import Locale

    from attendance.models import Session, Workshop
    from attendance.services import register
    from courses.models import CoursePage
    from lms.models import Person, Region

    course = CoursePage.objects.get(code="ETI-101", locale=Locale.get_default())
    workshop = Workshop.objects.create(
        code="BEN-2026-001",
        course=course,
        region=Region.objects.get(code="1501"),
        capacity=people,
        status=Workshop.Status.OPEN,
    )
    start = timezone.now() - dt.timedelta(days=3)
    for n in range(1, 4):
        begin = start + dt.timedelta(days=n - 1)
        Session.objects.create(
            workshop=workshop, number=n, starts_at=begin, ends_at=begin + dt.timedelta(hours=3)
        )
    chosen = list(Person.objects.order_by("pk")[:people])
    for person in chosen:
        register(workshop=workshop, person=person, source="staff")
    return workshop, chosen


def timed(func) -> float:
    begin = time.perf_counter()
    func()
    return time.perf_counter() - begin


def run(people: int, repeat: int, where: str) -> int:
    from django.core.management import call_command
    from django.db.models.signals import post_save

    from assessments.completion import completions_refresh_all
    from assessments.models import Completion
    from assessments.signals import attendance_changed
    from attendance.models import AttendanceRecord
    from attendance.services import attendance_bulk, attendance_record
    from reports.signals import attendance_changed as facts_receiver

    call_command("migrate", verbosity=0)
    call_command("seed_demo", participants=max(people, 120), stdout=io.StringIO())
    workshop, chosen = build(people)
    sessions = list(workshop.sessions.order_by("number"))
    best = {"0": [], "a": [], "a1": [], "a2": [], "b": [], "c": []}
    audit_uid = "audit-post-attendance.attendancerecord"
    audit_receiver = next(r for (key, _s), r, *_ in post_save.receivers if key == audit_uid)
    audit_off, facts_off = [(audit_receiver, audit_uid)], [(facts_receiver, None)]
    for round_ in range(repeat):
        mark = "present" if round_ % 2 == 0 else "late"

        def one_by_one(mark=mark):
            for person in chosen:
                attendance_record(session=sessions[0], person=person, status=mark, method="roster")

        def bulk(mark=mark):
            attendance_bulk(
                session=sessions[1],
                marks=dict.fromkeys(chosen, mark),
                method="roster",
                recorded_by=None,
            )

        def without_engine(mark=mark):
            post_save.disconnect(attendance_changed, sender=AttendanceRecord)
            try:
                for person in chosen:
                    attendance_record(
                        session=sessions[2], person=person, status=mark, method="roster"
                    )
            finally:
                post_save.connect(attendance_changed, sender=AttendanceRecord)

        def without(receivers, mark=mark):
            """One at a time on the first session with these post_save receivers off."""
            for receiver, uid in receivers:
                post_save.disconnect(receiver, sender=AttendanceRecord, dispatch_uid=uid)
            try:
                for person in chosen:
                    attendance_record(
                        session=sessions[0],
                        person=person,
                        status="late" if mark == "present" else "present",
                        method="roster",
                    )
                    attendance_record(
                        session=sessions[0], person=person, status=mark, method="roster"
                    )
            finally:
                for receiver, uid in receivers:
                    post_save.connect(
                        receiver, sender=AttendanceRecord, dispatch_uid=uid, weak=uid is None
                    )

        best["0"].append(timed(without_engine))
        best["a"].append(timed(one_by_one))
        # Two marks per person in (a1)/(a2) (a change there and back): halve for one mark.
        best["a1"].append(timed(lambda w=without: w(audit_off)) / 2)
        best["a2"].append(timed(lambda w=without: w(facts_off)) / 2)
        best["b"].append(timed(bulk))
        best["c"].append(timed(completions_refresh_all))
    decisions = Completion.objects.count()
    zero, a, b, c = (min(best[k]) for k in "0abc")
    a1, a2 = min(best["a1"]), min(best["a2"])
    print(f"Completion engine benchmark on {where}")
    print(f"Python {platform.python_version()}, {platform.machine()}, best of {repeat}")
    print(f"{'case':<34}{'seconds':>9}{'per decision':>15}")
    print(
        f"{'(0) marks only, engine switched off':<34}{zero:>9.2f}{zero / people * 1000:>12.1f} ms"
    )
    print(f"{'(a) roster, one mark at a time':<34}{a:>9.2f}{a / people * 1000:>12.1f} ms")
    print(f"{'(a1) as (a), audit trail off':<34}{a1:>9.2f}{a1 / people * 1000:>12.1f} ms")
    print(f"{'(a2) as (a), report facts off':<34}{a2:>9.2f}{a2 / people * 1000:>12.1f} ms")
    print(f"{'(b) roster, bulk (batched)':<34}{b:>9.2f}{b / people * 1000:>12.1f} ms")
    print(f"{'(c) rebuild of every decision':<34}{c:>9.2f}{c / decisions * 1000:>12.1f} ms")
    print(f"people in the workshop: {people}; decisions in the database: {decisions}")
    print(f"bulk is {a / b:.1f}x as fast as one mark at a time")
    print(
        f"per mark: the audit trail costs {(a - a1) / people * 1000:.1f} ms, "
        f"the report facts {(a - a2) / people * 1000:.1f} ms"
    )
    first = sorted(
        Completion.objects.filter(registration__workshop=workshop).values_list(
            "registration_id", "status", "attendance_percent"
        )
    )
    completions_refresh_all()
    again = sorted(
        Completion.objects.filter(registration__workshop=workshop).values_list(
            "registration_id", "status", "attendance_percent"
        )
    )
    if first != again:
        print("MISMATCH: the batched decisions differ from a rebuild", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=60, help="confirmed people in the roster")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best time is shown")
    args = parser.parse_args()
    if args.people < 1 or args.repeat < 1:
        parser.error("--people and --repeat must be at least 1")
    with throwaway_database() as where:
        return run(args.people, args.repeat, where)


if __name__ == "__main__":
    sys.exit(main())
