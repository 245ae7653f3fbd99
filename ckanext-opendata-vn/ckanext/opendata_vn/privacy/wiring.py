"""What plugin.py registers for the personal-data guard (issue #8): actions, auth
functions (with the DataStore's read API chained), the reviewers' page and download
guard, template helpers and templates, the resource hooks on uploads, and the harvest
pipeline's table guard (harvest_guard.py, registered in configure); dcat/profile.py
calls dcat.py."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.privacy import auth, datastore_guard, harvest_guard, helpers, logic, upload_guard, views

TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "templates", "privacy_vn", "overrides"))

get_auth_functions = auth.get_auth_functions
get_blueprints = views.get_blueprints
get_helpers = helpers.get_helpers
before_resource_create = upload_guard.before_resource_create
before_resource_update = upload_guard.before_resource_update
after_resource_change = upload_guard.after_resource_change


def update_config(config) -> None:
    # the held-back status on the resource list and the staff notice on the dataset
    # page (ckan_extends, below the portal's own overrides)
    tk.add_template_directory(config, TEMPLATES)


def configure(config) -> None:
    # harvest asks its registered guard before publishing a table (harvest/guard.py)
    harvest_guard.register()


def get_actions() -> dict:
    # the DataStore write API checked for personal data (datastore_guard.py); uploads sent
    # with package_create/update/revise are checked from loader/hooks.py (package_guard.py)
    return {**logic.get_actions(), **datastore_guard.get_actions()}

