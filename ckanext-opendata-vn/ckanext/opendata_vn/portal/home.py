"""Home page: province identity, themes and agencies with dataset counts, recently
updated data and key figures, from two package_search calls (public datasets only)."""
from __future__ import annotations

import threading

import ckan.plugins.toolkit as tk
from cachetools import TTLCache

from ckanext.opendata_vn.catalog import helpers as base_helpers
from ckanext.opendata_vn.resilience.fallback import database_figures, last_good
from ckanext.opendata_vn.province import reorganisation


def _context() -> dict:
    return {"user": tk.g.get("user") or ""}


# The two searches, per process (not in Redis: the home page must not depend on it), for
# at most a minute and only while no dataset was added, changed or purged (the key holds
# the newest metadata_modified and the count): they were most of the home page's time
# under load (benchmarks/README.md). Public datasets only, so the same for every user.
_CACHE: TTLCache = TTLCache(maxsize=32, ttl=60)
_LOCK = threading.Lock()


def _catalog_version() -> tuple:
    from sqlalchemy import func
    from ckan import model
    return tuple(model.Session.query(func.max(model.Package.metadata_modified), func.count(model.Package.id)).one())


def _search(**params) -> dict:
    params.setdefault("include_private", False)
    key = (repr(sorted(params.items())), tk.h.lang(), *_catalog_version())
    with _LOCK:
        found = _CACHE.get(key)
    if found is None:
        found = tk.get_action("package_search")(_context(), params)
        with _LOCK:
            _CACHE[key] = found
    return found


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
    from ckanext.opendata_vn.core import vocab
    return set(vocab.THEME_BY_CODE)


def _open_requests() -> int:
    from ckan import model
    from ckanext.opendata_vn.feedback.model import DataRequest
    return (model.Session.query(DataRequest)
            .filter(DataRequest.state.in_(["open", "answered"]), DataRequest.close_reason != "spam").count())
