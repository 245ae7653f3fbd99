"""ckanext-harvest's generic source types (dcat_rdf, ckan, vn_ckan) and its raw actions
are for IT reviewers and sysadmins (harvest/auth.py); harvested datasets stay in the
source's agency unless a reviewer maps them; a guid never reaches another agency's
dataset; a path is never read as a local file; harvest objects and logs are read only
by those who manage the source."""
from __future__ import annotations

import json
import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.support.harvest_attack import (_empty_queues, agencies, api, error_text, http_server,  # noqa: F401
                                          made_sources, process_queued_job, site_user, xlsx_bytes)

REVIEWERS = "ckanext.opendata_vn.reviewers"


@pytest.fixture
def reviewer(monkeypatch):
    user = factories.User(name=f"tham-dinh-{uuid.uuid4().hex[:8]}")
    monkeypatch.setitem(tk.config, REVIEWERS, user["name"])
    return user


def _feed(base: str, key: str, publisher: str, uri: str | None = None, title: str = "Bộ dữ liệu thu thập") -> bytes:
    uri = uri or f"{base}/{key}/dataset/1"
    return f"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{base}/{key}> a dcat:Catalog ; dct:title "Danh mục thử" ; dcat:dataset <{uri}> .
<{uri}> a dcat:Dataset ; dct:title "{title}"@vi ; dct:description "Mô tả thử."@vi ;
    dct:publisher [ a foaf:Organization ; foaf:name "{publisher}" ] .
