"""DCAT: a resource held back for a personal-data decision (or refused) is no
distribution of its dataset, in /catalog.* and /dataset/<id>.* alike.

The base profiles (euro_dcat_ap_*) describe every resource before our profile runs;
`published_resources` removes what they wrote for held-back resources (the
distribution and the nodes hanging from it) and returns the others for
dcat/profile.py to describe."""
from __future__ import annotations

from rdflib import BNode, URIRef

from ckanext.dcat.profiles import DCAT
from ckanext.dcat.utils import resource_uri

from ckanext.opendata_vn.privacy.review import is_withheld


def _remove_node(g, node) -> None:
    for _s, _p, obj in list(g.triples((node, None, None))):
        g.remove((node, _p, obj))
        if isinstance(obj, BNode) and (None, None, obj) not in g:
            _remove_node(g, obj)


def published_resources(g, dataset_ref, resources) -> list[dict]:
    kept = []
    for res in resources or []:
        if not is_withheld(res):
            kept.append(res)
            continue
        if not res.get("id"):
            continue
        dist = URIRef(resource_uri(res))
        g.remove((dataset_ref, DCAT.distribution, dist))
        _remove_node(g, dist)
    return kept
