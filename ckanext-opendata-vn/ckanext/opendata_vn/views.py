"""Flask views: catalog appendix import (IT staff) and export (everyone, published)."""
from __future__ import annotations

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk
from ckan.common import request

catalog_io = Blueprint("opendata_vn_catalog_io", __name__)


def _context() -> dict:
    from ckan import model
    return {"model": model, "session": model.Session, "user": tk.g.user, "auth_user_obj": tk.g.userobj}


@catalog_io.route("/catalog/<key>/appendix.xlsx")
def export_appendix(key: str):
    from ckanext.opendata_vn.catalog.appendix import export_workbook
    try:
        tk.check_access("opendata_vn_catalog_export", _context(), {"key": key})
        catalog, content = export_workbook(key)
    except KeyError:
        return tk.abort(404, tk._("Không tìm thấy danh mục"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{catalog.key}.xlsx"'})


@catalog_io.route("/catalog/import", methods=["GET", "POST"])
def import_appendix():
    context = _context()
    try:
        tk.check_access("opendata_vn_catalog_import", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu được nhập danh mục."))
    form = dict(request.form) if request.method == "POST" else {}
    errors, result = {}, None
    if request.method == "POST":
        data = {**form, "upload": request.files.get("upload")}
        try:
            result = tk.get_action("opendata_vn_catalog_import")(context, data)
        except tk.ValidationError as e:
            errors = e.error_dict
    return tk.render("catalog_io/import.html", {"form": form, "errors": errors, "result": result})


def get_blueprints():
    return [catalog_io]
