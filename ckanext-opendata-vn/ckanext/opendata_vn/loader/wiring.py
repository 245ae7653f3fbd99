"""What plugin.py registers for the upload loader (issue 13.1): the actions and auth
functions, the retry view, the resource page's load
state, and the resource hooks that queue a load."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.loader import cli, helpers, hooks, logic, views

TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "templates", "loader_vn", "overrides"))

before_resource_create = hooks.before_resource_create
before_resource_update = hooks.before_resource_update
after_resource_change = hooks.after_resource_change


def update_config(config) -> None:
    tk.add_template_directory(config, TEMPLATES)


def get_actions() -> dict:
    return logic.get_actions()


def get_auth_functions() -> dict:
    return logic.get_auth_functions()


def get_blueprints() -> list:
    return views.get_blueprints()


def get_helpers() -> dict:
    return helpers.get_helpers()


def get_commands() -> list:
    return cli.get_commands()
