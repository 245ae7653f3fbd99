"""DCAT harvesting (ckanext-dcat's `dcat_rdf` harvester) into our schema.

The field mapping itself is the profile's `parse_dataset` (profile.py); these hooks
(IDCATRDFHarvester, wired through dcat/wiring.py) decide what a harvest may change:

* a new dataset stays in the harvest source's agency; it goes to the local agency
  whose name the publisher carries only when an IT reviewer created the source and
  set `"map_publishers": true` in its config; agencies are never created from
  harvested metadata;
* a record whose guid names an existing dataset of another agency (not brought by
  this source) is ignored, never overwritten;
* downloads go through safe_http (before_download, update_session): http/https only
  (a path is never read as a local file), public addresses or the source agency's
  allowed networks, pinned, every page and redirect checked;
* on a re-harvest, the catalog fields the province curates keep their local value
  when the dataset is listed in a local catalog, or when they were edited here since
  the last harvest (the local value differs from what the previous harvest brought);
  otherwise the source's new value is taken. The origin stays linked: `url` (the
  source's landing page), the `uri` and `guid` extras and the harvest object.

CKAN-type sources (ckanext-harvest's `ckan` harvester) have no such hook; they keep
the same fields through `ckan.harvest.not_overwrite_fields` (config/common.ini).
"""
from __future__ import annotations

import json
import logging
import threading

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject

from ckanext.opendata_vn.catalog import agencies
from ckanext.opendata_vn.catalog.model import CatalogEntry
from ckanext.opendata_vn.core import roles, safe_http, vocab
from ckanext.opendata_vn.core.failures import HarvestFailure

log = logging.getLogger(__name__)

# The Decree 47 catalog columns a province decides for itself (and owner_org).
CURATED_FIELDS = ("owner_org", "theme", "update_frequency", "update_frequency_text",
                  "first_provided", "first_provided_text", "source_types", "original_agency",
                  "co_providers", "remarks", "publication_status")


def _norm(value):
    if value in (None, "", [], {}):
        return None
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, (list, tuple)):
        items = sorted(vocab.nfc(str(v)) for v in value if v not in (None, ""))
        return items or None
    return vocab.nfc(str(value))


def _private_keys(dataset_dict: dict) -> dict:
    return {k: dataset_dict.pop(k) for k in [k for k in dataset_dict if k.startswith("_")]}


def local_agency(name: str, province: str | None) -> model.Group | None:
    """The existing organization a harvested publisher name denotes, if any."""
    name = vocab.nfc(name)
    if not name:
        return None
    provinces = [p for p in (province, tk.config.get("ckanext.opendata_vn.province")) if p]
    candidates = []
    for prov in provinces:
        short = name
        tail = f" tỉnh {prov}"
        if vocab.fold(short).endswith(vocab.fold(tail)):
            short = short[: -len(tail)].strip()
        candidates.append(agencies.agency_name(prov, short))
    for candidate in candidates:
        org = model.Group.get(candidate)
        if org is not None and org.is_organization and org.state == "active":
            return org
    wanted = vocab.fold(name)
    for org in model.Session.query(model.Group).filter(
            model.Group.is_organization.is_(True), model.Group.state == "active"):
        if vocab.fold(org.title) == wanted:
            return org
    return None


def previous_harvest(harvest_object) -> dict | None:
    """What the previous successful harvest of this record brought (parsed dict)."""
    previous = (model.Session.query(HarvestObject)
                .filter(HarvestObject.guid == harvest_object.guid,
                        HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
                        HarvestObject.id != harvest_object.id,
                        HarvestObject.state == "COMPLETE",
                        HarvestObject.content.isnot(None))
                .order_by(HarvestObject.import_finished.desc().nullslast(),
                          HarvestObject.gathered.desc())
                .first())
    if previous is None:
        return None
    try:
        return json.loads(previous.content)
    except ValueError:
        return None


# the agency of the source whose gather is downloading, for update_session (both
# hooks run one after the other in the same thread, once per page)
_download = threading.local()


def before_download(url: str, harvest_job) -> tuple[str | None, list[str]]:
    source = harvest_job.source
    agency = safe_http.agency_of_source(source)
    _download.agency = agency
    try:
        safe_http.check(url, agency)
    except safe_http.Refused as e:
        failure = HarvestFailure("refused_address", host=e.host, reason=e.reason_vi, reason_en=e.reason_en)
        return None, [failure.message(source.title, source.url)]
    except Exception:   # unresolvable now: the download reports it
        pass
    return url, []


def update_session(session):
    return safe_http.SafeSession(getattr(_download, "agency", None))


def _source_org(harvest_object) -> str | None:
    pkg = model.Package.get(harvest_object.source.id)
    return pkg.owner_org if pkg is not None else None


def publisher_mapping_allowed(harvest_object) -> bool:
    """A reviewer created the source and asked for datasets to follow dct:publisher."""
    source = harvest_object.source
    try:
        config = json.loads(source.config or "{}")
    except ValueError:
        return False
    if not (isinstance(config, dict) and config.get("map_publishers") is True):
        return False
    pkg = model.Package.get(source.id)
    creator = model.User.get(pkg.creator_user_id) if pkg is not None and pkg.creator_user_id else None
    return creator is not None and roles.is_reviewer(creator.name)


def before_create(harvest_object, dataset_dict: dict, temp_dict: dict) -> None:
    private = _private_keys(dataset_dict)
    dataset_dict["owner_org"] = _source_org(harvest_object) or dataset_dict.get("owner_org")
    if publisher_mapping_allowed(harvest_object):
        org = local_agency(private.get("_publisher_name", ""), dataset_dict.get("province"))
        if org is not None:
            dataset_dict["owner_org"] = org.id


def _brought_by_source(harvest_object, package_id: str) -> bool:
    return model.Session.query(HarvestObject.id).filter(
        HarvestObject.package_id == package_id,
        HarvestObject.harvest_source_id == harvest_object.harvest_source_id,
        HarvestObject.id != harvest_object.id).first() is not None


def before_update(harvest_object, dataset_dict: dict, temp_dict: dict) -> None:
    _private_keys(dataset_dict)
    existing = tk.get_action("package_show")(
        {"ignore_auth": True, "for_update": True}, {"id": dataset_dict["id"]})
    if existing.get("owner_org") != _source_org(harvest_object) and \
            not _brought_by_source(harvest_object, existing["id"]):
        # the guid names another agency's dataset: never overwritten (an empty dict
        # makes ckanext-dcat skip the record)
        log.warning("Harvest object %s: guid %s belongs to a dataset of another agency (%s); ignored",
                    harvest_object.id, harvest_object.guid, existing["name"])
        dataset_dict.clear()
        return
    listed = model.Session.query(CatalogEntry.id).filter(
        CatalogEntry.package_id == existing["id"]).first() is not None
    previous = previous_harvest(harvest_object)
    kept = []
    for field in CURATED_FIELDS:
        local = existing.get(field)
        if _norm(local) is None:
            continue
        edited_here = previous is None or _norm(local) != _norm(previous.get(field))
        if field == "owner_org" or listed or edited_here:
            if _norm(dataset_dict.get(field)) != _norm(local):
                kept.append(field)
            dataset_dict[field] = local
    if kept:
        log.info("Harvest of %s keeps the local %s", existing["name"], ", ".join(kept))
        temp_dict["kept_local"] = kept
