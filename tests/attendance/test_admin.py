"""Workshops in the admin: who sees what, the session roster, registration decisions."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from attendance.models import (
    AttendanceCorrection,
    AttendanceRecord,
    Registration,
    Session,
    Workshop,
)
from attendance.selectors import session_roster, workshops_for
from attendance.services import register
from lms.models import Region
from lms.roles import Role
from tests.courses.factories import build_course
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_workshop(code="LIM-2026-101", *, capacity=30, people=3, trainers=(), **fields):
    course, _lessons = build_course(code=f"T-{code}")
    workshop = Workshop.objects.create(
        code=code,
        course=course,
        region=Region.objects.get(code="15"),
        capacity=capacity,
        status=Workshop.Status.OPEN,
        **fields,
    )
    workshop.trainers.set(trainers)
    starts = timezone.now().replace(microsecond=0)
    session = Session.objects.create(
        workshop=workshop, number=1, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    registrations = [register(workshop=workshop, person=PersonFactory()) for _ in range(people)]
    return workshop, session, registrations


def roster_url(session):
    return reverse("attendance_roster", args=[session.pk])


def marks(session):
    return dict(
        AttendanceRecord.objects.filter(session=session).values_list("person_id", "status_id")
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def trainer_client(client, trainer_user):
    client.force_login(trainer_user)
    return client


def test_staff_see_every_workshop_and_a_trainer_only_theirs(client, staff_user, trainer_user):
    mine, *_ = make_workshop("LIM-2026-101", people=0, trainers=[trainer_user])
    other, *_ = make_workshop("CUS-2026-102", people=0)
    assert set(workshops_for(staff_user)) == {mine, other}
    assert list(workshops_for(trainer_user)) == [mine]

    client.force_login(staff_user)
    listing = client.get(reverse("workshops:index")).content.decode()
    assert "LIM-2026-101" in listing and "CUS-2026-102" in listing

    client.force_login(trainer_user)
    listing = client.get(reverse("workshops:index")).content.decode()
    assert "LIM-2026-101" in listing and "CUS-2026-102" not in listing
    sessions = client.get(reverse("workshop_sessions:index")).content.decode()
    assert "LIM-2026-101 #1" in sessions and "CUS-2026-102" not in sessions
    assert client.get(reverse("workshops:inspect", args=[other.pk])).status_code in (302, 403)


def test_a_trainer_cannot_open_the_roster_of_another_workshop(trainer_client):
    _workshop, session, _regs = make_workshop()
    response = trainer_client.get(roster_url(session))
    assert response.status_code in (302, 403)
    assert trainer_client.post(roster_url(session), {}).status_code in (302, 403)


def test_roster_lists_confirmed_people_by_family_name_with_their_mark(trainer_client, trainer_user):
    _workshop, session, regs = make_workshop(capacity=2, trainers=[trainer_user])
    assert regs[2].status == Registration.Status.WAITLISTED
    rows = session_roster(session)
    assert [r.person for r in rows] == sorted(
        (r.person for r in regs[:2]), key=lambda p: p.family_names
    )
    page = trainer_client.get(roster_url(session)).content.decode()
    assert regs[0].person.document_number in page and regs[0].code in page
    assert regs[2].person.document_number not in page  # waitlisted: not on the roster
    assert 'name="all_present"' in page


def test_roster_post_records_and_an_identical_post_changes_nothing(trainer_client, trainer_user):
    _workshop, session, regs = make_workshop(trainers=[trainer_user])
    a, b, c = (r.person for r in regs)
    data = {f"status_{a.pk}": "present", f"status_{b.pk}": "late", f"status_{c.pk}": "absent"}

    response = trainer_client.post(roster_url(session), data)
    assert response.status_code == 302
    assert marks(session) == {a.pk: "present", b.pk: "late", c.pk: "absent"}
    record = AttendanceRecord.objects.get(session=session, person=a)
    assert record.method == AttendanceRecord.Method.ROSTER
    recorded_at = record.recorded_at

    trainer_client.post(roster_url(session), data)
    record.refresh_from_db()
    assert record.recorded_at == recorded_at
    assert AttendanceRecord.objects.filter(session=session).count() == 3
    assert not AttendanceCorrection.objects.exists()

    page = trainer_client.get(roster_url(session)).content.decode()
    assert f'name="status_{b.pk}" value="late"' in page.replace(" checked", "")


def test_a_stale_pre_filled_mark_does_not_overwrite_a_check_in(trainer_client, trainer_user):
    _workshop, session, regs = make_workshop(people=1, trainers=[trainer_user])
    person = regs[0].person
    AttendanceRecord.objects.create(
        session=session, person=person, status_id="late", method="qr", recorded_at=timezone.now()
    )
    # The page was opened when the person was still marked absent.
    trainer_client.post(
        roster_url(session), {f"status_{person.pk}": "absent", f"was_{person.pk}": "absent"}
    )
    assert marks(session) == {person.pk: "late"}


def test_all_present_marks_everyone_not_yet_marked(trainer_client, trainer_user):
    _workshop, session, regs = make_workshop(people=4, trainers=[trainer_user])
    people = [r.person for r in regs]
    response = trainer_client.post(
        roster_url(session), {f"status_{people[0].pk}": "excused", "all_present": "1"}
    )
    assert response.status_code == 302
    assert marks(session) == {
        people[0].pk: "excused",
        **{p.pk: "present" for p in people[1:]},
    }


def test_closed_workshop_refuses_a_trainers_change(trainer_client, trainer_user):
    workshop, session, regs = make_workshop(people=1, trainers=[trainer_user])
    person = regs[0].person
    workshop.status = Workshop.Status.CLOSED
    workshop.save()
    page = trainer_client.get(roster_url(session))
    assert page.context["locked"] and 'name="reason"' in page.content.decode()

    response = trainer_client.post(
        roster_url(session), {f"status_{person.pk}": "present", "reason": "Llegó tarde"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not AttendanceRecord.objects.exists()


def test_closed_workshop_needs_a_reason_from_staff_and_keeps_old_and_new(staff_client, staff_user):
    workshop, session, regs = make_workshop(people=1)
    person = regs[0].person
    staff_client.post(roster_url(session), {f"status_{person.pk}": "absent"})
    workshop.status = Workshop.Status.CLOSED
    workshop.save()

    response = staff_client.post(roster_url(session), {f"status_{person.pk}": "present"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert marks(session) == {person.pk: "absent"}

    reason = "Firmó la hoja de asistencia en papel"
    response = staff_client.post(
        roster_url(session), {f"status_{person.pk}": "present", "reason": reason}
    )
    assert response.status_code == 302
    assert marks(session) == {person.pk: "present"}
    correction = AttendanceCorrection.objects.get(reason=reason)
    assert (correction.old_status, correction.new_status) == ("absent", "present")
    assert correction.corrected_by == staff_user


def action_url(registration, action):
    return reverse("attendance_registration_action", args=[registration.pk, action])


def test_cancel_promotes_the_first_person_on_the_waitlist(staff_client):
    _workshop, _session, regs = make_workshop(capacity=1, people=3)
    assert [r.status for r in regs] == ["confirmed", "waitlisted", "waitlisted"]
    assert staff_client.get(action_url(regs[0], "cancel")).status_code == 200
    response = staff_client.post(action_url(regs[0], "cancel"))
    assert response.status_code == 302
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["cancelled", "confirmed", "waitlisted"]


def test_approve_and_reject_pending_registrations(staff_client):
    _workshop, _session, regs = make_workshop(capacity=2, people=3, requires_approval=True)
    assert [r.status for r in regs] == ["pending", "pending", "waitlisted"]
    listing = staff_client.get(reverse("workshop_registrations:index")).content.decode()
    assert action_url(regs[0], "approve") in listing

    staff_client.post(action_url(regs[0], "approve"))
    staff_client.post(action_url(regs[1], "reject"))
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    # The rejected seat goes to the waitlist, which still needs approval.
    assert statuses == ["confirmed", "rejected", "pending"]


def test_a_trainer_cannot_decide_registrations(trainer_client, trainer_user):
    _workshop, _session, regs = make_workshop(people=1, trainers=[trainer_user])
    assert trainer_client.post(action_url(regs[0], "cancel")).status_code in (302, 403)
    assert Registration.objects.get(pk=regs[0].pk).status == "confirmed"


def test_attendance_and_corrections_are_read_only(staff_client):
    make_workshop(people=0)
    assert staff_client.get(reverse("attendance_records:index")).status_code == 200
    assert staff_client.get(reverse("attendance_corrections:index")).status_code == 200
    assert staff_client.get(reverse("workshop_registrations:add")).status_code in (302, 403)
    assert staff_client.get(reverse("attendance_records:add")).status_code in (302, 403)


def test_roster_queries_do_not_grow_with_the_number_of_people(trainer_client, trainer_user):
    def count(people, code):
        _workshop, session, _regs = make_workshop(code, people=people, trainers=[trainer_user])
        with CaptureQueriesContext(connection) as queries:
            assert trainer_client.get(roster_url(session)).status_code == 200
        return len(queries)

    assert count(2, "LIM-2026-201") == count(12, "LIM-2026-202")


# --- One registration at a time --------------------------------------------------------------


def add_url(workshop=None):
    url = reverse("attendance_registration_add")
    return f"{url}?workshop={workshop.pk}" if workshop else url


def test_staff_registers_a_known_person_by_document(
    staff_client, django_capture_on_commit_callbacks
):
    workshop, _session, _regs = make_workshop(people=0)
    person = PersonFactory(document_number="10117410", email="ana@example.pe")
    page = staff_client.get(add_url(workshop)).content.decode()
    assert f'<option value="{workshop.pk}" selected>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            add_url(),
            {"workshop": workshop.pk, "document_type": "1", "document_number": "10117410"},
            follow=True,
        )
    registration = Registration.objects.get(workshop=workshop, person=person)
    assert registration.status == "confirmed" and registration.source == "staff"
    page = response.content.decode()
    assert f"inscrito/a: Confirmada (código {registration.code})" in page
    assert response.redirect_chain[-1][0] == add_url(workshop)
    assert [m.to for m in mail.outbox] == [["ana@example.pe"]]

    again = staff_client.post(
        add_url(),
        {"workshop": workshop.pk, "document_type": "1", "document_number": "10117410"},
        follow=True,
    )
    assert "ya estaba inscrito/a" in again.content.decode()
    assert Registration.objects.filter(workshop=workshop).count() == 1


def test_an_unknown_person_needs_names_and_is_then_created(staff_client):
    workshop, _session, _regs = make_workshop(people=0)
    data = {"workshop": workshop.pk, "document_type": "1", "document_number": "40123456"}
    response = staff_client.post(add_url(), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"given_names", "family_names"}
    assert not Registration.objects.exists()

    data.update(given_names="Luis Alberto", family_names="Quispe Mamani")
    assert staff_client.post(add_url(), data).status_code == 302
    registration = Registration.objects.get()
    assert registration.person.full_name.startswith("Luis Alberto")
    assert registration.person.document_number == "40123456"


def test_a_full_workshop_puts_the_person_on_the_waitlist(staff_client):
    workshop, _session, _regs = make_workshop(capacity=1, people=1)
    person = PersonFactory()
    data = {
        "workshop": workshop.pk,
        "document_type": person.document_type,
        "document_number": person.document_number,
    }
    response = staff_client.post(add_url(), data, follow=True)
    assert Registration.objects.get(person=person).status == "waitlisted"
    assert "lista de espera" in response.content.decode()


def test_a_trainer_registers_only_in_their_own_workshops(trainer_client, trainer_user):
    mine, _s, _r = make_workshop("LIM-2026-201", people=0, trainers=[trainer_user])
    other, _s, _r = make_workshop("LIM-2026-202", people=0)
    person = PersonFactory()
    data = {"document_type": person.document_type, "document_number": person.document_number}
    response = trainer_client.post(add_url(), {**data, "workshop": other.pk})
    assert "workshop" in response.context["form"].errors
    assert trainer_client.post(add_url(), {**data, "workshop": mine.pk}).status_code == 302
    assert list(Registration.objects.values_list("workshop__code", flat=True)) == ["LIM-2026-201"]


# --- Trainers schedule workshops ------------------------------------------------------------


def workshop_form_data(course, **overrides):
    return {
        "code": "CUS-2026-201",
        "course": course.pk,
        "title": "",
        "modality": Workshop.Modality.IN_PERSON,
        "status": Workshop.Status.OPEN,
        "region": Region.objects.get(code="0801").pk,
        "venue": "Auditorio",
        "meeting_url": "",
        "capacity": 25,
        "registration_opens_at": "",
        "registration_closes_at": "",
        **overrides,
    }


def test_a_trainer_creates_a_workshop_they_then_train(trainer_client, trainer_user):
    course, _lessons = build_course(code="T-CUS-201")

    form = trainer_client.get(reverse("workshops:add")).context["form"]
    assert form["trainers"].value() == [trainer_user.pk]

    response = trainer_client.post(
        reverse("workshops:add"), workshop_form_data(course, trainers=[trainer_user.pk])
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(code="CUS-2026-201")
    assert list(workshop.trainers.all()) == [trainer_user]
    listing = trainer_client.get(reverse("workshops:index")).content.decode()
    assert "CUS-2026-201" in listing


def test_a_trainer_cannot_take_themselves_off_a_workshop(trainer_client, trainer_user):
    course, _lessons = build_course(code="T-CUS-201")
    colleague = UserFactory(role=Role.TRAINER)

    response = trainer_client.post(
        reverse("workshops:add"), workshop_form_data(course, trainers=[colleague.pk])
    )
    assert response.status_code == 200
    assert "trainers" in response.context["form"].errors
    assert not Workshop.objects.filter(code="CUS-2026-201").exists()

    workshop, _session, _regs = make_workshop(people=0, trainers=[trainer_user, colleague])
    data = workshop_form_data(workshop.course, code=workshop.code, trainers=[colleague.pk])
    response = trainer_client.post(reverse("workshops:edit", args=[workshop.pk]), data)
    assert response.status_code == 200
    assert "trainers" in response.context["form"].errors
    assert set(workshop.trainers.all()) == {trainer_user, colleague}


def test_staff_hand_a_workshop_over_to_another_trainer(staff_client, trainer_user):
    workshop, _session, _regs = make_workshop(people=0)
    data = workshop_form_data(workshop.course, code=workshop.code, trainers=[trainer_user.pk])
    response = staff_client.post(reverse("workshops:edit", args=[workshop.pk]), data)
    assert response.status_code == 302
    assert list(workshop.trainers.all()) == [trainer_user]


def test_a_trainer_plans_sessions_of_their_workshops_only(trainer_client, trainer_user):
    mine, _session, _regs = make_workshop("LIM-2026-101", people=0, trainers=[trainer_user])
    other, other_session, _regs = make_workshop("CUS-2026-102", people=0)

    offered = trainer_client.get(reverse("workshop_sessions:add")).context["form"]
    assert list(offered.fields["workshop"].queryset) == [mine]

    starts = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    data = {
        "number": 2,
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
    }
    refused = trainer_client.post(reverse("workshop_sessions:add"), {**data, "workshop": other.pk})
    assert refused.status_code == 200
    assert "workshop" in refused.context["form"].errors
    assert not other.sessions.filter(number=2).exists()

    created = trainer_client.post(reverse("workshop_sessions:add"), {**data, "workshop": mine.pk})
    assert created.status_code == 302
    assert mine.sessions.get(number=2).starts_at == starts

    # Another trainer's session cannot be moved or deleted, nor moved into their workshop.
    edit_other = reverse("workshop_sessions:edit", args=[other_session.pk])
    assert trainer_client.post(edit_other, {**data, "workshop": mine.pk}).status_code == 302
    other_session.refresh_from_db()
    assert other_session.workshop == other and other_session.number == 1
    delete_other = reverse("workshop_sessions:delete", args=[other_session.pk])
    trainer_client.post(delete_other)
    assert Session.objects.filter(pk=other_session.pk).exists()


def test_a_trainer_closes_their_workshop_but_only_staff_reopen_it(client, trainer_user, staff_user):
    workshop, _session, _regs = make_workshop(people=0, trainers=[trainer_user])
    edit = reverse("workshops:edit", args=[workshop.pk])

    def post(user, status):
        client.force_login(user)
        data = workshop_form_data(
            workshop.course, code=workshop.code, status=status, trainers=[trainer_user.pk]
        )
        return client.post(edit, data)

    assert post(trainer_user, Workshop.Status.CLOSED).status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.CLOSED

    # Reopened, its marks could change again without a reason: staff only.
    refused = post(trainer_user, Workshop.Status.OPEN)
    assert refused.status_code == 200
    assert "status" in refused.context["form"].errors
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.CLOSED

    assert post(staff_user, Workshop.Status.OPEN).status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == Workshop.Status.OPEN


def test_a_trainer_cannot_change_the_sessions_of_a_closed_workshop(trainer_client, trainer_user):
    workshop, session, _regs = make_workshop(people=0, trainers=[trainer_user])
    extra = Session.objects.create(
        workshop=workshop,
        number=2,
        starts_at=session.starts_at + dt.timedelta(days=1),
        ends_at=session.ends_at + dt.timedelta(days=1),
    )
    workshop.status = Workshop.Status.CLOSED
    workshop.save()
    starts = timezone.localtime(extra.starts_at)
    data = {
        "workshop": workshop.pk,
        "number": 3,
        "starts_at": starts.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }

    added = trainer_client.post(reverse("workshop_sessions:add"), data)
    moved = trainer_client.post(reverse("workshop_sessions:edit", args=[extra.pk]), data)
    # An unmarked session of a closed workshop counts as an absence: removing it would raise
    # everyone's attendance.
    trainer_client.post(reverse("workshop_sessions:delete", args=[extra.pk]))

    assert added.status_code == moved.status_code == 200
    assert added.context["form"].non_field_errors() and moved.context["form"].non_field_errors()
    assert list(workshop.sessions.order_by("number").values_list("number", flat=True)) == [1, 2]
