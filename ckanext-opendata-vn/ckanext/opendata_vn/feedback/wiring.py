"""What the plugin registers for citizens' feedback and data requests: actions, auth
functions, template helpers and pages."""
from __future__ import annotations

from ckanext.opendata_vn.feedback import auth, helpers, logic, views

get_actions = logic.get_actions
get_auth_functions = auth.get_auth_functions
get_helpers = helpers.get_helpers
get_blueprints = views.get_blueprints
