"""Whose feedback and data requests a user answers: the owning agency's focal officers
(editors and admins) and the IT reviewers (sysadmins included), who answer every
agency's. Built on core.roles, the one definition of the portal's roles."""
from __future__ import annotations

from ckanext.opendata_vn.core.roles import is_officer_of, is_reviewer, officer_agencies


def manages_org(user_name: str | None, org_id: str | None) -> bool:
    """IT staff, or an editor/admin of the agency."""
    return is_reviewer(user_name) or is_officer_of(user_name, org_id)


def managed_org_ids(user_name: str | None) -> list[str] | None:
    """The agencies whose feedback the user answers; None means every agency."""
    if is_reviewer(user_name):
        return None
    return [org.id for org in officer_agencies(user_name)]
