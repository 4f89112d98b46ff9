"""Paper scores through the API and `manage.py import_scores`: all or nothing, idempotent."""

import contextlib
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from assessments.models import WorkshopScore
from attendance.services import register
from tests.attendance.factories import build_workshop
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(trainer_user):
    workshop = build_workshop(
        code="CUS-2026-003", sessions=1, starts=timezone.now() - dt.timedelta(days=1)
    )
    workshop.trainers.add(trainer_user)
    return workshop


@pytest.fixture
def people(workshop):
    ana = PersonFactory(given_names="Ana", document_number="10117410")
    luis = PersonFactory(given_names="Luis", document_number="40123456")
    for person in (ana, luis):
        register(workshop=workshop, person=person)
    return ana, luis


def scores_url(workshop):
    return f"/api/v1/workshops/{workshop.code}/scores/"


def test_put_records_scores_idempotently_and_get_reports_the_gain(
    client_for, trainer_user, workshop, people
):
    ana, luis = people
    api = client_for(trainer_user)
    body = {
        "scores": [
            {"participant": str(ana.public_id), "test": "pre", "score": "8", "max_score": "20"},
            {"participant": str(ana.public_id), "test": "post", "score": "18", "max_score": "20"},
            {"participant": str(luis.public_id), "test": "pre", "score": "10", "max_score": "20"},
        ]
    }
    first = api.put(scores_url(workshop), body, format="json")
    assert first.status_code == 200, first.json()
    stamps = list(WorkshopScore.objects.order_by("pk").values_list("recorded_at", flat=True))
    assert api.put(scores_url(workshop), body, format="json").status_code == 200
    assert (
        list(WorkshopScore.objects.order_by("pk").values_list("recorded_at", flat=True)) == stamps
    )
    data = api.get(scores_url(workshop)).json()
    gain = data["knowledge_gain"]
    assert (gain["n_matched"], gain["attrition"]) == (1, 1)
    assert (gain["mean_pre"], gain["mean_post"], gain["hake_gain"]) == ("40.00", "90.00", "0.833")
    row = next(p for p in data["participants"] if p["participant"] == str(ana.public_id))
    assert row["post"]["percent"] == "90.00"
    assert row["completion"]["status"] == "in_progress"  # attendance not recorded yet


def test_put_with_one_bad_entry_writes_nothing(client_for, trainer_user, workshop, people):
    ana, _luis = people
    outsider = PersonFactory()
    body = {
        "scores": [
            {"participant": str(ana.public_id), "test": "pre", "score": "8", "max_score": "20"},
            {
                "participant": str(outsider.public_id),
                "test": "pre",
                "score": "9",
                "max_score": "20",
            },
        ]
    }
    response = client_for(trainer_user).put(scores_url(workshop), body, format="json")
    assert response.status_code == 400
    assert response.json()["scores"][0]["index"] == "1"
    over = {
        "scores": [
            {"participant": str(ana.public_id), "test": "post", "score": "21", "max_score": "20"}
        ]
    }
    assert (
        client_for(trainer_user).put(scores_url(workshop), over, format="json").status_code == 400
    )
    assert not WorkshopScore.objects.exists()


def test_another_trainers_workshop_is_not_found(client_for, workshop, people):
    from lms.roles import Role
    from tests.factories import UserFactory

    stranger = client_for(UserFactory(role=Role.TRAINER))
    assert stranger.get(scores_url(workshop)).status_code == 404


def run(path, *args, code="CUS-2026-003"):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_scores", code, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_writes_every_row_and_again_changes_nothing(tmp_path, workshop, people):
    path = tmp_path / "notas.csv"
    path.write_text(
        "numero_documento;prueba;puntaje;puntaje_maximo\n"
        "10117410;pre;8;20\n10117410;post;17,5;20\n40123456;entrada;12;20\n",
        encoding="utf-8",
    )
    out, _err = run(path)
    assert "3 filas: 3 registradas, 0 modificadas, 0 sin cambios" in out
    assert WorkshopScore.objects.get(registration__person=people[0], kind="post").score == Decimal(
        "17.5"
    )
    out, _err = run(path)
    assert "3 filas: 0 registradas, 0 modificadas, 3 sin cambios" in out


def test_import_with_errors_names_rows_and_columns_and_writes_nothing(tmp_path, workshop, people):
    stranger = PersonFactory(document_number="07654321")
    path = tmp_path / "notas.csv"
    path.write_text(
        "numero_documento;prueba;puntaje;puntaje_maximo\n"
        "10117410;pre;8;20\n"
        "10117410;medio;8;20\n"
        "40123456;post;25;20\n"
        f"{stranger.document_number};pre;5;20\n"
        "10117410;pre;9;20\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        run(path)
    _out, err = run_safely(path)
    assert "fila 3, prueba: Prueba desconocida “medio”: use pre o post." in err
    assert "fila 4, puntaje: El puntaje 25 supera el máximo 20." in err
    assert "fila 5, numero_documento:" in err and "no está inscrito/a en el taller" in err
    assert "fila 6, prueba:" in err and "fila 2" in err
    assert not WorkshopScore.objects.exists()


def run_safely(path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("import_scores", "CUS-2026-003", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
