"""The background-job API: inline or on Celery, with progress people can follow."""

from unittest import mock

import pytest

from lms import background
from lms.background import JobFailed, enqueue, register, run_job_task
from lms.models import Job
from lms.services.imports import participants_import_start

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@register("tests.count_to")
def count_to(ctx, *, n: int) -> dict:
    CALLS.append({"n": n})
    for i in range(1, n + 1):
        ctx.progress(i, n)
    return {"counted": n}


@register("tests.refuse")
def refuse(ctx, *, why: str) -> dict:
    ctx.progress(1, 4)
    raise JobFailed(f"refused: {why}", result={"errors": [why]})


@register("tests.crash")
def crash(ctx) -> dict:
    raise ZeroDivisionError("division by zero")


@pytest.fixture(autouse=True)
def _fresh_calls():
    CALLS.clear()


@pytest.fixture
def inline(settings):
    settings.LMS_JOBS_BACKEND = "inline"


@pytest.fixture
def celery(settings):
    settings.LMS_JOBS_BACKEND = "celery"


# --- Inline ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("inline")
def test_inline_job_runs_now_and_reports_each_step(staff_user):
    heard = []

    job = enqueue(
        "tests.count_to",
        params={"n": 5},
        user=staff_user,
        label="Counting",
        on_progress=lambda done, total: heard.append((done, total)),
    )

    assert heard == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    job = Job.objects.get(pk=job.pk)
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 5}
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.backend == "inline"
    assert job.attempts == 1
    assert job.created_by == staff_user
    assert job.started_at <= job.finished_at


@pytest.mark.usefixtures("inline")
def test_a_job_without_progress_still_finishes_at_100_percent():
    job = enqueue("tests.count_to", params={"n": 0})

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == job.total
    assert job.percent == 100


@pytest.mark.usefixtures("inline")
def test_job_failed_ends_failed_and_keeps_its_result():
    job = enqueue("tests.refuse", params={"why": "row 2"})

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "refused: row 2"
    assert job.result == {"errors": ["row 2"]}
    assert job.finished_at is not None
    assert job.is_finished


@pytest.mark.usefixtures("inline")
def test_crashing_job_ends_failed_with_the_error_text():
    job = enqueue("tests.crash")

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "ZeroDivisionError: division by zero"
    assert job.result is None


def test_unknown_job_name_is_refused():
    with pytest.raises(KeyError):
        enqueue("tests.no_such_job")

    assert Job.objects.count() == 0


def test_the_participant_import_job_is_registered():
    assert "lms.import_participants" in background.registered_jobs()


# --- Celery ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("celery")
def test_celery_backend_sends_the_job_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(run_job_task, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        job = enqueue("tests.count_to", params={"n": 3})
        # Still inside the transaction: nothing sent (the worker would not find the row).
        delay.assert_not_called()

    assert len(callbacks) == 1
    delay.assert_called_once_with(str(job.pk))
    assert CALLS == []  # not run in the web process
    job.refresh_from_db()
    assert (job.status, job.backend) == (Job.Status.PENDING, "celery")
    assert not job.is_finished


@pytest.mark.usefixtures("celery")
def test_worker_runs_the_job_and_a_redelivered_message_does_not_run_it_again(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(run_job_task, "delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = enqueue("tests.count_to", params={"n": 3})

    status = run_job_task(str(job.pk))  # what the worker does with the message

    assert status == Job.Status.SUCCEEDED
    job.refresh_from_db()
    assert (job.status, job.result, job.done, job.total) == (
        Job.Status.SUCCEEDED,
        {"counted": 3},
        3,
        3,
    )
    assert CALLS == [{"n": 3}]

    assert run_job_task(str(job.pk)) == Job.Status.SUCCEEDED  # the same message again

    assert CALLS == [{"n": 3}]
    job.refresh_from_db()
    assert job.attempts == 1


@pytest.mark.usefixtures("celery")
def test_a_failed_job_delivered_again_is_retried():
    job = Job.objects.create(name="tests.crash", backend="celery")
    run_job_task(str(job.pk))

    run_job_task(str(job.pk))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 2


# --- GET /api/v1/jobs/{id}/ ------------------------------------------------------------------------


@pytest.fixture
def participants_job(participant_user, inline):
    return enqueue("tests.count_to", params={"n": 4}, user=participant_user, label="Mine")


def test_creator_follows_the_progress_of_their_job(client_for, participant_user, participants_job):
    response = client_for(participant_user).get(f"/api/v1/jobs/{participants_job.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "succeeded"
    assert (body["done"], body["total"], body["percent"]) == (4, 4, 100)
    assert body["result"] == {"counted": 4}


def test_a_running_job_shows_partial_progress(client_for, participant_user):
    job = Job.objects.create(
        name="tests.count_to",
        status=Job.Status.RUNNING,
        done=1,
        total=4,
        created_by=participant_user,
    )

    body = client_for(participant_user).get(f"/api/v1/jobs/{job.pk}/").json()

    assert (body["status"], body["done"], body["total"], body["percent"]) == (
        "running",
        1,
        4,
        25,
    )


def test_another_non_staff_user_gets_404(client_for, donor_user, trainer_user, participants_job):
    for user in (donor_user, trainer_user):
        response = client_for(user).get(f"/api/v1/jobs/{participants_job.pk}/")
        assert response.status_code == 404
        assert "Mine" not in response.content.decode()


def test_another_users_jobs_are_not_listed(client_for, donor_user, participants_job):
    response = client_for(donor_user).get("/api/v1/jobs/")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_program_staff_see_every_job(staff_api, participants_job):
    response = staff_api.get(f"/api/v1/jobs/{participants_job.pk}/")

    assert response.status_code == 200
    assert response.json()["label"] == "Mine"


def test_anonymous_cannot_read_jobs(api_client, participants_job):
    response = api_client.get(f"/api/v1/jobs/{participants_job.pk}/")

    assert response.status_code in (401, 403)


def test_trainer_cannot_read_the_errors_of_someone_elses_import(
    client_for, staff_user, trainer_user, inline
):
    data = "Nombres;Apellidos;DNI\r\nMaría;Huamán;10117410-3\r\n".encode()
    job = participants_import_start(data=data, filename="lista.csv", user=staff_user)
    assert job.status == Job.Status.FAILED
    assert "10117410" in str(job.result["errors"])  # the errors quote the file's data

    trainer = client_for(trainer_user)

    assert trainer.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert trainer.get("/api/v1/jobs/").json()["count"] == 0
