"""tests/portal: home page, dataset page (preview, chart, downloads, API snippets) and
the developer page, through CKAN's test client on the real services."""
from __future__ import annotations

import pytest

from ckan.tests import helpers

from tests.support.portal import make_agency, make_dataset
from tests.support.sandbox import purge_agency


@pytest.fixture(scope="module")
def client():
    return helpers._get_test_app()


@pytest.fixture(scope="module")
def agency():
    made = make_agency()
    yield made
    purge_agency(made["org"]["id"])


@pytest.fixture(scope="module")
def dataset(agency):
    return make_dataset(agency["org"])
