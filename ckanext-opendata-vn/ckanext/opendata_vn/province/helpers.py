"""Template helpers of the province's identity: branding, share links, local avatars,
province choices, and agency history (successor / "trước đây")."""
from __future__ import annotations

from markupsafe import Markup, escape

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import formats

from ckanext.opendata_vn.catalog import helpers

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.province import branding, listing, reorganisation


def brand() -> dict:
    return branding.brand()


def share_links(url: str | None = None) -> list[dict]:
    return branding.share_links(url or tk.h.full_current_url())


def _avatar(name: str, size: int) -> Markup:
    """Initials on the province colour: no request to a third-party avatar service."""
    big = " odvn-avatar-lg" if int(size) > 40 else ""
    return Markup('<span class="user-image odvn-avatar{}" aria-hidden="true">{}</span>'
                  .format(big, escape(branding.initials(name))))


def user_image(user_id: str, size: int = 100) -> Markup | str:
    """CKAN's `h.user_image`: the picture the user uploaded here, else initials (never
    Gravatar, nor a picture linked from another site: the page would ask a third party)."""
    user = model.User.get(user_id) if user_id else None
    if user is None:
        return ""
    if user.image_url and "://" not in user.image_url and not user.image_url.startswith("//"):
        url = tk.h.url_for_static(f"uploads/user/{user.image_url}")
        return Markup('<img src="{}" class="user-image" width="{}" height="{}" alt="{}" />'.format(
            escape(tk.h.sanitize_url(url)), int(size), int(size), escape(user.display_name)))
    return _avatar(user.display_name or user.name, size)


def gravatar(email_hash: str, size: int = 100, default=None) -> Markup:
    """CKAN's `h.gravatar` (used by some core snippets): a local placeholder instead."""
    return _avatar("", size)


def province_choices(current: str | None = None) -> list[dict]:
    """The portal's own province first, then the provinces merged into it, then the
    other provinces whose catalogs it holds (and the dataset's own value)."""
    from ckanext.opendata_vn.catalog.model import Catalog
    own = helpers.province_name()
    names = [tk.config.get("ckanext.opendata_vn.province")]
    names += [p["province"] for p in reorganisation.former_provinces(names[0])]
    names += sorted({p for (p,) in model.Session.query(Catalog.province).distinct() if p})
    if current:
        names.append(current)
    out, seen = [], set()
    for name in names:
        key = vocab.fold(name)
        if name and key not in seen:
            seen.add(key)
            out.append({"value": name, "text": own if name == names[0] else name})
    return out


def former_provinces() -> list[dict]:
    """Provinces merged into this one, with the date written the local way."""
    return [{"province": p["province"], "date": formats.format_date(p["date"])}
            for p in reorganisation.former_provinces(tk.config.get("ckanext.opendata_vn.province"))]


def _org(name_or_id: str | None) -> model.Group | None:
    group = model.Group.get(name_or_id) if name_or_id else None
    return group if group is not None and group.is_organization and group.state == "active" else None


def agency_history(org: dict | None) -> dict:
    """{successor, current, date, predecessors, pending} for an agency page or a dataset's agency:
    `successor` the agency it merged into, `current` the agency carrying its duties today
    (end of the chain), `predecessors` the agencies that merged into it."""
    if not org:
        return {}
    out = {"successor": None, "current": None, "date": "", "predecessors": [], "pending": None}
    group = _org(org.get("id") or org.get("name"))
    extras = dict(group.extras) if group is not None else {}
    successor = _org(extras.get("successor"))
    if successor is not None:
        out["successor"] = {"name": successor.name, "title": successor.title}
        out["date"] = formats.format_date(extras.get("succession_date") or "")
        current, seen = successor, {successor.id}
        while (nxt := _org(dict(current.extras).get("successor"))) is not None and nxt.id not in seen:
            seen.add(nxt.id)
            current = nxt
        if current.id != successor.id:
            out["current"] = {"name": current.name, "title": current.title}
    pending = _org(extras.get("pending_successor"))
    if pending is not None and successor is None:
        out["pending"] = {"name": pending.name, "title": pending.title}
    if org.get("name"):
        rows = (model.Session.query(model.Group)
                .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
                .filter(model.GroupExtra.key == "successor", model.GroupExtra.value == org["name"],
                        model.GroupExtra.state == "active", model.Group.state == "active")
                .order_by(model.Group.title))
        out["predecessors"] = [{"name": g.name, "title": g.title} for g in rows]
    return out


def dataset_predecessor(pkg: dict) -> dict | None:
    """The merged agency the dataset's catalog named, when its duties passed to the
    dataset's current agency ("trước đây: …" on the dataset page)."""
    from ckanext.opendata_vn.catalog.agencies import agency_name
    from ckanext.opendata_vn.catalog.rows import split_agencies
    names = split_agencies(pkg.get("original_agency") or "")
    org = pkg.get("organization") or {}
    if not names or not org or not pkg.get("province"):
        return None
    named = _org(agency_name(pkg["province"], names[0]))
    if named is None or named.id == org.get("id"):
        return None
    seen, current = {named.id}, named
    while (nxt := _org(dict(current.extras).get("successor"))) is not None and nxt.id not in seen:
        if nxt.id == org.get("id"):
            return {"name": named.name, "title": named.title}
        seen.add(nxt.id)
        current = nxt
    return None


def get_helpers() -> dict:
    return {
        "opendata_vn_brand": brand,
        "opendata_vn_share_links": share_links,
        "opendata_vn_province_choices": province_choices,
        "opendata_vn_former_provinces": former_provinces,
        "opendata_vn_agency_history": agency_history,
        "opendata_vn_search_item": listing.search_item,
        "opendata_vn_search_items": listing.search_items,
        "opendata_vn_dataset_predecessor": dataset_predecessor,
        "user_image": user_image,
        "gravatar": gravatar,
    }
