"""The IT reviewers' page (/ckan-admin/du-lieu-ca-nhan): every table waiting for a
personal-data decision, oldest first, with its findings (masked examples) and a
decision form; the decisions taken lately. And the download guard: a held-back
resource's download URL answers 403 (its file is not in CKAN's storage anyway)."""
from __future__ import annotations

import os

from flask import Blueprint, send_file

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.privacy.model import PrivacyReview

privacy = Blueprint("opendata_vn_privacy", __name__, url_prefix="/ckan-admin/du-lieu-ca-nhan")


def _context() -> dict:
    return {"model": model, "session": model.Session, "user": tk.g.user,
            "auth_user_obj": tk.g.userobj}


def _refused():
    if not tk.g.user:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("opendata_vn_privacy.index"))
    return tk.abort(403, tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu quyết định về dữ liệu cá nhân."))


@privacy.route("")
def index():
    context = _context()
    try:
        pending = tk.get_action("opendata_vn_privacy_review_list")(
            dict(context), {"state": "pending", "limit": 200, "with_preview": True})
        decided = tk.get_action("opendata_vn_privacy_review_list")(dict(context), {"state": "decided", "limit": 30})
    except tk.NotAuthorized:
        return _refused()
    return tk.render("privacy_vn/reviews.html", {"pending": pending, "decided": decided,
                                                 "watch": reviews.watch_list()})


@privacy.route("/<id>/quyet-dinh", methods=["POST"])
def decide(id: str):
    form = tk.request.form
    data = {"id": id, "decision": form.get("decision") or "", "reason": form.get("reason") or "",
            "columns": form.getlist("columns")}
    try:
        done = tk.get_action("opendata_vn_privacy_decide")(_context(), data)
    except tk.NotAuthorized:
        return _refused()
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Không tìm thấy bảng dữ liệu chờ quyết định."))
    except tk.ValidationError as e:
        tk.h.flash_error(" ".join(str(m) for msgs in e.error_dict.values() for m in
                                  (msgs if isinstance(msgs, list) else [msgs])))
        return tk.redirect_to("opendata_vn_privacy.index", _anchor=f"review-{id}")
    tk.h.flash_success(tk._("Đã ghi quyết định: {decision} — {title}.").format(
        decision=done["decision_label"], title=done["package_title"] or ""))
    return tk.redirect_to("opendata_vn_privacy.index")


@privacy.route("/<id>/du-lieu.csv")
def staged_csv(id: str):
    """The full held-back table, for the reviewer deciding on it."""
    review = model.Session.get(PrivacyReview, id)
    if review is None:
        return tk.abort(404, tk._("Không tìm thấy bảng dữ liệu chờ quyết định."))
    try:
        tk.check_access("opendata_vn_privacy_decide", _context(), {"id": id})
    except tk.NotAuthorized:
        return _refused()
    if not staging.exists(review.id):
        return tk.abort(404, tk._("Không còn bản lưu tạm của bảng dữ liệu."))
    response = send_file(staging.csv_path(review.id), mimetype="text/csv", as_attachment=True,
                         download_name=f"cho-duyet-{review.id[:8]}.csv")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@privacy.route("/<id>/tep-goc")
def staged_original(id: str):
    """The held file itself (a file the guard could not read, or an archive), for the
    reviewer deciding on it."""
    review = model.Session.get(PrivacyReview, id)
    if review is None:
        return tk.abort(404, tk._("Không tìm thấy bảng dữ liệu chờ quyết định."))
    try:
        tk.check_access("opendata_vn_privacy_decide", _context(), {"id": id})
    except tk.NotAuthorized:
        return _refused()
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
