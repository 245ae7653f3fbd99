"""Test set-up shared by the whole suite.

Tests run against the real services `make test` provisions (PostgreSQL databases
ckan_test/datastore_test, Solr core ckan_test, Redis DB 1; see config/test.ini).
The database is emptied once per session, not per test (too slow on 2 cores): tests
create their own, uniquely named objects with CKAN's factories.
"""
from __future__ import annotations

import pytest

import ckan.plugins as plugins
from ckan.common import config


MIGRATED_PLUGINS = ("activity", "harvest", "opendata_vn")


def pytest_addoption(parser):
    parser.addoption("--reverse", action="store_true",
                     help="run the tests in reverse file order (with -p no:randomly): "
                          "shows a test that relies on an earlier one")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    if config.getoption("--reverse"):
        items.reverse()


@pytest.fixture(scope="session")
def reset_db():
    """CKAN's reset drops every table and re-runs only core migrations; migrate the
    plugins' tables (activity, harvest, ours) again too."""
    from ckan import model
    from ckan.cli.db import _run_migrations
    from ckan.tests import factories

    def reset():
        factories.fake.unique.clear()
        model.Session.close_all()
        model.repo.rebuild_db()
        for plugin in MIGRATED_PLUGINS:
            _run_migrations(plugin)
    return reset


@pytest.fixture(scope="session", autouse=True)
def portal(reset_db, reset_index, reset_redis):
    """Empty database, index and queues once, then load the configured plugins.

    CKAN's pytest plugin unloads non-system plugins before the test loop; the portal
    is tested as it is configured, so they are loaded again here for the session.
    """
    from ckan.tests import factories
    factories.fake.seed_instance(47)  # the same generated names and texts on every run
    plugins.load_all()
    reset_db()
    reset_index()
    reset_redis()
    yield config
    plugins.unload_all()


@pytest.fixture
def sysadmin():
    from ckan.tests import factories
    return factories.Sysadmin()


@pytest.fixture(scope="session")
def seeded_catalogs(portal):
    """All four seed catalogs loaded once per session (loading takes ~30 s on 2 cores).

    Returns the loader's summaries; tests must not change seeded datasets they
    don't create themselves.
    """
    from ckan.tests import factories
    from ckanext.opendata_vn.catalog.seeds import default_seed_files, load_seed_files
    admin = factories.Sysadmin()
    return load_seed_files(default_seed_files(), user=admin["name"])


@pytest.fixture
def sandbox(portal):
    """A province of the test's own (`sandbox.province`); the catalogs, datasets and
    agencies the test makes are purged afterwards (tests/support/sandbox.py)."""
    import uuid
    from tests.support.sandbox import Sandbox
    letters = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:6])
    box = Sandbox(f"Hộp Cát {letters.capitalize()}")
    yield box
    box.clean()


@pytest.fixture
def smtp_server(monkeypatch):
    """CKAN's mailer pointed at a real SMTP server on loopback (tests/support/smtp_loopback.py)."""
    from tests.support import smtp_loopback
    server = smtp_loopback.start()
    monkeypatch.setitem(config, "smtp.server", f"127.0.0.1:{server.server_address[1]}")
    monkeypatch.setitem(config, "smtp.mail_from", "cong-du-lieu@bacgiang.example.gov.vn")
    yield server
    server.shutdown()
    server.server_close()
