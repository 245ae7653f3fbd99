"""Write the whole DCAT-AP 3 catalog to one file, streaming.

For national portals that only accept an uploaded file. Datasets are read from the
search index in batches, each batch is turned into its own small RDF graph by the
configured profiles (the same output as /catalog.ttl) and written out at once, so
memory stays flat however many datasets there are. The file is written to a temporary
name and renamed when complete.
"""
from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

import rdflib
from rdflib import URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS, XSD, OWL

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles.base import namespaces as DCAT_NAMESPACES
from ckanext.dcat.profiles import DCAT
from ckanext.dcat.utils import catalog_uri

from ckanext.opendata_vn.dcat import vocabularies as V
from ckanext.opendata_vn.dcat.lookups import GraphCache, prefill_base_org_cache
from ckanext.opendata_vn.dcat.turtle import TurtleWriter

log = logging.getLogger(__name__)

FORMATS = ("ttl", "jsonld", "xml", "nt")
PREFIXES = {
    **{p: str(ns) for p, ns in DCAT_NAMESPACES.items()},
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS), "owl": str(OWL),
    "org": str(ORG), "prov": str(PROV), "odvn": str(V.ODVN), "eli": str(V.ELI),
    "dcatap": str(V.DCATAP), "hydra": str(V.HYDRA),
}


@dataclass
class ExportStats:
    datasets: int = 0
    triples: int = 0
    seconds: float = 0.0
    path: str = ""


def new_graph(cache: GraphCache) -> rdflib.Graph:
    # rdflib's default in-memory store: "SimpleMemory" is a little faster but its
    # triples() is lazy, and ckanext-dcat changes the graph while iterating it (byteSize)
    graph = rdflib.Graph(bind_namespaces="core")  # core: rdf, rdfs, xsd, owl, xml
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph._opendata_vn_cache = cache
    return graph


def _search_batches(batch: int, modified_since: str | None):
    """Public, active datasets, in stable order, `batch` at a time."""
    fq = ["+dataset_type:dataset"]
    if modified_since:
        fq.append(f"metadata_modified:[{modified_since} TO NOW]")
    start = 0
    while True:
        result = tk.get_action("package_search")({"ignore_auth": True}, {
            "q": "*:*", "fq_list": fq, "rows": batch, "start": start, "sort": "id asc",
            "include_private": False, "include_drafts": False,
        })
        rows = result["results"]
        if not rows:
            return
        yield result["count"], rows
        start += len(rows)
        if start >= result["count"]:
            return


class _Writer:
    def __init__(self, out: TextIO, fmt: str):
        self.out, self.fmt = out, fmt
        self.first = True
        self.turtle = TurtleWriter(out, PREFIXES.items()) if fmt == "ttl" else None

    def start(self):
        if self.fmt == "ttl":
            self.turtle.header()
        elif self.fmt == "jsonld":
            self.out.write('{"@context": ' + json.dumps(PREFIXES, ensure_ascii=False) + ',\n"@graph": [\n')
        elif self.fmt == "xml":
            decls = " ".join(f'xmlns:{p}="{ns}"' for p, ns in sorted(PREFIXES.items()))
            self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF {decls}>\n')

    def graph(self, graph: rdflib.Graph):
        if self.fmt == "ttl":
            self.turtle.write(graph)
        elif self.fmt == "nt":
            self.out.write(graph.serialize(format="nt"))
        elif self.fmt == "jsonld":
            doc = json.loads(graph.serialize(format="json-ld", context=PREFIXES, auto_compact=True))
            items = doc.get("@graph", [doc]) if isinstance(doc, dict) else doc
            for item in items:
                if isinstance(item, dict):
                    item.pop("@context", None)
                self.out.write(("" if self.first else ",\n") + json.dumps(item, ensure_ascii=False))
                self.first = False
        elif self.fmt == "xml":
            self.out.write(_xml_body(graph.serialize(format="xml")))

    def end(self):
        if self.fmt == "jsonld":
            self.out.write("\n]}\n")
        elif self.fmt == "xml":
            self.out.write("</rdf:RDF>\n")


_ROOT = re.compile(r"<rdf:RDF\b([^>]*)>", re.S)


def _xml_body(document: str) -> str:
    """The elements inside <rdf:RDF>; namespaces the header does not declare are
    moved onto each top-level element."""
    root = _ROOT.search(document)
    end = document.rfind("</rdf:RDF>")
    if not root or end < 0:  # an empty graph serializes as <rdf:RDF .../>
        return ""
    body = document[root.end():end]
    extra = [(p, ns) for p, ns in re.findall(r'xmlns:([\w.-]+)="([^"]*)"', root.group(1))
             if PREFIXES.get(p) != ns]
    if extra:
        decls = " ".join(f'xmlns:{p}="{ns}"' for p, ns in extra)
        body = re.sub(r"(?m)^  <([\w.-]+:[\w.-]+)(?=[\s>])", lambda m: f"  <{m.group(1)} {decls}", body)
    return body


def export_catalog(target: str | Path, fmt: str = "ttl", modified_since: str | None = None,
                   batch: int = 250, progress: Callable[[int, int], None] | None = None) -> ExportStats:
    """Write the catalog (public datasets) to `target` in `fmt`; returns counts."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    started = time.time()
    target = Path(target)
    stats = ExportStats(path=str(target))
    serializer = RDFSerializer()
    cache = GraphCache()
    catalog_ref = URIRef(catalog_uri())
    prefill_base_org_cache()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=str(target.parent or "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            writer = _Writer(out, fmt)
            writer.start()
            serializer.g = new_graph(cache)
            serializer.graph_from_catalog({})
            stats.triples += len(serializer.g)
            writer.graph(serializer.g)
            for total, rows in _search_batches(batch, modified_since):
                graph = serializer.g = new_graph(cache)
                graph.add((catalog_ref, RDF.type, DCAT.Catalog))
                cache.prefetch_entries([d["id"] for d in rows])
                for dataset in rows:
                    graph.add((catalog_ref, DCAT.dataset, serializer.graph_from_dataset(dataset)))
                stats.datasets += len(rows)
                stats.triples += len(graph)
                writer.graph(graph)
                cache.entries.clear()
                model.Session.expunge_all()  # the ORM keeps nothing between batches
                if progress:
                    progress(stats.datasets, total)
            writer.end()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    stats.seconds = time.time() - started
    log.info("DCAT export: %s datasets, %s triples, %.1f s -> %s", stats.datasets, stats.triples,
             stats.seconds, target)
    return stats
