"""What plugin.py registers for the upload loader (issue 13.1): the actions and auth
functions, the retry view, the resource page's load
state, and the resource hooks that queue a load."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.loader import auth, cli, helpers, hooks, logic, views

TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "templates", "loader_vn", "overrides"))

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_blueprints = views.get_blueprints
get_helpers = helpers.get_helpers
get_commands = cli.get_commands
before_resource_create = hooks.before_resource_create
before_resource_update = hooks.before_resource_update
after_resource_change = hooks.after_resource_change


def update_config(config) -> None:
    tk.add_template_directory(config, TEMPLATES)
