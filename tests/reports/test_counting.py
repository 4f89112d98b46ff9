"""Every measure against hand-computed expectations on the crafted programme of conftest.py.

FY2026 = 2025-10-01..2026-09-30; Q1 Oct–Dec 2025, Q2 Jan–Mar 2026, Q3 Apr–Jun, Q4 Jul–Sep.
"""

import pytest

from reports.facts import facts_check
from reports.models import Fact
from reports.services import participation_report
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db


def figures(report, code) -> dict:
    """{period key: actual} of one indicator."""
    found = next(i for i in report.as_dict()["indicators"] if i["code"] == code)
    return {row["key"]: row["actual"] for row in found["periods"]}


def table(report, code, dims) -> dict:
    found = next(i for i in report.as_dict()["indicators"] if i["code"] == code)
    breakdown = next(b for b in found["breakdowns"] if b["dimensions"] == dims)
    return {
        tuple(row["keys"][d] for d in dims): (row["value"], row["suppressed"])
        for row in breakdown["rows"]
    }


@pytest.fixture
def catalogue(programme):
    indicator("REACH", "reached", disaggregations=["institution"])
    indicator("TRAINED", "trained")
    indicator("DONE", "completions")
    indicator("HOURS", "contact_hours", unit="hours")
    indicator("GAIN", "gain_hake", level="outcome", unit="ratio")
    return programme


def staff_report(**kwargs):
    return participation_report(fy=kwargs.pop("fy", 2026), audience="staff", **kwargs)


def test_facts_kept_in_step_equal_a_rebuild(catalogue):
    assert Fact.objects.exists()
    assert facts_check() == (0, 0)


def test_reached_counts_each_person_once_per_period_by_the_date_of_each_attendance(catalogue):
    got = figures(staff_report(), "REACH")
    # Q1: beto (1 Oct session), dora (talk, 5 Nov). Carla's 30 Sep 20:00 Lima session is 1 Oct
    # in UTC but September in Lima: FY2025. Q2: ana (two workshops, once). Q3: eva, fito.
    assert got["FY2026Q1"] == 2
    assert got["FY2026Q2"] == 1
    assert got["FY2026Q3"] == 2
    assert got["FY2026Q4"] == 0
    assert got["FY2026"] == 5
    # Life of project: everyone (gil in FY2024, carla only in FY2025), each once.
    assert got["LOP"] == 7


def test_a_workshop_across_30_september_reaches_people_in_both_fiscal_years(catalogue):
    fy2025 = figures(staff_report(fy=2025), "REACH")
    # FY2025: beto and carla on 30 September; beto is also in FY2026 (above).
    assert fy2025["FY2025Q4"] == 2
    assert fy2025["FY2025"] == 2
    # Life of project to the end of FY2025: gil, beto, carla.
    assert fy2025["LOP"] == 3


def test_trained_counts_a_person_once_whatever_the_number_of_courses(catalogue):
    got = figures(staff_report(), "TRAINED")
    # ana: two courses in Q2, counted once. beto: the boundary workshop completes on 1 Oct (its
    # last session) → Q1. carla: 1 of 2 sessions (50% < 80%) → not trained. dora: a
    # sensitisation-only talk → never trained. eva, fito: Q3.
    assert got["FY2026Q1"] == 1
    assert got["FY2026Q2"] == 1
    assert got["FY2026Q3"] == 2
    assert got["FY2026"] == 4
    assert got["LOP"] == 5  # + gil (FY2024)


def test_completions_are_person_course_pairs_and_hours_follow_the_courses(catalogue):
    done = figures(staff_report(), "DONE")
    # ana's two courses count twice; dora's talk is a completion (but not "trained").
    assert done["FY2026Q1"] == 2  # beto, dora
    assert done["FY2026Q2"] == 2  # ana ×2
    assert done["FY2026Q3"] == 2  # eva, fito
    assert done["FY2026"] == 6
    hours = figures(staff_report(), "HOURS")
    # beto 12 + dora 2 | ana 12 + 16 | eva 12 + fito 12
    assert hours["FY2026Q1"] == 14
    assert hours["FY2026Q2"] == 28
    assert hours["FY2026"] == 66


