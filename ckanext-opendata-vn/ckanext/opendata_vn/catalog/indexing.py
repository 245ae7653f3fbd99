"""What goes into Solr for a dataset, and what package_show adds (catalog entries)."""
from __future__ import annotations

import json

from ckanext.opendata_vn.catalog.model import entries_for_package

# scheming keeps these as lists (JSON text in extras); Solr's catch-all dynamic field
# is single-valued, so they are indexed as multi-valued vocab_* fields (also searchable).
MULTI_VALUED = ("source_types", "data_fields", "co_providers")


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.startswith("["):
        try:
            return list(json.loads(value))
        except ValueError:
            pass
    return [value] if value else []


def before_index(pkg_dict: dict) -> dict:
    # Shown with the dataset (kept in data_dict), not indexed field by field.
    pkg_dict.pop("catalog_entries", None)
    for name in MULTI_VALUED:
        if name in pkg_dict:
            pkg_dict[f"vocab_{name}"] = [str(v) for v in _as_list(pkg_dict.pop(name))]
    # facets count the catalogs the province has published, not proposals in review
    entries = [e for e in entries_for_package(pkg_dict["id"]) if e.catalog.state == "published"]
    pkg_dict["vocab_catalog_year"] = sorted({str(e.catalog.year) for e in entries})
    pkg_dict["vocab_catalog"] = sorted({e.catalog.key for e in entries})
    return pkg_dict


def catalog_entries(package_id: str, user: str | None) -> list[dict]:
    """Entries of published catalogs for everyone; drafts in review only for IT staff
    and the dataset's own agency (who may already read the dataset)."""
    from ckan import model
    from ckanext.opendata_vn.core import roles
    entries = entries_for_package(package_id)
    if any(e.catalog.state != "published" for e in entries):
        pkg = model.Package.get(package_id)
        if not (roles.is_reviewer(user) or (pkg is not None and roles.is_officer_of(user, pkg.owner_org))):
            entries = [e for e in entries if e.catalog.state == "published"]
    return [e.as_dict() for e in entries]
