"""`ckan opendata …` commands (registered through IClick)."""
from __future__ import annotations

import logging
import time

import click
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


@click.group(name="opendata", short_help="Cổng dữ liệu mở: nạp danh mục, lập lịch thu thập")
def opendata():
    """Commands of the provincial open data portal."""


@opendata.command("scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--interval", type=int, default=None,
              help="Seconds between passes (default: ckanext.opendata_vn.scheduler_interval).")
def scheduler(once: bool, interval: int | None):
    """Create due harvest jobs and finish completed ones, periodically."""
    interval = interval or tk.config.get("ckanext.opendata_vn.scheduler_interval")
    while True:
        _scheduler_pass()
        if once:
            return
        time.sleep(interval)


def _scheduler_pass():
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    try:
        # Moves "New" jobs to the gather queue and marks finished ones.
        tk.get_action("harvest_jobs_run")(context, {})
    except tk.ValidationError as e:  # "There are no new harvesting jobs" is not an error
        log.debug("harvest_jobs_run: %s", e)
    log.info("scheduler pass done")


def get_commands():
    return [opendata]
