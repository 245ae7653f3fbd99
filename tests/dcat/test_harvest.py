"""Harvesting other portals into ours: DCAT (ckanext-dcat's RDF harvester) and CKAN
(ckanext-harvest's CKAN harvester) sources, from documents served by a real HTTP server
on 127.0.0.1 — a city portal's DCAT catalog, and our own /catalog.ttl (round trip).

Jobs run in process through ckanext-harvest's own gather/fetch/import stages
(ckanext.harvest.tests.lib.run_harvest_job), without the Redis queues."""
from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob, HarvestObject
from ckanext.harvest.tests.lib import run_harvest_job

from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from tests.support.dcat import site_context

DATA = Path(__file__).parent / "data"
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
# The fields a round trip must keep (tags and resources are compared separately).
ROUND_TRIP_FIELDS = ("title", "notes", "theme", "province", "original_agency", "first_provided",
                     "first_provided_text", "update_frequency", "update_frequency_text",
                     "source_types", "data_fields", "co_providers", "remarks",
                     "publication_status", "license_id", "owner_org")


@pytest.fixture(scope="module")
def it_org():
    """The IT department's organization, owner of the harvest sources."""
    return helpers.call_action("organization_create", context=site_context(),
                               name=f"so-khcn-{uuid.uuid4().hex[:6]}", title="Sở Khoa học và Công nghệ thử")


@pytest.fixture(scope="module")
def harvested_sources():
    """Sources made by this module; their datasets are cleared afterwards so the
    copies do not stay next to their originals (same DCAT IRIs) in the catalog."""
    made = []
    yield made
    for source_id in made:
        helpers.call_action("harvest_source_clear", context=site_context(), id=source_id)


def _source(it_org, harvested_sources, url, source_type, config=None):
    source = helpers.call_action(
        "harvest_source_create", context=site_context(), url=url, source_type=source_type,
        name=f"nguon-{uuid.uuid4().hex[:8]}", title="Nguồn thử", owner_org=it_org["id"],
        frequency="MANUAL", config=json.dumps(config) if config else "")
    harvested_sources.append(source["id"])
    return source


def _run(source, plugin_name):
    job = helpers.call_action("harvest_job_create", context=site_context(), source_id=source["id"], run=False)
    results = run_harvest_job(HarvestJob.get(job["id"]), p.get_plugin(plugin_name))
    errors = {guid: r["errors"] for guid, r in results.items() if r["errors"]}
    assert not errors, errors
    return {guid: r["dataset"] for guid, r in results.items() if r.get("dataset")}


def _serve_city(loopback):
    for page in (1, 2):
        body = (DATA / f"city_portal_page{page}.ttl").read_text(encoding="utf-8").replace("{BASE}", loopback.url)
        route = (body.encode(), "text/turtle")
        loopback.routes[f"/city/catalog.ttl?page={page}"] = route
        if page == 1:
            loopback.routes["/city/catalog.ttl"] = route


