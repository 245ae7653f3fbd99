"""Actions and auth functions of the personal-data guard.

    opendata_vn_privacy_review_list   state (pending | decided | any state), package_id, limit
                                      → {"count", "results"}; pending: oldest first
    opendata_vn_privacy_review_show   id → the review, with the first rows masked
    opendata_vn_privacy_decide        id, decision (publish | remove | mask | reject),
                                      reason (legal basis / comment to the agency),
                                      columns (to remove or mask; default: the flagged ones)

IT reviewers (ckanext.opendata_vn.reviewers, and sysadmins) list and decide; an
agency's focal officers see their own datasets' reviews. Chained: the DataStore's
read API refuses held-back resources to everyone but IT reviewers.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy.model import PENDING, STATES, PrivacyReview
from ckanext.opendata_vn.core import roles
MAX_LIMIT = 500


def _user(context) -> str | None:
    return roles.user_name(context)


def _get(data_dict) -> PrivacyReview:
    review = model.Session.get(PrivacyReview, tk.get_or_bust(data_dict, "id"))
    if review is None:
        raise tk.ObjectNotFound(tk._("Không tìm thấy bảng dữ liệu chờ quyết định."))
    return review


def _columns(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


# ----------------------------------------------------------------- actions
@tk.side_effect_free
def review_list(context, data_dict):
    tk.check_access("opendata_vn_privacy_review_list", context, data_dict)
    state = (data_dict or {}).get("state") or PENDING
    try:
        limit = min(int((data_dict or {}).get("limit") or 100), MAX_LIMIT)
    except ValueError:
        raise tk.ValidationError({"limit": [tk._("Giá trị không hợp lệ.")]})
    q = (model.Session.query(PrivacyReview)
         .join(model.Package, model.Package.id == PrivacyReview.package_id)
         .filter(model.Package.state == "active"))
    if (data_dict or {}).get("package_id"):
        pkg = model.Package.get(data_dict["package_id"])
        q = q.filter(PrivacyReview.package_id == (pkg.id if pkg else data_dict["package_id"]))
    if state == PENDING:
        q = q.filter(PrivacyReview.state == PENDING).order_by(PrivacyReview.waiting_since, PrivacyReview.created)
    elif state == "decided":
        q = q.filter(PrivacyReview.decided_at.isnot(None)).order_by(PrivacyReview.decided_at.desc())
    elif state in STATES:
        q = q.filter(PrivacyReview.state == state).order_by(PrivacyReview.created.desc())
    elif state != "any":
        raise tk.ValidationError({"state": [tk._("Trạng thái không hợp lệ.")]})
    else:
        q = q.order_by(PrivacyReview.created.desc())
    with_preview = tk.asbool((data_dict or {}).get("with_preview"))
    return {"count": q.count(),
            "results": [reviews.as_dict(r, with_preview=with_preview) for r in q.limit(limit)]}


@tk.side_effect_free
def review_show(context, data_dict):
    review = _get(data_dict)
    tk.check_access("opendata_vn_privacy_review_show", context, {"id": review.id})
    return reviews.as_dict(review, with_preview=review.state == PENDING)


def decide(context, data_dict):
    review = _get(data_dict)
    tk.check_access("opendata_vn_privacy_decide", context, {"id": review.id})
    done = reviews.decide(review, (data_dict.get("decision") or "").strip(), data_dict.get("reason") or "",
                          _columns(data_dict.get("columns")), _user(context) or "")
    return reviews.as_dict(done)


# ----------------------------------------------------------------- auth
def _reviewer(context) -> bool:
    return roles.is_reviewer(_user(context))


def _no_reviewer():
    return {"success": False,
            "msg": tk._("Chỉ cán bộ Sở phụ trách cổng dữ liệu quyết định về dữ liệu cá nhân.")}


def auth_review_list(context, data_dict):
    if _reviewer(context):
        return {"success": True}
    pkg = model.Package.get((data_dict or {}).get("package_id") or "")
    if pkg is not None and roles.is_officer_of(_user(context), pkg.owner_org):
        return {"success": True}
    return _no_reviewer()


def auth_review_show(context, data_dict):
    if _reviewer(context):
        return {"success": True}
    review = model.Session.get(PrivacyReview, (data_dict or {}).get("id") or "")
    pkg = model.Package.get(review.package_id) if review is not None else None
    if pkg is not None and roles.is_officer_of(_user(context), pkg.owner_org):
        return {"success": True}
    return _no_reviewer()


def auth_decide(context, data_dict):
    return {"success": True} if _reviewer(context) else _no_reviewer()


def _withheld_refusal():
    return {"success": False,
            "msg": tk._("Dữ liệu của tài nguyên này đang chờ quyết định về dữ liệu cá nhân, chưa được công khai.")}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth, context, data_dict):
    rid = (data_dict or {}).get("resource_id") or (data_dict or {}).get("id")
    if reviews.resource_withheld(rid) and not _reviewer(context):
        return _withheld_refusal()
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth, context, data_dict):
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


def get_actions() -> dict:
    return {
        "opendata_vn_privacy_review_list": review_list,
        "opendata_vn_privacy_review_show": review_show,
        "opendata_vn_privacy_decide": decide,
    }


def get_auth_functions() -> dict:
    return {
        "opendata_vn_privacy_review_list": auth_review_list,
        "opendata_vn_privacy_review_show": auth_review_show,
        "opendata_vn_privacy_decide": auth_decide,
        "datastore_search": datastore_search,
        "datastore_info": datastore_info,
        "datastore_search_sql": datastore_search_sql,
    }
