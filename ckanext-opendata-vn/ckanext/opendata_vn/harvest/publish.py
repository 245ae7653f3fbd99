"""Publish a harvested table into its catalog dataset: original, CSV, JSON, DataStore.

Everything that can fail is done first, out of sight: the CSV and JSON are written
to temporary files and COPYed into a staged DataStore table. Only then is the dataset
updated (one package_update: resource sizes, hashes, dates, `data_updated`,
`publication_status`), the files renamed into place and the DataStore table swapped.
If the dataset update is refused, nothing was changed; if the swap fails, the dataset
dict is put back as it was.
"""
from __future__ import annotations

import datetime
import logging
import os
import time
from dataclasses import dataclass, field

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader
from ckan.lib.munge import munge_filename

from ckanext.opendata_vn.core import clock
from ckanext.opendata_vn.core.failures import HarvestFailure, public_url
from ckanext.opendata_vn.core.tabular import datastore
from ckanext.opendata_vn.core.tabular.table import Outputs, Table
from ckanext.opendata_vn.harvest import guard

log = logging.getLogger(__name__)

SOURCE_KEY = "vn_harvest_source"
ROLE_KEY = "vn_harvest_role"
ORIGINAL, CSV, JSON = "original", "csv", "json"
ROLES = (ORIGINAL, CSV, JSON)


@dataclass
class Prepared:
    table: Table
    outputs: Outputs
    csv_path: str
    json_path: str
    original_path: str
    original_name: str
    original_format: str          # "XLSX", "XLS", "CSV", "JSON"
    original_sha256: str
    original_size: int
    temp_paths: list[str] = field(default_factory=list)
    # Personal data guard (privacy/): data published without or with masked personal
    # columns does not publish the original file (and drops an earlier one)
    withhold_original: bool = False

    def discard(self) -> None:
        for path in {self.csv_path, self.json_path, self.original_path, *self.temp_paths}:
            if path:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass


