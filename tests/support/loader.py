"""Helpers for the upload loader and guard-coverage tests (not fixtures)."""
from __future__ import annotations

import io
import re

from ckan import model
from ckan.tests import helpers

from tests.support.privacy import make_agency, make_dataset, site_user  # noqa: F401

CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
LOAD_JOB = "ckanext.opendata_vn.loader.jobs.load_resource"


def auth(user: dict) -> dict:
    return {"Authorization": user["token"]}


def api(client, action: str, user: dict | None, *, files: dict | None = None, status: int | None = 200, **data):
    """POST /api/3/action/<action>: JSON, or multipart when files are sent."""
    headers = auth(user) if user else {}
    if files:
        form = {k: str(v) for k, v in data.items()}
        form.update({k: (io.BytesIO(body), name) for k, (body, name) in files.items()})
        response = client.post(f"/api/3/action/{action}", data=form, headers=headers,
                               content_type="multipart/form-data")
    else:
        response = client.post(f"/api/3/action/{action}", json=data, headers=headers)
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)[:800]
    return response.get_json()


def queued_loads() -> list[str]:
    """Resource ids of the loader jobs waiting on CKAN's queue."""
    from ckan.lib import jobs
    return [j.args[0] for j in jobs.get_queue().jobs if j.func_name == LOAD_JOB]


def run_worker() -> None:
    """CKAN's job queue worked off in this process (rq's SimpleWorker: no fork, so the
    test's database connections are not shared with a child)."""
    import rq
    from ckan.lib import jobs
    queue = jobs.get_queue()
    rq.SimpleWorker([queue], connection=queue.connection).work(burst=True)
    model.Session.remove()


def state(resource_id: str) -> dict:
    return helpers.call_action("opendata_vn_datastore_load_status", context={"user": site_user()}, id=resource_id)


def rows(resource_id: str) -> dict:
    return helpers.call_action("datastore_search", context={"user": site_user()}, resource_id=resource_id,
                               limit=100, sort="_id")


def login(client, user: dict):
    browser = client.test_client()
    page = browser.get("/user/login").get_data(as_text=True)
    browser.post("/user/login", data={"login": user["name"], "password": "correct123",
                                      "_csrf_token": CSRF.search(page).group(1)})
    return browser


def remove_loads(dataset_id: str) -> None:
    """A test dataset's DataStore tables, load states and queued loads go."""
    from ckan.lib import jobs
    from ckanext.opendata_vn.loader.model import DatastoreLoad
    model.Session.remove()
    pkg = model.Package.get(dataset_id)
    ids = [r.id for r in pkg.resources_all] if pkg is not None else []
    for rid in ids:
        try:
            helpers.call_action("datastore_delete", context={"user": site_user()}, resource_id=rid, force=True)
        except Exception:   # no table for this resource
            pass
    if ids:
        model.Session.query(DatastoreLoad).filter(DatastoreLoad.resource_id.in_(ids)).delete(
            synchronize_session=False)
        model.Session.commit()
    for job in jobs.get_queue().jobs:
        if job.func_name == LOAD_JOB and job.args[0] in ids:
            job.delete()


class Uploads:
    def __init__(self):
        self.agency = make_agency()
        self.officer = self.agency["officer"]
        self.outsider = self.agency["outsider"]
        self.dataset = make_dataset(self.agency, "Bảng giá đất")

    def clean(self) -> None:
        remove_loads(self.dataset["id"])
