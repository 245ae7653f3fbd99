"""Dataset writes survive a Solr outage.

CKAN indexes a dataset inside the database commit (IDomainObjectModification) and
turns a Solr failure into SearchIndexError, which rolls the whole write back. Our
index class (installed for the "package" type by `install()`) tells two cases apart:

* Solr cannot be reached, or answers 5xx (a core still loading after a restart): the
  write commits to PostgreSQL and the dataset id is recorded in
  `opendata_vn_search_pending` (PostgreSQL, since Redis may be down too);
* Solr answers 4xx, rejecting the document: the error is raised as before.

`drain()` re-indexes what was recorded once Solr answers again; the scheduler runs it
on every pass and `ckan opendata search-pending --drain` runs it by hand.

`reconcile()` covers the other way round: CKAN sends a dataset to Solr before the
database commits, so a write that fails because PostgreSQL went down leaves a document
of a dataset that does not exist. When the index and the database hold different
numbers of datasets, it removes such documents (once older than a grace period: a
write in flight has its document before its commit) and indexes what is missing.
"""
from __future__ import annotations

import datetime
import logging

import requests
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ckan import model
import ckan.lib.search as search
from ckan.lib.search.common import SearchIndexError, SolrSettings, make_connection
from ckan.lib.search.index import PackageSearchIndex
import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.resilience.model import SearchPending

log = logging.getLogger(__name__)


def solr_reachable(timeout: float = 5) -> bool:
    """Whether Solr answers a query (without pysolr, which logs every failure with its
    traceback)."""
    url, user, password = SolrSettings.get()
    try:
        answer = requests.get(f"{url.rstrip('/')}/select", params={"q": "*:*", "rows": 0, "wt": "json"},
                              auth=(user, password) if user and password else None, timeout=timeout)
    except requests.RequestException:
        return False
    return answer.ok


def record_pending(package_id: str, error: str) -> None:
    """Remember a dataset to re-index, on a connection of its own so that the record
    exists whatever happens to the caller's transaction (a rolled-back write leaves an
    id `drain()` simply finds gone)."""
    now = datetime.datetime.utcnow()
    table = SearchPending.__table__
    stmt = pg_insert(table).values(package_id=package_id, recorded=now, error=error[:2000])
    stmt = stmt.on_conflict_do_update(index_elements=[table.c.package_id],
                                      set_={"recorded": now, "error": error[:2000]})
    with model.meta.engine.begin() as conn:
        conn.execute(stmt)


class ResilientPackageSearchIndex(PackageSearchIndex):
    def index_package(self, pkg_dict, defer_commit: bool = False) -> None:
        try:
            super().index_package(pkg_dict, defer_commit)
        except SearchIndexError as e:
            _defer_or_raise(pkg_dict, e)

    def delete_package(self, pkg_dict) -> None:
        try:
            super().delete_package(pkg_dict)
        except SearchIndexError as e:
            _defer_or_raise(pkg_dict, e)


def _defer_or_raise(pkg_dict, error: SearchIndexError) -> None:
    package_id = (pkg_dict or {}).get("id")
    # a 4xx answer: Solr is there and rejects the document (a 503 while a core loads
    # after a restart is unavailability)
    if not package_id or ("(HTTP 4" in str(error) and solr_reachable()):
        raise error
    record_pending(package_id, str(error))
    log.warning("Solr unreachable: dataset %s saved, its indexing deferred (%s)", package_id, error)


def install() -> None:
    """Make CKAN's index lookup (`search.index_for(model.Package)`) use our class."""
    search._INDICES["package"] = ResilientPackageSearchIndex


def pending_count() -> int:
    return model.Session.query(SearchPending).count()


def drain(limit: int = 1000) -> dict:
    """Re-index the recorded datasets if Solr answers. Returns counts: indexed, waiting.

    A row is removed only if it was not recorded again meanwhile (a newer failed write
    of the same dataset keeps it waiting)."""
    rows = (model.Session.query(SearchPending.package_id, SearchPending.recorded)
            .order_by(SearchPending.recorded).limit(limit).all())
    model.Session.rollback()  # no transaction held open while Solr works
    if not rows or not solr_reachable():
        return {"indexed": 0, "waiting": pending_count() if rows else 0}
    index = search.index_for(model.Package)
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    for package_id, _recorded in rows:
        try:
            pkg_dict = tk.get_action("package_show")(dict(context), {"id": package_id})
        except tk.ObjectNotFound:  # purged, or its write was rolled back
            index.delete_package({"id": package_id})
        else:
            index.update_dict(pkg_dict, defer_commit=True)
    index.commit()
    table = SearchPending.__table__
    with model.meta.engine.begin() as conn:
        for package_id, recorded in rows:
            conn.execute(table.delete().where(table.c.package_id == package_id)
                         .where(table.c.recorded == recorded))
    model.Session.rollback()
    waiting = pending_count()
    log.info("re-indexed %d dataset(s) recorded while Solr was unreachable; %d waiting", len(rows), waiting)
    return {"indexed": len(rows), "waiting": waiting}


def reconcile(grace_seconds: int = 120) -> dict:
    """Make the index hold exactly the database's datasets (not deleted ones). Compares the
    two sets of ids, not their counts: a phantom document and a missing dataset at the
    same time would cancel out in a count. Returns counts: removed, indexed."""
    done = {"removed": 0, "indexed": 0}
    if not solr_reachable():
        return done
    site = tk.config.get("ckan.site_id")
    live = model.Session.query(model.Package.id).filter(model.Package.state != "deleted")
    conn = make_connection(decode_dates=False)
    found = conn.search(q="*:*", fq=f'+site_id:"{site}"', rows=0).hits
    docs = conn.search(q="*:*", fq=f'+site_id:"{site}"', fl="id,indexed_ts", rows=found + 1000).docs
    stored = {i for (i,) in live}
    model.Session.rollback()
    cutoff = (datetime.datetime.utcnow() - datetime.timedelta(seconds=grace_seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    index = search.index_for(model.Package)
    for doc in docs:
        # (<=: timestamps are cut to the second, and a grace of 0 means "now" included)
        if doc["id"] not in stored and str(doc.get("indexed_ts", ""))[:19] <= cutoff:
            index.delete_package({"id": doc["id"]})
            done["removed"] += 1
    context = {"ignore_auth": True, "validate": False, "use_cache": False}
    for package_id in stored - {doc["id"] for doc in docs}:
        index.update_dict(tk.get_action("package_show")(dict(context), {"id": package_id}), defer_commit=True)
        done["indexed"] += 1
    if done["indexed"]:
        index.commit()
    if any(done.values()):
        log.warning("search index reconciled with the database: %(removed)d removed, %(indexed)d indexed", done)
    return done
