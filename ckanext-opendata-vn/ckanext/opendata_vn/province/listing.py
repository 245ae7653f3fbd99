"""What a search result shows of a dataset, as a catalog reader needs it: whose data
(agency, province), theme, status, formats, last data update, catalog years, and a
summary that is never "no description" when the catalog gives its field list."""
from __future__ import annotations

import json

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import formats

from ckanext.opendata_vn.catalog import helpers

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog.model import entries_for_package, entries_for_packages


def _as_list(value) -> list:
    if isinstance(value, str) and value.startswith("["):
        try:
            return list(json.loads(value))
        except ValueError:
            return [value]
    return list(value or []) if not isinstance(value, str) else [value]


def summary_line(pkg: dict, entries: list) -> str:
    """The description's first words; else the field list; else the catalog's own row."""
    notes = (pkg.get("notes") or "").strip()
    if notes:
        return ""  # the template extracts the Markdown itself
    fields = [f for f in _as_list(pkg.get("data_fields")) if f]
    if fields:
        shown = ", ".join(fields[:8]) + ("…" if len(fields) > 8 else "")
        return tk._("Gồm các trường: {fields}").format(fields=shown)
    if entries:
        e = entries[-1]
        agency = e.agency or ""
        return tk._("Danh mục “{catalog}”, TT {number}{agency}").format(
            catalog=e.catalog.title, number=e.number or "?", agency=f" — {agency}" if agency else "")
    return ""


def search_items(packages: list[dict]) -> dict[str, dict]:
    """search_item for a page of results, their catalog entries read in one query."""
    entries = entries_for_packages([p["id"] for p in packages if p.get("id")])
    return {p["id"]: search_item(p, entries.get(p["id"], [])) for p in packages if p.get("id")}


def search_item(pkg: dict, entries: list | None = None) -> dict:
    if entries is None:
        entries = entries_for_package(pkg["id"])
    entries = [e for e in entries if e.catalog.state == "published"]
    org = pkg.get("organization") or {}
    formats_list = sorted({(r.get("format") or "").upper() for r in pkg.get("resources") or [] if r.get("format")})
    return {
        "agency": org.get("title") or "",
        "agency_name": org.get("name") or "",
        "original_agency": vocab.nfc(pkg.get("original_agency") or ""),
        "province": pkg.get("province") or "",
        "theme": helpers.theme_title(pkg.get("theme")),
        "status": pkg.get("publication_status") or "",
        "status_label": helpers.status_label(pkg.get("publication_status")),
        "formats": formats_list,
        "updated": formats.format_date(pkg.get("data_updated") or ""),
        "updated_iso": (pkg.get("data_updated") or "")[:10],
        "years": sorted({e.catalog.year for e in entries}),
        "summary": summary_line(pkg, entries),
    }