def test_knowledge_gain_uses_matched_pairs_and_leaves_a_perfect_pre_test_out_of_individual_gain(
    catalogue,
):
    report = staff_report()
    gain = report.as_dict()["knowledge_gain"]
    # eva 100 → 100 and fito 40 → 70: both matched.
    assert gain["n_matched"] == 2
    assert gain["mean_pre"] == 70.0 and gain["mean_post"] == 85.0
    # <g> = (85 − 70) / (100 − 70) = 0.5
    assert gain["hake_gain"] == 0.5
    # Individual g: only fito's (70 − 40) / 60 = 0.5; eva (pre 100%) excluded and counted.
    assert gain["excluded_at_ceiling"] == 1
    assert gain["mean_individual_gain"] == 0.5
    assert figures(report, "GAIN")["FY2026Q3"] == 0.5


def test_breakdowns_add_up_and_label_totals(catalogue):
    got = table(staff_report(), "REACH", ["institution"])
    judiciary, comptroller = (
        catalogue["people"]["ana"].institution_id,
        catalogue["people"]["dora"].institution_id,
    )
    # FY2026 reached: ana, beto, eva (judiciary); dora, fito (comptroller).
    assert got[(judiciary,)] == (3, False)
    assert got[(comptroller,)] == (2, False)
    assert got[(None,)] == (5, False)
    # Person-level indicators are always broken down by sex too (USAID).
    by_sex = table(staff_report(), "REACH", ["sex"])
    assert by_sex[("F",)] == (3, False) and by_sex[("M",)] == (2, False)


def test_a_quarter_report_counts_up_to_that_quarter_only(catalogue):
    got = figures(staff_report(quarter=2), "TRAINED")
    assert got["FY2026Q1"] == 1 and got["FY2026Q2"] == 1
    assert "FY2026Q3" not in got
    assert got["FY2026"] == 2  # year to date
    assert got["LOP"] == 3  # gil, beto, ana


def test_filters_by_course_flag_and_position(catalogue):
    from lms.models import Position

    eti = catalogue["courses"]["eti"]
    ctl = catalogue["courses"]["ctl"]
    ctl.gender_equality_hours = 4
    ctl.save_revision().publish()
    indicator("GNDR", "trained", min_gender_hours=3)
    indicator("ETI-ONLY", "completions", courses=[eti])
    indicator("CTL-ONLY", "trained", courses=[ctl])
    indicator("JUDGES", "trained", positions=[Position.objects.get(code="juez")])
    report = staff_report()
    assert figures(report, "GNDR")["FY2026"] == 1  # ana, through CTL-201
    assert figures(report, "ETI-ONLY")["FY2026"] == 4  # ana, beto, eva, fito (not dora's talk)
    assert figures(report, "CTL-ONLY")["FY2026"] == 1  # ana
    # Everyone in the factory is a judge; make fito a prosecutor.
    fito = catalogue["people"]["fito"]
    fito.position = Position.objects.get(code="fiscal")
    fito.save()
    assert figures(staff_report(), "JUDGES")["FY2026"] == 3


def test_facts_follow_a_mark_changed_after_the_fact(catalogue):
    """Back in Q2 ana's mark at one CTL session becomes "absent": still reached, still trained
    through ETI, but CTL is no longer completed (50%)."""
    from attendance.services import attendance_record
    from lms.roles import Role
    from tests.factories import UserFactory

    staff = UserFactory(role=Role.PROGRAM_STAFF)
    w = catalogue["workshops"]["ctl_q2"]
    ana = catalogue["people"]["ana"]
    attendance_record(
        session=w.sessions.get(number=2),
        person=ana,
        status="absent",
        method="roster",
        recorded_by=staff,
        reason="Corrección: no asistió",
    )
    assert facts_check() == (0, 0)
    report = staff_report()
    assert figures(report, "DONE")["FY2026Q2"] == 1
    assert figures(report, "TRAINED")["FY2026Q2"] == 1
    assert figures(report, "REACH")["FY2026Q2"] == 1
