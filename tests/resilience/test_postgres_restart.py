"""PostgreSQL restarted: the next requests, DataStore reads and scheduler steps succeed
without restarting anything (pooled connections are tested before use)."""
from __future__ import annotations

from ckan import model
from ckan.tests import helpers

from ckanext.opendata_vn.harvest.job_scheduler import run_pass
from ckanext.opendata_vn.resilience import search_index

from tests.support.resilience import new_dataset, service


def test_requests_after_a_postgres_restart(app, agency):
    dataset = new_dataset(agency)
    resource = helpers.call_action("datastore_create", context={"user": agency["officer"]["name"]},
                                   resource={"package_id": dataset["id"], "name": "Số học sinh"},
                                   fields=[{"id": "truong", "type": "text"}, {"id": "so", "type": "int"}],
                                   records=[{"truong": "Trường A", "so": 120}])
    # warm every pool: web, DataStore, the session of this process
    assert app.get(f"/dataset/{dataset['name']}").status_code == 200
    assert app.get(f"/api/3/action/datastore_search?resource_id={resource['resource_id']}").status_code == 200
    try:
        service("restart", "postgresql")
    finally:
        service("start", "postgresql")  # no-op when the restart went through
    model.Session.remove()

    assert app.get(f"/dataset/{dataset['name']}").status_code == 200
    rows = app.get(f"/api/3/action/datastore_search?resource_id={resource['resource_id']}")
    assert rows.status_code == 200 and rows.json["result"]["records"][0]["so"] == 120
    shown = app.get(f"/api/3/action/package_show?id={dataset['id']}")
    assert shown.status_code == 200 and shown.json["result"]["name"] == dataset["name"]
    # the scheduler's steps run on the same kind of pooled session
    assert isinstance(run_pass()["created"], list)
    assert search_index.drain()["waiting"] == 0
