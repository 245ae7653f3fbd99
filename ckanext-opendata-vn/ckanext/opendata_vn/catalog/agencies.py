"""Agencies (CKAN organizations): stable names, province-scoped identity, succession."""
from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import vocab
def slug(text: str, limit: int = 100) -> str:
    return vocab.fold(text).replace(" ", "-")[:limit].strip("-")


def agency_name(province: str, name: str) -> str:
    """Stable ASCII name: the same agency of the same province always maps to one org,
    whatever its spelling ("Sở Công Thương" / "Sở Công thương", "Lao động - " / "Lao động, ")."""
    return slug(f"{province} {name}")


def agency_title(province: str, name: str) -> str:
    if vocab.fold(province) in vocab.fold(name):
        return name
    return f"{name} tỉnh {province}"


def ensure_agency(context: dict, province: str, name: str, cache: dict) -> dict:
    """The organization for an agency named in a catalog, created when missing."""
    key = agency_name(province, name)
    if key in cache:
        return cache[key]
    org = model.Group.get(key)
    if org is None:
        org_dict = tk.get_action("organization_create")(dict(context), {
            "name": key, "title": agency_title(province, name), "province": province,
            "level": vocab.guess_agency_level(name),
        })
        cache[key] = {"id": org_dict["id"], "name": key, "title": org_dict["title"], "created": True}
    else:
        cache[key] = {"id": org.id, "name": org.name, "title": org.title, "created": False}
    return cache[key]


def move_to_successor(context: dict, agency: str, successor: str,
                      effective: datetime.date | None = None) -> dict:
    """Record `successor` on `agency` and move its datasets there.

    Each dataset keeps `original_agency` (the agency named in the catalog), so the
    approved catalog still shows the entries as the decision listed them.
    """
    org = tk.get_action("organization_show")(dict(context), {"id": agency})
    target = tk.get_action("organization_show")(dict(context), {"id": successor})
    if org["id"] == target["id"]:
        raise tk.ValidationError({"successor": [tk._("Đơn vị kế thừa phải khác đơn vị hiện tại.")]})
    tk.get_action("organization_patch")(dict(context), {
        "id": org["id"], "successor": target["name"],
        "succession_date": (effective or datetime.date.today()).isoformat(),
    })
    ids = [pid for (pid,) in model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org["id"], model.Package.state != "deleted")]
    for pid in ids:
        pkg = tk.get_action("package_show")(dict(context), {"id": pid})
        patch = {"id": pid, "owner_org": target["id"]}
        if not pkg.get("original_agency"):
            patch["original_agency"] = org["title"]
        tk.get_action("package_patch")(dict(context), patch)
    return {"agency": org["name"], "successor": target["name"], "moved": len(ids)}
