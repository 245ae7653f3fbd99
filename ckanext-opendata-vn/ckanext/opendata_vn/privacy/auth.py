"""Auth functions of the personal-data guard.

IT reviewers (ckanext.opendata_vn.reviewers, and sysadmins) list and decide; an
agency's focal officers see their own datasets' reviews. Chained: the DataStore's
read API refuses held-back resources to everyone but IT reviewers.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy.model import PrivacyReview


def _reviewer(context) -> bool:
    return roles.is_reviewer(roles.user_name(context))


def review_list(context, data_dict):
    pkg = model.Package.get((data_dict or {}).get("package_id") or "")
    return roles.officer_or_reviewer(context, pkg.owner_org if pkg is not None else None)


def review_show(context, data_dict):
    review = model.Session.get(PrivacyReview, (data_dict or {}).get("id") or "")
    pkg = model.Package.get(review.package_id) if review is not None else None
    return roles.officer_or_reviewer(context, pkg.owner_org if pkg is not None else None)


def _withheld_refusal():
    return {"success": False,
            "msg": tk._("Dữ liệu của tài nguyên này đang chờ quyết định về dữ liệu cá nhân, chưa được công khai.")}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_read(next_auth, context, data_dict):
    """datastore_search and datastore_info: one resource, by resource_id or id."""
    rid = (data_dict or {}).get("resource_id") or (data_dict or {}).get("id")
    if reviews.resource_withheld(rid) and not _reviewer(context):
        return _withheld_refusal()
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth, context, data_dict):
    if not _reviewer(context) and any(reviews.resource_withheld(t) for t in context.get("table_names") or []):
        return _withheld_refusal()
    return next_auth(context, data_dict)


def get_auth_functions() -> dict:
    return {
        "opendata_vn_privacy_review_list": review_list,
        "opendata_vn_privacy_review_show": review_show,
        "opendata_vn_privacy_decide": roles.reviewer_only,
        "datastore_search": datastore_read,
        "datastore_info": datastore_read,
        "datastore_search_sql": datastore_search_sql,
    }
