"""What the plugin registers for compliance tracking: the report actions and pages,
and the resource hooks that record when an agency's data really changed."""
from __future__ import annotations

from ckanext.opendata_vn.compliance import auth, cli, data_updated, logic, views

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_blueprints = views.get_blueprints
get_commands = cli.get_commands
before_resource_create = data_updated.before_resource_create
before_resource_update = data_updated.before_resource_update
after_resource_change = data_updated.after_resource_change
