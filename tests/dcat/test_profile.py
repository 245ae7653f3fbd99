"""The DCAT-AP 3 output: the seeded datasets, one by one and as the whole catalog,
validate against our shapes (tests/dcat/shapes; the official DCAT-AP 3.0.1 shapes are
checked outside the suite with `ckan opendata dcat-validate SHAPES_DIR`), and every
catalog field is mapped as issue #7 asks."""
from __future__ import annotations

import rdflib
import pytest
from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckan.tests import helpers
from ckanext.dcat.processors import RDFSerializer

from ckanext.opendata_vn.dcat.export import export_catalog
from tests.support.dcat import validate

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
ODVN = rdflib.Namespace("https://w3id.org/opendata-vn/ns#")
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture(scope="module")
def catalog(seeded_catalogs, showcase, tmp_path_factory):
    """The whole catalog as `ckan opendata dcat-export` writes it, parsed back."""
    path = tmp_path_factory.mktemp("dcat") / "catalog.ttl"
    stats = export_catalog(path, fmt="ttl", batch=100)
    graph = rdflib.Graph().parse(path, format="turtle")
    return {"graph": graph, "stats": stats, "path": path}


def _ref(dataset: dict) -> URIRef:
    return URIRef(f"{tk.config.get('ckan.site_url')}/dataset/{dataset['id']}")


def _public_count() -> int:
    return helpers.call_action("package_search", rows=0, include_private=False,
                               fq="+dataset_type:dataset")["count"]


def test_whole_catalog_validates_against_our_shapes(catalog):
    graph = catalog["graph"]
    conforms, report = validate(graph)
    assert conforms, report
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == catalog["stats"].datasets == _public_count() >= 346
    # every dataset belongs to the catalog and has its record
    root = URIRef(tk.config.get("ckan.site_url"))
    assert set(graph.objects(root, DCAT.dataset)) == datasets
    assert {graph.value(r, FOAF.primaryTopic) for r in graph.objects(root, DCAT.record)} == datasets


def test_each_seeded_dataset_on_its_own_validates(seeded_catalogs):
    """Each dataset serialized on its own (as /dataset/{id}.ttl does), all checked at once."""
    combined = rdflib.Graph()
    ids = [r["id"] for r in helpers.call_action(
        "package_search", rows=1000, include_private=False, fq="vocab_catalog:[* TO *]")["results"]]
    assert len(ids) >= 340
    for pid in ids:
        dataset = helpers.call_action("package_show", id=pid)
        text = RDFSerializer().serialize_dataset(dataset, _format="ttl")
        combined.parse(data=text, format="turtle")
    conforms, report = validate(combined)
    assert conforms, report


def test_theme_frequency_dates_and_vietnamese_text(catalog, showcase):
    g, ds = catalog["graph"], _ref(showcase["full"])
    assert (ds, DCAT.theme, URIRef(EU + "data-theme/EDUC")) in g
    assert (URIRef(EU + "data-theme/EDUC"), RDF.type, SKOS.Concept) in g
    keywords = set(g.objects(ds, DCAT.keyword))
    assert {Literal("Giáo dục và đào tạo", lang="vi"), Literal("Education and training", lang="en"),
            Literal("trường học", lang="vi"), Literal("giáo dục phổ thông", lang="vi")} <= keywords
    freq = URIRef(EU + "frequency/QUARTERLY")
    assert g.value(ds, DCT.accrualPeriodicity) == freq
    assert (freq, RDF.type, DCT.Frequency) in g and (freq, RDF.type, SKOS.Concept) in g
    assert g.value(ds, DCT.issued) == Literal("2024-09-30", datatype=XSD.date)
    assert g.value(ds, DCT.title) == Literal(showcase["full"]["title"], lang="vi")
    assert g.value(ds, DCT.description).language == "vi"
    assert g.value(ds, ODVN.firstProvidedText) == Literal("Quý III/2024", lang="vi")
    assert g.value(ds, ODVN.updateFrequencyText) == Literal("Hàng quý", lang="vi")
    fields = [str(x) for x in Collection(g, g.value(ds, ODVN.dataFields))]
    assert fields == ["Tên trường", "Địa chỉ"]
    assert g.value(ds, RDFS.comment) == Literal("Dữ liệu cấp tỉnh.", lang="vi")
    assert g.value(ds, DCT.license) == URIRef(EU + "licence/CC_BYSA_4_0")
    location = g.value(ds, DCT.spatial)
    # no province on the dataset: the portal's own (configured) province
    own = tk.config["ckanext.opendata_vn.province"]
    assert Literal(own, lang="vi") in set(g.objects(location, SKOS.prefLabel))


