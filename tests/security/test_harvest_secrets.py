"""Harvest secrets (harvest/settings.py secret_for): `<agency> <hosts> <value>` in the
server configuration. A source uses only its own agency's secrets, sends them only to
the hosts they name, never after a redirect; the message is the same whether a name
does not exist or belongs to someone else."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.support.harvest_attack import (SECRET, _empty_queues, agencies, api, http_server,  # noqa: F401
                                          made_sources, process_queued_job, site_user)

HEADER = "X-Api-Key"


def _records(payload=None) -> bytes:
    return json.dumps({"items": payload or [{"ma": 1, "ten": "A"}]}).encode()


def _source(app, agency, url, secret_name, made_sources):
    dataset = agency.dataset()
    res = api(app, "opendata_vn_harvest_source_create", agency.officer, dataset_id=dataset["id"],
              source_type="vn_api", url=url, title="API có khoá", records_path="items",
              auth_header=HEADER, auth_secret=secret_name)
    assert res.status_code == 200, res.json
    made_sources.append(res.json["result"]["id"])
    return res.json["result"]["id"]


def _run(app, agency, source_id) -> str:
    job = api(app, "opendata_vn_harvest_run", agency.officer, id=source_id)
    assert job.status_code == 200, job.json
    process_queued_job(source_id, job.json["result"]["id"])
    status = helpers.call_action("opendata_vn_harvest_source_show", context={"user": site_user()},
                                 id=source_id)["status"]
    return status["last_job"]["message_vi"] if status.get("last_result") == "failed" else ""


def _sent(route) -> list:
    return [r["headers"].get(HEADER) for r in route.requests]


def test_another_agencys_secret_is_never_sent_and_looks_like_an_unknown_name(
        app, agencies, made_sources, http_server, monkeypatch):
    mine, theirs = agencies
    value = f"Bearer cua-{theirs.name}"
    monkeypatch.setitem(tk.config, f"{SECRET}{theirs.name}", f"{theirs.name} 127.0.0.1 {value}")
    url = http_server.add(f"/{mine.name}/records", _records(), headers={"Content-Type": "application/json"})

    stolen = _run(app, mine, _source(app, mine, url, theirs.name, made_sources))
    unknown = _run(app, mine, _source(app, mine, url, f"khong-co-{mine.name}", made_sources))
    assert value not in _sent(http_server.route(url))
    assert http_server.route(url).hits == 0
    assert stolen and unknown
    # one message for both: it does not tell whether the name exists
    assert stolen.replace(theirs.name, "X") == unknown.replace(f"khong-co-{mine.name}", "X")

    # the owner's source on an allowed host does use it
    allowed = http_server.add(f"/{theirs.name}/records", _records(), headers={"Content-Type": "application/json"})
    assert _run(app, theirs, _source(app, theirs, allowed, theirs.name, made_sources)) == ""
    assert _sent(http_server.route(allowed)) == [value]


def test_a_secret_goes_only_to_the_hosts_it_names(app, agencies, made_sources, http_server, monkeypatch):
    mine, _ = agencies
    value = f"Bearer chi-cho-api-{mine.name}"
    monkeypatch.setitem(tk.config, f"{SECRET}{mine.name}", f"{mine.name} api.{mine.name}.gov.vn {value}")
    url = http_server.add(f"/{mine.name}/records", _records(), headers={"Content-Type": "application/json"})
    message = _run(app, mine, _source(app, mine, url, mine.name, made_sources))
    assert "không dùng được cho nguồn này" in message
    assert http_server.route(url).hits == 0


def test_a_secret_is_not_sent_after_a_redirect(app, agencies, made_sources, http_server, monkeypatch):
    mine, _ = agencies
    value = f"Bearer khong-theo-chuyen-huong-{mine.name}"
    monkeypatch.setitem(tk.config, f"{SECRET}{mine.name}", f"{mine.name} 127.0.0.1 {value}")
    target = http_server.add(f"/{mine.name}/moved", _records(), headers={"Content-Type": "application/json"})
    start = http_server.add(f"/{mine.name}/start", status=302, headers={"Location": target})
    _run(app, mine, _source(app, mine, start, mine.name, made_sources))
    assert _sent(http_server.route(start)) == [value]
    assert http_server.route(target).hits == 1
    assert _sent(http_server.route(target)) == [None]
