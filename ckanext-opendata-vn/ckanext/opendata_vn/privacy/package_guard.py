"""The personal-data guard on files sent with a whole dataset: package_create,
package_update and package_revise (`update__resources__0__upload=@file`) store
resource uploads without running the resource hooks. Called by the chained dataset
actions (loader/hooks.py) before and after the action, with the same check as
resource_create (upload_guard.check_upload)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ckan import model

from ckanext.opendata_vn.privacy import upload_guard
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy.model import UPLOAD


@dataclass
class Checked:
    held: dict[int, dict] = field(default_factory=dict)            # resource index → staged + key
    uploaded_table: dict[int, bool] = field(default_factory=dict)  # resource index → a table the guard read


def _current(resource: dict) -> dict | None:
    res = model.Session.get(model.Resource, resource["id"]) if resource.get("id") else None
    if res is None:
        return None
    return dict(res.extras or {}, id=res.id, url=res.url, url_type=res.url_type)


def check(context: dict, data_dict: dict) -> Checked:
    checked = Checked()
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return checked
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict) or upload_guard._file_storage(resource) is None:
            continue
        own: dict = {}
        upload_guard.check_upload(own, resource, _current(resource))
        if upload_guard.CONTEXT_KEY in own:
            checked.held[index] = own[upload_guard.CONTEXT_KEY]
        checked.uploaded_table[index] = bool(own.get("opendata_vn_tabular_upload"))
    return checked


def record(context: dict, checked: Checked, pkg: dict) -> None:
    resources = pkg.get("resources") or []
    for index, held in checked.held.items():
        if index < len(resources):
            reviews.record(held["staged"], package_id=pkg["id"], origin=UPLOAD, source_key=held["source_key"],
                           created_by=context.get("user") or "", resource_id=resources[index]["id"])