def test_free_text_frequency_is_a_described_frequency_never_a_literal(catalog, showcase):
    g = catalog["graph"]
    node = g.value(_ref(showcase["free_text"]), DCT.accrualPeriodicity)
    assert not isinstance(node, Literal)
    assert (node, RDF.type, DCT.Frequency) in g
    assert g.value(node, SKOS.prefLabel) == Literal("Theo kỳ báo cáo của Bộ Y tế", lang="vi")
    assert g.value(node, SKOS.broadMatch) == URIRef(EU + "frequency/OTHER")
    # no description in the catalog: DCAT-AP still gets one, marked as missing
    ds = _ref(showcase["free_text"])
    assert g.value(ds, DCT.description).language == "vi"
    assert g.value(ds, ODVN.descriptionMissing) == Literal(True)
    # irregular frequencies use the EU "irregular"; "khác" has no EU theme, only keywords
    other = _ref(showcase["other"])
    assert g.value(other, DCT.accrualPeriodicity) == URIRef(EU + "frequency/IRREG")
    assert g.value(other, DCAT.theme) is None
    assert Literal("Khác", lang="vi") in set(g.objects(other, DCAT.keyword))
    # no bare literal anywhere in the catalog
    assert not [o for o in g.objects(None, DCT.accrualPeriodicity) if isinstance(o, Literal)]


def test_publisher_original_agency_and_contact_privacy(catalog, showcase, agencies):
    g, base = catalog["graph"], tk.config.get("ckan.site_url")
    ds = _ref(showcase["full"])
    publisher = g.value(ds, DCT.publisher)
    assert publisher == URIRef(f"{base}/organization/{agencies['public']['id']}")
    assert (publisher, RDF.type, FOAF.Organization) in g
    assert g.value(publisher, FOAF.name) == Literal(agencies["public"]["title"], lang="vi")
    # the catalog named the agency that merged into the publisher: it is the creator,
    # with the succession stated
    creator = g.value(ds, DCT.creator)
    assert creator == URIRef(f"{base}/organization/{agencies['merged']['id']}")
    assert g.value(creator, FOAF.name) == Literal(agencies["merged"]["title"], lang="vi")
    event = g.value(creator, ORG.changedBy)
    assert g.value(event, ORG.resultingOrganization) == publisher
    assert g.value(event, DCT.date) == Literal("2025-03-01", datatype=XSD.date)
    # the agency publishes its focal officer's contact: name, email and phone
    contact = g.value(ds, DCAT.contactPoint)
    assert g.value(contact, VCARD.fn) == Literal("Nguyễn Văn An", lang="vi")
    assert str(g.value(contact, VCARD.hasEmail)).startswith("mailto:an.")
    assert g.value(contact, VCARD.hasTelephone) == URIRef("tel:02043854321")
    # the other agency does not: only the officer's name, no email or phone anywhere
    contact = g.value(_ref(showcase["free_text"]), DCAT.contactPoint)
    assert g.value(contact, VCARD.fn) == Literal("Trần Thị Bình", lang="vi")
    assert g.value(contact, VCARD.hasEmail) is None and g.value(contact, VCARD.hasTelephone) is None
    text = catalog["path"].read_text(encoding="utf-8")
    assert agencies["private"]["focal_officer_email"] not in text
    assert "3111222" not in text.replace(" ", "")


