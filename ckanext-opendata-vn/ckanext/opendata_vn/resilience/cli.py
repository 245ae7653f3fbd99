"""`ckan opendata scheduler`, `search-pending`, `harvest-consumer`: the long-running
processes and the catch-up after a service outage.

Returned by get_commands() (through resilience/wiring.py) to plugin.py, which adds them
to the `opendata` group.
"""
from __future__ import annotations

import logging
import sys
import time

import click

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.resilience import harvest_queue, job_queue, search_index

log = logging.getLogger(__name__)


def _scheduler_pass():
    from ckanext.opendata_vn.harvest.job_scheduler import run_pass
    try:
        summary = run_pass()
    except Exception:  # one bad pass must not stop the loop
        log.exception("scheduler pass failed")
        model.Session.rollback()
        return
    log.info("scheduler pass done: %d job(s) created, %d stuck job(s) stopped",
             len(summary["created"]), len(summary["stopped"]))


def _recovery_pass():
    """Catch up after a service outage; a service still down is retried next tick."""
    for step in (search_index.drain, search_index.reconcile, harvest_queue.requeue_unsent_jobs,
                 job_queue.requeue_lost_loads):
        try:
            step()
        except Exception as e:  # PostgreSQL, Solr or Redis still restarting
            log.warning("recovery step %s failed: %s", step.__name__, e)
            model.Session.remove()


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run one pass and exit.")
@click.option("--interval", type=int, default=None,
              help="Seconds between passes (default: ckanext.opendata_vn.scheduler_interval).")
def scheduler(once: bool, interval: int | None):
    """Create due harvest jobs and finish completed ones, periodically; more often,
    re-index what Solr missed and re-queue what Redis missed."""
    interval = interval or tk.config.get("ckanext.opendata_vn.scheduler_interval")
    tick = min(interval, tk.config.get("ckanext.opendata_vn.recovery_interval"))
    next_pass = 0.0
    while True:
        if time.monotonic() >= next_pass:
            _scheduler_pass()
            next_pass = time.monotonic() + interval
        _recovery_pass()
        if once:
            return
        time.sleep(tick)


@click.command("search-pending")
@click.option("--drain", is_flag=True, help="Re-index them now if Solr answers.")
def search_pending(drain: bool):
    """Datasets saved while Solr was unreachable and not yet re-indexed."""
    if drain:
        result = search_index.drain()
        click.echo(f"Đã lập chỉ mục lại {result['indexed']}; còn chờ {result['waiting']}.")
        sys.exit(1 if result["waiting"] else 0)
    click.echo(f"Chờ lập chỉ mục lại: {search_index.pending_count()}")


@click.command("harvest-consumer")
@click.argument("kind", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(kind: str):
    """ckanext-harvest's gather or fetch consumer, restarted when Redis or PostgreSQL
    drops the connection."""
    harvest_queue.run_consumer(kind)


def get_commands() -> list:
    return [scheduler, search_pending, harvest_consumer]
