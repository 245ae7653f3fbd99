"""Who may do what with feedback and data requests: anyone sends feedback, ratings,
requests and votes (the anti-spam rules are in antispam.py); the owning agency's focal
officers and the IT reviewers read and answer them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.feedback.model import DataRequest, Feedback
from ckanext.opendata_vn.feedback.roles import managed_org_ids


@tk.auth_allow_anonymous_access
def _anyone(context, data_dict):
    return {"success": True}


def auth_feedback_list(context, data_dict):
    """Focal officers of any agency (each sees their own agencies' feedback) and reviewers."""
    if managed_org_ids(roles.user_name(context)) != []:
        return {"success": True}
    return {"success": False, "msg": roles.officer_refusal()}


def auth_feedback_update(context, data_dict):
    fb = model.Session.query(Feedback).get((data_dict or {}).get("id") or "")
    pkg = model.Package.get(fb.package_id) if fb else None
    if pkg is None:
        return {"success": False, "msg": roles.officer_refusal()}
    return roles.officer_or_reviewer(context, pkg.owner_org)


def auth_request_update(context, data_dict):
    req = model.Session.query(DataRequest).get((data_dict or {}).get("id") or "")
    if req is None:
        return {"success": False, "msg": roles.officer_refusal()}
    return roles.officer_or_reviewer(context, req.organization_id)


def get_auth_functions() -> dict:
    return {
        "opendata_vn_feedback_create": _anyone,
        "opendata_vn_feedback_list": auth_feedback_list,
        "opendata_vn_feedback_update": auth_feedback_update,
        "opendata_vn_rating_create": _anyone,
        "opendata_vn_rating_show": _anyone,
        "opendata_vn_data_request_create": _anyone,
        "opendata_vn_data_request_show": _anyone,
        "opendata_vn_data_request_list": _anyone,
        "opendata_vn_data_request_most_wanted": _anyone,
        "opendata_vn_data_request_vote": _anyone,
        "opendata_vn_data_request_update": auth_request_update,
    }
