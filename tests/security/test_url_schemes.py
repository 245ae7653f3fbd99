"""Only http/https where a URL is stored or rendered: harvest source URLs (also through
ckanext-harvest's own update/patch), resource links, the dataset's `url`; a
`javascript:` URL already in the database is shown as text, never as a link."""
from __future__ import annotations

from ckan import model
from ckan.tests import helpers

from tests.support.harvest_attack import (_empty_queues, agencies, api, error_text, http_server,  # noqa: F401
                                          made_sources, site_user, token, xlsx_bytes)

EVIL = "javascript:alert(document.cookie)"


def _vn_source(app, agency, http_server, made_sources):
    dataset = agency.dataset()
    url = http_server.add(f"/{dataset['name']}/du-lieu.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    res = api(app, "opendata_vn_harvest_source_create", agency.officer, dataset_id=dataset["id"],
              source_type="vn_excel", url=url)
    assert res.status_code == 200, res.json
    made_sources.append(res.json["result"]["id"])
    return dataset, res.json["result"]


def test_upstream_source_update_and_patch_refuse_a_javascript_url(app, agencies, made_sources, http_server):
    mine, _ = agencies
    _dataset, source = _vn_source(app, mine, http_server, made_sources)
    res = api(app, "harvest_source_patch", mine.officer, id=source["id"], url=EVIL)
    assert res.status_code == 409, res.json
    assert "http:// hoặc https://" in error_text(res)
    res = api(app, "harvest_source_update", mine.officer, id=source["id"], name=source["name"], url=EVIL,
              source_type="vn_excel", owner_org=mine.org["id"], config='{"dataset_id": "%s"}' % _dataset["id"])
    assert res.status_code == 409, res.json
    from ckanext.harvest.model import HarvestSource
    model.Session.remove()
    assert HarvestSource.get(source["id"]).url.startswith("http://")


def test_a_stored_javascript_source_url_is_not_rendered_as_a_link(app, agencies, made_sources, http_server):
    mine, _ = agencies
    dataset, source = _vn_source(app, mine, http_server, made_sources)
    from ckanext.harvest.model import HarvestSource
    HarvestSource.get(source["id"]).url = EVIL       # e.g. saved before the check existed
    model.Session.commit()
    page = app.get(f"/dataset/{dataset['name']}/nguon-du-lieu", headers=token(mine.officer))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert EVIL in body                                # shown, as text
    assert f'href="{EVIL}"' not in body and 'href="javascript:' not in body


def test_resource_links_must_be_http(app, agencies):
    mine, _ = agencies
    dataset = mine.dataset()
    for url in (EVIL, "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"):
        res = api(app, "resource_create", mine.officer, package_id=dataset["id"], url=url, name="Liên kết")
        assert res.status_code == 409, (url, res.json)
        assert "http:// hoặc https://" in error_text(res)
    res = api(app, "resource_create", mine.officer, package_id=dataset["id"],
              url="https://du-lieu.example.gov.vn/tep.csv", name="Liên kết")
    assert res.status_code == 200, res.json


def test_a_dataset_url_that_is_not_http_is_never_a_link(app, agencies):
    mine, _ = agencies
    dataset = mine.dataset()
    stored = helpers.call_action("package_patch", context={"user": site_user()}, id=dataset["id"], url=EVIL)
    assert stored["url"] == EVIL
    body = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert 'href="javascript:' not in body


def test_a_stored_javascript_resource_link_is_never_rendered_or_served(app, agencies):
    """A resource link saved before the scheme check existed: withheld from the API and
    from the dataset and resource pages; a safe link next to it is untouched."""
    mine, _ = agencies
    dataset = mine.dataset()
    bad = helpers.call_action("resource_create", context={"user": site_user()}, package_id=dataset["id"],
                              url="https://du-lieu.example.gov.vn/cu.csv", name="Liên kết cũ")
    good = helpers.call_action("resource_create", context={"user": site_user()}, package_id=dataset["id"],
                               url="https://du-lieu.example.gov.vn/moi.csv", name="Liên kết mới")
    model.Session.get(model.Resource, bad["id"]).url = EVIL     # e.g. saved before the check existed
    model.Session.commit()

    shown = helpers.call_action("resource_show", context={"user": site_user()}, id=bad["id"])
    assert shown["url"] == ""
    in_dataset = {r["id"]: r["url"] for r in helpers.call_action(
        "package_show", context={"user": site_user()}, id=dataset["id"])["resources"]}
    assert in_dataset == {bad["id"]: "", good["id"]: "https://du-lieu.example.gov.vn/moi.csv"}
    for path in (f"/dataset/{dataset['name']}", f"/dataset/{dataset['name']}/resource/{bad['id']}"):
        body = app.get(path).get_data(as_text=True)
        assert 'href="javascript:' not in body and "alert(document.cookie)" not in body, path
    assert "https://du-lieu.example.gov.vn/moi.csv" in app.get(f"/dataset/{dataset['name']}/resource/{good['id']}").get_data(as_text=True)
