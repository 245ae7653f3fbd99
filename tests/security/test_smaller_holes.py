"""The smaller holes of issue 11, each tried over HTTP against the real app: bulk
publication of an unapproved entry, draft entries on the public agency page, a
private dataset attached to a public data request, private dataset names in the
compliance report, a forged voter cookie."""
from __future__ import annotations

import uuid

import pytest
from bs4 import BeautifulSoup

from ckan import model
from ckan.common import config
from ckan.tests import factories, helpers

from tests.support.web import csrf_token, fresh_address, make_agency, make_dataset
from tests.support.workflow import call, entry_fields

REVIEWER = "sec_reviewer"


@pytest.fixture(autouse=True)
def reviewers(monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.reviewers", REVIEWER)


@pytest.fixture
def reviewer():
    user = model.User.get(REVIEWER)
    return user.name if user else factories.User(name=REVIEWER)["name"]


@pytest.fixture
def proposal(sandbox, reviewer):
    """An agency whose officer proposed an entry (a private dataset) in a draft catalog."""
    agency = make_agency()
    draft = call("opendata_vn_catalog_create", reviewer, province=sandbox.province, year=2031,
                 key=f"sec-{uuid.uuid4().hex[:8]}")
    entry = call("opendata_vn_entry_create", agency["officer"]["name"], catalog_id=draft["id"],
                 owner_org=agency["org"]["id"], **entry_fields(f"Danh sách nhà thuốc {uuid.uuid4().hex[:6]}"))
    return {**agency, "catalog": draft, "entry": entry}


def _api(app, action, data, token=None):
    headers = {"Authorization": token} if token else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers,
                    environ_base={"REMOTE_ADDR": fresh_address()})


def test_bulk_update_public_cannot_publish_an_unapproved_entry(app, proposal):
    # the agency's admin (bulk actions need the organization's "update" permission)
    res = _api(app, "bulk_update_public", {"org_id": proposal["org"]["id"], "datasets": [proposal["entry"]["package_id"]]},
               proposal["admin"]["token"])
    assert res.status_code == 403, res.json
    model.Session.remove()
    assert model.Package.get(proposal["entry"]["package_id"]).private is True


def test_bulk_update_public_still_works_for_datasets_outside_any_catalog(app, sandbox):
    agency = make_agency()
    ds = make_dataset(agency["org"], private=True, datastore=False)
    res = _api(app, "bulk_update_public", {"org_id": agency["org"]["id"], "datasets": [ds["id"]]},
               agency["admin"]["token"])
    assert res.status_code == 200, res.json
    model.Session.remove()
    assert model.Package.get(ds["id"]).private is False


def test_draft_entries_are_not_on_the_public_agency_page(app, proposal):
    # the dataset made public by an admin: still only a draft entry
    site = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    helpers.call_action("package_patch", context={"user": site, "ignore_auth": True},
                        id=proposal["entry"]["package_id"], private=False)
    title = proposal["entry"]["title"]

    def entries_section(headers=None) -> str:
        page = BeautifulSoup(app.get(f"/organization/{proposal['org']['name']}", headers=headers or {})
                             .get_data(as_text=True), "html.parser")
        section = page.select_one("section.agency-catalog")
        return section.get_text(" ") if section else ""
    assert title not in entries_section()
    assert title in entries_section({"Authorization": proposal["officer"]["token"]}), \
        "the agency's own officer sees its draft entries"


def _data_request(app) -> str:
    res = _api(app, "opendata_vn_data_request_create", {"title": f"Danh sách quán karaoke {uuid.uuid4().hex[:6]}"})
    assert res.status_code == 200, res.json
    return res.json["result"]["id"]


def test_officer_cannot_attach_another_agencys_private_dataset_to_a_request(app, sandbox, reviewer):
    mine, theirs = make_agency(), make_agency()
    secret = make_dataset(theirs["org"], private=True, datastore=False, title="Danh sách cán bộ diện quy hoạch")
    rid = _data_request(app)
    res = _api(app, "opendata_vn_data_request_update", {"id": rid, "organization": mine["org"]["id"]},
               factories.APIToken(user=reviewer)["token"])
    assert res.status_code == 200, res.json
    res = _api(app, "opendata_vn_data_request_update",
               {"id": rid, "state": "closed", "close_reason": "fulfilled", "package_id": secret["id"]},
               mine["officer"]["token"])
    assert res.status_code == 409 and "package_id" in res.json["error"], res.json
    shown = app.get(f"/api/3/action/opendata_vn_data_request_show?id={rid}").json["result"]
    assert shown["package_id"] is None
    assert "Danh sách cán bộ diện quy hoạch" not in app.get(f"/yeu-cau-du-lieu/{rid}").get_data(as_text=True)


