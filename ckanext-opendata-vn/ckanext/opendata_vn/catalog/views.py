"""Flask views: catalog appendix import (IT staff) and export (everyone, published)."""
from __future__ import annotations

import io

from flask import Blueprint, Response

import ckan.plugins.toolkit as tk
from ckan.common import request

from ckanext.opendata_vn.core import web

catalog_io = Blueprint("opendata_vn_catalog_io", __name__)


@catalog_io.route("/catalog/<key>/appendix.xlsx")
def export_appendix(key: str):
    from ckanext.opendata_vn.catalog.appendix import export_workbook
    try:
        tk.check_access("opendata_vn_catalog_export", web.context(), {"key": key})
        catalog, content = export_workbook(key)
    except KeyError:
        return tk.abort(404, tk._("Không tìm thấy danh mục"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{catalog.key}.xlsx"'})


class _Upload(io.BytesIO):
    """A kept upload handed to the actions as the form's file would be."""

    def __init__(self, content: bytes, filename: str):
        super().__init__(content)
        self.filename = filename


def theme_map_from(form) -> dict:
    """The preview form's mapping: pairs theme_heading-N / theme_code-N."""
    mapping = {}
    for key in form:
        if key.startswith("theme_heading-"):
            code = form.get("theme_code-" + key.split("-", 1)[1]) or ""
            if code:
                mapping[form.get(key)] = code
    return mapping


@catalog_io.route("/catalog/import", methods=["GET", "POST"])
@web.refusals_as_pages
def import_appendix():
    """Choose a workbook → preview (rows as read, what was ignored, theme mapping,
    warnings) → change the sheet, header row or mapping and preview again → confirm.
    A POST without a step imports at once (scripts posting the form)."""
    from ckanext.opendata_vn.core.tabular import preview as kept_files
    refused = tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu được nhập danh mục.")
    context = web.context()
    # a 403 for everyone, visitors included (not web.refusal's login redirect)
    try:
        tk.check_access("opendata_vn_catalog_import", context, {})
    except tk.NotAuthorized:
        return tk.abort(403, refused)
    form = dict(request.form) if request.method == "POST" else {}
    errors, result, shown, token, filename = {}, None, None, "", ""
    if request.method == "POST":
        step = form.get("step") or ""
        upload = request.files.get("upload")
        token = form.get("token") or ""
        content = None
        if upload is not None and upload.filename:
            content, filename = upload.read(), upload.filename
            if step:
                kept_files.forget(token)
                token = kept_files.keep(content, filename, tk.g.user)
        elif token and (found := kept_files.kept(token, tk.g.user)):
            content, filename = found
        data = {k: v for k, v in form.items() if k not in ("step", "token") and not k.startswith("theme_")}
        data["theme_map"] = theme_map_from(request.form)
        if content is not None:
            data["upload"] = _Upload(content, filename)
        try:
            if step == "preview":
                shown = web.call_or_abort("opendata_vn_catalog_import_preview", data, came_from=request.path,
                                          refused=refused, ctx=context)
            else:
                result = web.call_or_abort("opendata_vn_catalog_import", data, came_from=request.path,
                                           refused=refused, ctx=context)
                kept_files.forget(token)
                token = ""
        except tk.ValidationError as e:
            errors = e.error_dict
            if token and "upload" in errors:
                token = ""   # the file itself is the problem: choose another
    return tk.render("catalog_io/import.html", {"form": form, "errors": errors, "result": result,
                                                "preview": shown, "token": token, "filename": filename})


def get_blueprints():
    return [catalog_io]
