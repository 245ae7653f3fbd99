"""Resource hooks (compliance/wiring.py hands them to the plugin's IResourceController):
a file uploaded (or a data link changed) through the UI or the resource API sets the
dataset's `data_updated` — the data's last content change that compliance and the
harvest scheduler read. The harvester sets the field itself in its one package_update
(harvest/publish.py), which calls no resource hook. Changing only a resource's name or
description is not a data change."""
from __future__ import annotations

import datetime
import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)
FLAG = "opendata_vn_data_changed"


def _has_file(resource: dict) -> bool:
    upload = resource.get("upload")
    return upload is not None and bool(getattr(upload, "filename", None))


def before_resource_create(context, resource) -> None:
    context[FLAG] = _has_file(resource) or bool((resource.get("url") or "").strip())


def before_resource_update(context, current, resource) -> None:
    new, old = (resource.get("url") or "").strip(), (current.get("url") or "").strip()
    url_changed = bool(new) and new != old and not old.endswith("/" + new)
    context[FLAG] = _has_file(resource) or url_changed


def after_resource_change(context, resource) -> None:
    if not context.pop(FLAG, False) or not resource.get("package_id"):
        return
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    try:
        tk.get_action("package_patch")({"ignore_auth": True, "user": context.get("user")},
                                       {"id": resource["package_id"], "data_updated": now})
    except (tk.ValidationError, tk.ObjectNotFound) as e:
        log.warning("data_updated not set on %s: %s", resource["package_id"], e)
