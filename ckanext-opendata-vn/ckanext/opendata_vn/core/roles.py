"""Who is who: sysadmins, IT reviewers (configured user names), focal officers.

IT reviewers are the user names in `ckanext.opendata_vn.reviewers` (space separated;
the same option the catalog import uses). They need not be sysadmins: they review,
approve and publish catalogs and read every agency's private datasets (see
workflow/labels.py), but they edit no agency's datasets unless they are also its editor.
A focal officer is an editor or admin of the agency's organization.
"""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model


def reviewer_names() -> set[str]:
    value = tk.config.get("ckanext.opendata_vn.reviewers") or ""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return {v.strip() for v in value if v and v.strip()}


def user_name(context_or_name) -> str | None:
    if isinstance(context_or_name, dict):
        user = context_or_name.get("user")
        obj = context_or_name.get("auth_user_obj")
        if not user and obj and not getattr(obj, "is_anonymous", False):
            user = getattr(obj, "name", None)
        return user or None
    return context_or_name or None


def is_sysadmin(name: str | None) -> bool:
    return bool(name) and authz.is_sysadmin(name)


def is_reviewer(name: str | None) -> bool:
    """IT reviewers and sysadmins."""
    if not name:
        return False
    return name in reviewer_names() or is_sysadmin(name)


def is_officer_of(name: str | None, org_id: str | None) -> bool:
    """Editor or admin of the agency (sysadmins pass)."""
    if not name or not org_id:
        return False
    return authz.has_user_permission_for_group_or_org(org_id, name, "update_dataset")


def officer_agencies(name: str | None) -> list[model.Group]:
    """Organizations the user edits datasets for (all of them for sysadmins)."""
    if not name:
        return []
    query = model.Session.query(model.Group).filter(
        model.Group.is_organization == True, model.Group.state == "active")  # noqa: E712
    if is_sysadmin(name):
        return query.order_by(model.Group.title).all()
    user = model.User.get(name)
    if user is None:
        return []
    return (query.join(model.Member, model.Member.group_id == model.Group.id)
            .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                    model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"]))
            .order_by(model.Group.title).all())


def is_staff(name: str | None) -> bool:
    """Logged-in portal staff: reviewers, sysadmins and focal officers of any agency."""
    if not name:
        return False
    if is_reviewer(name):
        return True
    user = model.User.get(name)
    if user is None:
        return False
    return model.Session.query(model.Member.id).filter(
        model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"])).first() is not None


# ---------------------------------------------------------------- auth answers
# One refusal per role, so that every page and API answer says the same thing.

def reviewer_refusal() -> str:
    return tk._("Chỉ cán bộ của Sở phụ trách cổng dữ liệu (cán bộ thẩm định) được thực hiện việc này.")


def officer_refusal() -> str:
    return tk._("Chỉ cán bộ đầu mối của đơn vị chủ trì (hoặc cán bộ thẩm định) được thực hiện việc này.")


def reviewer_only(context: dict, data_dict: dict | None = None) -> dict:
    """Auth answer: IT reviewers and sysadmins only."""
    if is_reviewer(user_name(context)):
        return {"success": True}
    return {"success": False, "msg": reviewer_refusal()}


def officer_or_reviewer(context: dict, org_id: str | None) -> dict:
    """Auth answer: the agency's focal officers, IT reviewers and sysadmins."""
    name = user_name(context)
    if is_reviewer(name) or is_officer_of(name, org_id):
        return {"success": True}
    return {"success": False, "msg": officer_refusal()}
