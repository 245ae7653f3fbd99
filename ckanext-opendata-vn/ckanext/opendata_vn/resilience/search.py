"""Search answers 503 while Solr is down; pages that only list datasets beside other
content keep working.

`package_search` is chained: a failure while Solr cannot be reached becomes

* `SearchUnavailable` when the request is a search itself (a `*.search` page such as
  `/dataset/?q=`, the Action API's `package_search`, `/catalog.ttl` and the like): the app error handler below
  answers 503 with our message (JSON with success: false under /api/);
* `SearchDegraded`, a SearchError, anywhere else (home page lists, agency and theme
  pages, counts in organization_list...): CKAN's views and our helpers already catch
  SearchError and show the page without the list.

errors.py answers SearchUnavailable.
"""
from __future__ import annotations

import logging

from flask import g, request

from ckan.lib.search.common import SearchError, SearchQueryError, SolrConnectionError
import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.resilience.search_index import solr_reachable

log = logging.getLogger(__name__)


class SearchUnavailable(Exception):
    """Solr cannot be reached and the request needs it: answered 503."""


class SearchDegraded(SearchError):
    """Solr cannot be reached; the page around the dataset list can still be shown."""


def message() -> str:
    return tk._("Tìm kiếm tạm thời không khả dụng. Trang tập dữ liệu, tải về và API "
                "dữ liệu vẫn hoạt động; vui lòng thử tìm kiếm lại sau ít phút.")


def _asks_for_search() -> bool:
    try:
        endpoint, args = request.endpoint or "", request.view_args or {}
    except RuntimeError:  # outside a web request (CLI, jobs)
        return False
    return endpoint.endswith(".search") or (endpoint == "dcat.read_catalog" and "_format" in args) or (
        endpoint == "api.action" and args.get("logic_function") == "package_search")


@tk.chained_action
@tk.side_effect_free
def package_search(up_func, context, data_dict):
    try:
        return up_func(context, data_dict)
    except SearchQueryError:
        raise
    except (SearchError, SolrConnectionError) as e:
        if solr_reachable():
            raise
        log.warning("search unavailable (Solr unreachable): %s", e)
        if not _asks_for_search():
            raise SearchDegraded(str(e)) from e
        g.opendata_vn_search_unavailable = True  # the Action API answers its own 500: errors.py
        raise SearchUnavailable(str(e)) from e


def get_actions() -> dict:
    return {"package_search": package_search}
