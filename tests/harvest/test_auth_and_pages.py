"""Who may do what with sources: the dataset's focal officers (editors and admins of
its agency) and sysadmins; nobody else. The "Nguồn dữ liệu" tab and ckanext-harvest's
source page show the schedule and the last result."""
from __future__ import annotations

import re

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from tests.support.harvest import create_source, run_job, site_user, xlsx_bytes

ACTIONS = ("opendata_vn_harvest_source_show", "opendata_vn_harvest_source_update", "opendata_vn_harvest_run",
           "opendata_vn_harvest_source_delete")


def call_as(user, action, **data):
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action(action, context=context, **data)


@pytest.fixture(scope="module")
def others():
    other_org_editor = factories.User()
    factories.Organization(users=[{"name": other_org_editor["name"], "capacity": "editor"}])
    return {"outsider": factories.User(), "other_editor": other_org_editor, "sysadmin": factories.Sysadmin()}


def _token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_focal_officers_manage_their_datasets_sources(http_server, agency, dataset, unique, role):
    user = agency[role]
    url = http_server.add(f"/{unique}/{role}.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(dataset, url, user=user["name"])
    assert call_as(user, "opendata_vn_harvest_source_list", dataset_id=dataset["id"])[0]["id"] == source["id"]
    updated = call_as(user, "opendata_vn_harvest_source_update", id=source["id"], header_row="1")
    assert updated["config"]["header_row"] == 1
    job = call_as(user, "opendata_vn_harvest_run", id=source["id"])
    assert job["status"] == "Running"
    with pytest.raises(tk.ValidationError):   # one job at a time
        call_as(user, "opendata_vn_harvest_run", id=source["id"])
    # the source belongs to the dataset's agency and is not public
    pkg = helpers.call_action("package_show", context={"user": site_user()}, id=source["id"])
    assert pkg["owner_org"] == agency["org"]["id"] and pkg["private"] is True
    assert call_as(user, "opendata_vn_harvest_source_delete", id=source["id"])


@pytest.mark.parametrize("who", ["outsider", "other_editor", "anonymous"])
def test_nobody_else_can(http_server, agency, dataset, others, unique, who):
    user = None if who == "anonymous" else others[who]
    url = http_server.add(f"/{unique}/{who}.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(dataset, url)
    with pytest.raises(tk.NotAuthorized):
        call_as(user, "opendata_vn_harvest_source_create", dataset_id=dataset["id"], source_type="vn_excel",
                url=url + "?2")
    with pytest.raises(tk.NotAuthorized):
        call_as(user, "opendata_vn_harvest_source_list", dataset_id=dataset["id"])
    for action in ACTIONS:
        with pytest.raises(tk.NotAuthorized):
            call_as(user, action, id=source["id"])
    # nor through ckanext-harvest's own actions
    with pytest.raises((tk.NotAuthorized, tk.ObjectNotFound)):
        call_as(user, "harvest_source_show", id=source["id"])
    with pytest.raises(tk.NotAuthorized):
        call_as(user, "harvest_job_create", source_id=source["id"])
    with pytest.raises(tk.NotAuthorized):
        call_as(user, "harvest_source_list")


def test_sysadmins_see_all_sources_officers_only_their_own(http_server, agency, dataset, others, unique):
    url = http_server.add(f"/{unique}/all.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(dataset, url, user=agency["officer"]["name"])
    everything = call_as(others["sysadmin"], "harvest_source_list")
    assert source["id"] in [s["id"] for s in everything]
    with pytest.raises(tk.NotAuthorized):
        call_as(agency["officer"], "harvest_source_list")
    assert call_as(others["sysadmin"], "opendata_vn_harvest_source_show", id=source["id"])["id"] == source["id"]


def test_a_source_cannot_publish_into_another_agencys_dataset(http_server, dataset, others, unique):
    """Even through ckanext-harvest's generic API, a source of agency B naming agency
    A's dataset fails at gather: sources publish into their own agency's datasets only."""
    import json
    editor = others["other_editor"]
    org_b = helpers.call_action("organization_list_for_user", context={"user": editor["name"]},
                                id=editor["name"], permission="create_dataset")[0]
    url = http_server.add(f"/{unique}/b.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    created = helpers.call_action("harvest_source_create", context={"user": editor["name"], "ignore_auth": False},
                                  name=f"nguon-la-{unique}", url=url, source_type="vn_excel",
                                  owner_org=org_b["id"], config=json.dumps({"dataset_id": dataset["id"]}))
    job = run_job(created["id"])
    assert job["stats"]["errored"] == 1
    assert helpers.call_action("package_show", context={"user": site_user(), "use_cache": False},
                               id=dataset["id"])["resources"] == []


def test_clearing_an_attached_source_is_refused(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/clear.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(dataset, url)
    run_job(source["id"])
    sysadmin = {"user": site_user()}
    with pytest.raises(tk.ValidationError):
        helpers.call_action("harvest_source_clear", context=sysadmin, id=source["id"])
    with pytest.raises(tk.ValidationError):
        helpers.call_action("harvest_source_delete", context=dict(sysadmin, clear_source=True), id=source["id"])
    pkg = helpers.call_action("package_show", context={"user": site_user()}, id=dataset["id"])
    assert pkg["state"] == "active" and len(pkg["resources"]) == 3


def test_sources_tab_for_officers_only(app, http_server, agency, dataset, others, unique):
    url = http_server.add(f"/{unique}/tab.xlsx", xlsx_bytes([["Xã", "Dân số"], ["Xã A", 1200]]))
    source = create_source(dataset, url, title=f"Tệp dân số {unique}")
    run_job(source["id"])
    page = f"/dataset/{dataset['name']}/nguon-du-lieu"

    officer = _token(agency["officer"])
    dataset_page = app.get(f"/dataset/{dataset['name']}", headers=officer).get_data(as_text=True)
    assert page in dataset_page and "Nguồn dữ liệu" in dataset_page
    res = app.get(page, headers=officer)
    assert res.status_code == 200
    body = res.get_data(as_text=True)
    assert f"Tệp dân số {unique}" in body
    assert "Lần thu thập tới" in body and "Đã cập nhật dữ liệu" in body
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", body)          # the next due date, local time
    assert 'name="_csrf_token"' in body                                 # CKAN 2.11's CSRF field
    assert "Đọc được 1 dòng" in body                                   # the run's log

    for who in ("outsider", "other_editor"):
        assert app.get(page, headers=_token(others[who])).status_code == 403
        assert page not in app.get(f"/dataset/{dataset['name']}", headers=_token(others[who])).get_data(as_text=True)
    assert app.get(page).status_code in (403, 404)

    # add a source, run it, through the page's forms
    res = app.post(f"{page}/them", headers=officer, data={
        "source_type": "vn_api", "url": "https://api.example.org/dan-so", "records_path": "data",
        "pagination_type": "none", "auth_header": "", "auth_secret": ""}, follow_redirects=False)
    assert res.status_code == 302, res.get_data(as_text=True)[:2000]
    sources = helpers.call_action("opendata_vn_harvest_source_list", context={"user": site_user()},
                                  dataset_id=dataset["id"])
    assert {s["source_type"] for s in sources} == {"vn_excel", "vn_api"}
    bad = app.post(f"{page}/them", headers=officer, data={"source_type": "vn_excel", "url": "ftp://x"})
    assert bad.status_code == 400 and "http:// hoặc https://" in bad.get_data(as_text=True)
    res = app.post(f"{page}/{source['id']}/chay", headers=officer, follow_redirects=False)
    assert res.status_code == 302
    assert app.post(f"{page}/{source['id']}/chay", headers=_token(others["outsider"])).status_code == 403


def test_harvest_source_page_shows_schedule(app, http_server, agency, dataset, unique):
    url = http_server.add(f"/{unique}/src.xlsx", xlsx_bytes([["Xã", "Dân số"], ["Xã A", 1200]]))
    source = create_source(dataset, url)
    run_job(source["id"])
    body = app.get(f"/harvest/{source['name']}", headers=_token(agency["officer"])).get_data(as_text=True)
    assert "Lịch thu thập" in body and "Lần thu thập tới" in body
    admin = app.get(f"/harvest/admin/{source['name']}", headers=_token(agency["officer"])).get_data(as_text=True)
    assert "/harvest/clear/" not in admin
    status = helpers.call_action("harvest_source_show_status", context={"user": site_user()}, id=source["id"])
    assert status["opendata_vn"]["next_due"] and status["opendata_vn"]["last_result"] == "updated"
