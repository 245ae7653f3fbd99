"""Who may see compliance figures: everyone the public report, logged-in staff the
dashboard (focal officers their own agencies' rows), IT reviewers the exports and the
reminder list."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import roles

_ = tk._


@tk.auth_allow_anonymous_access
def compliance_report_auth(context, data_dict):
    return {"success": True}  # the figures are public: everyone sees who delivers on time


def compliance_dashboard_auth(context, data_dict):
    """IT staff see every agency; focal officers their own agencies' rows."""
    if roles.is_staff(roles.user_name(context)):
        return {"success": True}
    return {"success": False, "msg": _("Cần đăng nhập bằng tài khoản cán bộ.")}


def get_auth_functions() -> dict:
    return {
        "opendata_vn_compliance_report": compliance_report_auth,
        "opendata_vn_compliance_export": roles.reviewer_only,
        "opendata_vn_compliance_dashboard": compliance_dashboard_auth,
        "opendata_vn_reminder_list": roles.reviewer_only,
    }
