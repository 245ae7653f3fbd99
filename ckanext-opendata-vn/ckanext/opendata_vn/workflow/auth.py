"""Auth functions of the catalog workflow (one per action; sysadmins pass all).

Roles (core/roles.py): anonymous citizens read published catalogs; focal officers
(editors/admins of an agency) propose, change, withdraw and submit their own
agency's entries and confirm its data; IT reviewers (configured user names) create,
review, approve and publish catalogs. State rules (e.g. a published catalog is
frozen) are checked by the actions, not here.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from ckanext.opendata_vn.core import roles
_ = tk._


def _ok():
    return {"success": True}


def _no(msg: str):
    return {"success": False, "msg": msg}


def _catalog(data_dict) -> Catalog | None:
    key = (data_dict or {}).get("id") or (data_dict or {}).get("catalog_id") or (data_dict or {}).get("key")
    if not key:
        return None
    return model.Session.get(Catalog, key) or model.Session.query(Catalog).filter_by(key=key).first()


def _entries(data_dict) -> list[CatalogEntry]:
    from ckanext.opendata_vn.workflow.logic import _ids
    ids = _ids((data_dict or {}).get("ids")) or _ids((data_dict or {}).get("id"))
    return [e for e in (model.Session.get(CatalogEntry, i) for i in ids) if e is not None]


def _officer_of_entries(context, data_dict):
    """Focal officers act on their own agency's entries only (named by ids, or all of
    `owner_org`'s)."""
    user = roles.user_name(context)
    if not user:
        return _no(_("Cần đăng nhập."))
    data_dict = data_dict or {}
    if data_dict.get("owner_org") and not (data_dict.get("ids") or data_dict.get("id")):
        org_ids = [data_dict["owner_org"]]
    else:
        entries = _entries(data_dict)
        if not entries:
            return _no(_("Không tìm thấy mục danh mục."))
        org_ids = []
        for entry in entries:
            pkg = model.Package.get(entry.package_id)
            org_ids.append(pkg.owner_org if pkg else None)
    for org_id in org_ids:
        if not roles.is_officer_of(user, org_id):
            return _no(_("Cán bộ đầu mối chỉ thao tác trên mục của đơn vị mình."))
    return _ok()


@tk.auth_allow_anonymous_access
def catalog_list(context, data_dict):
    return _ok()  # the action lists published catalogs only, except for staff


@tk.auth_allow_anonymous_access
def catalog_show(context, data_dict):
    catalog = _catalog(data_dict)
    if catalog is None or catalog.state == "published":
        return _ok()
    if roles.is_staff(roles.user_name(context)):
        return _ok()  # officers see their own agency's entries only (the action filters)
    return _no(_("Danh mục chưa được công bố."))


def entry_create(context, data_dict):
    user = roles.user_name(context)
    data_dict = data_dict or {}
    if data_dict.get("package_id"):
        pkg = model.Package.get(data_dict["package_id"])
        org_id = pkg.owner_org if pkg else None
    else:
        org = model.Group.get(data_dict.get("owner_org") or "")
        org_id = org.id if org else None
    if roles.is_officer_of(user, org_id):
        return _ok()
    return _no(_("Cán bộ đầu mối chỉ đề xuất mục cho đơn vị mình."))


def data_confirm(context, data_dict):
    pkg = model.Package.get((data_dict or {}).get("package_id") or "")
    if pkg is not None and roles.is_officer_of(roles.user_name(context), pkg.owner_org):
        return _ok()
    return _no(_("Chỉ cán bộ đầu mối của đơn vị được xác nhận dữ liệu."))


@tk.chained_auth_function
def package_update(next_auth, context, data_dict):
    """A proposal stays private until its catalog is published: only reviewers make a
    dataset public while it is listed in unpublished catalogs only."""
    data_dict = data_dict or {}
    wants_public = str(data_dict.get("private", "")).lower() in ("false", "0", "no")
    if wants_public:
        refused = _publication_refused(context, [data_dict.get("id") or data_dict.get("name") or ""])
        if refused:
            return refused
    return next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_public(next_auth, context, data_dict):
    """The organization page's "make public" acts on many datasets at once and skips
    package_update: the same rule applies to each of them."""
    refused = _publication_refused(context, (data_dict or {}).get("datasets") or [])
    return refused or next_auth(context, data_dict)


def _publication_refused(context, ids) -> dict | None:
    """Refusal when a non-reviewer would make public a private dataset that is listed in
    unpublished catalogs only (its entry awaits approval and publication)."""
    if roles.is_reviewer(roles.user_name(context)):
        return None
    if isinstance(ids, str):
        ids = [ids]
    for pkg_id in ids:
        pkg = model.Package.get(pkg_id or "")
        if pkg is None or not pkg.private:
            continue
        catalog_states = {s for (s,) in model.Session.query(Catalog.state).join(CatalogEntry)
                          .filter(CatalogEntry.package_id == pkg.id)}
        if catalog_states and "published" not in catalog_states:
            return _no(_("Tập dữ liệu đang chờ phê duyệt trong danh mục; dữ liệu được công khai khi "
                         "danh mục được công bố."))
    return None


def get_auth_functions() -> dict:
    return {
        "opendata_vn_catalog_list": catalog_list,
        "opendata_vn_catalog_show": catalog_show,
        "opendata_vn_catalog_create": roles.reviewer_only,
        "opendata_vn_catalog_approve": roles.reviewer_only,
        "opendata_vn_catalog_reopen": roles.reviewer_only,
        "opendata_vn_catalog_publish": roles.reviewer_only,
        "opendata_vn_catalog_amend": roles.reviewer_only,
        "opendata_vn_entry_create": entry_create,
        "opendata_vn_entry_update": _officer_of_entries,
        "opendata_vn_entry_withdraw": _officer_of_entries,
        "opendata_vn_entry_submit": _officer_of_entries,
        "opendata_vn_entry_return": roles.reviewer_only,
        "opendata_vn_entry_approve": roles.reviewer_only,
        "opendata_vn_data_confirm": data_confirm,
        "package_update": package_update,
        "bulk_update_public": bulk_update_public,
    }
