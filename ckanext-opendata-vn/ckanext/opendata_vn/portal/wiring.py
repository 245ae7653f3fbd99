"""What plugin.py registers for the citizen-facing pages (portal/) and feedback
(feedback/): template helpers, actions, auth functions, blueprints and the
webassets library (assets/portal_vn)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.feedback import helpers as feedback_helpers
from ckanext.opendata_vn.feedback import logic as feedback_logic
from ckanext.opendata_vn.feedback import views as feedback_views
from ckanext.opendata_vn.portal import helpers as portal_helpers
from ckanext.opendata_vn.portal import views as portal_views


def update_config(config) -> None:
    # relative to this file: ckanext/opendata_vn/assets/portal_vn
    tk.add_resource("../assets/portal_vn", "portal_vn")


def get_helpers() -> dict:
    return {**portal_helpers.get_helpers(), **feedback_helpers.get_helpers()}


def get_actions() -> dict:
    return feedback_logic.get_actions()


def get_auth_functions() -> dict:
    return feedback_logic.get_auth_functions()


def get_blueprints() -> list:
    return [*portal_views.get_blueprints(), *feedback_views.get_blueprints()]
