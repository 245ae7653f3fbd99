"""503 answers for a service that is down, instead of CKAN's generic 500: JSON with
success: false under /api/ (like every Action API error), our error page elsewhere,
with Retry-After."""
from __future__ import annotations

import logging

import redis
from flask import Blueprint, g, jsonify, make_response, request

import ckan.lib.base as base
from ckan.lib.search.common import SolrConnectionError
import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.resilience import search

log = logging.getLogger(__name__)
RETRY_AFTER = "30"  # seconds: about what a restart of Solr or Redis takes

bp = Blueprint("opendata_vn_resilience", __name__)


def _unavailable(kind: str, title: str, message: str):
    if request.path.startswith("/api/"):
        body = jsonify({"success": False, "error": {"__type": kind, "message": message}})
        return body, 503, {"Retry-After": RETRY_AFTER}
    page = base.render("error_document_template.html", {"code": 503, "name": title, "content": message})
    return page, 503, {"Retry-After": RETRY_AFTER}


@bp.app_errorhandler(search.SearchUnavailable)
@bp.app_errorhandler(SolrConnectionError)
def search_unavailable(error):
    return _unavailable("Search Unavailable", tk._("Tìm kiếm tạm thời không khả dụng"), search.message())


@bp.after_app_request
def api_unavailable(response):
    """The Action API turns any exception into its own 500 answer: a package_search
    that failed because Solr is unreachable, or a harvest job that could not be queued
    because Redis is, is answered 503 like the pages."""
    if response.status_code < 500 or not request.path.startswith("/api/"):
        return response
    if g.get("opendata_vn_search_unavailable"):
        return make_response(search_unavailable(None))
    if g.get("opendata_vn_queue_unavailable"):
        return make_response(queue_unavailable(None))
    return response


@bp.app_errorhandler(redis.exceptions.ConnectionError)
@bp.app_errorhandler(redis.exceptions.TimeoutError)
def queue_unavailable(error):
    """Redis carries the harvest and job queues: work already recorded (a harvest job)
    is queued by the scheduler when Redis is back (harvest_queue.py)."""
    if error is not None:
        log.warning("Redis unreachable during %s: %s", request.path, error)
    return _unavailable("Queue Unavailable", tk._("Hàng đợi xử lý tạm thời không khả dụng"),
                        tk._("Hàng đợi xử lý tạm thời không khả dụng. Việc đã ghi nhận sẽ được xử lý "
                             "khi hàng đợi hoạt động lại; vui lòng thử lại sau ít phút."))


def get_blueprints() -> list:
    return [bp]