MIMETYPES = {"XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "XLS": "application/vnd.ms-excel", "CSV": "text/csv", "JSON": "application/json"}


def data_updated_now() -> str:
    """`data_updated`: UTC with its offset, as the resource hooks (compliance/data_updated.py) write it."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _site_context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"model": model, "session": model.Session, "user": user, "ignore_auth": True}


def harvest_resources(resources: list[dict], source_id: str) -> dict[str, dict]:
    return {r.get(ROLE_KEY): r for r in resources
            if r.get(SOURCE_KEY) == source_id and r.get(ROLE_KEY) in ROLES}


def has_all_resources(dataset_id: str, source_id: str) -> bool:
    """Quick check (no package_show): are the three resources still there?"""
    roles = set()
    for res in model.Session.query(model.Resource).filter(
            model.Resource.package_id == dataset_id, model.Resource.state == "active"):
        extras = res.extras or {}
        if extras.get(SOURCE_KEY) == source_id:
            roles.add(extras.get(ROLE_KEY))
    # the registered guard may withhold a role (privacy: the original of a reduced table)
    return set(ROLES) - guard.withheld_roles(source_id) <= roles


def storage_path(resource_id: str) -> str:
    upload = uploader.get_resource_uploader({"url_type": "upload", "id": resource_id})
    return upload.get_path(resource_id)


def _file_name(base: str, ext: str) -> str:
    return munge_filename(f"{base}.{ext}")


def _resource_dicts(pkg: dict, source, prepared: Prepared, now: str) -> list[dict]:
    existing = harvest_resources(pkg.get("resources", []), source.id)
    name = pkg["name"]
    origin = public_url(source.url)
    wanted = {
        ORIGINAL: dict(
            name=f"Tệp gốc ({prepared.original_format})",
            description=f"Tệp do đơn vị cung cấp, thu thập tự động từ {origin}.",
            url=munge_filename(prepared.original_name), format=prepared.original_format,
            size=prepared.original_size, hash=prepared.original_sha256,
            mimetype=MIMETYPES.get(prepared.original_format)),
        CSV: dict(
            name="Dữ liệu dạng CSV",
            description="Bản CSV (UTF-8) của dữ liệu thu thập tự động; tra cứu được qua DataStore API.",
            url=_file_name(name, "csv"), format="CSV", size=prepared.outputs.csv_size,
            hash=prepared.outputs.csv_sha256, mimetype="text/csv", datastore_active=True),
        JSON: dict(
            name="Dữ liệu dạng JSON",
            description="Bản JSON (UTF-8, mảng các bản ghi) của dữ liệu thu thập tự động.",
            url=_file_name(name, "json"), format="JSON", size=prepared.outputs.json_size,
            hash=prepared.outputs.json_sha256, mimetype="application/json"),
    }
    if prepared.withhold_original:   # personal data guard (privacy/): no original file
        wanted.pop(ORIGINAL)
    out = []
    kept = set()
    for res in pkg.get("resources", []):
        role = res.get(ROLE_KEY) if res.get(SOURCE_KEY) == source.id else None
        if role == ORIGINAL and prepared.withhold_original:
            continue
        if role in wanted and role not in kept:
            update = dict(wanted[role])
            # an officer may have renamed or described the resource: keep their words
            update.pop("name")
            update.pop("description")
            res = dict(res, **update, url_type="upload", last_modified=now)
            kept.add(role)
        out.append(res)
    for role in ROLES:
        if role not in existing and role in wanted:
            out.append(dict(wanted[role], url_type="upload", last_modified=now,
                            **{SOURCE_KEY: source.id, ROLE_KEY: role}))
    return out


def publish(source, dataset_id: str, prepared: Prepared, notes: list, timings: dict | None = None) -> dict:
    """Make the prepared files the dataset's published data. Raises HarvestFailure
    (and leaves the dataset as it was) when the dataset cannot be updated."""
    timings = timings if timings is not None else {}
    t0 = time.monotonic()
    staged = datastore.stage(prepared.table, prepared.csv_path)
    timings["datastore_load"] = time.monotonic() - t0
    t0 = time.monotonic()
    context = _site_context()
    try:
        before = tk.get_action("package_show")(dict(context, use_cache=False), {"id": dataset_id})
        now = clock.now_iso()   # resource timestamps: naive UTC, as CKAN stores them
        pkg = dict(before)
        pkg["resources"] = _resource_dicts(before, source, prepared, now)
        pkg["data_updated"] = data_updated_now()
        became_published = before.get("publication_status") != "published" and prepared.outputs.rows > 0
        if became_published:
            pkg["publication_status"] = "published"
        try:
            after = tk.get_action("package_update")(dict(context), dict(pkg))
        except tk.ValidationError as e:
            if not became_published:
                raise HarvestFailure("publish_failed", detail=_summary(e))
            # a planned entry still missing what publication requires (e.g. its
            # description): publish the data, leave the status for the officer
            pkg["publication_status"] = before.get("publication_status") or "planned"
            try:
                after = tk.get_action("package_update")(dict(context), dict(pkg))
            except tk.ValidationError as e2:
                raise HarvestFailure("publish_failed", detail=_summary(e2))
            became_published = False
            notes.append((f"Chưa chuyển tập dữ liệu sang «Đã công bố»: còn thiếu {_summary(e)}",
                          f"The dataset was not switched to «Published»: still missing {_summary(e)}"))
    except BaseException:
        datastore.abort(staged)
        raise

    timings["dataset_update"] = time.monotonic() - t0
    t0 = time.monotonic()
    resources = harvest_resources(after.get("resources", []), source.id)
    try:
        datastore.swap(staged, resources[CSV]["id"])
    except Exception as e:
        log.exception("DataStore swap failed for %s", dataset_id)
        try:
            tk.get_action("package_update")(dict(context), dict(before))
        except Exception:
            log.exception("could not restore dataset %s", dataset_id)
        raise HarvestFailure("publish_failed", detail=f"DataStore: {type(e).__name__}")
    for role, path in ((ORIGINAL, prepared.original_path), (CSV, prepared.csv_path), (JSON, prepared.json_path)):
        if role not in resources:   # personal data guard (privacy/): the withheld original
            continue
        target = storage_path(resources[role]["id"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.chmod(path, 0o644)
        os.replace(path, target)
    timings["swap"] = time.monotonic() - t0
    return {"resources": {role: r["id"] for role, r in resources.items()},
            "published": became_published, "data_updated": after.get("data_updated")}


def _summary(error: tk.ValidationError) -> str:
    parts = []
    for key, value in (error.error_dict or {}).items():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if not isinstance(v, dict)) or key
        parts.append(f"{key}: {value}")
    return ", ".join(parts) or str(error)
