"""Actions and auth functions of pending successions (reorganisation.py): only IT
reviewers (and sysadmins) list and confirm them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.province import reorganisation
from ckanext.opendata_vn.core import roles
def _reviewers_only(context, data_dict=None) -> dict:
    if roles.is_reviewer(roles.user_name(context)):
        return {"success": True}
    return {"success": False, "msg": tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu xác nhận đơn vị kế thừa.")}


def reorganisation_pending_list_auth(context, data_dict=None):
    return _reviewers_only(context, data_dict)


def reorganisation_confirm_auth(context, data_dict=None):
    return _reviewers_only(context, data_dict)


def reorganisation_pending_list(context, data_dict):
    """Agencies whose successor (from the reorganisation file, `"certain": false`) waits
    for a reviewer's confirmation."""
    tk.check_access("opendata_vn_reorganisation_pending_list", context, data_dict)
    return reorganisation.pending_list()


def reorganisation_confirm(context, data_dict):
    """Confirm the pending successor of agency `id`: its datasets and duties move there."""
    tk.check_access("opendata_vn_reorganisation_confirm", context, data_dict)
    org_id = tk.get_or_bust(data_dict, "id")
    return reorganisation.confirm(context, org_id)


def get_actions() -> dict:
    return {
        "opendata_vn_reorganisation_pending_list": reorganisation_pending_list,
        "opendata_vn_reorganisation_confirm": reorganisation_confirm,
    }


def get_auth_functions() -> dict:
    return {
        "opendata_vn_reorganisation_pending_list": reorganisation_pending_list_auth,
        "opendata_vn_reorganisation_confirm": reorganisation_confirm_auth,
    }
