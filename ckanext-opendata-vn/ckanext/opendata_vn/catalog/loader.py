"""Load one catalog (metadata + rows) into the portal, all or nothing.

The whole file is validated before anything is written; if any row is invalid the
loader writes nothing and reports every bad row. Writing happens in one database
transaction (CKAN's `defer_commit`), so Solr is updated once, at the commit.
Re-running with the same rows changes nothing (stable names, "unchanged" rows skip).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog import agencies, themes
from ckanext.opendata_vn.catalog.rows import PlannedEntry, RowError, plan_row, remarks_for
from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
from ckanext.opendata_vn.core.tabular.personal_data import describe_fields

CATALOG_FIELDS = ("province", "year", "period", "kind", "title", "document_number",
                  "document_date", "issuer", "legal_basis", "source_file", "notes")
# Dataset fields a catalog row sets; an empty value never overwrites a curated one.
ROW_DATASET_FIELDS = ("title", "notes", "data_fields", "original_agency", "theme", "province",
                      "first_provided", "first_provided_text", "update_frequency",
                      "update_frequency_text", "source_types", "remarks", "co_providers")


class CatalogRejected(Exception):
    def __init__(self, source: str, errors: list[RowError]):
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: {len(errors)} dòng không hợp lệ, không ghi gì.")


@dataclass
class Summary:
    catalog: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    agencies_created: int = 0
    flagged: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.catalog}: tạo mới {self.created}, cập nhật {self.updated}, "
                f"không đổi {self.unchanged}, bị từ chối {self.rejected}, "
                f"đơn vị mới {self.agencies_created}, cần rà soát {len(self.flagged)}")


def validate(source: str, meta: dict, rows: list[dict]) -> list[PlannedEntry]:
    errors: list[RowError] = []
    for key in ("key", "province", "year", "title"):
        if not meta.get(key):
            errors.append(RowError(0, "", f"danh mục: {key}", "thiếu thông tin danh mục"))
    planned, seen = [], {}
    for position, row in enumerate(rows, start=1):
        entry, row_errors = plan_row(position, row, vocab.nfc(str(meta.get("province", ""))))
        errors.extend(row_errors)
        if entry is None:
            continue
        row_key = (entry.row.get("theme_number") or "", entry.row.get("number") or "",
                   entry.row.get("part") or 0)
        if row_key in seen:
            errors.append(RowError(entry.line, row_key[1], "TT",
                                   f"trùng số thứ tự với dòng {seen[row_key]} trong cùng mục; "
                                   "sửa số thứ tự cho khác nhau"))
        seen[row_key] = entry.line
        planned.append(entry)
    if errors:
        raise CatalogRejected(source, errors)
    return planned


def _dataset_name(province: str, title: str, taken: set[str]) -> str:
    base = agencies.slug(title, 80)
    digest = hashlib.sha1(f"{province}|{title}".encode()).hexdigest()[:6]
    name = f"{base}-{agencies.slug(province, 12)}-{digest}".strip("-")
    n = 2
    candidate = name
    while candidate in taken or model.Package.get(candidate) is not None:
        candidate = f"{name}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _find_dataset(catalog: Catalog | None, entry: PlannedEntry, org_id: str,
                  claimed: set[str], listed: set[str]) -> model.Package | None:
    """The entry's own dataset from an earlier load, else a confident match:
    same province, same lead agency, same normalised title (docs/decisions.md §2), and
    not already the dataset of another row of this catalog (two rows of one
    document are two datasets, e.g. Hưng Yên's row 124 split by agency level)."""
    if catalog is not None:
        existing = _entry_record(catalog, entry)
        if existing and existing.package_id not in claimed:
            pkg = model.Package.get(existing.package_id)
            if pkg is not None and pkg.state == "active":
                return pkg
    wanted = vocab.fold(entry.dataset["title"])
    for pkg in model.Session.query(model.Package).filter(
            model.Package.owner_org == org_id, model.Package.state == "active"):
        if pkg.id in claimed or pkg.id in listed:
            continue
        if vocab.fold(pkg.title) == wanted and (pkg.extras.get("province") or "") == entry.dataset["province"]:
            return pkg
    return None


def _changes(current: dict, wanted: dict) -> dict:
    out = {}
    for key in ROW_DATASET_FIELDS:
        value = wanted.get(key)
        if value in (None, "", []):
            continue
        if current.get(key) != value:
            out[key] = value
    return out


def load_catalog(source: str, meta: dict, rows: list[dict], *, user: str,
                 progress: Callable[[Iterable], Iterable] | None = None) -> Summary:
    planned = validate(source, meta, rows)
    meta = {k: (vocab.nfc(v) if isinstance(v, str) else v) for k, v in meta.items()}
    summary = Summary(meta["key"])
    context = {"model": model, "session": model.Session, "user": user,
               "ignore_auth": True, "defer_commit": True}
    try:
        themes.ensure_themes(context)
        catalog = model.Session.query(Catalog).filter_by(key=meta["key"]).first()
        is_new_catalog = catalog is None
        if catalog is None:
            catalog = Catalog(key=meta["key"], **{k: meta.get(k) or ("" if k != "legal_basis" else [])
                                                  for k in CATALOG_FIELDS})
            model.Session.add(catalog)
            model.Session.flush()
        else:
            for k in CATALOG_FIELDS:
                if meta.get(k) not in (None, "") and getattr(catalog, k) != meta[k]:
                    setattr(catalog, k, meta[k])
        org_cache: dict = {}
        taken: set[str] = set()
        # datasets already listed by this catalog's rows (earlier loads) and those
        # claimed by a row in this run: never title-matched to another row
        listed = {pid for (pid,) in model.Session.query(CatalogEntry.package_id).filter_by(
            catalog_id=catalog.id)}
        claimed: set[str] = set()
        for entry in (progress(planned) if progress else planned):
            _load_entry(context, None if is_new_catalog else catalog, catalog, entry,
                        org_cache, taken, claimed, listed, summary)
        summary.agencies_created = sum(1 for o in org_cache.values() if o["created"])
        model.repo.commit()
    except Exception:
        model.Session.rollback()
        raise
    return summary


def _load_entry(context, lookup_catalog, catalog, entry: PlannedEntry, org_cache, taken, claimed,
                listed, summary):
    if not entry.row.get("extraction_note") and lookup_catalog is not None:
        # a workbook has no extraction-note column: keep what the seed recorded
        record = _entry_record(catalog, entry)
        if record is not None and record.extraction_note:
            entry.row["extraction_note"] = record.extraction_note
            entry.dataset["remarks"] = remarks_for(entry.row, entry.flags)
    province = entry.dataset["province"]
    lead, *others = [agencies.ensure_agency(context, province, a, org_cache) for a in entry.agencies]
    wanted = dict(entry.dataset, co_providers=[o["name"] for o in others])
    personal = describe_fields(entry.dataset.get("data_fields") or [])
    flags = entry.flags + ([
        "Mô tả liệt kê dữ liệu cá nhân (" + ", ".join(sorted({f.label_vi.lower() for f in personal}))
        + "): cần Sở quyết định trước khi công bố."] if personal else [])
    if flags:
        summary.flagged.append(f"TT {entry.row.get('number')}: " + " ".join(flags))
    pkg = _find_dataset(lookup_catalog, entry, lead["id"], claimed, listed)
    if pkg is None:
        created = tk.get_action("package_create")(dict(context), {
            **{k: v for k, v in wanted.items() if v not in (None, "", [])},
            "name": _dataset_name(province, wanted["title"], taken),
            "owner_org": lead["id"], "private": False,
            "publication_status": "planned", "license_id": "cc-by",
        })
        package_id = created["id"]
        claimed.add(package_id)
        summary.created += 1
    else:
        package_id = pkg.id
        claimed.add(package_id)
        current = tk.get_action("package_show")(dict(context), {"id": pkg.id})
        changes = _changes(current, wanted)
        if changes:
            tk.get_action("package_patch")(dict(context), {"id": pkg.id, **changes})
        else:  # a dataset created before its theme group existed
            changes = themes.sync_theme_membership(pkg.id, current.get("theme"))
        row_changed = _save_entry(catalog, entry, package_id)
        if changes or row_changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
        return
    _save_entry(catalog, entry, package_id)


def _entry_record(catalog: Catalog, entry: PlannedEntry) -> CatalogEntry | None:
    return model.Session.query(CatalogEntry).filter_by(
        catalog_id=catalog.id, theme_number=entry.row.get("theme_number") or "",
        number=entry.row.get("number") or "", part=entry.row.get("part") or 0).first()


def _save_entry(catalog: Catalog, entry: PlannedEntry, package_id: str) -> bool:
    """Create or update the entry record; True when something changed."""
    row = entry.row
    values = {c: (row.get(c) if c != "part" else (row.get("part") or 0)) for c in CatalogEntry.ROW_COLUMNS}
    values = {k: ("" if v is None else v) for k, v in values.items()}
    record = _entry_record(catalog, entry)
    if record is None:
        model.Session.add(CatalogEntry(catalog_id=catalog.id, package_id=package_id,
                                       position=entry.position, **values))
        return True
    changed = record.package_id != package_id or record.position != entry.position or \
        any(getattr(record, k) != v for k, v in values.items())
    if changed:
        record.package_id = package_id
        record.position = entry.position
        for k, v in values.items():
            setattr(record, k, v)
    return changed
