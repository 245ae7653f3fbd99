"""Auth functions of the upload loader: loading a resource into the DataStore again,
and seeing its load state, are for the focal officers of the dataset's agency and IT
staff (reviewers, sysadmins); everyone else is refused."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import roles


def officers_and_staff(context, data_dict) -> dict:
    user = roles.user_name(context)
    res = model.Session.get(model.Resource, (data_dict or {}).get("id") or "")
    pkg = model.Package.get(res.package_id) if res is not None else None
    if user and pkg is not None and (roles.is_reviewer(user) or roles.is_officer_of(user, pkg.owner_org)):
        return {"success": True}
    return {"success": False, "msg": tk._(
        "Chỉ cán bộ đầu mối của đơn vị chủ trì tập dữ liệu và cán bộ Sở mới nạp được dữ liệu vào DataStore.")}


def upload_preview(context, data_dict) -> dict:
    """Previewing a file before adding it is for whoever may add it: CKAN's own
    resource_create check on the dataset (its agency's editors and admins, sysadmins)."""
    try:
        tk.check_access("resource_create", dict(context), {"package_id": (data_dict or {}).get("package_id")})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return {"success": False, "msg": tk._("Chỉ người được thêm tài nguyên vào tập dữ liệu này mới xem trước được tệp.")}
    return {"success": True}


def get_auth_functions() -> dict:
    return {"opendata_vn_datastore_load": officers_and_staff,
            "opendata_vn_upload_preview": upload_preview,
            "opendata_vn_datastore_load_status": officers_and_staff}
