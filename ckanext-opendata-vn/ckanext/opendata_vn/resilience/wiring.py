"""What plugin.py registers to keep serving while a service restarts (issue #12): the
deferred-indexing search index, package_search, group_show and organization_show
answering without Solr, the harvest queue's Redis errors, the 503 answers, and the
scheduler, search-pending and harvest-consumer commands."""
from __future__ import annotations

from ckanext.opendata_vn.resilience import cli, errors, groups, harvest_queue, search, search_index

get_blueprints = errors.get_blueprints
get_commands = cli.get_commands


def update_config(config) -> None:
    search_index.install()


def get_actions() -> dict:
    return {**search.get_actions(), **groups.get_actions(), **harvest_queue.get_actions()}
