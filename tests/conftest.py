import pytest
from django.utils import translation
from rest_framework.test import APIClient

from lms.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_user(db):
    return UserFactory(role=Role.PROGRAM_STAFF)


@pytest.fixture
def admin_role_user(db):
    return UserFactory(role=Role.PROGRAM_ADMIN)


@pytest.fixture
def trainer_user(db):
    return UserFactory(role=Role.TRAINER)


@pytest.fixture
def participant_user(db):
    return UserFactory(role=Role.PARTICIPANT)


@pytest.fixture
def donor_user(db):
    return UserFactory(role=Role.DONOR)


@pytest.fixture
def staff_api(api_client, staff_user):
    api_client.force_authenticate(staff_user)
    return api_client


@pytest.fixture
def client_for(db):
    """An API client logged in as the given user: ``client_for(trainer_user).get(...)``."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def english():
    """Run the test in English, so messages can be checked whatever translations exist."""
    with translation.override("en"):
        yield


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real row locks; CI runs them in its PostgreSQL pass. Tests
    marked `sqlite` check the embedded default's own paths and run in the SQLite pass."""
    from django.conf import settings

    other = (
        "sqlite"
        if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        else "postgres"
    )
    selected = [item for item in items if other not in item.keywords]
    deselected = [item for item in items if other in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
