"""Template helpers: a resource's personal-data status, and the dataset page's notice
for staff (the dataset's focal officers and IT reviewers)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy.model import PENDING, REJECTED, PrivacyReview
from ckanext.opendata_vn.core import roles
def _current_user() -> str | None:
    try:
        return tk.g.get("user") or None
    except (RuntimeError, AttributeError, TypeError):
        return None


def resource_status(res: dict | None) -> str | None:
    """"pending" or "rejected" for a held-back resource, else None."""
    status = (res or {}).get(reviews.STATUS_KEY)
    return status if status in reviews.WITHHELD else None


def resource_status_label(status: str | None) -> str:
    _ = tk._
    return {PENDING: _("Chờ Sở quyết định về dữ liệu cá nhân: chưa công khai"),
            REJECTED: _("Sở đã từ chối công khai vì có dữ liệu cá nhân")}.get(status or "", "")


def dataset_notices(pkg: dict | None) -> list[dict]:
    """Pending and rejected (not yet replaced) tables of the dataset, for its staff."""
    if not pkg or not pkg.get("id"):
        return []
    user = _current_user()
    if not user or not (roles.is_reviewer(user) or roles.is_officer_of(user, pkg.get("owner_org"))):
        return []
    q = (model.Session.query(PrivacyReview)
         .filter(PrivacyReview.package_id == pkg["id"], PrivacyReview.state.in_([PENDING, REJECTED]))
         .order_by(PrivacyReview.created.desc()))
    out, seen = [], set()
    for review in q.limit(20):
        if review.source_key in seen:
            continue          # only the latest table of each source or upload
        seen.add(review.source_key)
        if review.state == REJECTED and _published_since(review):
            continue
        out.append(reviews.as_dict(review))
    return out


def _published_since(review: PrivacyReview) -> bool:
    later = reviews.latest_decided(review.source_key)
    return later is not None and later.id != review.id


def kind_label(kind: str) -> str:
    from ckanext.opendata_vn.core.tabular.personal_data import KINDS
    k = KINDS.get(kind)
    if k is None:
        return kind
    try:
        lang = tk.h.lang()
    except (RuntimeError, AttributeError, TypeError):
        lang = "vi"
    return k.label_en if lang == "en" else k.label_vi


def is_reviewer() -> bool:
    return roles.is_reviewer(_current_user())


def get_helpers() -> dict:
    return {
        "opendata_vn_privacy_status": resource_status,
        "opendata_vn_privacy_status_label": resource_status_label,
        "opendata_vn_privacy_notices": dataset_notices,
        "opendata_vn_privacy_kind_label": kind_label,
        "opendata_vn_privacy_is_reviewer": is_reviewer,
    }
