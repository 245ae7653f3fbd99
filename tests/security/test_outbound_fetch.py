"""Outbound fetches (core/safe_http.py): a focal officer's source never reaches the
portal's own services, link-local metadata or private networks — when the source is
saved, when it runs, after a redirect, on a "next" link — and the connection goes to
the address that was checked. The test configuration allows 127.0.0.0/8 (the loopback
servers of the harvest tests); these tests put back the production default (nothing)
or a narrower list."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.support.harvest_attack import (ALLOWED, _empty_queues, agencies, api, error_text,  # noqa: F401
                                          http_server, made_sources, process_queued_job, site_user, xlsx_bytes)

PRODUCTION = pytest.mark.ckan_config(ALLOWED, "")
REFUSED_AT_SAVE = "Không dùng được địa chỉ"


def _create(app, officer, dataset, url, source_type="vn_excel", **settings):
    return api(app, "opendata_vn_harvest_source_create", officer, dataset_id=dataset["id"],
               source_type=source_type, url=url, title="Nguồn thử bảo mật", **settings)


def _run(app, officer, source_id):
    job = api(app, "opendata_vn_harvest_run", officer, id=source_id)
    assert job.status_code == 200, job.json
    return process_queued_job(source_id, job.json["result"]["id"])


def _last(source_id):
    return helpers.call_action("opendata_vn_harvest_source_show", context={"user": site_user()},
                               id=source_id)["status"]["last_job"]


def _solr_select_url() -> str:
    solr = tk.config.get("solr_url").rstrip("/")
    return f"{solr}/select?q=capacity:private&fl=name,title,capacity&wt=csv"


def test_the_issue_probe_solr_as_an_excel_source_leaks_nothing(app, agencies, made_sources, monkeypatch):
    """An editor points a vn_excel source at the portal's own Solr and presses "Chạy ngay":
    refused when saved and, had it been saved before (config changed, DNS changed), when
    it runs; nothing private reaches the DataStore."""
    mine, other = agencies
    secret_title = "Bí mật của sở khác"
    other.dataset(private=True, title=secret_title)
    dataset = mine.dataset()
    probe = _solr_select_url()

    with monkeypatch.context() as m:
        m.setitem(tk.config, ALLOWED, "")
        res = _create(app, mine.officer, dataset, probe)
        assert res.status_code == 409 and REFUSED_AT_SAVE in error_text(res)
        assert "loopback" in error_text(res)

    # saved while the test allow-list let loopback through; run under the production default
    res = _create(app, mine.officer, dataset, probe)
    assert res.status_code == 200, res.json
    source_id = res.json["result"]["id"]
    made_sources.append(source_id)
    monkeypatch.setitem(tk.config, ALLOWED, "")
    job = _run(app, mine.officer, source_id)
    assert job["status"] == "Finished"
    last = _last(source_id)
    host = urlsplit(probe).hostname
    assert last["message_vi"].startswith("Nguồn «Nguồn thử bảo mật»")
    assert f"không tải từ {host}" in last["message_vi"] and "loopback" in last["message_vi"]
    shown = helpers.call_action("package_show", context={"user": site_user()}, id=dataset["id"])
    assert shown["resources"] == []                                # no file, no DataStore table
    anonymous = app.get(f"/dataset/{dataset['name']}").get_data(as_text=True)
    assert secret_title not in anonymous


@PRODUCTION
@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8983/solr/ckan/select?q=*:*&wt=csv",       # loopback
    "http://169.254.169.254/latest/meta-data/",                 # cloud metadata (link-local)
    "http://10.20.1.5/du-lieu.xlsx",                            # provincial network, not allowed
    "http://[::1]:8983/solr/ckan/select?wt=csv",                # IPv6 loopback
    "http://[::ffff:127.0.0.1]:8983/solr/",                     # IPv4-mapped IPv6
    "http://localhost:8983/solr/ckan/select?wt=csv",            # a name resolving to 127.0.0.1
    "http://0.0.0.0:6380/",                                     # unspecified (reaches the host)
    "http://224.0.0.1/x.csv",                                   # multicast
])
def test_internal_addresses_are_refused_when_the_source_is_saved(app, agencies, made_sources, url):
    mine, _ = agencies
    res = _create(app, mine.officer, mine.dataset(), url)
    assert res.status_code == 409, res.json
    assert REFUSED_AT_SAVE in error_text(res)


@pytest.mark.ckan_config(ALLOWED, "10.20.0.0/16=so-tai-chinh-khac")
def test_a_provincial_network_is_allowed_only_for_the_agency_it_names(app, agencies, made_sources, monkeypatch):
    mine, _ = agencies
    url = "http://10.20.1.5/du-lieu.xlsx"
    res = _create(app, mine.officer, mine.dataset(), url)
    assert res.status_code == 409 and REFUSED_AT_SAVE in error_text(res)
    monkeypatch.setitem(tk.config, ALLOWED, f"10.20.0.0/16={mine.name}")
    res = _create(app, mine.officer, mine.dataset(), url)
    assert res.status_code == 200, res.json
    made_sources.append(res.json["result"]["id"])


def test_a_redirect_to_an_internal_address_is_refused(app, agencies, made_sources, http_server, monkeypatch):
    """The agency's server (allowed) answers with a redirect to 0.0.0.0, which reaches
    this machine's loopback services: the hop is checked and refused."""
    mine, _ = agencies
    dataset = mine.dataset()
    port = http_server.httpd.server_address[1]
    target = http_server.add(f"/{dataset['name']}/noi-bo.xlsx", xlsx_bytes([["Tên", "Số"], ["bí mật", 1]]))
    start = http_server.add(f"/{dataset['name']}/start.xlsx", status=302,
                            headers={"Location": f"http://0.0.0.0:{port}/{dataset['name']}/noi-bo.xlsx"})
    monkeypatch.setitem(tk.config, ALLOWED, "127.0.0.1/32=*")
    res = _create(app, mine.officer, dataset, start)
    assert res.status_code == 200, res.json
    made_sources.append(res.json["result"]["id"])
    _run(app, mine.officer, res.json["result"]["id"])
    assert http_server.route(start).hits == 1
    assert http_server.route(target).hits == 0
    message = _last(res.json["result"]["id"])["message_vi"]
    assert "không tải từ 0.0.0.0" in message, message
    assert helpers.call_action("package_show", context={"user": site_user()}, id=dataset["id"])["resources"] == []


