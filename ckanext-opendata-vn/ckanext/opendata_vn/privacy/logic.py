"""Actions of the personal-data guard.

    opendata_vn_privacy_review_list   state (pending | decided | any state), package_id, limit
                                      → {"count", "results"}; pending: oldest first
    opendata_vn_privacy_review_show   id → the review, with the first rows masked
    opendata_vn_privacy_decide        id, decision (publish | remove | mask | reject),
                                      reason (legal basis / comment to the agency),
                                      columns (to remove or mask; default: the flagged ones)

Who may call them: auth.py.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy.model import PENDING, STATES, PrivacyReview
from ckanext.opendata_vn.core import roles

MAX_LIMIT = 500


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
                          _columns(data_dict.get("columns")), roles.user_name(context) or "")
    return reviews.as_dict(done)


def get_actions() -> dict:
    return {
        "opendata_vn_privacy_review_list": review_list,
        "opendata_vn_privacy_review_show": review_show,
        "opendata_vn_privacy_decide": decide,
    }
