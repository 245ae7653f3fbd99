"""What the plugin registers for DCAT: the paged catalog action, the template
helpers of the harvest source form, the `ckan opendata` DCAT commands, and the
IDCATRDFHarvester hooks (a harvested dataset goes to its local agency, keeps the
catalog fields curated here, and is fetched only through core/safe_http.py)."""
from __future__ import annotations

from ckanext.opendata_vn.dcat import cli, harvest, helpers, logic

get_actions = logic.get_actions
get_helpers = helpers.get_helpers
get_commands = cli.get_commands
before_create = harvest.before_create
before_update = harvest.before_update
before_download = harvest.before_download
update_session = harvest.update_session