def test_own_private_dataset_cannot_be_attached_either(app, sandbox, reviewer):
    mine = make_agency()
    private = make_dataset(mine["org"], private=True, datastore=False)
    public = make_dataset(mine["org"], datastore=False)
    rid = _data_request(app)
    _api(app, "opendata_vn_data_request_update", {"id": rid, "organization": mine["org"]["id"]},
         factories.APIToken(user=reviewer)["token"])
    res = _api(app, "opendata_vn_data_request_update", {"id": rid, "package_id": private["id"]},
               mine["officer"]["token"])
    assert res.status_code == 409 and "chưa công khai" in res.json["error"]["package_id"][0]
    res = _api(app, "opendata_vn_data_request_update", {"id": rid, "package_id": public["id"]},
               mine["officer"]["token"])
    assert res.status_code == 200 and res.json["result"]["package_id"] == public["id"]


def test_compliance_report_hides_datasets_that_became_private(app, sandbox, reviewer):
    """A published catalog's entry whose dataset is made private afterwards."""
    agency = make_agency()
    draft = call("opendata_vn_catalog_create", reviewer, province=sandbox.province, year=2024,
                 key=f"sec-pub-{uuid.uuid4().hex[:8]}")
    entry = call("opendata_vn_entry_create", agency["officer"]["name"], catalog_id=draft["id"],
                 owner_org=agency["org"]["id"], **entry_fields("Danh sách điểm cầm đồ"))
    call("opendata_vn_entry_submit", agency["officer"]["name"], id=entry["id"])
    call("opendata_vn_entry_approve", reviewer, id=entry["id"])
    call("opendata_vn_catalog_approve", reviewer, id=draft["id"])
    call("opendata_vn_catalog_publish", reviewer, id=draft["id"], document_number="12/QĐ-UBND",
         document_date="2024-01-15")
    site = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    pkg = helpers.call_action("package_patch", context={"user": site, "ignore_auth": True},
                              id=entry["package_id"], private=True, title="Tên nội bộ không công khai")
    query = f"province={sandbox.province}&year=2024&include_entries=true"
    anonymous = app.get(f"/api/3/action/opendata_vn_compliance_report?{query}").json["result"]
    rows = [r for r in anonymous["entries"] + anonymous["overdue"] if r["package_id"] == pkg["id"]]
    assert rows, "the entry is still counted"
    assert all(r["package_name"] is None and r["dataset_title"] is None for r in rows)
    assert pkg["name"] not in str(anonymous) and "Tên nội bộ không công khai" not in str(anonymous)
    staff = app.get(f"/api/3/action/opendata_vn_compliance_report?{query}",
                    headers={"Authorization": agency["officer"]["token"]}).json["result"]
    assert {r["package_name"] for r in staff["entries"] if r["package_id"] == pkg["id"]} == {pkg["name"]}


def test_forged_voter_cookie_does_not_count_as_a_new_voter(app):
    rid = _data_request(app)
    address = fresh_address()
    for _ in range(3):  # three "browsers", each with a made-up voter id, behind one address
        visitor = app.test_client()
        page = visitor.get(f"/yeu-cau-du-lieu/{rid}", environ_base={"REMOTE_ADDR": address})
        token = csrf_token(page.get_data(as_text=True))
        visitor.set_cookie("odvn_voter", uuid.uuid4().hex, domain=page.request.host.split(":")[0])
        res = visitor.post(f"/yeu-cau-du-lieu/{rid}/binh-chon", data={"_csrf_token": token},
                           environ_base={"REMOTE_ADDR": address}, follow_redirects=False)
        assert res.status_code == 302
    shown = app.get(f"/api/3/action/opendata_vn_data_request_show?id={rid}").json["result"]
    assert shown["vote_count"] == 2, "the requester and one vote for the address"


def test_the_voter_cookie_the_portal_issues_is_signed_and_counts_once(app):
    rid = _data_request(app)
    visitor = app.test_client()
    address = fresh_address()
    page = visitor.get(f"/yeu-cau-du-lieu/{rid}", environ_base={"REMOTE_ADDR": address})
    res = visitor.post(f"/yeu-cau-du-lieu/{rid}/binh-chon", data={"_csrf_token": csrf_token(page.get_data(as_text=True))},
                       environ_base={"REMOTE_ADDR": address}, follow_redirects=False)
    cookie = [c for c in res.headers.getlist("Set-Cookie") if c.startswith("odvn_voter=")]
    assert cookie and "." in cookie[0].split(";")[0], cookie  # id.signature
    page = visitor.get(f"/yeu-cau-du-lieu/{rid}", environ_base={"REMOTE_ADDR": address})
    visitor.post(f"/yeu-cau-du-lieu/{rid}/binh-chon", data={"_csrf_token": csrf_token(page.get_data(as_text=True))},
                 environ_base={"REMOTE_ADDR": address})
    assert app.get(f"/api/3/action/opendata_vn_data_request_show?id={rid}").json["result"]["vote_count"] == 2
