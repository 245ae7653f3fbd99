"""Who may manage harvest sources: the focal officers of the dataset's agency (those
who may update the dataset: editors and admins of its organization) and sysadmins,
who pass every auth function. Nobody else sees or touches the sources."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.harvest.model import HarvestSource

from ckanext.opendata_vn.harvest import sources


def source_from(data_dict: dict) -> HarvestSource | None:
    ref = (data_dict or {}).get("id") or (data_dict or {}).get("source_id")
    if not ref:
        return None
    source = HarvestSource.get(ref)
    if source is None:
        pkg = model.Package.get(ref)
        source = HarvestSource.get(pkg.id) if pkg is not None else None
    return source


def dataset_id_from(data_dict: dict) -> str | None:
    if (data_dict or {}).get("dataset_id"):
        pkg = model.Package.get(data_dict["dataset_id"])
        return pkg.id if pkg is not None else None
    source = source_from(data_dict)
    return sources.dataset_id_of(source) if source is not None and source.type in sources.SOURCE_TYPES else None


def can_manage(user: str | None, dataset_id: str | None) -> bool:
    if not user or not dataset_id:
        return False
    try:
        tk.check_access("package_update", {"model": model, "user": user}, {"id": dataset_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def manage_source(context, data_dict):
    if can_manage(context.get("user"), dataset_id_from(data_dict)):
        return {"success": True}
    return {"success": False,
            "msg": tk._("Chỉ cán bộ đầu mối của đơn vị chủ trì tập dữ liệu mới quản lý được nguồn dữ liệu.")}


@tk.chained_auth_function
def harvest_source_list(next_auth, context, data_dict):
    """ckanext-harvest lists every source (with its config) to anyone; only sysadmins
    (who never reach this function) get the full list; officers use the dataset page."""
    return {"success": False, "msg": tk._("Chỉ quản trị hệ thống xem được toàn bộ nguồn thu thập.")}


def get_auth_functions():
    return {
        "opendata_vn_harvest_source_create": manage_source,
        "opendata_vn_harvest_source_update": manage_source,
        "opendata_vn_harvest_source_preview": manage_source,
        "opendata_vn_harvest_source_delete": manage_source,
        "opendata_vn_harvest_source_show": manage_source,
        "opendata_vn_harvest_source_list": manage_source,
        "opendata_vn_harvest_run": manage_source,
        "harvest_source_list": harvest_source_list,
    }
