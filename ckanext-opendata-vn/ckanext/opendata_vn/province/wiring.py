"""What plugin.py registers for the province's identity (branding, Vietnamese date and
number forms under CKAN's helper names, local avatars) and the 2025 reorganisation."""
from __future__ import annotations

from ckanext.opendata_vn.core import formats
from ckanext.opendata_vn.province import auth, branding, cli, helpers, logic, views

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_blueprints = views.get_blueprints
get_commands = cli.get_commands
update_config = branding.apply_to_config


def get_helpers() -> dict:
    return {**formats.get_helpers(), **helpers.get_helpers()}
