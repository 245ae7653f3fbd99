"""Template helper: the load state shown on the resource page (staff only)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import web


def load_state(resource_id: str) -> dict | None:
    """The state for users allowed to see it (the agency's officers, IT staff), else None."""
    try:
        return tk.get_action("opendata_vn_datastore_load_status")(web.context(), {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def get_helpers() -> dict:
    return {"opendata_vn_datastore_load_state": load_state}
