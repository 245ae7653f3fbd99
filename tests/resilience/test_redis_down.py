"""Redis stopped: pages, the API, writes and uploads keep working; anti-spam limits are
counted in the process; a harvest job or a DataStore load created meanwhile is queued
when Redis is back."""
from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import helpers

from ckanext.harvest.model import HarvestJob
from ckanext.opendata_vn.feedback import antispam
from ckanext.opendata_vn.resilience import harvest_queue, job_queue

from tests.support.resilience import new_dataset, stopped


def test_pages_api_and_writes_while_redis_is_down(app, agency):
    existing = new_dataset(agency)
    with stopped("redis"):
        assert app.get("/").status_code == 200
        assert app.get(f"/dataset/{existing['name']}").status_code == 200
        assert app.get("/dataset/?q=trường").status_code == 200
        shown = app.get(f"/api/3/action/package_show?id={existing['id']}")
        assert shown.status_code == 200 and shown.json["success"] is True
        created = new_dataset(agency)
    assert model.Package.get(created["id"]).state == "active"


def test_rate_limits_fall_back_to_the_process(app, monkeypatch):
    monkeypatch.setitem(antispam.tk.config, "ckanext.opendata_vn.feedback_limits", "2/600")
    context = {"user": ""}
    with stopped("redis"), app.flask_app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.77"}):
        antispam.check_rate("submit", context)
        antispam.check_rate("submit", context)
        with pytest.raises(antispam.RateLimited):
            antispam.check_rate("submit", context)


def test_harvest_job_created_while_redis_is_down_is_queued_when_it_returns(app, agency):
    from ckanext.harvest.queue import get_connection, get_gather_routing_key, purge_queues
    dataset = new_dataset(agency)
    site = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    source = helpers.call_action("opendata_vn_harvest_source_create", context={"user": site},
                                 dataset_id=dataset["id"], source_type="vn_excel",
                                 url="http://127.0.0.1:9/truong-hoc.csv")
    purge_queues()
    try:
        with stopped("redis"):  # the queue cannot be reached: the officer is told so...
            answer = app.post("/api/3/action/opendata_vn_harvest_run", json={"id": source["id"]},
                              headers={"Authorization": agency["officer"]["token"]})
            model.Session.remove()
        assert answer.status_code == 503 and answer.json["success"] is False
        assert "Hàng đợi xử lý tạm thời không khả dụng" in answer.json["error"]["message"]
        # ...but the job is recorded, and sent once Redis answers again
        job = model.Session.query(HarvestJob).filter_by(source_id=source["id"]).one()
        assert job.status == "Running" and job.gather_started is None
        # (other tests' unsent jobs may be re-sent in the same sweep: only ours is checked)
        assert job.id in harvest_queue.requeue_unsent_jobs(min_age=0)
        queued = [json.loads(m)["harvest_job_id"] for m in get_connection().lrange(get_gather_routing_key(), 0, -1)]
        assert job.id in queued
        assert job.id not in harvest_queue.requeue_unsent_jobs(min_age=0)  # queued once only
    finally:
        purge_queues()
        model.Session.remove()
        for job in model.Session.query(HarvestJob).filter_by(source_id=source["id"]):
            model.Session.delete(job)
        model.Session.commit()
        helpers.call_action("opendata_vn_harvest_source_delete", context={"user": site}, id=source["id"])


def test_upload_while_redis_is_down_is_loaded_when_it_returns(app, agency):
    from tests.support.loader import api, queued_loads, run_worker, state
    from ckanext.opendata_vn.loader.model import DatastoreLoad

    dataset = new_dataset(agency)
    csv = "Tên trường,Số học sinh\nTrường A,120\nTrường B,340\n".encode("utf-8")
    rid = None
    try:
        with stopped("redis"):
            res = api(app, "resource_create", agency["officer"], files={"upload": (csv, "hoc-sinh.csv")},
                      package_id=dataset["id"], name="Số học sinh")["result"]
        rid = res["id"]
        assert state(rid)["state"] == "queued" and rid not in queued_loads()
        # (other tests' lost loads may be re-queued in the same sweep: only ours is checked)
        assert rid in job_queue.requeue_lost_loads(min_age=0)
        assert queued_loads().count(rid) == 1
        assert rid not in job_queue.requeue_lost_loads(min_age=0)  # queued once only
        run_worker()
        assert state(rid)["state"] == "loaded" and state(rid)["rows"] == 2
    finally:
        if rid and state(rid)["datastore_active"]:
            helpers.call_action("datastore_delete", context={"ignore_auth": True}, resource_id=rid, force=True)
            model.Session.query(DatastoreLoad).filter_by(resource_id=rid).delete()
            model.Session.commit()
