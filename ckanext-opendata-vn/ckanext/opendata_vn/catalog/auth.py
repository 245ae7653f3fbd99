"""Auth functions (registered through IAuthFunctions). Sysadmins pass all of them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.catalog.model import Catalog
from ckanext.opendata_vn.core import roles


@tk.auth_allow_anonymous_access
def catalog_export(context, data_dict):
    from ckan import model
    catalog = model.Session.query(Catalog).filter_by(key=(data_dict or {}).get("key")).first()
    if catalog is not None and catalog.state == "published":
        return {"success": True}
    if roles.is_reviewer(roles.user_name(context)):
        return {"success": True}
    return {"success": False, "msg": tk._("Danh mục chưa được công bố.")}


def get_auth_functions():
    return {
        "opendata_vn_catalog_import": roles.reviewer_only,
        "opendata_vn_catalog_import_preview": roles.reviewer_only,
        "opendata_vn_catalog_export": catalog_export,
    }
