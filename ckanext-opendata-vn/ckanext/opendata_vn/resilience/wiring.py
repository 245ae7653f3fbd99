"""What plugin.py registers to keep serving while a service restarts (issue #12): the
deferred-indexing search index, the chained package_search and the 503 answers."""
from __future__ import annotations

from ckanext.opendata_vn.resilience import cli, errors, groups, harvest_queue, search, search_index


def update_config(config) -> None:
    search_index.install()


def get_actions() -> dict:
    return {**search.get_actions(), **groups.get_actions(), **harvest_queue.get_actions()}


def get_blueprints() -> list:
    return errors.get_blueprints()


def get_commands() -> list:
    return cli.get_commands()
