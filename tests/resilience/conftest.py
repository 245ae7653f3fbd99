"""Resilience tests (issue #12): each test stops one of the suite's own services
(PostgreSQL, Redis or Solr, through scripts/stack.sh) and starts it again in a
`finally`, so a failing test still restores it; every stop and start is bounded
(tests/support/resilience.py).

The tests that stop a service run only when the suite has its services to itself
(`make test`, .local/test.ini, as in CI): a parallel run (TEST_SLOT,
.local/test-<slot>.ini) shares the services with other runs and skips them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ckan import model
from ckan.tests import factories, helpers

STOPS_SERVICES = {"test_solr_down.py", "test_redis_down.py", "test_postgres_restart.py"}


def pytest_collection_modifyitems(config, items):
    ini = Path(config.getoption("ckan_ini") or "")
    if ini.name == "test.ini":
        return
    skip = pytest.mark.skip(reason="stops the suite's PostgreSQL, Redis and Solr: "
                                   "runs only with .local/test.ini (make test, no TEST_SLOT)")
    for item in items:
        if Path(str(item.fspath)).name in STOPS_SERVICES:
            item.add_marker(skip)


@pytest.fixture
def agency():
    """A sandbox agency with its focal officer (an editor); purged afterwards with
    every dataset made in it."""
    officer = factories.UserWithToken()
    org = factories.Organization(users=[{"name": officer["name"], "capacity": "editor"}])
    yield {"org": org, "officer": officer}
    model.Session.remove()
    site = {"user": helpers.call_action("get_site_user", context={"ignore_auth": True})["name"],
            "ignore_auth": True}
    for (package_id,) in model.Session.query(model.Package.id).filter(model.Package.owner_org == org["id"]):
        helpers.call_action("dataset_purge", context=dict(site), id=package_id)
    helpers.call_action("organization_purge", context=dict(site), id=org["id"])
