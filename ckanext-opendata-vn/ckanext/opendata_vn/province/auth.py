"""Auth functions of pending successions (reorganisation.py): only IT reviewers (and
sysadmins) list and confirm them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import roles


def refusal() -> str:
    return tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu xác nhận đơn vị kế thừa.")


def reviewers_only(context, data_dict=None) -> dict:
    if roles.is_reviewer(roles.user_name(context)):
        return {"success": True}
    return {"success": False, "msg": refusal()}


def get_auth_functions() -> dict:
    return {
        "opendata_vn_reorganisation_pending_list": reviewers_only,
        "opendata_vn_reorganisation_confirm": reviewers_only,
    }
