"""Administrative reorganisations as data (catalog_seeds/reorganisation/reorganisation-2025.json).

Each change names an agency of a province, its successor (possibly of another province,
when provinces merged) and the legal date. Applying a file goes through the succession
logic (catalog/agencies.move_to_successor): the successor carries the datasets and the
duties, the merged agency stays as history and catalog entries keep the names their
decision used. A change marked `"certain": false` is only recorded as pending on the
agency until an IT reviewer confirms it (`opendata_vn_reorganisation_confirm`).
Applying twice changes nothing.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog import agencies

SCHEMA_VERSION = 1
PENDING_KEYS = ("pending_successor", "pending_succession_date", "pending_succession_note")


class ReorganisationError(ValueError):
    """The file cannot be applied; the message names the change and what to fix."""


@dataclasses.dataclass(frozen=True)
class Change:
    province: str
    agency: str
    successor_province: str
    successor: str
    date: datetime.date
    certain: bool
    note: str

    @property
    def agency_key(self) -> str:
        return agencies.agency_name(self.province, self.agency)


def read_file(path: Path) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ReorganisationError(tk._("{file}: schema_version phải là {v}.").format(file=Path(path).name, v=SCHEMA_VERSION))
    return data


def changes(data: dict, source: str = "") -> list[Change]:
    """Every agency change of the file, oldest first (so chains apply in legal order)."""
    out = []
    for p_index, block in enumerate(data.get("provinces") or [], 1):
        province = vocab.nfc(block.get("province") or "")
        for c_index, raw in enumerate(block.get("agencies") or [], 1):
            where = f"{source} provinces[{p_index}].agencies[{c_index}]"
            try:
                date = datetime.date.fromisoformat(raw["date"])
                agency, successor = vocab.nfc(raw["agency"]), vocab.nfc(raw["successor"])
            except (KeyError, ValueError, TypeError):
                raise ReorganisationError(
                    tk._("{where}: cần agency, successor và date (YYYY-MM-DD).").format(where=where))
            if not province or not agency or not successor:
                raise ReorganisationError(tk._("{where}: thiếu tỉnh, đơn vị hoặc đơn vị kế thừa.").format(where=where))
            out.append(Change(province, agency, vocab.nfc(raw.get("successor_province") or province), successor,
                              date, bool(raw.get("certain", True)), vocab.nfc(raw.get("note") or "")))
    return sorted(out, key=lambda c: c.date)


def _context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"model": model, "session": model.Session, "user": user, "ignore_auth": True}


def _org_extras(org_id: str) -> dict:
    group = model.Group.get(org_id)
    return dict(group.extras) if group else {}


def _has_datasets(org_id: str) -> bool:
    return model.Session.query(model.Package.id).filter(
        model.Package.owner_org == org_id, model.Package.state != "deleted").first() is not None


def apply_change(context: dict, change: Change, cache: dict) -> str:
    """"applied", "pending", "unchanged" or "skipped" (the agency is not on this portal)."""
    org = model.Group.get(change.agency_key)
    if org is None or not org.is_organization or org.state != "active":
        return "skipped"
    target = agencies.ensure_agency(dict(context), change.successor_province, change.successor, cache)
    extras = _org_extras(org.id)
    done = extras.get("successor") == target["name"]
    if done and not _has_datasets(org.id):
        return "unchanged"
    if not change.certain and not done:
        pending = {"pending_successor": target["name"], "pending_succession_date": change.date.isoformat(),
                   "pending_succession_note": change.note}
        if all(extras.get(k, "") == v for k, v in pending.items()):
            return "unchanged"
        tk.get_action("organization_patch")(dict(context), {"id": org.id, **pending})
        return "pending"
    agencies.move_to_successor(dict(context), org.id, target["id"], change.date)
    _clear_pending(context, org.id)
    return "applied"


def _clear_pending(context: dict, org_id: str) -> None:
    if any(_org_extras(org_id).get(k) for k in PENDING_KEYS):
        tk.get_action("organization_patch")(dict(context), {"id": org_id, **{k: "" for k in PENDING_KEYS}})


def apply_file(path: Path) -> dict:
    """Apply every change of the file; returns counts and the per-change outcome."""
    data = read_file(path)
    context, cache, results = _context(), {}, []
    for change in changes(data, Path(path).name):
        results.append((change, apply_change(context, change, cache)))
    counts = {k: sum(1 for _c, r in results if r == k) for k in ("applied", "pending", "unchanged", "skipped")}
    return {"counts": counts, "results": results}


def confirm(context: dict, org_id: str) -> dict:
    """A reviewer's confirmation: the pending successor becomes the successor."""
    org = tk.get_action("organization_show")(dict(context), {"id": org_id})
    successor = org.get("pending_successor")
    if not successor:
        raise tk.ValidationError({"pending_successor": [tk._("Đơn vị này không có đề xuất kế thừa chờ xác nhận.")]})
    date = org.get("pending_succession_date") or ""
    effective = datetime.date.fromisoformat(date) if date else None
    site = {**_context(), "user": context.get("user") or _context()["user"]}
    result = agencies.move_to_successor(site, org["id"], successor, effective)
    _clear_pending(site, org["id"])
    # the successor may itself have merged since (Sở Nội vụ of Bắc Giang → of Bắc Ninh):
    # the datasets go on to the agency carrying the duties today
    _pass_on(site, successor)
    return result


