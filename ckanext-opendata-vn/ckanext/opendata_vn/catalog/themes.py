"""Theme groups: created from vocab.THEMES; a dataset's `theme` field decides its group.

Membership is set here rather than through `groups` in a form: CKAN silently drops
groups the editing user is not a member of, and focal officers are members of none.
"""
from __future__ import annotations

import re

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import vocab
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


# ----------------------------------------------------------------- headings as written
_HEADING_PREFIX = re.compile(r"^(?:(?:[ivxlc]+|[a-z]|\d+)\s+)?(?:(?:nhom|cac)\s+)?(?:chu de|linh vuc|nganh)\s+")
_ROMAN_PREFIX = re.compile(r"^(?:[ivxlc]+|[a-z]|\d+)\s+(?=\S)")
_SPLIT = re.compile(r"\s*(?:,|;|/|\s-\s|\s–\s|\bvà\b|\bva\b|&)\s*", re.IGNORECASE)
_ALIASES = sorted(((vocab.fold(a), t) for t in vocab.THEMES if t.code != "khac"
                   for a in (t.title_vi, *t.aliases)), key=lambda p: -len(p[0]))


def heading_themes(text: str | None) -> list[vocab.Theme]:
    """The theme or themes a section heading names, as the document wrote it:
    "LĨNH VỰC XÂY DỰNG, GIAO THÔNG" → [Xây dựng, Giao thông vận tải]; [] when none."""
    exact = vocab.match_theme(text)
    if exact is not None:
        return [exact]
    key = _HEADING_PREFIX.sub("", vocab.fold(text))
    key = _ROMAN_PREFIX.sub("", key) if not vocab.match_theme(key) else key
    if exact := vocab.match_theme(key):
        return [exact]
    found: list[vocab.Theme] = []
    # split the heading as written (its commas and dashes), then each part by its words
    body = vocab.nfc(text)
    for part in _SPLIT.split(body):
        part_key = _HEADING_PREFIX.sub("", vocab.fold(part))
        part_key = _ROMAN_PREFIX.sub("", part_key) if not vocab.match_theme(part_key) else part_key
        if not part_key:
            continue
        theme = vocab.match_theme(part_key) or next(
            (t for alias, t in _ALIASES if re.search(rf"(?:^| ){re.escape(alias)}(?: |$)", part_key)), None)
        if theme is not None and theme not in found:
            found.append(theme)
    return found


def closest_theme(options: list[vocab.Theme], *texts: str) -> vocab.Theme:
    """Of a heading's themes, the one the entry's own words name most (its title and
    description); the first when none does."""
    words = f" {vocab.fold(' '.join(t for t in texts if t))} "

    def score(theme: vocab.Theme) -> int:
        return sum(len(alias) for alias, t in _ALIASES if t is theme and f" {alias} " in words)
    return max(options, key=lambda t: (score(t), -options.index(t)))
