"""The index is made to hold exactly the database's datasets: a document of a write
PostgreSQL refused (Solr took it before the commit failed) is removed, a dataset
missing from the index is indexed. Runs without stopping any service."""
from __future__ import annotations

import uuid

from ckan import model
import ckan.lib.search as search
from ckan.tests import helpers

from ckanext.opendata_vn.resilience import search_index

from tests.support.resilience import new_dataset


def _in_index(package_id: str) -> int:
    return helpers.call_action("package_search", context={"ignore_auth": True},
                               q=f"id:{package_id}", include_private=True)["count"]


def test_a_document_without_its_dataset_is_removed(agency):
    dataset = new_dataset(agency)
    phantom = helpers.call_action("package_show", context={"ignore_auth": True}, id=dataset["id"])
    phantom.update(id=str(uuid.uuid4()), name=f"phantom-{uuid.uuid4().hex[:8]}")
    index = search.index_for(model.Package)
    index.update_dict(phantom)
    try:
        assert _in_index(phantom["id"]) == 1

        young = search_index.reconcile(grace_seconds=3600)  # maybe a write in flight: kept
        assert _in_index(phantom["id"]) == 1, young
        assert search_index.reconcile(grace_seconds=0)["removed"] >= 1  # (and whatever else was astray)
        assert _in_index(phantom["id"]) == 0 and _in_index(dataset["id"]) == 1
    finally:
        index.delete_package({"id": phantom["id"]})


def test_a_dataset_missing_from_the_index_is_indexed(agency):
    missing = new_dataset(agency)
    search.index_for(model.Package).delete_package({"id": missing["id"]})
    assert _in_index(missing["id"]) == 0

    assert search_index.reconcile(grace_seconds=0)["indexed"] >= 1
    assert _in_index(missing["id"]) == 1
    assert search_index.reconcile(grace_seconds=0) == {"removed": 0, "indexed": 0}
