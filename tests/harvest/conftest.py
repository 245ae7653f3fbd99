"""Harvest tests: a real HTTP server on 127.0.0.1 (a thread of the test process) serves
the agencies' files; jobs go through the real Redis queues (this slot's Redis DB) and
ckanext-harvest's own gather/fetch callbacks, in process; datasets, resources and
DataStore tables are real.
"""
from __future__ import annotations

import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.support.harvest import Server
from tests.support.sandbox import purge_agency


@pytest.fixture(scope="session")
def http_server():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True)
def _clean_queues():
    from ckanext.harvest import queue
    queue.purge_queues()
    yield


@pytest.fixture(scope="module")
def agency():
    """An agency with a focal officer (editor), its admin, and an outsider."""
    officer = factories.User()
    admin = factories.User()
    org = factories.Organization(users=[{"name": officer["name"], "capacity": "editor"},
                                        {"name": admin["name"], "capacity": "admin"}])
    yield {"org": org, "officer": officer, "admin": admin}
    purge_agency(org["id"])


@pytest.fixture
def dataset(agency, unique):
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return helpers.call_action(
        "package_create", context={"user": site, "ignore_auth": True},
        name=f"ds-{unique}", title=f"Danh sách trường học {unique}",
        notes="Danh sách trường học trên địa bàn tỉnh.", owner_org=agency["org"]["id"],
        theme="giao-duc", update_frequency="quarterly")


