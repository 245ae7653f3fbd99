"""`ckan opendata …` commands (registered through IClick)."""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import click
import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


@click.group(name="opendata", short_help="Cổng dữ liệu mở: nạp danh mục, đơn vị, lập lịch thu thập")
def opendata():
    """Commands of the provincial open data portal."""


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _print_rejected(e) -> None:
    click.secho(f"Không ghi gì: {len(e.errors)} dòng không hợp lệ ({e.source}).", fg="red", err=True)
    for err in e.errors:
        click.echo(f"  - {err}", err=True)


@opendata.command("load-seeds")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_seeds(files: tuple[Path, ...]):
    """Load catalog seed files (default: every catalog_seeds/*.json).

    Creates agencies, themes, catalogs and their entries; re-running updates and
    never duplicates. If any row of any file is invalid, nothing is written.
    """
    from ckanext.opendata_vn.catalog.loader import CatalogRejected
    from ckanext.opendata_vn.catalog.seeds import default_seed_files, load_seed_files

    paths = list(files) or default_seed_files()
    if not paths:
        click.secho("Không có tệp danh mục nào để nạp.", fg="yellow")
        return

    def progress(items, name):
        items = list(items)
        with click.progressbar(items, label=f"{name:<34}", file=sys.stderr) as bar:
            yield from bar

    try:
        summaries = load_seed_files(paths, _site_user(), progress=progress)
    except CatalogRejected as e:
        _print_rejected(e)
        sys.exit(1)
    for s in summaries:
        click.echo(s.line())
        for flag in s.flagged:
            click.echo(f"    ! {flag}")


@opendata.command("succession")
@click.argument("agency")
@click.argument("successor")
@click.option("--date", "effective", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày hiệu lực (YYYY-MM-DD), mặc định hôm nay.")
def succession(agency: str, successor: str, effective):
    """Record that AGENCY merged into SUCCESSOR and move its datasets there."""
    from ckan import model
    from ckanext.opendata_vn.catalog.agencies import move_to_successor

    context = {"model": model, "session": model.Session, "user": _site_user(), "ignore_auth": True}
    try:
        result = move_to_successor(context, agency, successor, effective.date() if effective else None)
    except (tk.ObjectNotFound, tk.ValidationError) as e:
        click.secho(f"Không thực hiện được: {e}", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{result['agency']} → {result['successor']}: chuyển {result['moved']} tập dữ liệu.")


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
    context = {"user": _site_user(), "ignore_auth": True}
    try:
        # Moves "New" jobs to the gather queue and marks finished ones.
        tk.get_action("harvest_jobs_run")(context, {})
    except tk.ValidationError as e:  # "There are no new harvesting jobs" is not an error
        log.debug("harvest_jobs_run: %s", e)
    log.info("scheduler pass done")


def get_commands():
    return [opendata]
