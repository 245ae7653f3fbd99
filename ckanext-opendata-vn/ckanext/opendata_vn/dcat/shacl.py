"""SHACL validation of the portal's DCAT output against a folder of shapes.

The test suite validates against our own shapes (tests/dcat/shapes); the official
DCAT-AP 3.0.1 shapes are not in the repository, so checking against them is the
maintenance command `ckan opendata dcat-validate SHAPES_DIR` (dcat/cli.py).
"""
from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.namespace import SH


def load_shapes(folder: Path) -> rdflib.Graph:
    """Every .ttl file of `folder` as one shapes graph.

    The official release splits its shapes over dcat-ap-SHACL.ttl and ranges.ttl, each
    referring to property shapes defined in the other (so validating with one file as
    shapes and the other as an extra graph stops with a runtime error as soon as the
    data has a dcat:DataService), and refers to five property shapes it defines nowhere:
    those dangling references (a property shape without sh:path) are left out."""
    files = sorted(Path(folder).glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no .ttl shapes file in {folder}")
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    for shape, prop in list(graph.subject_objects(SH.property)):
        if graph.value(prop, SH.path) is None:
            graph.remove((shape, SH.property, prop))
    return graph


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    """pyshacl's verdict and its text report."""
    import pyshacl
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=shapes)
    return conforms, text
