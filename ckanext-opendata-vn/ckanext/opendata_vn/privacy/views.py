"""The IT reviewers' page (/ckan-admin/du-lieu-ca-nhan): every table waiting for a
personal-data decision, oldest first, with its findings (masked examples) and a
decision form; the decisions taken lately. And the download guard: a held-back
resource's download URL answers 403 (its file is not in CKAN's storage anyway)."""
from __future__ import annotations

import os

from flask import Blueprint, send_file

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import web
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.privacy.model import PrivacyReview

privacy = Blueprint("opendata_vn_privacy", __name__, url_prefix="/ckan-admin/du-lieu-ca-nhan")


def _page() -> str:
    return tk.h.url_for("opendata_vn_privacy.index")


def _refused_text() -> str:
    return tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu quyết định về dữ liệu cá nhân.")


def _not_found_text() -> str:
    return tk._("Không tìm thấy bảng dữ liệu chờ quyết định.")


def _review_list(data_dict: dict) -> dict:
    return web.call_or_abort("opendata_vn_privacy_review_list", data_dict,
                             came_from=_page(), refused=_refused_text())


@privacy.route("")
@web.refusals_as_pages
def index():
    pending = _review_list({"state": "pending", "limit": 200, "with_preview": True})
    decided = _review_list({"state": "decided", "limit": 30})
    return tk.render("privacy_vn/reviews.html", {"pending": pending, "decided": decided,
                                                 "watch": reviews.watch_list()})


@privacy.route("/<id>/quyet-dinh", methods=["POST"])
@web.refusals_as_pages
def decide(id: str):
    form = tk.request.form
    data = {"id": id, "decision": form.get("decision") or "", "reason": form.get("reason") or "",
            "columns": form.getlist("columns")}
    try:
        done = web.call_or_abort("opendata_vn_privacy_decide", data, came_from=_page(),
                                 refused=_refused_text(), not_found=_not_found_text())
    except tk.ValidationError as e:
        tk.h.flash_error(web.validation_message(e))
        return tk.redirect_to("opendata_vn_privacy.index", _anchor=f"review-{id}")
    tk.h.flash_success(tk._("Đã ghi quyết định: {decision} — {title}.").format(
        decision=done["decision_label"], title=done["package_title"] or ""))
    return tk.redirect_to("opendata_vn_privacy.index")


def _staged_review(id: str) -> PrivacyReview:
    """The review whose held table a reviewer downloads (who may decide may download)."""
    review = model.Session.get(PrivacyReview, id)
    if review is None:
        tk.abort(404, _not_found_text())
    try:
        tk.check_access("opendata_vn_privacy_decide", web.context(), {"id": id})
    except tk.NotAuthorized:
        raise web.Refused(web.refusal(_page(), _refused_text()))
    return review


@privacy.route("/<id>/du-lieu.csv")
@web.refusals_as_pages
def staged_csv(id: str):
    """The full held-back table, for the reviewer deciding on it."""
    review = _staged_review(id)
    if not staging.exists(review.id):
        return tk.abort(404, tk._("Không còn bản lưu tạm của bảng dữ liệu."))
    response = send_file(staging.csv_path(review.id), mimetype="text/csv", as_attachment=True,
                         download_name=f"cho-duyet-{review.id[:8]}.csv")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@privacy.route("/<id>/tep-goc")
@web.refusals_as_pages
def staged_original(id: str):
    """The held file itself (a file the guard could not read, or an archive), for the
    reviewer deciding on it."""
    review = _staged_review(id)
    path = staging.original_path(review.id) if staging.exists(review.id) else None
    if not path:
        return tk.abort(404, tk._("Không còn bản lưu tạm của bảng dữ liệu."))
    response = send_file(path, mimetype="application/octet-stream", as_attachment=True,
                         download_name=f"cho-duyet-{review.id[:8]}{os.path.splitext(path)[1]}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@privacy.before_app_request
def refuse_withheld_downloads():
    """/dataset/<id>/resource/<resource_id>/download[/<filename>] of a held-back resource."""
    endpoint = tk.request.endpoint or ""
    args = tk.request.view_args or {}
    if endpoint.endswith(".download") and args.get("resource_id") and reviews.resource_withheld(args["resource_id"]):
        return tk.abort(403, tk._("Dữ liệu của tài nguyên này đang chờ quyết định về dữ liệu cá nhân, "
                                  "chưa được công khai."))
    return None


def get_blueprints() -> list:
    return [privacy]
