"""vn_api end to end: records path, pagination by page number, offset or next link,
an authentication header whose secret lives in the configuration only."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.support.harvest import (Route, create_source, datastore_rows, harvested, run_job, show, site_user,
                                   source_status, stored_file)

SCHOOLS = [{"ma": f"{i:03d}", "ten": f"Trường số {i}", "hoc_sinh": 100 + i, "ngay_cap_nhat": "2024-03-15",
            "vi_tri": {"lat": 21.0 + i / 100, "lon": 105.8}} for i in range(1, 6)]


def _json(body, status=200, headers=None) -> Route:
    return Route(body=json.dumps(body, ensure_ascii=False).encode(), status=status,
                 headers={"Content-Type": "application/json", **(headers or {})})


def _query(request) -> dict:
    path = request["path"] if isinstance(request, dict) else request.path
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def _csv(dataset_id, source_id) -> list[list[str]]:
    res = harvested(show(dataset_id), source_id)
    return list(csv.reader(io.StringIO(stored_file(res["csv"]["id"]).decode())))


def test_records_path_nested_fields_and_types(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/truong", handler=lambda r: _json({"status": "ok", "result": {"items": SCHOOLS}}))
    source = create_source(dataset, url, source_type="vn_api", records_path="result.items")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0, source_status(source["id"])["last_job"]
    rows = _csv(dataset["id"], source["id"])
    assert rows[0] == ["ma", "ten", "hoc_sinh", "ngay_cap_nhat", "vi_tri.lat", "vi_tri.lon"]
    assert rows[1] == ["001", "Trường số 1", "101", "2024-03-15", "21.01", "105.8"]
    res = harvested(show(dataset["id"]), source["id"])
    fields = {f["id"]: f["type"] for f in datastore_rows(res["csv"]["id"])["fields"]}
    assert fields["ma"] == "text" and fields["hoc_sinh"] == "int8" and fields["ngay_cap_nhat"] == "date"
    assert res["original"]["format"] == "JSON"
    assert json.loads(stored_file(res["original"]["id"]))["result"]["items"][0]["ma"] == "001"


def test_page_number_pagination(http_server, dataset, unique):
    def pages(request):
        page = int(_query(request).get("trang", 1))
        return _json({"data": SCHOOLS[(page - 1) * 2: page * 2]})
    url = http_server.add(f"/{unique}/paged", handler=pages)
    source = create_source(dataset, url, source_type="vn_api", records_path="data",
                           pagination_type="page", pagination_param="trang")
    run_job(source["id"])
    assert [r[0] for r in _csv(dataset["id"], source["id"])[1:]] == ["001", "002", "003", "004", "005"]
    asked = [_query(r)["trang"] for r in http_server.route(url).requests]
    assert asked == ["1", "2", "3", "4"]          # stops at the first empty page
    original = json.loads(stored_file(harvested(show(dataset["id"]), source["id"])["original"]["id"]))
    assert len(original) == 4 and original[0]["data"][0]["ma"] == "001"   # the pages as received


def test_offset_pagination_stops_on_a_short_page(http_server, dataset, unique):
    def window(request):
        q = _query(request)
        start, size = int(q["offset"]), int(q["limit"])
        return _json(SCHOOLS[start:start + size])
    url = http_server.add(f"/{unique}/offset", handler=window)
    source = create_source(dataset, url, source_type="vn_api", pagination_type="offset", pagination_size="2")
    run_job(source["id"])
    assert len(_csv(dataset["id"], source["id"])) == 6
    assert [_query(r)["offset"] for r in http_server.route(url).requests] == ["0", "2", "4"]


def test_next_link_in_body_and_in_link_header(http_server, dataset, unique):
    base = f"/{unique}/next"

    def body_links(request):
        cursor = int(_query(request).get("cursor", 0))
        nxt = f"{base}?cursor={cursor + 2}" if cursor + 2 < len(SCHOOLS) else None
        return _json({"items": SCHOOLS[cursor:cursor + 2], "links": {"next": nxt}})
    url = http_server.add(base, handler=body_links)
    source = create_source(dataset, url, source_type="vn_api", records_path="items",
                           pagination_type="next", pagination_next_path="links.next")
    run_job(source["id"])
    assert len(_csv(dataset["id"], source["id"])) == 6

    def header_links(request):
        cursor = int(_query(request).get("cursor", 0))
        headers = {"Link": f'<{base}2?cursor={cursor + 3}>; rel="next"'} if cursor + 3 < len(SCHOOLS) else {}
        return _json(SCHOOLS[cursor:cursor + 3], headers=headers)
    url2 = http_server.add(base + "2", handler=header_links)
    helpers.call_action("opendata_vn_harvest_source_update", context={"user": site_user()},
                        id=source["id"], url=url2, records_path="", pagination_type="next",
                        pagination_next_path="")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0, source_status(source["id"])["last_job"]
    assert len(_csv(dataset["id"], source["id"])) == 6


def test_auth_header_secret_comes_from_configuration_only(http_server, dataset, unique, monkeypatch):
    secret = f"Bearer bi-mat-{unique}"

    def guarded(request):
        if request.headers.get("X-Api-Key") != secret:
            return _json({"error": "unauthorized"}, status=401)
        return _json(SCHOOLS[:2])
    url = http_server.add(f"/{unique}/guarded", handler=guarded)
    source = create_source(dataset, url, source_type="vn_api", auth_header="X-Api-Key",
                           auth_secret=f"so-thu-{unique}")

    # the secret is not configured yet: the run fails and says which one is missing
    run_job(source["id"])
    last = source_status(source["id"])["last_job"]
    assert f"khoá bí mật «so-thu-{unique}»" in last["message_vi"]

    # "<agency> <allowed hosts> <value>": this agency's secret, for the source's host
    monkeypatch.setitem(tk.config, f"ckanext.opendata_vn.harvest.secret.so-thu-{unique}",
                        f"{dataset['organization']['name']} 127.0.0.1 {secret}")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0
    assert len(_csv(dataset["id"], source["id"])) == 3

    # nowhere in the public metadata: the source, its job report, the dataset
    shown = helpers.call_action("harvest_source_show", context={"user": site_user()}, id=source["id"])
    report = helpers.call_action("harvest_job_report", context={"user": site_user()}, id=job["id"])
    api = helpers.call_action("opendata_vn_harvest_source_show", context={"user": site_user()}, id=source["id"])
    for blob in (shown, report, api, show(dataset["id"])):
        assert secret not in json.dumps(blob, ensure_ascii=False, default=str)
    assert api["config"]["auth_secret"] == f"so-thu-{unique}" and api["config"]["auth_header"] == "X-Api-Key"


@pytest.mark.parametrize("settings, field", [
    ({"url": "ftp://example.org/data.json"}, "url"),
    ({"url": "https://api.example.org/truong?api_key=abc"}, "url"),
    ({"auth_secret": "Bearer abc def"}, "auth_secret"),
    ({"config": {"headers": {"Authorization": "Bearer x"}}}, "config"),
    ({"pagination_type": "cursor"}, "pagination"),
])
def test_secrets_and_bad_settings_are_refused(dataset, settings, field):
    data = {"url": "https://api.example.org/truong", **settings}
    with pytest.raises(tk.ValidationError) as e:
        create_source(dataset, source_type="vn_api", **data)
    assert field in e.value.error_dict


def test_an_api_ignoring_the_page_parameter_is_read_once(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/same", handler=lambda r: _json({"data": SCHOOLS[:2]}))
    source = create_source(dataset, url, source_type="vn_api", records_path="data", pagination_type="page")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0
    assert len(_csv(dataset["id"], source["id"])) == 3
    assert len(http_server.route(url).requests) == 2
