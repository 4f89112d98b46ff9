"""The workshop's tests-and-completion page: a grid of paper scores, all or nothing, with each
person's decision and the workshop's knowledge gain; staff decide a completion with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Completion, WorkshopScore
from attendance.services import attendance_record, register
from tests.assessments.factories import build_assessment, single
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(trainer_user):
    workshop = build_workshop(sessions=1, starts=timezone.now() - dt.timedelta(days=2), capacity=10)
    workshop.trainers.add(trainer_user)
    build_assessment(workshop.course, kind="post", questions=[single()], paper_max_score=20)
    people = [PersonFactory(family_names=n) for n in ("Alva", "Benites", "Cárdenas")]
    regs = [register(workshop=workshop, person=p) for p in people]
    for person in people:
        attendance_record(
            session=workshop.sessions.get(), person=person, status="present", method="roster"
        )
    return workshop, regs


def url(workshop):
    return reverse("assessments_workshop_scores", args=[workshop.pk])


def test_trainer_records_scores_and_sees_completion_and_gain(client, trainer_user, setting):
    workshop, (alva, benites, cardenas) = setting
    client.force_login(trainer_user)
    page = client.get(url(workshop)).content.decode()
    assert 'name="max_post" value="20"' in page  # proposed from the post-test
    data = {
        "max_pre": "20",
        "max_post": "20",
        f"pre_{alva.pk}": "8",
        f"post_{alva.pk}": "16",
        f"pre_{benites.pk}": "10",
        f"post_{benites.pk}": "12,5",
        f"pre_{cardenas.pk}": "12",
        f"post_{cardenas.pk}": "",
    }
    assert client.post(url(workshop), data).status_code == 302
    assert WorkshopScore.objects.count() == 5
    assert Completion.objects.get(registration=alva).status == "completed"  # 80% ≥ 70%
    benites_row = Completion.objects.get(registration=benites)
    assert benites_row.status == "in_progress" and benites_row.post_percent == Decimal("62.50")
    page = client.get(url(workshop)).content.decode()
    assert "post-test 62,5% &lt; 70%" in page
    # Alva 40 → 80, Benites 50 → 62.5; Cárdenas has no post-test (attrition 1).
    assert "Emparejados (pre y post)" in page
    assert "<strong>45,0%</strong>" in page and "<strong>71,3%</strong>" in page
    assert "<strong>0,48 (media)</strong>" in page


def test_a_bad_cell_saves_nothing_and_says_where(client, trainer_user, setting):
    workshop, (alva, benites, _c) = setting
    client.force_login(trainer_user)
    data = {
        "max_pre": "20",
        "max_post": "20",
        f"pre_{alva.pk}": "8",
        f"post_{benites.pk}": "25",
        f"pre_{benites.pk}": "diez",
    }
    response = client.post(url(workshop), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "El puntaje 25 supera el máximo 20." in page
    assert "“diez” no es un número." in page
    assert 'value="diez"' in page  # what was typed stays in the grid
    assert not WorkshopScore.objects.exists()


def test_other_trainers_and_participants_cannot_open_it(client, setting, participant_user):
    from lms.roles import Role
    from tests.factories import UserFactory

    workshop, _regs = setting
    client.force_login(UserFactory(role=Role.TRAINER))
    assert client.get(url(workshop)).status_code in (302, 403)
    client.force_login(participant_user)
    assert client.get(url(workshop)).status_code in (302, 403)


def test_staff_decide_a_completion_with_a_reason(client, staff_user, setting):
    _workshop, (alva, _b, _c) = setting
    completion = Completion.objects.get(registration=alva)
    assert completion.status == "in_progress"  # no post-test yet
    client.force_login(staff_user)
    decide = reverse("assessments_override", args=[completion.pk])
    refused = client.post(decide, {"status": "completed", "reason": ""})
    assert refused.status_code == 200
    assert (
        client.post(
            decide, {"status": "completed", "reason": "Rindió el post-test oral (acta 12)."}
        ).status_code
        == 302
    )
    completion.refresh_from_db()
    assert completion.status == "completed" and completion.computed_status == "in_progress"
    assert "Rindió el post-test oral (acta 12)." in client.get(decide).content.decode()
