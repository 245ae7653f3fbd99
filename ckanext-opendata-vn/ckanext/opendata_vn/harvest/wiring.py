"""What plugin.py registers for harvesting: actions, auth functions, the dataset
page's "Nguồn dữ liệu" tab and its template folder. The harvesters themselves are
the `vn_excel` and `vn_api` plugins (excel.py, api.py)."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.harvest import auth, logic, views

TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "templates", "harvest_vn", "overrides"))


def update_config(config) -> None:
    # the dataset page's tab (package/read_base.html with ckan_extends)
    tk.add_template_directory(config, TEMPLATES)


def get_actions() -> dict:
    return logic.get_actions()


def get_auth_functions() -> dict:
    return auth.get_auth_functions()


def get_blueprints() -> list:
    return views.get_blueprints()
