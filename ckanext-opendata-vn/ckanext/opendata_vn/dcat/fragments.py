"""Each dataset's statements on the /catalog.ttl pages, kept per process.

Under load the catalog pages were the heaviest requests (benchmarks/README.md, issue
#12): the profiles cost about 7 ms a dataset, and the page cache (core/catalog_cache.py)
is dropped by any edit anywhere in the catalog, which with officers at work is every few
seconds. A dataset's statements depend only on its own dict, its catalog entries, the
agencies and catalogs, the configuration and the profiles, so the key is a digest of
exactly those: a kept fragment is never stale, and an edit recomputes one dataset, not
a page. Each fragment describes the shared nodes it uses (agency, theme, catalog) on
its own; the page writes an identical statement once.
"""
from __future__ import annotations

import copy
import hashlib
import json
import threading

import ckan.plugins.toolkit as tk
import rdflib
from cachetools import LRUCache
from ckan import model
from ckanext.dcat.profiles import DCAT
from rdflib.namespace import RDF

from ckanext.opendata_vn.catalog.model import Catalog
from ckanext.opendata_vn.dcat.lookups import GraphCache
from ckanext.opendata_vn.dcat.turtle import TurtleWriter

# ~4 KB of Turtle a dataset: at most ~20 MB a web worker
_CACHE: LRUCache = LRUCache(maxsize=5000)
_LOCK = threading.Lock()


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def environment_digest(catalog_ref, profiles) -> str:
    """What every fragment of a page depends on besides its dataset: the configuration,
    every agency with its extras (successions, contacts), every catalog, the profiles."""
    agencies = (model.Session.query(model.Group.id, model.Group.name, model.Group.title,
                                    model.Group.state, model.GroupExtra.key, model.GroupExtra.value,
                                    model.GroupExtra.state)
                .outerjoin(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
                .filter(model.Group.is_organization.is_(True))
                .order_by(model.Group.id, model.GroupExtra.key).all())
    catalogs = model.Session.query(Catalog.key, Catalog.modified, Catalog.state).order_by(Catalog.key).all()
    return _digest([sorted((k, str(v)) for k, v in tk.config.items()), [list(r) for r in agencies],
                    [list(r) for r in catalogs], str(catalog_ref), profiles])


class PageFragments:
    """Turtle blocks for the datasets of one catalog page."""

    def __init__(self, serializer, cache: GraphCache, catalog_ref, profiles, writer: TurtleWriter):
        self.serializer = serializer
        self.cache = cache
        self.writer = writer
        # the catalogs the page describes: the profiles link records and sub-catalogs to them
        self.catalogs = list(serializer.g.subjects(RDF.type, DCAT.Catalog))
        self.environment = environment_digest(catalog_ref, profiles)

    def blocks(self, dataset: dict) -> tuple[rdflib.URIRef, list[str]]:
        """The dataset's reference and its statements, kept or computed now."""
        key = (self.environment, _digest([dataset, self.cache.entries.get(dataset.get("id"), [])]))
        with _LOCK:
            found = _CACHE.get(key)
        if found is None:
            found = self._compute(dataset)
            with _LOCK:
                _CACHE[key] = found
        return found

    def _compute(self, dataset: dict) -> tuple[rdflib.URIRef, list[str]]:
        page_graph = self.serializer.g
        graph = rdflib.Graph(bind_namespaces="none")
        # the page's look-ups, but shared nodes described afresh in each fragment
        own = copy.copy(self.cache)
        own.described = set()
        graph._opendata_vn_cache = own
        seeds = [(c, RDF.type, DCAT.Catalog) for c in self.catalogs]
        for triple in seeds:
            graph.add(triple)
        self.serializer.g = graph
        try:
            ref = self.serializer.graph_from_dataset(dataset)
        finally:
            self.serializer.g = page_graph
        for triple in seeds:
            graph.remove(triple)
        return ref, self.writer.blocks(graph)
