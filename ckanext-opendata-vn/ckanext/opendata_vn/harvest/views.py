"""The dataset page's "Nguồn dữ liệu" tab: a focal officer adds and edits the
dataset's sources, sees when each is due and how its last run went, and runs it now.
"""
from __future__ import annotations

from flask import Blueprint

import ckan.plugins.toolkit as tk
from ckanext.opendata_vn.core import web
from ckanext.opendata_vn.harvest import sources as vn_sources
from ckanext.opendata_vn.harvest.auth import manage_refused, may_edit_dataset

harvest_vn = Blueprint("opendata_vn_harvest", __name__)

FORM_FIELDS = ("source_type", "url", "title", "sheet", "header_row", "header_lines", "format",
               "allow_column_changes", "records_path", "pagination_type", "pagination_param",
               "pagination_size_param", "pagination_size", "pagination_start", "pagination_next_path",
               "auth_header", "auth_secret")


def _dataset_or_abort(id: str) -> dict:
    # not web.call_or_abort: a dataset the user may not read is "not found" (404), not a
    # login page or a 403 that would tell a private dataset exists
    try:
        pkg_dict = tk.get_action("package_show")(web.context(), {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Không tìm thấy tập dữ liệu."))
    if pkg_dict.get("type") != "dataset":
        return tk.abort(404, tk._("Không tìm thấy tập dữ liệu."))
    if not may_edit_dataset(tk.g.user, pkg_dict["id"]):
        return tk.abort(403, manage_refused())
    return pkg_dict


def _form_values(form) -> dict:
    values = {k: form.get(k, "").strip() for k in FORM_FIELDS if k in form}
    if "allow_column_changes" in form:
        values["allow_column_changes"] = "true" if "true" in form.getlist("allow_column_changes") else ""
    return values


def _render(pkg_dict: dict, *, data=None, errors=None, editing=None, status_code=200, preview=None):
    sources = tk.get_action("opendata_vn_harvest_source_list")(web.context(), {"dataset_id": pkg_dict["id"]})
    tk.g.pkg_dict = pkg_dict
    body = tk.render("harvest_vn/sources.html", {
        "pkg_dict": pkg_dict, "dataset_type": pkg_dict["type"], "sources": sources,
        "data": data or {"source_type": vn_sources.EXCEL}, "errors": errors or {},
        "editing": editing, "preview": preview,
    })
    return body, status_code


def sources_page(id: str):
    pkg_dict = _dataset_or_abort(id)
    return _render(pkg_dict)


def create(id: str):
    pkg_dict = _dataset_or_abort(id)
    values = _form_values(tk.request.form)
    try:
        tk.get_action("opendata_vn_harvest_source_create")(web.context(), dict(values, dataset_id=pkg_dict["id"]))
    except tk.ValidationError as e:
        return _render(pkg_dict, data=values, errors=e.error_dict, status_code=400)
    tk.h.flash_success(tk._("Đã thêm nguồn dữ liệu. Lần thu thập đầu tiên sẽ chạy ở lượt lập lịch tới, "
                            "hoặc bấm «Chạy ngay»."))
    return tk.redirect_to("opendata_vn_harvest.sources", id=pkg_dict["name"])


def preview(id: str):
    """The add/edit form's «Xem trước»: the file read now with the form's settings,
    shown above the same form; nothing is saved until «Thêm nguồn» or «Lưu»."""
    pkg_dict = _dataset_or_abort(id)
    values = _form_values(tk.request.form)
    source_id = tk.request.form.get("source_id") or ""
    editing = _own_source(pkg_dict, source_id) if source_id else None
    try:
        shown = tk.get_action("opendata_vn_harvest_source_preview")(web.context(), dict(values, dataset_id=pkg_dict["id"]))
    except tk.ValidationError as e:
        return _render(pkg_dict, data=values, errors=e.error_dict, editing=editing, status_code=400)
    return _render(pkg_dict, data=values, editing=editing, preview=shown)


def edit(id: str, source_id: str):
    pkg_dict = _dataset_or_abort(id)
    source = _own_source(pkg_dict, source_id)
    if tk.request.method == "POST":
        values = _form_values(tk.request.form)
        try:
            tk.get_action("opendata_vn_harvest_source_update")(web.context(), dict(values, id=source["id"]))
        except tk.ValidationError as e:
            return _render(pkg_dict, data=values, errors=e.error_dict, editing=source, status_code=400)
        tk.h.flash_success(tk._("Đã lưu nguồn dữ liệu."))
        return tk.redirect_to("opendata_vn_harvest.sources", id=pkg_dict["name"])
    config = source["config"]
    pagination = config.get("pagination") or {}
    data = {"source_type": source["source_type"], "url": source["url"], "title": source["title"],
            **{k: config.get(k, "") for k in ("sheet", "header_row", "header_lines", "format",
                                              "records_path", "auth_header", "auth_secret")},
            "allow_column_changes": "true" if config.get("allow_column_changes") else "",
            **{f"pagination_{k}": pagination.get(k, "") for k in
               ("type", "param", "size_param", "size", "start", "next_path")}}
    return _render(pkg_dict, data=data, editing=source)


def run(id: str, source_id: str):
    pkg_dict = _dataset_or_abort(id)
    source = _own_source(pkg_dict, source_id)
    try:
        tk.get_action("opendata_vn_harvest_run")(web.context(), {"id": source["id"]})
        tk.h.flash_success(tk._("Đã xếp lượt thu thập; kết quả hiện ở đây khi chạy xong."))
    except tk.ValidationError as e:
        tk.h.flash_error("; ".join(str(m) for msgs in e.error_dict.values() for m in msgs))
    return tk.redirect_to("opendata_vn_harvest.sources", id=pkg_dict["name"])


def delete(id: str, source_id: str):
    pkg_dict = _dataset_or_abort(id)
    source = _own_source(pkg_dict, source_id)
    tk.get_action("opendata_vn_harvest_source_delete")(web.context(), {"id": source["id"]})
    tk.h.flash_success(tk._("Đã xoá nguồn; các tài nguyên đã công bố vẫn được giữ."))
    return tk.redirect_to("opendata_vn_harvest.sources", id=pkg_dict["name"])


def _own_source(pkg_dict: dict, source_id: str) -> dict:
    # another dataset's source is "not found" here, whoever may manage it (as above)
    try:
        source = tk.get_action("opendata_vn_harvest_source_show")(web.context(), {"id": source_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Không tìm thấy nguồn dữ liệu."))
    if source["config"].get("dataset_id") != pkg_dict["id"]:
        return tk.abort(404, tk._("Không tìm thấy nguồn dữ liệu."))
    return source


harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu", view_func=sources_page, endpoint="sources")
harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu/them", view_func=create, methods=["POST"], endpoint="create")
harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu/xem-truoc", view_func=preview, methods=["POST"],
                        endpoint="preview")
harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu/<source_id>/sua", view_func=edit, methods=["GET", "POST"],
                        endpoint="edit")
harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu/<source_id>/chay", view_func=run, methods=["POST"],
                        endpoint="run")
harvest_vn.add_url_rule("/dataset/<id>/nguon-du-lieu/<source_id>/xoa", view_func=delete, methods=["POST"],
                        endpoint="delete")


def get_blueprints():
    return [harvest_vn]
