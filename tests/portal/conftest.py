"""tests/portal: home page, dataset page (preview, chart, downloads, API snippets) and
the developer page, through CKAN's test client on the real services."""
from __future__ import annotations

import pytest

from ckan.tests import helpers

from tests.support.portal import make_agency, make_dataset


@pytest.fixture(scope="module")
def client():
    return helpers._get_test_app()


@pytest.fixture(scope="module")
def agency():
    return make_agency()


@pytest.fixture(scope="module")
def dataset(agency):
    return make_dataset(agency["org"])
