"""Theme groups: created from vocab.THEMES; a dataset's `theme` field decides its group.

Membership is set here rather than through `groups` in a form: CKAN silently drops
groups the editing user is not a member of, and focal officers are members of none.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn import vocab


def ensure_themes(context: dict) -> int:
    created = 0
    for theme in vocab.THEMES:
        if model.Group.get(theme.code) is None:
            tk.get_action("group_create")(dict(context), {
                "name": theme.code, "title": theme.title_vi, "title_en": theme.title_en,
                "eu_theme": theme.eu or "", "aliases": list(theme.aliases),
            })
            created += 1
    if created:  # make the new groups visible to the queries below (autoflush is off)
        model.Session.flush()
    return created


def sync_theme_membership(package_id: str, theme_code: str | None) -> bool:
    """Make the dataset a member of its theme group only (no commit: the caller's).
    Returns True when membership changed."""
    theme_ids = {g.id: g for g in model.Session.query(model.Group).filter(
        model.Group.name.in_(list(vocab.THEME_BY_CODE)), model.Group.state == "active")}
    target = next((g for g in theme_ids.values() if g.name == theme_code), None)
    if target is None and theme_code in vocab.THEME_BY_CODE:
        # a portal whose seeds were not loaded yet: create the theme groups on first use
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ensure_themes({"user": site_user, "ignore_auth": True, "defer_commit": True})
        return sync_theme_membership(package_id, theme_code)
    members = model.Session.query(model.Member).filter(
        model.Member.table_name == "package", model.Member.table_id == package_id,
        model.Member.group_id.in_(list(theme_ids)), model.Member.state == "active").all()
    changed = False
    for member in members:
        if target is None or member.group_id != target.id:
            member.state = "deleted"
            changed = True
    if target is not None and not any(m.group_id == target.id for m in members):
        model.Session.add(model.Member(group=target, table_id=package_id,
                                       table_name="package", capacity="public", state="active"))
        changed = True
    return changed
