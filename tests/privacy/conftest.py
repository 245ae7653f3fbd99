"""Personal-data guard tests: real services, the loopback HTTP server and job runner of
tests/support/harvest.py, a loopback SMTP server for rejection notices.

IT reviewers are configured per test module (`pytestmark` with ckan_config)."""
from __future__ import annotations

import uuid

import pytest

from tests.support.harvest import Server
from tests.support.privacy import make_agency


@pytest.fixture(scope="session")
def http_server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _clean_queues():
    from ckanext.harvest import queue
    queue.purge_queues()
    yield


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def agency():
    """The module's agency; it and the datasets and catalogs the module makes are purged
    when the module ends."""
    from tests.support.sandbox import Sandbox
    box = Sandbox("Bắc Giang")
    yield make_agency()
    box.clean()


@pytest.fixture(scope="module", autouse=True)
def reviewer():
    """The configured IT reviewer (tests.support.privacy.REVIEWER), there for every test:
    `decide()` acts as this user whether or not the test asks for the fixture."""
    from ckan.tests import factories
    from ckan import model
    user = model.User.get("pv_reviewer")
    if user is None:
        return factories.UserWithToken(name="pv_reviewer", email="pv_reviewer@example.gov.vn")
    token = factories.APIToken(user=user.name)
    return {"name": user.name, "id": user.id, "token": token["token"]}


@pytest.fixture(scope="module")
def client():
    from ckan.tests import helpers
    return helpers._get_test_app()
