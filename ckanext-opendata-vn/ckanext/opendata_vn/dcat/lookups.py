"""Database look-ups the RDF profile needs, cached per serialization.

A profile instance is created for every dataset, so caches hang off the rdflib graph
the serializer shares across one catalog page (or one export chunk): agencies and
catalogs are read once per graph, not once per dataset, and never outlive it.
"""
from __future__ import annotations

from ckan import model

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog.model import Catalog, CatalogEntry

# Only a published catalog's approved entries are public (workflow/states.py): a
# draft or approved-but-unpublished catalog is not stated in the open metadata.
PUBLIC_CATALOG_STATES = {"published"}
PUBLIC_ENTRY_STATES = {"approved"}


class GraphCache:
    def __init__(self):
        self.orgs: dict[str, dict | None] = {}
        self.orgs_by_name: dict[str, dict | None] = {}
        self.catalogs: dict[str, dict | None] = {}
        self.entries: dict[str, list[dict]] = {}
        # Shared nodes (agencies, concepts, catalogs) already described in the output:
        # described once per graph, or once per file when an export reuses the cache.
        self.described: set = set()

    def first(self, node) -> bool:
        """True the first time `node` is to be described."""
        if node in self.described:
            return False
        self.described.add(node)
        return True

    # ---------------------------------------------------------------- agencies
    def org(self, ref: str | None) -> dict | None:
        if not ref:
            return None
        if ref in self.orgs:
            return self.orgs[ref]
        if ref in self.orgs_by_name:
            return self.orgs_by_name[ref]
        group = model.Group.get(ref)
        info = _org_info(group) if group is not None and group.is_organization else None
        self.orgs[ref] = info
        if info:
            self.orgs[info["id"]] = info
            self.orgs_by_name[info["name"]] = info
        return info

    def predecessors(self, org: dict) -> list[dict]:
        """Agencies that merged into `org` (their `successor` names it)."""
        if "predecessors" not in org:
            rows = (model.Session.query(model.Group)
                    .join(model.GroupExtra, model.GroupExtra.group_id == model.Group.id)
                    .filter(model.GroupExtra.key == "successor",
                            model.GroupExtra.value == org["name"],
                            model.GroupExtra.state == "active",
                            model.Group.state == "active").all())
            org["predecessors"] = [_org_info(g) for g in rows]
        return org["predecessors"]

    # ---------------------------------------------------------------- catalogs
    def catalog(self, key: str) -> dict | None:
        if key not in self.catalogs:
            row = model.Session.query(Catalog).filter_by(key=key).first()
            self.catalogs[key] = row.as_dict() if row else None
        return self.catalogs[key]

    def prefetch_entries(self, package_ids: list[str]) -> None:
        """One query for a whole chunk of datasets (the streaming export)."""
        missing = [pid for pid in package_ids if pid not in self.entries]
        if not missing:
            return
        for pid in missing:
            self.entries[pid] = []
        rows = (model.Session.query(CatalogEntry, Catalog).join(Catalog)
                .filter(CatalogEntry.package_id.in_(missing))
                .order_by(Catalog.year, Catalog.key, CatalogEntry.position).all())
        for entry, catalog in rows:
            self.catalogs.setdefault(catalog.key, catalog.as_dict())
            self.entries[entry.package_id].append(_entry_dict(entry, catalog))

    def entries_for(self, dataset_dict: dict) -> list[dict]:
        pid = dataset_dict.get("id")
        if not pid:
            return []
        if pid not in self.entries:
            self.prefetch_entries([pid])
        return [e for e in self.entries[pid]
                if (e.get("catalog_state") or "published") in PUBLIC_CATALOG_STATES
                and (e.get("state") or "approved") in PUBLIC_ENTRY_STATES]


def _org_info(group: model.Group) -> dict:
    extras = {key: extra.value for key, extra in group._extras.items() if extra.state == "active"}
    return {"id": group.id, "name": group.name, "title": vocab.nfc(group.title or group.name),
            **{k: vocab.nfc(v) if isinstance(v, str) else v for k, v in extras.items()}}


def _entry_dict(entry: CatalogEntry, catalog: Catalog) -> dict:
    return {
        **entry.row(), "state": getattr(entry, "state", "approved"),
        "catalog_key": catalog.key, "catalog_title": catalog.title, "catalog_year": catalog.year,
        "province": catalog.province, "document_number": catalog.document_number,
        "document_date": catalog.document_date, "legal_basis": list(catalog.legal_basis or []),
        "catalog_state": catalog.state,
    }


def cache_for(graph) -> GraphCache:
    cache = getattr(graph, "_opendata_vn_cache", None)
    if cache is None:
        cache = GraphCache()
        graph._opendata_vn_cache = cache
    return cache


def prefill_base_org_cache() -> None:
    """ckanext-dcat's base profile looks every publisher up with organization_show
    (a search per agency) and keeps the result in a class-level cache; our profile
    replaces that publisher anyway, so give the base the titles from one query."""
    from ckanext.dcat.profiles import RDFProfile
    rows = model.Session.query(model.Group.id, model.Group.title).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")
    for org_id, title in rows:
        RDFProfile._org_cache[org_id] = {"title": title}