def test_an_api_next_link_to_another_host_is_refused(app, agencies, made_sources, http_server):
    mine, _ = agencies
    dataset = mine.dataset()
    port = http_server.httpd.server_address[1]
    elsewhere = http_server.add(f"/{dataset['name']}/p2", b'{"items": [{"a": 2}]}',
                                headers={"Content-Type": "application/json"})
    first = http_server.add(
        f"/{dataset['name']}/p1",
        ('{"items": [{"a": 1}], "next": "http://localhost:%d/%s/p2"}' % (port, dataset["name"])).encode(),
        headers={"Content-Type": "application/json"})
    res = _create(app, mine.officer, dataset, first, source_type="vn_api", records_path="items",
                  pagination_type="next", pagination_next_path="next")
    assert res.status_code == 200, res.json
    made_sources.append(res.json["result"]["id"])
    _run(app, mine.officer, res.json["result"]["id"])
    assert http_server.route(first).hits == 1 and http_server.route(elsewhere).hits == 0
    message = _last(res.json["result"]["id"])["message_vi"]
    assert "máy chủ khác (localhost)" in message, message


def test_the_connection_goes_to_the_checked_address(app, agencies, made_sources, http_server, monkeypatch):
    """DNS rebinding: the name answers 127.0.0.1 (allowed) when checked, then a
    private address. The harvester connects to the address it checked, sending the
    name as Host."""
    mine, _ = agencies
    dataset = mine.dataset()
    port = http_server.httpd.server_address[1]
    url = http_server.add(f"/{dataset['name']}/rebind.xlsx", xlsx_bytes([["Xã", "Số"], ["A", 1]]))
    name = f"rebind-{dataset['name']}.test"
    real = socket.getaddrinfo
    answers = {"count": 0}

    def rebinding(host, *args, **kwargs):
        if host == name:
            answers["count"] += 1
            ip = "127.0.0.1" if answers["count"] == 1 else "10.255.255.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]
        return real(host, *args, **kwargs)

    source = _create(app, mine.officer, dataset, url)
    assert source.status_code == 200, source.json
    source_id = source.json["result"]["id"]
    made_sources.append(source_id)
    from ckanext.harvest.model import HarvestSource
    from ckan import model
    HarvestSource.get(source_id).url = url.replace("127.0.0.1", name)
    model.Session.commit()
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    _run(app, mine.officer, source_id)
    monkeypatch.undo()
    assert answers["count"] == 1                                    # resolved once, then pinned
    route = http_server.route(url)
    assert route.hits == 1 and route.requests[0]["headers"]["Host"] == f"{name}:{port}"
    assert _last(source_id)["result"] == "updated"
