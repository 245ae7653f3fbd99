"""What the plugin registers for the catalog workflow and compliance tracking (kept
here so that plugin.py only adds a few delegating lines)."""
from __future__ import annotations

from ckanext.opendata_vn.compliance import hooks
from ckanext.opendata_vn.compliance import logic as compliance_logic
from ckanext.opendata_vn.compliance import views as compliance_views
from ckanext.opendata_vn.workflow import auth, labels, logic, views

get_dataset_labels = labels.get_dataset_labels
get_user_dataset_labels = labels.get_user_dataset_labels
before_resource_create = hooks.before_resource_create
before_resource_update = hooks.before_resource_update
after_resource_change = hooks.after_resource_change


def get_actions() -> dict:
    return {**logic.get_actions(), **compliance_logic.get_actions()}


def get_auth_functions() -> dict:
    return {**auth.get_auth_functions(), **compliance_logic.get_auth_functions()}


def get_blueprints() -> list:
    return [*views.get_blueprints(), *compliance_views.get_blueprints()]
