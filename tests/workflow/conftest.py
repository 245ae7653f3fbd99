"""Fixtures of the catalog workflow tests: the five roles, two agencies, a test province.

Catalogs here belong to the province "Thử Nghiệm", so the compliance figures of the
seeded provinces are never touched, and are purged when the module ends. Reviewers are the user names in
`ckanext.opendata_vn.reviewers`, set per test (the option is read on every check).
"""
from __future__ import annotations

import uuid

import pytest

from ckan.common import config
from ckan.tests import factories

from tests.support.workflow import PROVINCE, REVIEWER, call


@pytest.fixture(autouse=True)
def reviewer_config(monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", f"{REVIEWER} bt_reviewer")


@pytest.fixture(scope="module")
def people(portal):
    """anonymous, focal officers of agencies A and B, an IT reviewer (not sysadmin), a sysadmin.
    The module's catalogs, datasets and agencies are purged afterwards."""
    from ckan import model
    from tests.support.sandbox import Sandbox
    box = Sandbox(PROVINCE)
    reviewer = model.User.get(REVIEWER)
    reviewer = {"name": reviewer.name, "id": reviewer.id} if reviewer else factories.User(name=REVIEWER)
    officer_a, officer_b = factories.User(), factories.User()
    suffix = uuid.uuid4().hex[:6]
    agency_a = factories.Organization(name=f"thu-nghiem-so-a-{suffix}", title="Sở A tỉnh Thử Nghiệm",
                                      users=[{"name": officer_a["name"], "capacity": "editor"}])
    agency_b = factories.Organization(name=f"thu-nghiem-so-b-{suffix}", title="Sở B tỉnh Thử Nghiệm",
                                      users=[{"name": officer_b["name"], "capacity": "editor"}])
    yield {
        "anonymous": None, "officer": officer_a["name"], "other_officer": officer_b["name"],
        "reviewer": reviewer["name"], "sysadmin": factories.Sysadmin()["name"],
        "agency_a": agency_a, "agency_b": agency_b,
    }
    box.clean()


@pytest.fixture
def new_catalog(people):
    """A fresh draft catalog of the test province (unique key)."""
    def make(year: int = 2031):
        return call("opendata_vn_catalog_create", people["reviewer"], province=PROVINCE, year=year,
                    key=f"thu-nghiem-{year}-{uuid.uuid4().hex[:8]}")
    return make
