"""Actions (registered through IActions)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

# package_show adds these read-only keys; a client that sends a shown dataset back
# (show → edit → update, or package_patch) must not be rejected for them.
READ_ONLY_KEYS = ("catalog_entries",)


def _strip_read_only(data_dict: dict) -> dict:
    return {k: v for k, v in data_dict.items() if k not in READ_ONLY_KEYS}


@tk.chained_action
def package_create(original_action, context, data_dict):
    return original_action(context, _strip_read_only(data_dict))


@tk.chained_action
def package_update(original_action, context, data_dict):
    return original_action(context, _strip_read_only(data_dict))


def get_actions():
    return {"package_create": package_create, "package_update": package_update}