def test_distributions_data_services_and_source_types(catalog, showcase):
    g = catalog["graph"]
    ds = _ref(showcase["full"])
    dists = list(g.objects(ds, DCAT.distribution))
    assert len(dists) == 2
    by_title = {str(g.value(d, DCT.title)): d for d in dists}
    csv = by_title["Danh sách (CSV)"]
    assert g.value(csv, DCT["format"]) == URIRef(EU + "file-type/CSV")
    assert g.value(csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert g.value(csv, DCAT.accessURL) == URIRef("http://data.example.gov.vn/truong-hoc.csv")
    assert g.value(csv, DCT.license) == URIRef(EU + "licence/CC_BYSA_4_0")
    api = by_title["API tra cứu trường học"]
    service = g.value(api, DCAT.accessService)
    assert (service, RDF.type, DCAT.DataService) in g
    assert g.value(service, DCAT.endpointURL) == URIRef("http://api.example.gov.vn/v1/truong-hoc")
    assert g.value(service, DCAT.servesDataset) == ds
    assert (URIRef(tk.config.get("ckan.site_url")), DCAT.service, service) in g
    # a planned dataset has no data yet: its source types are distributions "under development"
    planned = _ref(showcase["free_text"])
    dists = {str(g.value(d, ODVN.sourceType)): d for d in g.objects(planned, DCAT.distribution)}
    assert set(dists) == {"excel", "database"}
    assert g.value(dists["excel"], DCT["format"]) == URIRef(EU + "file-type/XLSX")
    assert g.value(dists["excel"], ADMS.status) == URIRef("http://purl.org/adms/status/UnderDevelopment")
    assert g.value(dists["excel"], DCAT.accessURL) == URIRef(
        f"{tk.config.get('ckan.site_url')}/dataset/{showcase['free_text']['name']}")


def test_catalog_record_carries_catalog_year_and_legal_basis(catalog):
    g = catalog["graph"]
    root = URIRef(tk.config.get("ckan.site_url"))
    entry = helpers.call_action("package_search", rows=1, fq="vocab_catalog:bac-giang-2024")["results"][0]
    ds = _ref(entry)
    record = next(g.subjects(FOAF.primaryTopic, ds))
    assert (root, DCAT.record, record) in g
    assert Literal("2024", datatype=XSD.gYear) in set(g.objects(record, ODVN.catalogYear))
    laws = {str(g.value(law, DCT.title)) for law in g.objects(record, DCATAP.applicableLegislation)}
    assert any(t.startswith("Nghị định số 47/2020/NĐ-CP") for t in laws)
    assert all((law, RDF.type, ELI.LegalResource) in g for law in g.objects(record, DCATAP.applicableLegislation))
    # the Decree 47 document is a catalog of its own, part of the portal's catalog
    sub = URIRef(f"{root}/catalog/bac-giang-2024")
    assert (root, DCT.hasPart, sub) in g and (sub, DCAT.dataset, ds) in g
    assert g.value(sub, DCT.title) == Literal("Danh mục dữ liệu mở tỉnh Bắc Giang năm 2024", lang="vi")
    assert g.value(g.value(sub, DCT.publisher), FOAF.name) == Literal("UBND tỉnh Bắc Giang", lang="vi")
    period = g.value(sub, DCT.temporal)
    assert g.value(period, DCAT.startDate) == Literal("2024", datatype=XSD.gYear)


def test_private_datasets_are_not_exported(catalog, showcase):
    g = catalog["graph"]
    assert (_ref(showcase["hidden"]), RDF.type, DCAT.Dataset) not in g
    assert (_ref(showcase["full"]), RDF.type, DCAT.Dataset) in g


def test_catalogs_not_yet_published_are_not_stated(showcase, sandbox):
    """A catalog being drawn up (or approved, not yet published) lists the dataset
    internally only: the public metadata says nothing of it."""
    from ckan import model
    from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
    for state in ("draft", "approved"):
        catalog = Catalog(key=f"du-thao-{state}-{showcase['other']['id'][:6]}", province=sandbox.province,
                          year=2026, title=f"Danh mục năm 2026 ({state})", state=state)
        model.Session.add(catalog)
        model.Session.flush()
        model.Session.add(CatalogEntry(catalog_id=catalog.id, package_id=showcase["other"]["id"],
                                       title=showcase["other"]["title"], number="1"))
    model.Session.commit()
    dataset = helpers.call_action("package_show", id=showcase["other"]["id"])
    g = rdflib.Graph().parse(data=RDFSerializer().serialize_dataset(dataset, _format="ttl"), format="turtle")
    assert not [c for c in g.subjects(RDF.type, DCAT.Catalog) if "/catalog/du-thao-" in str(c)]
    assert Literal("2026", datatype=XSD.gYear) not in set(g.objects(None, ODVN.catalogYear))
