"""Template helpers (registered by the plugin through ITemplateHelpers)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.core.formats import current_lang as _lang


def province_name() -> str:
    """The portal's own province, in the language of the current request."""
    if _lang() == "en":
        return tk.config.get("ckanext.opendata_vn.province_en")
    return tk.config.get("ckanext.opendata_vn.province")


def _choices(rows):
    return [{"value": code, "label": {"vi": vi, "en": en}} for code, vi, en in rows]


def theme_choices(field=None):
    return _choices((t.code, t.title_vi, t.title_en) for t in vocab.THEMES)


def frequency_choices(field=None):
    return _choices((f.code, f.label_vi, f.label_en) for f in vocab.FREQUENCIES)


def source_choices(field=None):
    return _choices(vocab.SOURCE_TYPES)


def status_choices(field=None):
    return _choices(vocab.PUBLICATION_STATUSES)


def level_choices(field=None):
    return _choices(vocab.AGENCY_LEVELS)


def _label(rows, code: str) -> str | None:
    en = _lang() == "en"
    for value, vi, english in rows:
        if value == code:
            return english if en else vi
    return None


FACET_LABELS = {
    "update_frequency": lambda: ((f.code, f.label_vi, f.label_en) for f in vocab.FREQUENCIES),
    "vocab_source_types": lambda: vocab.SOURCE_TYPES,
    "publication_status": lambda: vocab.PUBLICATION_STATUSES,
}


def label_facets(search_results: dict) -> dict:
    """Facet items of coded fields show their label, not the stored code."""
    facets = search_results.get("search_facets") or {}
    for field, rows in FACET_LABELS.items():
        for item in (facets.get(field) or {}).get("items", []):
            item["display_name"] = _label(rows(), item["name"]) or item["display_name"]
    return search_results


def frequency_label(code: str | None) -> str:
    return _label([(f.code, f.label_vi, f.label_en) for f in vocab.FREQUENCIES], code or "") or (code or "")


def source_labels(codes) -> str:
    return ", ".join(_label(vocab.SOURCE_TYPES, c) or c for c in (codes or []))


def status_label(code: str | None) -> str:
    return _label(vocab.PUBLICATION_STATUSES, code or "") or (code or "")


def theme_title(code: str | None) -> str:
    theme = vocab.THEME_BY_CODE.get(code or "")
    if not theme:
        return code or ""
    return theme.title_en if _lang() == "en" else theme.title_vi


def agency_titles(names) -> list[dict]:
    """Co-provider org names → [{name, title}] for links."""
    from ckan import model
    out = []
    for name in names or []:
        org = model.Group.get(name)
        out.append({"name": name, "title": org.title if org else name})
    return out


def contact_visible(org_dict: dict) -> bool:
    """Focal officers' phone and email: logged-in staff only unless the agency publishes them."""
    return bool(tk.g.get("user")) or str(org_dict.get("contact_public")).lower() == "true"


def agency_catalog_entries(org_id: str, limit: int = 200) -> list[dict]:
    """The catalog entries (as stated) whose dataset this agency now owns: to the public,
    entries of published catalogs with a public dataset; the agency's own officers and
    IT staff also see drafts in review and private datasets (as indexing.catalog_entries)."""
    from ckan import model
    from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry
    from ckanext.opendata_vn.core import roles
    user = tk.g.get("user")
    rows = (model.Session.query(CatalogEntry, model.Package.name).join(Catalog)
            .join(model.Package, model.Package.id == CatalogEntry.package_id)
            .filter(model.Package.owner_org == org_id, model.Package.state == "active"))
    if not (roles.is_reviewer(user) or roles.is_officer_of(user, org_id)):
        rows = rows.filter(model.Package.private == False, Catalog.state == "published")  # noqa: E712
    rows = rows.order_by(Catalog.year.desc(), Catalog.key, CatalogEntry.position).limit(limit)
    return [{**e.as_dict(), "dataset_name": name} for e, name in rows]


def personal_fields(pkg: dict) -> list[dict]:
    """Catalog-level warning: personal data named in the entry's field list."""
    from ckanext.opendata_vn.core.tabular.personal_data import describe_fields
    lines = pkg.get("data_fields") or [ln.lstrip("-•+ ") for ln in (pkg.get("notes") or "").splitlines()]
    en = _lang() == "en"
    return [{"field": f.column, "kind": f.as_dict()["label_en" if en else "label_vi"]}
            for f in describe_fields(lines)]


def get_helpers():
    return {
        "opendata_vn_province": province_name,
        "opendata_vn_theme_choices": theme_choices,
        "opendata_vn_frequency_choices": frequency_choices,
        "opendata_vn_source_choices": source_choices,
        "opendata_vn_status_choices": status_choices,
        "opendata_vn_level_choices": level_choices,
        "opendata_vn_frequency_label": frequency_label,
        "opendata_vn_source_labels": source_labels,
        "opendata_vn_status_label": status_label,
        "opendata_vn_theme_title": theme_title,
        "opendata_vn_agency_titles": agency_titles,
        "opendata_vn_contact_visible": contact_visible,
        "opendata_vn_agency_catalog_entries": agency_catalog_entries,
        "opendata_vn_personal_fields": personal_fields,
    }
