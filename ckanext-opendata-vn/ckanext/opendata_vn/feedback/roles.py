"""Who answers feedback: the owning agency's editors and admins, the IT staff
(`logic.auth.is_it_staff`) and sysadmins."""
from __future__ import annotations

import ckan.authz as authz
from ckan import model

from ckanext.opendata_vn.logic.auth import is_it_staff


def is_it_staff_or_sysadmin(user_name: str | None) -> bool:
    return bool(user_name) and (is_it_staff(user_name) or authz.is_sysadmin(user_name))


def manages_org(user_name: str | None, org_id: str | None) -> bool:
    """IT staff, or an editor/admin of the agency."""
    if not user_name:
        return False
    if is_it_staff_or_sysadmin(user_name):
        return True
    if not org_id:
        return False
    return authz.has_user_permission_for_group_or_org(org_id, user_name, "update_dataset")


def managed_org_ids(user_name: str | None) -> list[str] | None:
    """The agencies whose feedback the user answers; None means every agency."""
    if not user_name:
        return []
    if is_it_staff_or_sysadmin(user_name):
        return None
    user = model.User.get(user_name)
    if user is None:
        return []
    rows = (model.Session.query(model.Member.group_id)
            .join(model.Group, model.Group.id == model.Member.group_id)
            .filter(model.Member.table_name == "user", model.Member.table_id == user.id,
                    model.Member.state == "active", model.Member.capacity.in_(["editor", "admin"]),
                    model.Group.is_organization == True, model.Group.state == "active"))  # noqa: E712
    return [r[0] for r in rows]
