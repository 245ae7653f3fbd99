"""Routes of the province's identity (emblem, favicon, colours as a stylesheet: files
of the branding folder, so nothing comes from a third party) and the IT reviewers'
page of pending successions (/ckan-admin/ke-thua)."""
from __future__ import annotations

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import web
from ckanext.opendata_vn.province import auth
from ckanext.opendata_vn.province import branding as brand_data

branding = Blueprint("opendata_vn_branding", __name__, url_prefix="/branding")
succession = Blueprint("opendata_vn_succession", __name__, url_prefix="/ckan-admin/ke-thua")


@branding.route("/<any(emblem, favicon):kind>")
def image(kind: str):
    path = brand_data.image_file(kind)
    if path is None:
        return tk.abort(404)
    response = send_file(path, mimetype=brand_data.IMAGE_TYPES[path.suffix.lower()], max_age=3600)
    return response


@branding.route("/theme.css")
def theme_css():
    return Response(brand_data.theme_css(), mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"})


def _call(action: str, data_dict: dict, **texts):
    return web.call_or_abort(action, data_dict, came_from=tk.h.url_for("opendata_vn_succession.index"),
                             refused=auth.refusal(), **texts)


@succession.route("")
@web.refusals_as_pages
def index():
    pending = _call("opendata_vn_reorganisation_pending_list", {})
    return tk.render("province_vn/successions.html", {"pending": pending})


@succession.route("/<id>/xac-nhan", methods=["POST"])
@web.refusals_as_pages
def confirm(id: str):
    try:
        result = _call("opendata_vn_reorganisation_confirm", {"id": id}, not_found=tk._("Không tìm thấy đơn vị."))
    except tk.ValidationError as e:
        tk.h.flash_error(web.validation_message(e))
        return tk.redirect_to("opendata_vn_succession.index")
    tk.h.flash_success(tk._("Đã xác nhận: {agency} → {successor}, chuyển {n} tập dữ liệu.").format(
        agency=result["agency"], successor=result["successor"], n=result["moved"]))
    return tk.redirect_to("opendata_vn_succession.index")


def get_blueprints() -> list:
    return [branding, succession]
