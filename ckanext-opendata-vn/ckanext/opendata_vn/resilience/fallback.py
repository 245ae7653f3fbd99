"""What a page shows when its figures come from search and Solr is unreachable: the
figures this process last computed for the same language, else counts read from
PostgreSQL with empty lists. Either way `search_unavailable` tells the template."""
from __future__ import annotations

import functools
import logging

from ckan import model
from ckan.lib.search.common import SearchError
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


def database_figures() -> dict:
    """The home page figures PostgreSQL alone can give (public datasets, agencies,
    themes); lists stay empty."""
    public = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.private.is_(False), model.Package.type == "dataset")
    published = public.join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id).filter(
        model.PackageExtra.key == "publication_status", model.PackageExtra.value == "published")
    groups = model.Session.query(model.Group).filter(model.Group.state == "active")
    return {"datasets": public.count(), "published": published.count(),
            "agency_count": groups.filter(model.Group.is_organization.is_(True)).count(),
            "theme_count": groups.filter(model.Group.is_organization.is_(False)).count(),
            "themes": [], "agencies": [], "recent": []}


def last_good(fallback):
    """Decorate a figures function (keyword arguments only): on SearchError return its
    last result for the request's language, else `fallback()`."""
    def decorate(func):
        cache: dict = {}

        @functools.wraps(func)
        def wrapper(**kwargs):
            key = (tk.h.lang(), tuple(sorted(kwargs.items())))
            try:
                cache[key] = func(**kwargs)
                return cache[key]
            except SearchError as e:
                log.warning("%s: search unavailable (%s), showing %s figures", func.__name__, e,
                            "cached" if key in cache else "database")
                return {**(cache.get(key) or fallback()), "search_unavailable": True}
        return wrapper
    return decorate
