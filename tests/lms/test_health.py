"""/healthz and /readyz: what a load balancer or an orchestrator sees."""

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto import mock_aws

from lms.celery import app as celery_app
from lms.settings.storages import s3_storages

REDIS = "redis://127.0.0.1:6379/15"
# Nothing listens on port 1: the connection is refused at once.
NO_BROKER = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers_without_the_database_host_check_or_https_redirect(
    client, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["lms.example.org"]
    with django_assert_num_queries(0):
        # A probe over plain HTTP from inside the container, with its own address as Host.
        response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_other_paths_still_get_the_host_check(client, settings):
    settings.ALLOWED_HOSTS = ["lms.example.org"]
    assert client.get("/healthzz", HTTP_HOST="10.0.3.7:8000").status_code == 400


@pytest.mark.django_db
def test_readyz_reports_each_check_when_all_pass(client, settings):
    settings.ALLOWED_HOSTS = ["lms.example.org"]
    response = client.get("/readyz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    # Jobs run in the web process here: there is no broker to reach.
    assert body["checks"]["broker"]["skipped"] == "inline"


@pytest.fixture
def broker_at(settings, monkeypatch):
    def use(url):
        settings.LMS_JOBS_BACKEND = "celery"
        monkeypatch.setattr(celery_app.conf, "broker_url", url)

    return use


@pytest.mark.django_db
def test_readyz_reaches_the_celery_broker(client, broker_at):
    broker_at(REDIS)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_down_and_says_which_check(client, broker_at):
    broker_at(NO_BROKER)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # The error's class, never its text (which may carry a host name or a password).
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_is_503_when_a_storage_folder_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the private folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": blocker / "private"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == {
        "ok": False,
        "error": "PermissionError",
        "ms": response.json()["checks"]["storage"]["ms"],
    }


def _s3_storages(bucket: str) -> dict:
    return s3_storages(bucket=bucket, region="us-east-1")


@pytest.fixture
def s3(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="lms-files")
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("s3")
def test_readyz_reaches_the_s3_bucket_and_fails_when_it_is_missing(client, settings):
    settings.STORAGES = {**settings.STORAGES, **_s3_storages("lms-files")}
    assert client.get("/readyz").status_code == 200
    settings.STORAGES = {**settings.STORAGES, **_s3_storages("no-such-bucket")}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


@pytest.mark.usefixtures("s3")
def test_private_files_on_s3_are_private_objects_under_their_prefix(settings):
    settings.STORAGES = {**settings.STORAGES, **_s3_storages("lms-files")}
    name = storages["private"].save("certificates/x.pdf", ContentFile(b"%PDF-1.7 test"))
    client = boto3.client("s3", region_name="us-east-1")
    stored = client.get_object(Bucket="lms-files", Key=f"private/{name}")
    assert stored["Body"].read() == b"%PDF-1.7 test"
    grants = client.get_object_acl(Bucket="lms-files", Key=f"private/{name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    # A link to it is signed and expires.
    url = storages["private"].url(name)
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
    # Encrypted at rest.
    assert stored["ServerSideEncryption"] == "AES256"
