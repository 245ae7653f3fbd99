"""Actions of pending successions (reorganisation.py); who may call them: auth.py."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.province import reorganisation


def reorganisation_pending_list(context, data_dict):
    """Agencies whose successor (from the reorganisation file, `"certain": false`) waits
    for a reviewer's confirmation."""
    tk.check_access("opendata_vn_reorganisation_pending_list", context, data_dict)
    return reorganisation.pending_list()


def reorganisation_confirm(context, data_dict):
    """Confirm the pending successor of agency `id`: its datasets and duties move there."""
    tk.check_access("opendata_vn_reorganisation_confirm", context, data_dict)
    org_id = tk.get_or_bust(data_dict, "id")
    return reorganisation.confirm(context, org_id)


def get_actions() -> dict:
    return {
        "opendata_vn_reorganisation_pending_list": reorganisation_pending_list,
        "opendata_vn_reorganisation_confirm": reorganisation_confirm,
    }
