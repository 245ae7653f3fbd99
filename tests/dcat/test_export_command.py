"""`ckan opendata dcat-export FILE`: the whole catalog in one file, written in batches."""
from __future__ import annotations

import rdflib
from rdflib.namespace import RDF

from ckan.cli.cli import ckan

from ckanext.opendata_vn.dcat.export import export_catalog
from tests.support.dcat import OUR_SHAPES, validate

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "xml": "xml", "nt": "nt"}


def _ground(graph) -> set:
    """The triples without blank nodes (comparable across files)."""
    return {t for t in graph if not any(isinstance(x, rdflib.BNode) for x in t)}


def test_command_writes_every_format_of_the_same_catalog(cli, seeded_catalogs, showcase, tmp_path):
    graphs = {}
    for fmt, parser in PARSERS.items():
        target = tmp_path / f"danh-muc.{fmt}"
        result = cli.invoke(ckan, ["opendata", "dcat-export", str(target)])
        assert result.exit_code == 0, result.output
        assert "Đã ghi" in result.output and str(target) in result.output
        graphs[fmt] = rdflib.Graph().parse(target, format=parser)
    assert len(set(graphs["ttl"].subjects(RDF.type, DCAT.Dataset))) >= 346
    for fmt in ("jsonld", "xml", "nt"):
        assert len(graphs[fmt]) == len(graphs["ttl"]) and _ground(graphs[fmt]) == _ground(graphs["ttl"]), fmt
    conforms, report = validate(graphs["xml"])
    assert conforms, report
    assert not list(tmp_path.glob(".danh-muc*"))          # no temporary file left behind


def test_validate_command_checks_a_file_against_a_folder_of_shapes(cli, showcase, tmp_path):
    """`ckan opendata dcat-validate SHAPES_DIR FILE` (how the official DCAT-AP 3.0.1
    shapes are checked, outside the suite): here with our own shapes folder."""
    good = tmp_path / "danh-muc.ttl"
    assert cli.invoke(ckan, ["opendata", "dcat-export", str(good)]).exit_code == 0
    result = cli.invoke(ckan, ["opendata", "dcat-validate", str(OUR_SHAPES), str(good)])
    assert result.exit_code == 0, result.output
    assert "danh-muc.ttl: đạt SHACL" in result.output
    # the same catalog with one dataset's title removed no longer conforms
    graph = rdflib.Graph().parse(good, format="turtle")
    dataset = next(iter(graph.subjects(RDF.type, DCAT.Dataset)))
    graph.remove((dataset, DCT.title, None))
    bad = tmp_path / "thieu-ten.ttl"
    graph.serialize(bad, format="turtle")
    result = cli.invoke(ckan, ["opendata", "dcat-validate", str(OUR_SHAPES), str(bad)])
    assert result.exit_code == 1
    assert "thieu-ten.ttl: KHÔNG đạt SHACL" in result.output and str(dataset) in result.output
    empty = tmp_path / "khong-co-shacl"
    empty.mkdir()
    result = cli.invoke(ckan, ["opendata", "dcat-validate", str(empty), str(good)])
    assert result.exit_code == 2 and "Không có tệp SHACL .ttl nào" in result.output


def test_batches_do_not_change_the_output(seeded_catalogs, tmp_path):
    small = export_catalog(tmp_path / "a.ttl", batch=10)
    large = export_catalog(tmp_path / "b.ttl", batch=1000)
    assert small.datasets == large.datasets >= 346
    a = rdflib.Graph().parse(tmp_path / "a.ttl", format="turtle")
    b = rdflib.Graph().parse(tmp_path / "b.ttl", format="turtle")
    assert len(a) == len(b) and _ground(a) == _ground(b)
    conforms, report = validate(a)
    assert conforms, report


def test_modified_since_and_a_bad_date(cli, seeded_catalogs, tmp_path):
    target = tmp_path / "moi.ttl"
    result = cli.invoke(ckan, ["opendata", "dcat-export", str(target), "--modified-since", "2999-01-01"])
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(target, format="turtle")
    assert not set(graph.subjects(RDF.type, DCAT.Dataset))
    assert set(graph.subjects(RDF.type, DCAT.Catalog))      # the catalog itself is still described
    result = cli.invoke(ckan, ["opendata", "dcat-export", str(target), "--modified-since", "hôm qua"])
    assert result.exit_code == 2 and "ISO 8601" in result.output
