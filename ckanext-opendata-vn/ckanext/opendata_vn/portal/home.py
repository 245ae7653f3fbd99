"""Home page: province identity, themes and agencies with dataset counts, recently
updated data and key figures, from two package_search calls (public datasets only)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.catalog import helpers as base_helpers
from ckanext.opendata_vn.core import catalog_cache, vocab, web
from ckanext.opendata_vn.feedback.model import DataRequest
from ckanext.opendata_vn.province import reorganisation
from ckanext.opendata_vn.resilience.fallback import database_figures, last_good


def _search(**params) -> dict:
    """package_search, cached while the catalog is unchanged (core/catalog_cache.py):
    public datasets only, so the same for every user."""
    params.setdefault("include_private", False)
    return catalog_cache.while_unchanged(
        ("home", repr(sorted(params.items())), tk.h.lang()),
        lambda: tk.get_action("package_search")(web.context(), params))


@last_good(lambda: {**database_figures(), "open_requests": _open_requests()})
def home_figures(*, agencies: int = 8, recent: int = 6) -> dict:
    """Everything the home page shows, in the request's language."""
    facets = _search(rows=0, **{"facet.field": ["groups", "organization", "publication_status"],
                                "facet.limit": -1, "facet.mincount": 1})
    items = {name: (facet or {}).get("items", []) for name, facet in (facets.get("search_facets") or {}).items()}
    themes = sorted(
        ({"name": i["name"], "title": base_helpers.theme_title(i["name"]) if i["name"] in _theme_codes()
          else i.get("display_name") or i["name"], "count": i["count"]} for i in items.get("groups", [])),
        key=lambda t: (-t["count"], t["title"]))
    # agencies merged away in a reorganisation are history, not today's providers
    ceased = reorganisation.ceased_names()
    orgs = sorted(({"name": i["name"], "title": i.get("display_name") or i["name"], "count": i["count"]}
                   for i in items.get("organization", []) if i["name"] not in ceased),
                  key=lambda o: (-o["count"], o["title"]))
    published = sum(i["count"] for i in items.get("publication_status", []) if i["name"] == "published")
    latest = _search(rows=recent, sort="metadata_modified desc")
    return {
        "datasets": facets.get("count", 0),
        "published": published,
        "agency_count": len(orgs),
        "theme_count": len(themes),
        "themes": themes,
        "agencies": orgs[:agencies],
        "recent": latest.get("results", []),
        "open_requests": _open_requests(),
    }


def _theme_codes() -> set:
    return set(vocab.THEME_BY_CODE)


def _open_requests() -> int:
    return (model.Session.query(DataRequest)
            .filter(DataRequest.state.in_(["open", "answered"]), DataRequest.close_reason != "spam").count())