def test_it_staff_can_add_dcat_and_ckan_sources_from_the_ui():
    app = helpers._get_test_app()
    admin = factories.Sysadmin()
    page = app.get("/harvest/new", headers={"Authorization": factories.APIToken(user=admin["name"])["token"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="dcat_rdf"' in html and 'value="ckan"' in html
    assert "Danh mục DCAT (DCAT-AP)" in html and "Generic DCAT RDF Harvester" not in html


def test_a_city_portals_dcat_catalog_lands_in_our_schema(loopback, it_org, harvested_sources):
    _serve_city(loopback)
    # the agency that publishes one of the city's datasets already exists here
    economy = helpers.call_action(
        "organization_create", context=site_context(), name="bac-giang-phong-kinh-te-thanh-pho-bac-giang",
        title="Phòng Kinh tế thành phố Bắc Giang", province="Bắc Giang")
    source = _source(it_org, harvested_sources, f"{loopback.url}/city/catalog.ttl", "dcat_rdf",
                     config={"map_publishers": True})   # a reviewer maps datasets by dct:publisher
    datasets = _run(source, "dcat_rdf_harvester")
    assert "/city/catalog.ttl?page=2" in loopback.hits          # hydra:next was followed
    by_uri = {f"{loopback.url}/city/dataset/{k}": k for k in ("bus-stops", "markets", "schools")}
    assert set(datasets) == set(by_uri)
    bus = datasets[f"{loopback.url}/city/dataset/bus-stops"]
    assert bus["title"] == "Điểm dừng xe buýt"                   # the Vietnamese title
    assert bus["theme"] == "giao-thong"                           # EU TRAN
    assert (bus["update_frequency"], bus["update_frequency_text"]) == ("annual", "Năm")
    assert bus["first_provided"] == "2023-05-10"                  # dct:issued
    assert bus["original_agency"] == "UBND thành phố Bắc Giang"   # the publisher, as named
    assert sorted(t["name"] for t in bus["tags"]) == ["giao thông công cộng", "xe buýt"]
    assert bus["license_id"] == "cc-by"
    assert bus["source_types"] == ["csv"] and bus["publication_status"] == "published"
    [res] = bus["resources"]
    assert (res["format"], res["url"]) == ("CSV", f"{loopback.url}/city/files/bus-stops.csv")
    # the link to the origin: its landing page, its IRI and the harvest source
    assert bus["url"] == f"{loopback.url}/city/dataset/bus-stops"
    extras = {e["key"]: e["value"] for e in bus.get("extras", [])}
    assert extras["uri"] == extras["guid"] == f"{loopback.url}/city/dataset/bus-stops"
    assert HarvestObject.get(model.Session.query(HarvestObject.id).filter_by(
        package_id=bus["id"], current=True).scalar()).source.id == source["id"]
    assert bus["owner_org"] in (it_org["id"],) + tuple(
        g.id for g in [model.Group.get("bac-giang-ubnd-thanh-pho-bac-giang")] if g)

    markets = datasets[f"{loopback.url}/city/dataset/markets"]
    # a bare-literal frequency is kept as written and mapped to "other" for review
    assert (markets["update_frequency"], markets["update_frequency_text"]) == ("other", "Theo quý")
    assert markets["theme"] == "khac"
    assert sorted(t["name"] for t in markets["tags"]) == ["chợ", "thương mại"]
    assert markets["owner_org"] == economy["id"]                  # matched to the local agency
    assert markets["source_types"] == ["api"]
    assert markets["resources"][0]["format"] == "API"
    # published data needs a description here: the record had none, so it says where to look
    assert markets["notes"] == f"Nguồn không có mô tả; xem tại {loopback.url}/city/dataset/markets"

    schools = datasets[f"{loopback.url}/city/dataset/schools"]
    assert schools["theme"] == "giao-duc"                          # from the theme keyword
    assert [t["name"] for t in schools["tags"]] == ["mầm non"]
    assert schools["province"] == "Bắc Giang"
    assert schools["publication_status"] == "planned" and schools["resources"] == []


VERSIONED = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{base}/v/catalog> a dcat:Catalog ; dcat:dataset <{base}/v/dataset/budget> .
<{base}/v/dataset/budget> a dcat:Dataset ; dct:title "{title}"@vi ; dct:description "Dự toán ngân sách."@vi ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ECON> ;
    dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/{freq}> ;
    dct:publisher [ foaf:name "Phòng Tài chính - Kế hoạch" ] .
"""


def test_reharvest_keeps_locally_curated_fields(loopback, it_org, harvested_sources, sandbox):
    def serve(title, freq):
        body = VERSIONED.format(base=loopback.url, title=title, freq=freq)
        loopback.routes["/v/catalog.ttl"] = (body.encode(), "text/turtle")

    guid = f"{loopback.url}/v/dataset/budget"
    serve("Dự toán ngân sách 2025", "ANNUAL")
    source = _source(it_org, harvested_sources, f"{loopback.url}/v/catalog.ttl", "dcat_rdf")
    first = _run(source, "dcat_rdf_harvester")[guid]
    assert (first["theme"], first["update_frequency"]) == ("kinh-te", "annual")

    # IT staff curate the theme and add a remark here
    helpers.call_action("package_patch", context=site_context(), id=first["id"],
                        theme="tai-chinh", remarks="Đã rà soát chủ đề.")
    serve("Dự toán ngân sách năm 2025", "QUARTERLY")
    second = _run(source, "dcat_rdf_harvester")[guid]
    assert second["id"] == first["id"]
    assert second["title"] == "Dự toán ngân sách năm 2025"       # the source's own field follows it
    assert second["update_frequency"] == "quarterly"               # not curated here: follows too
    assert second["theme"] == "tai-chinh"                          # curated here: kept
    assert second["remarks"] == "Đã rà soát chủ đề."

    # once the dataset is listed in a local catalog, its catalog fields are the catalog's
    catalog = Catalog(key=f"thu-{uuid.uuid4().hex[:6]}", province=sandbox.province, year=2025,
                      title="Danh mục thử", state="published")
    model.Session.add(catalog)
    model.Session.flush()
    model.Session.add(CatalogEntry(catalog_id=catalog.id, package_id=first["id"], title=first["title"]))
    model.Session.commit()
    serve("Dự toán ngân sách năm 2025", "MONTHLY")
    third = _run(source, "dcat_rdf_harvester")[guid]
    assert third["update_frequency"] == "quarterly"


def _export(app, orgs: list[str]) -> bytes:
    """Our /catalog.ttl for each agency (the endpoint's paging links are built from
    the query string unencoded, so one `fq` per request), merged into one document."""
    graph = rdflib.Graph()
    for org in orgs:
        res = app.get(f"/catalog.ttl?fq=organization:{org}")
        assert res.status_code == 200
        graph.parse(data=res.get_data(as_text=True), format="turtle")
    for paging in list(graph.subjects(RDF.type, HYDRA.PagedCollection)):
        graph.remove((paging, None, None))
    return graph.serialize(format="turtle").encode()


def test_round_trip_through_our_own_endpoint(loopback, it_org, harvested_sources, seeded_catalogs,
                                             showcase, agencies):
    """Export (our /catalog.ttl) -> harvest back as another portal would -> same fields."""
    app = helpers._get_test_app()
    orgs = [agencies["public"]["name"], agencies["private"]["name"], "bac-giang-so-giao-duc-va-dao-tao"]
    originals = [d for org in orgs for d in helpers.call_action(
        "package_search", fq=f"organization:{org}", rows=100, include_private=False)["results"]]
    assert len(originals) >= 10
    loopback.routes["/roundtrip/catalog.ttl"] = (_export(app, orgs), "text/turtle")
    source = _source(it_org, harvested_sources, f"{loopback.url}/roundtrip/catalog.ttl", "dcat_rdf",
                     config={"map_publishers": True})   # a reviewer maps datasets by dct:publisher
    copies = _run(source, "dcat_rdf_harvester")
    site = tk.config.get("ckan.site_url")
    assert len(copies) == len(originals)
    for original in originals:
        original = helpers.call_action("package_show", id=original["id"])
        copy_ = copies[f"{site}/dataset/{original['id']}"]
        assert copy_["id"] != original["id"]
        for field in ROUND_TRIP_FIELDS:
            assert (copy_.get(field) or None) == (original.get(field) or None), (original["name"], field)
        assert sorted(t["name"] for t in copy_["tags"]) == sorted(t["name"] for t in original["tags"])
        assert sorted((r["name"], r["url"], r["format"], r.get("description") or "") for r in copy_["resources"]) == \
            sorted((r["name"], r["url"], r["format"], r.get("description") or "") for r in original["resources"])
        assert copy_["url"] == f"{site}/dataset/{original['name']}"   # link to the origin


def test_ckan_source_from_a_portal_on_our_schema(loopback, it_org, harvested_sources, showcase):
    """A merged former province's portal runs this software: its CKAN API is harvested
    with ckanext-harvest's CKAN harvester; fields land as they are, and the catalog
    fields curated here are not overwritten by later harvests."""
    remote = copy.deepcopy(helpers.call_action("package_show", id=showcase["full"]["id"]))
    remote.update(id=str(uuid.uuid4()), name=f"remote-{uuid.uuid4().hex[:6]}",
                  title="Danh sách trường học (cổng cũ)", metadata_modified="2025-01-01T00:00:00")
    for res in remote["resources"]:
        res["id"] = str(uuid.uuid4())
        res["package_id"] = remote["id"]

    def search(path):
        start = int(dict(x.split("=", 1) for x in path.split("?", 1)[1].split("&")).get("start", 0))
        results = [remote] if start == 0 else []
        body = {"success": True, "result": {"count": 1, "results": results}}
        return json.dumps(body).encode(), "application/json"

    loopback.routes["/old/api/3/action/package_search"] = search
    source = _source(it_org, harvested_sources, f"{loopback.url}/old", "ckan")
    first = _run(source, "ckan_safe_harvester")[remote["id"]]
    for field in ("title", "theme", "update_frequency", "update_frequency_text", "first_provided",
                  "source_types", "data_fields", "remarks", "license_id", "original_agency"):
        assert first[field] == remote[field], field
    assert first["owner_org"] == it_org["id"]

    helpers.call_action("package_patch", context=site_context(), id=first["id"], theme="khac",
                        remarks="Rà soát lại tại tỉnh mới.")
    remote.update(theme="giao-duc", remarks="Ghi chú của cổng cũ.", title="Danh sách trường học (cập nhật)",
                  metadata_modified="2099-01-01T00:00:00")
    second = _run(source, "ckan_safe_harvester")[remote["id"]]
    assert second["title"] == "Danh sách trường học (cập nhật)"
    assert (second["theme"], second["remarks"]) == ("khac", "Rà soát lại tại tỉnh mới.")


def test_stock_ckan_portal_is_mapped_into_our_schema(loopback, it_org, harvested_sources):
    """A city portal on stock CKAN has no Decree 47 fields: `vn_ckan` gives each dataset a
    theme from its groups or tags (else "Khác" for review) and this portal's province."""
    def stock(name, title, groups=(), tags=()):
        dataset_id = str(uuid.uuid4())
        return {"id": dataset_id, "name": name, "title": title, "notes": "Dữ liệu của thành phố",
                "license_id": "cc-by", "metadata_modified": "2025-05-01T00:00:00", "type": "dataset",
                "groups": [{"name": g.lower(), "title": g} for g in groups],
                "tags": [{"name": t} for t in tags], "extras": [],
                "resources": [{"id": str(uuid.uuid4()), "package_id": dataset_id, "name": "CSV",
                               "url": f"{loopback.url}/city/{name}.csv", "format": "CSV"}]}

    remote = [stock(f"schools-{uuid.uuid4().hex[:6]}", "Trường học thành phố", groups=["Education"]),
              stock(f"clinics-{uuid.uuid4().hex[:6]}", "Trạm y tế phường", tags=["y tế"]),
              stock(f"misc-{uuid.uuid4().hex[:6]}", "Danh sách khác")]

    def search(path):
        start = int(dict(x.split("=", 1) for x in path.split("?", 1)[1].split("&")).get("start", 0))
        body = {"success": True, "result": {"count": len(remote), "results": remote if start == 0 else []}}
        return json.dumps(body).encode(), "application/json"

    loopback.routes["/stock/api/3/action/package_search"] = search
    source = _source(it_org, harvested_sources, f"{loopback.url}/stock", "vn_ckan")
    landed = _run(source, "vn_ckan")
    themes = {landed[r["id"]]["title"]: landed[r["id"]]["theme"] for r in remote}
    assert themes == {"Trường học thành phố": "giao-duc", "Trạm y tế phường": "y-te", "Danh sách khác": "khac"}
    for r in remote:
        got = landed[r["id"]]
        assert got["province"] and got["owner_org"] == it_org["id"]
        assert [g["name"] for g in got["groups"]] == [got["theme"]]
        assert got["resources"][0]["url"] == r["resources"][0]["url"]
