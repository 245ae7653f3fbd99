"""The DCAT endpoints through the web app, as another portal would call them:
/catalog.{ttl,jsonld,xml} with paging and modified_since, /dataset/{id}.{ttl,jsonld,xml},
content negotiation, and the links in each dataset page's head."""
from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.support.dcat import site_context, validate

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "xml": ("application/rdf+xml", "xml")}


def _get(app, url, user=None, **headers):
    if user:
        headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
    res = app.get(url, headers=headers)
    assert res.status_code == 200, (url, res.status_code)
    return res


def _graph(res, fmt) -> rdflib.Graph:
    mime, parser = FORMATS[fmt]
    assert res.headers["Content-Type"].startswith(mime)
    return rdflib.Graph().parse(data=res.get_data(as_text=True), format=parser)


def _datasets(graph) -> set:
    return set(graph.subjects(RDF.type, DCAT.Dataset))


def _local(url: str) -> str:
    parts = urlsplit(str(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_catalog_pages_cover_every_public_dataset_once(app_client, seeded_catalogs, showcase):
    total = helpers.call_action("package_search", rows=0, include_private=False)["count"]
    seen, url, pages = [], "/catalog.ttl", 0
    while url:
        graph = _graph(_get(app_client, url), "ttl")
        conforms, report = validate(graph)
        assert conforms, report
        page = _datasets(graph)
        assert len(page) <= 100
        seen.extend(page)
        paging = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert int(graph.value(paging, HYDRA.totalItems)) == total
        following = graph.value(paging, HYDRA.next)
        url = _local(following) if following else None
        pages += 1
    assert pages == -(-total // 100) >= 4
    assert len(seen) == len(set(seen)) == total
    assert URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{showcase['hidden']['id']}") not in seen


def test_catalog_in_json_ld_and_rdf_xml(app_client, seeded_catalogs):
    ttl = _datasets(_graph(_get(app_client, "/catalog.ttl?page=2"), "ttl"))
    for fmt in ("jsonld", "xml"):
        graph = _graph(_get(app_client, f"/catalog.{fmt}?page=2"), fmt)
        assert _datasets(graph) == ttl
        conforms, report = validate(graph)
        assert conforms, report


def test_modified_since(app_client, seeded_catalogs, showcase):
    since = helpers.call_action("package_show", id=showcase["other"]["id"])["metadata_modified"]
    graph = _graph(_get(app_client, f"/catalog.ttl?modified_since={since}"), "ttl")
    found = {str(d).rsplit("/", 1)[1] for d in _datasets(graph)}
    assert showcase["other"]["id"] in found
    assert showcase["full"]["id"] not in found      # created (and last changed) before
    later = (datetime.datetime.utcnow() + datetime.timedelta(days=1)).isoformat()
    assert _datasets(_graph(_get(app_client, f"/catalog.ttl?modified_since={later}"), "ttl")) == set()
    assert app_client.get("/catalog.ttl?modified_since=not-a-date").status_code == 409


def test_dataset_documents(app_client, showcase):
    full = showcase["full"]
    ref = URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{full['id']}")
    for fmt in FORMATS:
        for key in (full["id"], full["name"]):
            graph = _graph(_get(app_client, f"/dataset/{key}.{fmt}"), fmt)
            assert _datasets(graph) == {ref}
        conforms, report = validate(graph)
        assert conforms, report
    # a private dataset is not shown to the public
    assert app_client.get(f"/dataset/{showcase['hidden']['id']}.ttl").status_code in (403, 404)


def test_content_negotiation_on_the_dataset_page(app_client, showcase):
    full = showcase["full"]
    graph = _graph(_get(app_client, f"/dataset/{full['name']}", Accept="text/turtle"), "ttl")
    assert len(_datasets(graph)) == 1
    html = _get(app_client, f"/dataset/{full['name']}", user=factories.Sysadmin(),
                Accept="text/html").get_data(as_text=True)
    assert full["title"] in html
    catalog = _get(app_client, "/", Accept="text/turtle")
    assert catalog.headers["Content-Type"].startswith("text/turtle")
    assert "<html" in _get(app_client, "/", user=factories.Sysadmin(), Accept="text/html").get_data(as_text=True)


def test_dataset_page_head_links_to_its_metadata(app_client, showcase):
    full = showcase["full"]
    html = _get(app_client, f"/dataset/{full['name']}", user=factories.Sysadmin()).get_data(as_text=True)
    head = html.split("</head>", 1)[0]
    for fmt, (mime, _p) in FORMATS.items():
        href = f"{tk.config.get('ckan.site_url')}/dataset/{full['id']}.{fmt}"
        assert f'type="{mime}"' in head and f'href="{href}"' in head
        assert f'rel="describedby" type="{mime}"' in head
    assert "Siêu dữ liệu DCAT-AP 3 (Turtle)" in head


def test_catalog_page_shows_each_change_at_once(app_client, agencies):
    """Catalog pages are kept per process while the catalog is unchanged (issue #12):
    a dataset changed, deleted or added since must show on the next request."""
    s = agencies["suffix"]
    made = helpers.call_action(
        "package_create", context=site_context(), name=f"bo-dem-{s}", title=f"Bộ đệm thử {s}",
        notes="Tập dữ liệu kiểm tra bộ đệm của danh mục.", owner_org=agencies["public"]["id"],
        theme="khac", publication_status="planned")
    url = f"/catalog.ttl?fq=organization:{agencies['public']['name']}"
    ref = URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{made['id']}")

    def titles() -> set:
        graph = _graph(_get(app_client, url), "ttl")
        return {str(t) for t in graph.objects(ref, rdflib.namespace.DCTERMS.title)}

    assert f"Bộ đệm thử {s}" in titles()
    assert f"Bộ đệm thử {s}" in titles()        # the page as kept
    helpers.call_action("package_patch", context=site_context(), id=made["id"],
                        title=f"Bộ đệm đã sửa {s}")
    assert titles() == {f"Bộ đệm đã sửa {s}"}
    helpers.call_action("package_delete", context=site_context(), id=made["id"])
    assert titles() == set()
    added = helpers.call_action(
        "package_create", context=site_context(), name=f"bo-dem-moi-{s}", title=f"Bộ đệm mới {s}",
        notes="Tập dữ liệu thêm sau.", owner_org=agencies["public"]["id"], theme="khac",
        publication_status="planned")
    graph = _graph(_get(app_client, url), "ttl")
    assert URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{added['id']}") in _datasets(graph)


def test_turtle_from_kept_fragments_states_what_the_one_graph_states(app_client, seeded_catalogs):
    """/catalog.ttl is written from per-dataset fragments kept across requests
    (dcat/fragments.py); the other formats from one graph. Both say the same."""
    from rdflib.compare import isomorphic
    url = "/catalog.{}?page=2"
    for _ in range(2):      # computed, then from the kept fragments
        ttl = _graph(_get(app_client, url.format("ttl")), "ttl")
        jsonld = _graph(_get(app_client, url.format("jsonld")), "jsonld")
        assert len(_datasets(ttl)) == 100
        for graph in (ttl, jsonld):     # the paging links name their own format
            for paging in list(graph.subjects(RDF.type, HYDRA.PagedCollection)):
                graph.remove((paging, None, None))
        assert len(ttl) > 3000
        assert isomorphic(ttl, jsonld), set(ttl) ^ set(jsonld)


def test_kept_fragments_follow_agency_changes(app_client, agencies):
    """A fragment's key covers what it shows besides its dataset: renaming the agency
    shows on the next page although the dataset itself did not change."""
    s = agencies["suffix"]
    org = helpers.call_action("organization_create", context=site_context(), name=f"doi-ten-{s}",
                              title=f"Ban Quản lý thử {s}", province="Bắc Giang", level="so_nganh")
    made = helpers.call_action(
        "package_create", context=site_context(), name=f"doi-ten-{s}", title=f"Đổi tên thử {s}",
        notes="Tập dữ liệu kiểm tra tên cơ quan.", owner_org=org["id"], theme="khac",
        publication_status="planned")
    try:
        url = f"/catalog.ttl?fq=organization:{org['name']}"
        ref = URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{made['id']}")

        def publisher_names() -> set:
            graph = _graph(_get(app_client, url), "ttl")
            publisher = graph.value(ref, rdflib.namespace.DCTERMS.publisher)
            return {str(n) for n in graph.objects(publisher, rdflib.namespace.FOAF.name)}

        assert f"Ban Quản lý thử {s}" in publisher_names()
        helpers.call_action("organization_patch", context=site_context(), id=org["id"],
                            title=f"Ban Quản lý đã đổi tên {s}")
        # another dataset changes (the page itself is computed again), this one does not
        helpers.call_action("package_create", context=site_context(), name=f"doi-ten-khac-{s}",
                            title=f"Khác {s}", notes="Thay đổi danh mục.", owner_org=org["id"],
                            theme="khac", publication_status="planned")
        names = publisher_names()
        assert f"Ban Quản lý đã đổi tên {s}" in names and f"Ban Quản lý thử {s}" not in names
    finally:
        site = dict(site_context(), ignore_auth=True)
        for (pid,) in model.Session.query(model.Package.id).filter(model.Package.owner_org == org["id"]):
            helpers.call_action("dataset_purge", context=dict(site), id=pid)
        helpers.call_action("organization_purge", context=dict(site), id=org["id"])
