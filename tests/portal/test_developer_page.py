"""The developer page ("Dành cho nhà phát triển"): Action API and DataStore API
examples that work against this portal, API tokens, DCAT links; CORS for public read
requests only (issue #6, point 5)."""
from __future__ import annotations

import json
import random

import pytest
from bs4 import BeautifulSoup

BASE = "http://test.ckan.net"


@pytest.fixture(scope="module")
def page(client, dataset):
    res = client.get("/nha-phat-trien")
    assert res.status_code == 200
    return BeautifulSoup(res.get_data(as_text=True), "html.parser")


def test_sections(page):
    assert page.find("h1").get_text(strip=True) == "Dành cho nhà phát triển"
    ids = {s.get("id") for s in page.find_all("section")}
    assert {"action-api", "datastore-api", "tai-ve", "dcat", "ma-truy-cap", "cors"} <= ids


def test_every_example_works_against_this_portal(client, page):
    urls = [a["href"] for a in page.select("a.odvn-example-url")]
    keys = {e["id"] for e in page.select(".odvn-example")}
    assert {"odvn-action-package_search", "odvn-action-package_show", "odvn-datastore-datastore_search",
            "odvn-datastore-datastore_search_sql"} <= keys
    assert len(urls) >= 7
    for url in urls:
        assert url.startswith(BASE + "/api/3/action/")
        res = client.get(url[len(BASE):])
        body = json.loads(res.get_data(as_text=True))
        assert res.status_code == 200 and body["success"] is True, (url, body)
    sql = next(u for u in urls if "datastore_search_sql" in u)
    res = client.get(sql[len(BASE):]).json["result"]
    assert len(res["records"]) == 5 and "ten_truong" in res["records"][0]


def test_search_example_needs_no_accents(client, page):
    url = next(a["href"] for a in page.select("#odvn-action-package_search a.odvn-example-url"))
    assert "q=xay%20dung" in url
    curl = page.select_one("#odvn-action-curl-package_search").get_text()
    assert curl == f'curl "{url}"'


def test_downloads_and_dcat_links(client, page, dataset):
    downloads = [a["href"] for a in page.select("#tai-ve a.odvn-download")]
    assert len(downloads) == 3
    for href in downloads:
        assert client.get(href).status_code == 200
    dcat = [a["href"] for a in page.select("#dcat a")]
    assert [d[len(BASE):] for d in dcat[:3]] == ["/catalog.ttl", "/catalog.jsonld", "/catalog.xml"]
    assert {d.rsplit(".", 1)[1] for d in dcat[3:]} == {"ttl", "jsonld", "xml"}


def test_token_section_links_logged_in_users_to_their_tokens(client, agency):
    soup = BeautifulSoup(client.get("/nha-phat-trien", headers={"Authorization": agency["officer"]["token"]})
                         .get_data(as_text=True), "html.parser")
    hrefs = [a["href"] for a in soup.select("#ma-truy-cap a")]
    assert f"/user/{agency['officer']['name']}/api-tokens" in hrefs
    assert "Authorization: $CKAN_API_TOKEN" in soup.select_one("#odvn-token-curl").get_text()


ORIGIN = {"Origin": "https://ban-do.example.vn"}


def test_cors_allows_public_reads_from_any_site(client, dataset):
    rid = dataset["resources"][0]["id"]
    for url in ("/api/3/action/package_search?q=truong", f"/datastore/dump/{rid}?format=csv",
                f"/dataset/{dataset['name']}/resource/{rid}/download.xml"):
        res = client.get(url, headers=ORIGIN)
        assert res.status_code == 200
        assert res.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in res.headers
    preflight = client.options("/api/3/action/package_search", headers={
        **ORIGIN, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_cors_does_not_open_writes_or_pages(client):
    res = client.post("/api/3/action/opendata_vn_data_request_create", headers=ORIGIN,
                      json={"title": "Danh sách chợ truyền thống"}, environ_base={"REMOTE_ADDR": "10.77.%d.1" % random.SystemRandom().randint(1, 254)})
    assert "Access-Control-Allow-Origin" not in res.headers
    preflight = client.options("/api/3/action/package_create", headers={
        **ORIGIN, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in client.get("/dataset/", headers=ORIGIN).headers
