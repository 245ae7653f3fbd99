"""The resource page's "Nạp lại" button (a form with the CSRF token, POST only), and
the upload page with a preview: choose a file → see it as it will be read → change
the sheet or header row and preview again → «Tải lên» adds the resource."""
from __future__ import annotations

import io

from flask import Blueprint
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import web

loader_vn = Blueprint("opendata_vn_loader", __name__)


def reload(id: str, resource_id: str):
    try:
        tk.get_action("opendata_vn_datastore_load")(web.context(), {"id": resource_id})
        tk.h.flash_success(tk._("Đã xếp lịch nạp lại dữ liệu vào DataStore."))
    except tk.NotAuthorized as e:
        # not web.call_or_abort: a refused POST answers 403 with the auth function's
        # reason, also when not logged in (the login form could not replay it)
        return tk.abort(403, str(e) or tk._("Không có quyền."))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Không tìm thấy tài nguyên."))
    except tk.ValidationError as e:
        tk.h.flash_error(web.validation_message(e))
    return tk.redirect_to("resource.read", id=id, resource_id=resource_id)


def upload_preview(id: str):
    from ckanext.opendata_vn.core.tabular import preview as kept_files
    context = web.context()
    try:
        pkg_dict = tk.get_action("package_show")(context, {"id": id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Không tìm thấy tập dữ liệu."))
    try:
        tk.check_access("opendata_vn_upload_preview", context, {"package_id": pkg_dict["id"]})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e) or tk._("Không có quyền."))
    form = tk.request.form
    data = {k: (form.get(k) or "").strip() for k in ("name", "sheet", "header_row")}
    token, filename, shown, errors = form.get("token") or "", "", None, {}
    chosen_file = tk.request.files.get("upload")
    new_file = bool(chosen_file and chosen_file.filename)
    if tk.request.method == "POST":
        # A file chosen after the last preview is previewed, never written unseen.
        if form.get("step") == "upload" and new_file:
            tk.h.flash_notice(tk._("Bạn vừa chọn một tệp mới: hãy xem bản xem trước của tệp này "
                                   "rồi bấm «Tải lên»."))
        if form.get("step") == "upload" and not new_file:
            found = kept_files.kept(token, tk.g.user)
            if found is None:
                errors = {"upload": [tk._("Tệp đã hết hạn giữ; hãy chọn lại tệp.")]}
            else:
                content, filename = found
                try:
                    chosen = {k: data[k] for k in ("sheet", "header_row") if data[k]}
                    res = tk.get_action("resource_create")(context, dict(
                        chosen, package_id=pkg_dict["id"], name=data["name"] or filename,
                        upload=FileStorage(stream=io.BytesIO(content), filename=filename)))
                except tk.ValidationError as e:
                    errors = e.error_dict
                else:
                    kept_files.forget(token)
                    tk.h.flash_success(tk._("Đã tải tệp lên; dữ liệu đang được nạp vào DataStore."))
                    return tk.redirect_to("resource.read", id=pkg_dict["name"], resource_id=res["id"])
        else:
            try:
                shown = tk.get_action("opendata_vn_upload_preview")(context, dict(
                    data, package_id=pkg_dict["id"], token=token, upload=chosen_file))
                token, filename = shown["token"], shown["filename"]
            except tk.ValidationError as e:
                errors = e.error_dict
    tk.g.pkg_dict = pkg_dict
    return tk.render("loader_vn/upload_preview.html", {
        "pkg_dict": pkg_dict, "dataset_type": pkg_dict["type"], "data": data, "errors": errors,
        "preview": shown, "token": token, "filename": filename}), (400 if errors else 200)


loader_vn.add_url_rule("/dataset/<id>/tai-len/xem-truoc", view_func=upload_preview, methods=["GET", "POST"],
                       endpoint="upload_preview")
loader_vn.add_url_rule("/dataset/<id>/resource/<resource_id>/nap-lai", view_func=reload, methods=["POST"])


def get_blueprints() -> list:
    return [loader_vn]
