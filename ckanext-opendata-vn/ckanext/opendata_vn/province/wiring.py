"""What plugin.py registers for the province's identity (branding, Vietnamese date and
number forms under CKAN's helper names, local avatars) and the 2025 reorganisation."""
from __future__ import annotations

from ckanext.opendata_vn.core import formats
from ckanext.opendata_vn.province import branding, cli, helpers, logic, views


def update_config(config) -> None:
    branding.apply_to_config(config)


def get_helpers() -> dict:
    return {**formats.get_helpers(), **helpers.get_helpers()}


def get_actions() -> dict:
    return logic.get_actions()


def get_auth_functions() -> dict:
    return logic.get_auth_functions()


def get_blueprints() -> list:
    return views.get_blueprints()


def get_commands() -> list:
    return cli.get_commands()
