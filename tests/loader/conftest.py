"""Upload loader tests: real services, the loopback HTTP server of tests/harvest, the
personal-data guard's helpers (tests/privacy), CKAN's job queue on the slot's Redis."""
from __future__ import annotations

import pytest

from tests.support.harvest import Server


@pytest.fixture(scope="module")
def http_server():
    server = Server()
    yield server
    server.close()


@pytest.fixture(scope="module")
def client():
    from ckan.tests import helpers
    return helpers._get_test_app()


@pytest.fixture
def uploads(sandbox):
    """An agency (officer, admin, outsider) and a dataset of a sandbox; afterwards the
    DataStore tables, load states and queued jobs made for them are removed too."""
    from tests.support.loader import Uploads
    made = Uploads()
    yield made
    made.clean()
