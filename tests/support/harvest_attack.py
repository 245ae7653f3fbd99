"""Helpers of the harvest security tests: two agencies with focal officers (API
tokens), loopback HTTP servers as remote sources (tests/support/harvest.py),
the Action API over HTTP, and cleanup of the sources a test made."""
from __future__ import annotations

import uuid

import pytest

from ckan import model
from ckan.tests import factories, helpers

from tests.support.harvest import (Server, process_queued_job, site_user,  # noqa: F401
                                   xlsx_bytes)

ALLOWED = "ckanext.opendata_vn.fetch_allowed_networks"
SECRET = "ckanext.opendata_vn.harvest.secret."


def token(user: dict) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def api(app, action: str, user: dict | None = None, **data):
    """POST /api/3/action/<action> as `user` (anonymous when None); the response."""
    return app.post(f"/api/3/action/{action}", json=data, headers=token(user) if user else {})


def error_text(response) -> str:
    import json
    return json.dumps(response.json.get("error", {}), ensure_ascii=False)


class Agency:
    def __init__(self, sandbox):
        self.officer = factories.User(name=f"can-bo-{uuid.uuid4().hex[:8]}")
        self.org = helpers.call_action(
            "organization_create", context={"user": site_user(), "ignore_auth": True},
            name=f"so-thu-{uuid.uuid4().hex[:8]}", title=f"Sở thử {uuid.uuid4().hex[:4]}",
            users=[{"name": self.officer["name"], "capacity": "editor"}])
        self.name = self.org["name"]

    def dataset(self, private: bool = False, **fields) -> dict:
        unique = uuid.uuid4().hex[:8]
        return helpers.call_action(
            "package_create", context={"user": site_user(), "ignore_auth": True},
            name=f"ds-sec-{unique}", title=fields.pop("title", f"Dữ liệu thử {unique}"),
            notes="Dữ liệu thử.", owner_org=self.org["id"], theme="giao-duc",
            update_frequency="quarterly", private=private, **fields)


@pytest.fixture(scope="module")
def http_server():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def agencies(sandbox):
    return Agency(sandbox), Agency(sandbox)


@pytest.fixture
def made_sources(sandbox):
    """Ids of harvest sources the test made: their jobs, objects and the source itself
    are removed afterwards, so the sandbox can purge the datasets and agencies."""
    made: list[str] = []
    yield made
    from ckanext.harvest.model import HarvestSource
    from ckanext.harvest import queue
    queue.purge_queues()
    model.Session.remove()
    for source_id in made:
        if model.Package.get(source_id) is None:
            continue
        helpers.call_action("harvest_source_job_history_clear", context={"user": site_user()}, id=source_id)
        source = HarvestSource.get(source_id)
        if source is not None:
            model.Session.delete(source)
            model.Session.commit()
        helpers.call_action("dataset_purge", context={"user": site_user(), "ignore_auth": True}, id=source_id)
    model.Session.remove()


@pytest.fixture(autouse=True)
def _empty_queues():
    from ckanext.harvest import queue
    queue.purge_queues()
    yield
