"""Routes of the province's identity (emblem, favicon, colours as a stylesheet: files
of the branding folder, so nothing comes from a third party) and the IT reviewers'
page of pending successions (/ckan-admin/ke-thua)."""
from __future__ import annotations

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as tk
from ckan import model

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


def _context() -> dict:
    return {"model": model, "session": model.Session, "user": tk.g.user, "auth_user_obj": tk.g.userobj}


def _refused():
    if not tk.g.user:
        return tk.redirect_to("user.login", came_from=tk.h.url_for("opendata_vn_succession.index"))
    return tk.abort(403, tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu xác nhận đơn vị kế thừa."))


@succession.route("")
def index():
    try:
        pending = tk.get_action("opendata_vn_reorganisation_pending_list")(_context(), {})
    except tk.NotAuthorized:
        return _refused()
    return tk.render("province_vn/successions.html", {"pending": pending})


@succession.route("/<id>/xac-nhan", methods=["POST"])
def confirm(id: str):
    try:
        result = tk.get_action("opendata_vn_reorganisation_confirm")(_context(), {"id": id})
    except tk.NotAuthorized:
        return _refused()
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Không tìm thấy đơn vị."))
    except tk.ValidationError as e:
        tk.h.flash_error(" ".join(str(m) for msgs in e.error_dict.values() for m in
                                  (msgs if isinstance(msgs, list) else [msgs])))
        return tk.redirect_to("opendata_vn_succession.index")
    tk.h.flash_success(tk._("Đã xác nhận: {agency} → {successor}, chuyển {n} tập dữ liệu.").format(
        agency=result["agency"], successor=result["successor"], n=result["moved"]))
    return tk.redirect_to("opendata_vn_succession.index")


def get_blueprints() -> list:
    return [branding, succession]
