"""The audit trail in the admin: staff read it, administrators verify it, nobody edits it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lms.models import AuditEvent, Person
from lms.services.audit import audit_record, chain_head
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_events(staff_user):
    person = PersonFactory()
    audit_record(
        "attendance.change",
        object_type="attendance.attendancerecord",
        object_id="41",
        subject=f"person:{person.pk}",
        before={"status": "absent"},
        after={"status": "present"},
        reason="Firmó la hoja en papel",
        actor=staff_user,
    )
    audit_record(
        "certificate.change",
        object_type="certificates.certificate",
        object_id="7",
        before={"status": "valid"},
        after={"status": "revoked"},
        reason="Suplantación",
        actor="system",
    )
    return person


def test_staff_see_the_trail_with_names_changes_reasons_and_the_head(
    client, staff_user, some_events
):
    client.force_login(staff_user)
    response = client.get(reverse("audit:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "status: absent → present" in page
    assert "Firmó la hoja en papel" in page
    assert staff_user.get_full_name() in page
    assert str(chain_head()) in page


def test_the_history_of_one_record(client, staff_user, some_events):
    client.force_login(staff_user)
    page = client.get(
        reverse("audit:index"),
        {"object_type": "certificates.certificate", "object_id": "7"},
    ).content.decode()
    assert "Suplantación" in page
    assert "Firmó la hoja" not in page
    # ...and of one person.
    page = client.get(reverse("audit:index"), {"subject": f"person:{some_events.pk}"})
    assert "Firmó la hoja en papel" in page.content.decode()


def test_nobody_edits_or_deletes_events_in_the_admin(client, admin_role_user, some_events):
    client.force_login(admin_role_user)
    count = AuditEvent.objects.count()
    event = AuditEvent.objects.order_by("seq").first()
    assert client.get(reverse("audit:inspect", args=[event.pk])).status_code == 200
    for name in ("audit:edit", "audit:delete"):
        assert client.get(reverse(name, args=[event.pk])).status_code in (302, 403)
    assert client.get(reverse("audit:add")).status_code in (302, 403)
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize("role", ["trainer_user", "participant_user", "donor_user"])
def test_others_do_not_reach_the_trail(client, request, role, some_events):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("audit:index")).status_code in (302, 403)
    assert client.get(reverse("lms_audit_verify")).status_code in (302, 403)


def test_administrators_verify_the_chain_and_staff_cannot(
    client, staff_user, admin_role_user, some_events
):
    client.force_login(staff_user)
    assert client.get(reverse("lms_audit_verify")).status_code in (302, 403)
    client.force_login(admin_role_user)
    head = chain_head()
    response = client.post(reverse("lms_audit_verify"), {"heads": str(head)})
    assert response.context["result"].ok
    assert response.context["result"].checked == head.seq
    page = response.content.decode()
    assert 'role="status"' in page and str(head) in page
    missing = head.seq + 3
    response = client.post(reverse("lms_audit_verify"), {"heads": f"{missing}:" + "a" * 64})
    assert response.context["result"].broken_seq == missing
    assert 'role="alert"' in response.content.decode()


def _event_about(person_ref_text: str, n: int = 0) -> None:
    audit_record(
        "person.change",
        object_type="lms.person",
        object_id=str(n),
        subject=person_ref_text,
        after={"n": n},
        actor="system",
    )


def test_the_person_concerned_is_a_link_with_their_name(client, staff_user, english):
    named = PersonFactory(given_names="Rosa", family_names="Mamani Quispe")
    erased = PersonFactory(given_names="Óscar", family_names="Huamán Ccori")
    Person.objects.filter(pk=erased.pk).update(anonymised_at=timezone.now())
    _event_about(f"person:{named.pk}", 1)
    _event_about(f"person:{erased.pk}", 2)
    _event_about("person:999999", 3)  # no longer exists
    client.force_login(staff_user)

    page = client.get(reverse("audit:index")).content.decode()

    named_url = reverse("participants:edit", args=[named.pk])
    erased_url = reverse("participants:edit", args=[erased.pk])
    assert f'<a href="{named_url}">Rosa Mamani Quispe</a>' in page
    with translation.override("es"):  # the admin speaks the user's language, Spanish here
        anonymised = translation.gettext("anonymised participant")
    assert f'<a href="{erased_url}">{anonymised}</a>' in page
    assert "Huamán" not in page
    assert "person:999999" in page
    assert f">person:{named.pk}<" not in page

    event = AuditEvent.objects.get(subject=f"person:{named.pk}")
    inspect = client.get(reverse("audit:inspect", args=[event.pk])).content.decode()
    assert f'<a href="{named_url}">Rosa Mamani Quispe</a>' in inspect


def test_the_names_of_a_page_take_one_query(client, staff_user):
    client.force_login(staff_user)
    _event_about(f"person:{PersonFactory().pk}")
    client.get(reverse("audit:index"))  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("audit:index"))
    people = [PersonFactory() for _ in range(5)]
    for n, person in enumerate(people):
        _event_about(f"person:{person.pk}", n)
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("audit:index")).content.decode()
    for person in people:
        assert reverse("participants:edit", args=[person.pk]) in page
    assert len(six) == len(one)
