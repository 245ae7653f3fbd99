"""Public pages computed from the whole catalog, kept per process while it is unchanged.

The home page's searches and the DCAT catalog pages (/catalog.ttl …) were most of their
time under load (benchmarks/README.md, issue #12). Their results hold public datasets
only, so they are the same for every user: `while_unchanged` keeps one for at most a
minute, and only while no dataset was added, changed, deleted or purged (the key holds
the newest metadata_modified and the dataset counts). What changes no dataset row (an
agency renamed, a catalog published) shows within that minute. Per process, not in
Redis: these pages must not depend on it.
"""
from __future__ import annotations

import threading
from typing import Callable, Hashable, TypeVar

from cachetools import TTLCache
from sqlalchemy import func

from ckan import model

T = TypeVar("T")

_CACHE: TTLCache = TTLCache(maxsize=64, ttl=60)
_LOCK = threading.Lock()


def catalog_version() -> tuple:
    """Changes whenever a dataset is added, changed, deleted or purged (package_delete
    changes neither metadata_modified nor the number of rows, only the state)."""
    package = model.Package
    return tuple(model.Session.query(
        func.max(package.metadata_modified), func.count(package.id),
        func.count(package.id).filter(package.state == "active")).one())


def while_unchanged(key: Hashable, compute: Callable[[], T]) -> T:
    """compute()'s result for `key` (everything besides the catalog it depends on),
    computed again once the catalog changed or after a minute."""
    key = (key, *catalog_version())
    with _LOCK:
        found = _CACHE.get(key)
    if found is None:
        found = compute()
        with _LOCK:
            _CACHE[key] = found
    return found
