"""When the upload loader queues a load: after every way a file reaches a resource.

* resource_create / resource_update / resource_patch (web form, API): the resource
  hooks (plugin.py, after the personal-data guard);
* package_create / package_update / package_revise with resources (API): a chained
  action (these do not run the resource hooks), with the guard first
  (privacy/package_guard.py).

A load is queued for a new or replaced upload the guard read as a table, for a
new or changed link whose name or format is a table's (csv, xls, xlsx, ods, json …),
and for such a file whose chosen sheet or header row (`sheet`, `header_row`) changed.
Resources the harvester or a personal-data decision publishes (`vn_harvest_source`)
are loaded by them; held-back resources wait for the decision.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core.tabular import files as reader
from ckanext.opendata_vn.harvest.publish import SOURCE_KEY
from ckanext.opendata_vn.loader import jobs
from ckanext.opendata_vn.privacy import package_guard
from ckanext.opendata_vn.privacy import review as reviews

log = logging.getLogger(__name__)

RESOURCE_ACTION = "opendata_vn_resource_action"     # set by the resource hooks: package_update skips
PREVIOUS_URL = "opendata_vn_previous_url"
PREVIOUS_CHOICE = "opendata_vn_previous_choice"
TABULAR_UPLOAD = "opendata_vn_tabular_upload"        # set by privacy/upload_guard.check_upload


def _managed(resource: dict) -> bool:
    return bool(resource.get(SOURCE_KEY)) or reviews.is_withheld(resource)


def wanted(resource: dict, *, uploaded_table: bool, previous_url: str | None,
           previous_choice: dict | None = None) -> bool:
    """`previous_choice`: the sheet and header row chosen before the edit (files.choice),
    None for a new resource."""
    if not resource.get("id") or _managed(resource) or not (resource.get("url") or "").strip():
        return False
    tabular = reader.looks_tabular(resource["url"], resource.get("format") or "")
    rechosen = previous_choice is not None and previous_choice != reader.choice(resource)
    if resource.get("url_type") == "upload":
        return uploaded_table or (rechosen and tabular)
    changed = previous_url is None or previous_url.strip() != resource["url"].strip()
    return (changed or rechosen) and tabular


def queue(resource_id: str, user: str = "") -> None:
    try:
        jobs.enqueue(resource_id, user)
    except Exception:   # Redis down: the officer retries from the resource page
        log.exception("Could not queue the DataStore load of resource %s", resource_id)
        model.Session.rollback()


# ----------------------------------------------------------------- resource actions
def before_resource_create(context: dict, resource: dict) -> None:
    context[RESOURCE_ACTION] = True


def before_resource_update(context: dict, current: dict, resource: dict) -> None:
    context[RESOURCE_ACTION] = True
    context[PREVIOUS_URL] = current.get("url") or ""
    context[PREVIOUS_CHOICE] = reader.choice(current)


def after_resource_change(context: dict, resource: dict) -> None:
    uploaded = context.pop(TABULAR_UPLOAD, False)
    previous = context.pop(PREVIOUS_URL, None)
    chosen = context.pop(PREVIOUS_CHOICE, None)
    if wanted(resource, uploaded_table=uploaded, previous_url=previous, previous_choice=chosen):
        queue(resource["id"], context.get("user") or "")


# ----------------------------------------------------------------- dataset actions
def _previous(data_dict: dict) -> dict[str, tuple[str, dict]]:
    """Resource id → (url, chosen sheet and header row) before the dataset action."""
    name_or_id = data_dict.get("id") or data_dict.get("name")
    pkg = model.Package.get(name_or_id) if name_or_id else None
    if pkg is None:
        return {}
    return {r.id: (r.url or "", reader.choice(r.extras)) for r in pkg.resources}


def package_write(next_action, context, data_dict):
    """The body of our chained package_create/package_update (logic.py)."""
    if context.pop(RESOURCE_ACTION, False):   # inside resource_create/update: their hooks do it
        return next_action(context, data_dict)   # (popped: a context used again is checked again)
    checked = package_guard.check(context, data_dict)              # the guard first
    previous = _previous(data_dict)
    result = next_action(context, data_dict)
    pkg = result if isinstance(result, dict) else tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": result})
    resources = pkg.get("resources") or []
    package_guard.record(context, checked, pkg)
    if context.get("defer_commit"):     # not committed yet: a job could run before it is
        return result
    for index, res in enumerate(resources):
        uploaded = checked.uploaded_table.get(index, False)
        url, chosen = previous.get(res["id"], (None, None))
        if wanted(res, uploaded_table=uploaded, previous_url=url, previous_choice=chosen):
            queue(res["id"], context.get("user") or "")
    return result
