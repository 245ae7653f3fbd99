"""The resource page's "Nạp lại" button (a form with the CSRF token, POST only)."""
from __future__ import annotations

from flask import Blueprint

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


loader_vn.add_url_rule("/dataset/<id>/resource/<resource_id>/nap-lai", view_func=reload, methods=["POST"])


def get_blueprints() -> list:
    return [loader_vn]
