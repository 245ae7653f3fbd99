"""What the plugin registers for the citizen-facing pages: template helpers,
blueprints and the webassets library (assets/portal_vn)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.portal import helpers, views

get_helpers = helpers.get_helpers
get_blueprints = views.get_blueprints


def update_config(config) -> None:
    # relative to this file: ckanext/opendata_vn/assets/portal_vn
    tk.add_resource("../assets/portal_vn", "portal_vn")
