"""tests/feedback: problem reports, ratings, data requests, votes, the inbox, and the
anti-spam measures, through the Action API and the pages (CKAN's test client on the
real PostgreSQL and Redis). Every test posts from its own made-up address, so the
per-address rate limits of different tests never meet."""
from __future__ import annotations

import pytest

from ckan.common import config
from ckan.tests import factories, helpers

from tests.support.feedback import fresh_address
from tests.support.portal import make_agency, make_dataset
from tests.support.sandbox import purge_agency

REVIEWER = "feedback-it-reviewer"


@pytest.fixture(autouse=True)
def reviewers(monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", REVIEWER)


@pytest.fixture(scope="module")
def client():
    return helpers._get_test_app()


@pytest.fixture(scope="module")
def agency():
    made = make_agency()
    yield made
    purge_agency(made["org"]["id"])


@pytest.fixture(scope="module")
def other_agency():
    made = make_agency(title="Sở Xây dựng")
    yield made
    purge_agency(made["org"]["id"])


@pytest.fixture(scope="module")
def dataset(agency):
    return make_dataset(agency["org"], datastore=False)


@pytest.fixture(scope="module")
def it_staff():
    from ckan import model
    user = model.User.get(REVIEWER)
    if user is None:
        return factories.UserWithToken(name=REVIEWER)
    token = helpers.call_action("api_token_create", context={"ignore_auth": True, "user": user.name},
                                user=user.name, name="tests")["token"]
    return {"name": user.name, "id": user.id, "token": token}


@pytest.fixture
def address():
    """A fresh visitor address for this test."""
    return fresh_address()