""".encode()


def _dcat_source(app, user, org, url, made_sources, config=None, as_user_without_auth=False):
    data = dict(name=f"nguon-dcat-{uuid.uuid4().hex[:8]}", title="Nguồn DCAT thử", url=url,
                source_type="dcat_rdf", owner_org=org["id"], frequency="MANUAL",
                config=json.dumps(config or {}))
    if as_user_without_auth:   # a source a non-reviewer ended up creating (e.g. before this rule)
        source = helpers.call_action("harvest_source_create", context={"user": user["name"], "ignore_auth": True},
                                     **data)
    else:
        res = api(app, "harvest_source_create", user, **data)
        assert res.status_code == 200, res.json
        source = res.json["result"]
    made_sources.append(source["id"])
    return source


def _harvest(app, reviewer, source_id):
    res = api(app, "harvest_job_create", reviewer, source_id=source_id, run=True)
    assert res.status_code == 200, res.json
    return process_queued_job(source_id, res.json["result"]["id"])


def _harvested(source_id) -> list[model.Package]:
    from ckanext.harvest.model import HarvestObject
    model.Session.remove()
    ids = {i for (i,) in model.Session.query(HarvestObject.package_id).filter(
        HarvestObject.harvest_source_id == source_id, HarvestObject.package_id.isnot(None))}
    return [model.Package.get(i) for i in ids]


@pytest.mark.parametrize("source_type, config", [
    ("dcat_rdf", {}), ("ckan", {}), ("vn_ckan", {}), ("ckan", {"remote_orgs": "create"}),
])
def test_focal_officers_cannot_create_generic_sources(app, agencies, made_sources, http_server,
                                                      source_type, config):
    mine, _ = agencies
    url = http_server.add(f"/{mine.name}/{source_type}", b"{}")
    data = dict(name=f"nguon-{uuid.uuid4().hex[:8]}", url=url, source_type=source_type,
                owner_org=mine.org["id"], frequency="MANUAL", config=json.dumps(config))
    res = api(app, "harvest_source_create", mine.officer, **data)
    assert res.status_code == 403, res.json
    assert "cán bộ thẩm định" in error_text(res)
    res = api(app, "package_create", mine.officer, type="harvest", **data)
    assert res.status_code == 403, res.json


def test_raw_harvest_actions_on_a_generic_source_are_for_reviewers(app, agencies, made_sources, http_server,
                                                                   reviewer):
    mine, _ = agencies
    url = http_server.add(f"/{mine.name}/catalog.ttl", _feed(http_server.base, mine.name, "Không ai"),
                          headers={"Content-Type": "text/turtle"})
    source = _dcat_source(app, reviewer, mine.org, url, made_sources)   # a reviewer may
    officer = mine.officer
    refused = {
        "harvest_source_update": dict(id=source["id"], url=url + "?x", source_type="dcat_rdf",
                                      owner_org=mine.org["id"], name=source["name"]),
        "harvest_source_patch": dict(id=source["id"], url=url + "?y"),
        "package_update": dict(id=source["id"], name=source["name"], url=url + "?z", type="harvest",
                               source_type="dcat_rdf", owner_org=mine.org["id"]),
        "package_delete": dict(id=source["id"]),
        "harvest_source_delete": dict(id=source["id"]),
        "harvest_job_create": dict(source_id=source["id"], run=True),
        "harvest_source_clear": dict(id=source["id"]),
        "harvest_source_job_history_clear": dict(id=source["id"]),
        "harvest_source_reindex": dict(id=source["id"]),
        "harvest_source_show": dict(id=source["id"]),
        "harvest_abort_failed_jobs": dict(source_id=source["id"]),
    }
    for action, data in refused.items():
        res = api(app, action, officer, **data)
        assert res.status_code == 403, (action, res.json)
    job = api(app, "harvest_job_create", reviewer, source_id=source["id"], run=False)
    assert job.status_code == 200, job.json
    res = api(app, "harvest_send_job_to_gather_queue", officer, id=job.json["result"]["id"])
    assert res.status_code == 403, res.json
    for action in ("harvest_job_show", "harvest_job_abort"):
        assert api(app, action, officer, id=job.json["result"]["id"]).status_code == 403, action


def test_an_officer_cannot_turn_an_excel_source_into_a_generic_one(app, agencies, made_sources, http_server):
    mine, _ = agencies
    dataset = mine.dataset()
    url = http_server.add(f"/{mine.name}/du-lieu.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    res = api(app, "opendata_vn_harvest_source_create", mine.officer, dataset_id=dataset["id"],
              source_type="vn_excel", url=url)
    assert res.status_code == 200, res.json
    source = res.json["result"]
    made_sources.append(source["id"])
    res = api(app, "harvest_source_patch", mine.officer, id=source["id"], source_type="dcat_rdf")
    assert res.status_code == 403, res.json
    res = api(app, "package_patch", mine.officer, id=source["id"], source_type="dcat_rdf")
    assert res.status_code == 403, res.json
    from ckanext.harvest.model import HarvestSource
    model.Session.remove()
    assert HarvestSource.get(source["id"]).type == "vn_excel"


def test_harvested_datasets_stay_in_the_sources_agency_unless_a_reviewer_maps_them(
        app, agencies, made_sources, http_server, reviewer):
    mine, publisher = agencies
    feed = {}
    for key in ("khong-anh-xa", "khong-phai-tham-dinh", "tham-dinh"):
        feed[key] = http_server.add(f"/{mine.name}/{key}.ttl",
                                    _feed(http_server.base, f"{mine.name}-{key}", publisher.org["title"]),
                                    headers={"Content-Type": "text/turtle"})
    plain = _dcat_source(app, reviewer, mine.org, feed["khong-anh-xa"], made_sources)
    by_officer = _dcat_source(app, mine.officer, mine.org, feed["khong-phai-tham-dinh"], made_sources,
                              config={"map_publishers": True}, as_user_without_auth=True)
    mapped = _dcat_source(app, reviewer, mine.org, feed["tham-dinh"], made_sources,
                          config={"map_publishers": True})
    for source in (plain, by_officer, mapped):
        _harvest(app, reviewer, source["id"])
    assert [p.owner_org for p in _harvested(plain["id"])] == [mine.org["id"]]
    assert [p.owner_org for p in _harvested(by_officer["id"])] == [mine.org["id"]]
    assert [p.owner_org for p in _harvested(mapped["id"])] == [publisher.org["id"]]   # the reviewer's mapping


def test_a_guid_never_overwrites_another_agencys_dataset(app, agencies, made_sources, http_server, reviewer):
    mine, theirs = agencies
    guid = f"{http_server.base}/{theirs.name}/dataset/goc"
    victim = theirs.dataset(title="Bản gốc của sở khác", extras=[{"key": "guid", "value": guid}])
    url = http_server.add(f"/{mine.name}/guid.ttl",
                          _feed(http_server.base, mine.name, "Không ai", uri=guid, title="Ghi đè"),
                          headers={"Content-Type": "text/turtle"})
    source = _dcat_source(app, reviewer, mine.org, url, made_sources)
    _harvest(app, reviewer, source["id"])
    model.Session.remove()
    after = model.Package.get(victim["id"])
    assert (after.title, after.owner_org) == ("Bản gốc của sở khác", theirs.org["id"])
    assert http_server.route(url).hits >= 1


@pytest.mark.parametrize("url", ["/etc/passwd", "file:///etc/passwd", "javascript:alert(1)"])
def test_a_source_url_must_be_http(app, agencies, made_sources, url):
    mine, _ = agencies
    admin = factories.Sysadmin()
    res = api(app, "harvest_source_create", admin, name=f"nguon-{uuid.uuid4().hex[:8]}", url=url,
              source_type="dcat_rdf", owner_org=mine.org["id"], frequency="MANUAL")
    assert res.status_code == 409, res.json
    assert "http:// hoặc https://" in error_text(res)


def test_a_stored_path_is_never_read_as_a_local_file(app, agencies, made_sources, http_server, reviewer, tmp_path):
    """A source saved before the URL check (or written to the database) with a path:
    ckanext-dcat would open() it; the gather refuses it."""
    mine, _ = agencies
    local = tmp_path / "catalog.ttl"
    local.write_bytes(_feed("http://example.org", mine.name, "Không ai"))
    url = http_server.add(f"/{mine.name}/ok.ttl", b"", headers={"Content-Type": "text/turtle"})
    source = _dcat_source(app, reviewer, mine.org, url, made_sources)
    from ckanext.harvest.model import HarvestSource
    HarvestSource.get(source["id"]).url = str(local)
    model.Session.commit()
    job = _harvest(app, reviewer, source["id"])
    assert _harvested(source["id"]) == []
    errors = json.dumps(job.get("gather_error_summary") or
                        helpers.call_action("harvest_job_report", context={"user": site_user()},
                                            id=job["id"]), ensure_ascii=False)
    assert "http:// và https://" in errors or "http:// and https://" in errors, errors


def test_harvest_objects_and_logs_are_for_the_sources_managers(app, agencies, made_sources, http_server):
    mine, theirs = agencies
    dataset = mine.dataset(private=True)
    url = http_server.add(f"/{mine.name}/rieng.xlsx", xlsx_bytes([["Họ và tên", "Số"], ["Nguyễn Văn A", 1]]))
    res = api(app, "opendata_vn_harvest_source_create", mine.officer, dataset_id=dataset["id"],
              source_type="vn_excel", url=url)
    assert res.status_code == 200, res.json
    source_id = res.json["result"]["id"]
    made_sources.append(source_id)
    job = api(app, "opendata_vn_harvest_run", mine.officer, id=source_id)
    process_queued_job(source_id, job.json["result"]["id"])

    from ckanext.harvest.model import HarvestObject
    model.Session.remove()
    [object_id] = [i for (i,) in model.Session.query(HarvestObject.id).filter_by(harvest_source_id=source_id)]
    for who in (None, theirs.officer):
        for ref in ({"id": object_id}, {"dataset_id": dataset["id"]}):
            res = api(app, "harvest_object_show", who, **ref)
            assert res.status_code == 403, res.json
            assert "Họ và tên" not in res.get_data(as_text=True)   # the flagged column of the held table
        assert api(app, "harvest_object_list", who, source_id=source_id).status_code == 403
        assert api(app, "harvest_log_list", who).status_code == 403
    assert api(app, "harvest_log_list", mine.officer).status_code == 403
    own = api(app, "harvest_object_show", mine.officer, id=object_id)
    assert own.status_code == 200, own.json
    extras = own.json["result"]["extras"]
    extras = extras if isinstance(extras, dict) else {e["key"]: e["value"] for e in extras}
    assert extras.get("fetch") == ""                       # no temporary path or download URL kept
    assert "harvest_tmp" not in own.get_data(as_text=True)
