"""Solr stopped: writes commit and are re-indexed later; pages that need no search
answer 200; search answers 503 with the message."""
from __future__ import annotations

from ckan import model
from ckan.tests import helpers

from ckanext.opendata_vn.resilience import search_index
from ckanext.opendata_vn.resilience.model import SearchPending

from tests.support.resilience import new_dataset, stopped

MESSAGE = "Tìm kiếm tạm thời không khả dụng"


def _indexed(org_id: str) -> int:
    return helpers.call_action("package_search", context={"ignore_auth": True}, q="*:*", rows=0,
                               fq=f"owner_org:{org_id}", include_private=True)["count"]


def _stored(org_id: str) -> int:
    return (model.Session.query(model.Package)
            .filter(model.Package.owner_org == org_id, model.Package.state == "active",
                    model.Package.type == "dataset").count())


def test_writes_pages_and_search_while_solr_is_down(app, agency):
    before = new_dataset(agency)
    org = agency["org"]
    with stopped("solr"):
        during = new_dataset(agency)  # would raise SearchIndexError without the deferral
        model.Session.remove()
        assert model.Session.get(SearchPending, during["id"]) is not None

        assert app.get(f"/dataset/{during['name']}").status_code == 200
        assert app.get(f"/dataset/{before['name']}").status_code == 200
        shown = app.get(f"/api/3/action/package_show?id={during['name']}")
        assert shown.status_code == 200 and shown.json["result"]["id"] == during["id"]
        assert app.get(f"/organization/{org['name']}").status_code == 200
        assert app.get("/").status_code == 200

        page = app.get("/dataset/?q=trường học")
        assert page.status_code == 503
        assert MESSAGE in page.get_data(as_text=True)
        api = app.get("/api/3/action/package_search?q=trường")
        assert api.status_code == 503
        assert api.json["success"] is False and MESSAGE in api.json["error"]["message"]
        # nothing can be drained while Solr is down
        assert search_index.drain()["indexed"] == 0

    result = search_index.drain()
    assert result["indexed"] >= 1 and result["waiting"] == 0
    assert model.Session.get(SearchPending, during["id"]) is None
    found = helpers.call_action("package_search", context={"ignore_auth": True},
                                q=f"id:{during['id']}", include_private=True)
    assert found["count"] == 1
    assert _indexed(org["id"]) == _stored(org["id"]) == 2


def test_english_message_through_gettext(app, agency):
    with stopped("solr"):
        page = app.get("/en/dataset/?q=x")
    assert page.status_code == 503
    assert "Search is temporarily unavailable" in page.get_data(as_text=True)
