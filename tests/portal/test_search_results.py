"""A page of search results shows, for each dataset, what a catalog reader needs
(agency, catalog years) with the page's catalog entries read in one query, not one per
result (province/listing.py search_items; issue #12)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from ckan import model
from ckan.tests import helpers


@pytest.fixture
def entry_queries():
    """The SQL statements that read catalog entries while the test runs."""
    seen: list[str] = []
    engine = model.meta.engine

    def count(conn, cursor, statement, *args):
        if "FROM opendata_vn_catalog_entry" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_results_show_years_and_agency_from_one_query(client, seeded_catalogs, entry_queries):
    found = helpers.call_action("package_search", q="", rows=20, sort="name asc", include_private=False)
    assert len(found["results"]) == 20
    page = client.get("/dataset/", query_string={"sort": "name asc"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert len(entry_queries) == 1, entry_queries

    items = html.split('class="dataset-item')[1:]
    assert len(items) == 20
    for pkg, item in zip(found["results"], items):
        assert pkg["name"] in item
        shown = helpers.call_action("package_show", id=pkg["id"])
        years = sorted({e["catalog_year"] for e in shown["catalog_entries"] if e["catalog_state"] == "published"})
        listed = re.search(r"<dt>Năm danh mục</dt><dd>([^<]*)</dd>", item)
        assert (listed.group(1) if listed else "") == ", ".join(str(y) for y in years), pkg["name"]
        agency = re.search(r'class="odvn-item-agency">([^<]*)<', item)
        assert agency and agency.group(1).strip() == pkg["organization"]["title"].replace("&", "&amp;")