def _pass_on(context: dict, name: str) -> None:
    seen = {name}
    while (group := model.Group.get(name)) is not None:
        extras = dict(group.extras)
        nxt = extras.get("successor")
        if not nxt or nxt in seen:
            return
        if _has_datasets(group.id):
            date = extras.get("succession_date") or ""
            agencies.move_to_successor(dict(context), group.id, nxt,
                                       datetime.date.fromisoformat(date) if date else None)
        seen.add(nxt)
        name = nxt


def pending_list() -> list[dict]:
    """Agencies whose successor waits for a reviewer, oldest date first."""
    rows = (model.Session.query(model.Group)
            .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
            .filter(model.GroupExtra.key == "pending_successor", model.GroupExtra.value != "",
                    model.GroupExtra.state == "active", model.Group.state == "active",
                    model.Group.is_organization.is_(True)))
    out = []
    for group in rows:
        extras = dict(group.extras)
        target = model.Group.get(extras["pending_successor"])
        out.append({"id": group.id, "name": group.name, "title": group.title,
                    "successor": extras["pending_successor"], "successor_title": target.title if target else "",
                    "date": extras.get("pending_succession_date") or "", "note": extras.get("pending_succession_note") or "",
                    "datasets": model.Session.query(model.Package.id).filter(
                        model.Package.owner_org == group.id, model.Package.state != "deleted").count()})
    return sorted(out, key=lambda r: (r["date"], r["title"]))


def ceased_names() -> set[str]:
    """Agencies that no longer exist (merged into a successor, or waiting for a reviewer
    to confirm one): not listed as today's providers."""
    rows = (model.Session.query(model.Group.name)
            .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
            .filter(model.GroupExtra.key.in_(("successor", "pending_successor")), model.GroupExtra.value != "",
                    model.GroupExtra.state == "active", model.Group.is_organization.is_(True)))
    return {name for (name,) in rows}


def default_file() -> Path:
    configured = tk.config.get("ckanext.opendata_vn.reorganisation_file") or ""
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4] / "catalog_seeds" / "reorganisation" / "reorganisation-2025.json"


def former_provinces(province: str, path: Path | None = None) -> list[dict]:
    """Provinces merged into `province` ({province, date}), from the reorganisation file."""
    try:
        data = read_file(path or default_file())
    except (OSError, ValueError):
        return []
    target = vocab.fold(province)
    return [{"province": b["province"], "date": b.get("merged_date") or ""}
            for b in data.get("provinces") or [] if vocab.fold(b.get("merged_into") or "") == target]
