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


@opendata.command("import-catalog")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", help="Tỉnh (mặc định: đọc từ dòng tiêu đề).")
@click.option("--year", type=int, help="Năm danh mục (mặc định: đọc từ dòng tiêu đề).")
@click.option("--key", help="Mã danh mục ổn định (mặc định: tinh-nam).")
@click.option("--title", help="Tên danh mục.")
@click.option("--kind", type=click.Choice(["decision", "plan"]), default=None)
@click.option("--document-number", default="", help="Số văn bản, vd. 123/QĐ-UBND.")
@click.option("--document-date", default="", help="Ngày ban hành, YYYY-MM-DD.")
@click.option("--sheet", default=None, help="Tên hoặc số thứ tự (từ 1) của trang tính.")
def import_catalog(workbook: Path, province, year, key, title, kind, document_number, document_date, sheet):
    """Import an appendix WORKBOOK (.xlsx/.xls) as a catalog; nothing is written if a row is invalid."""
    from ckanext.opendata_vn.catalog.appendix import import_workbook
    from ckanext.opendata_vn.catalog.loader import CatalogRejected
    from ckanext.opendata_vn.catalog.workbook import WorkbookError

    if sheet and sheet.isdigit():
        sheet = int(sheet) - 1
    try:
        summary = import_workbook(workbook.read_bytes(), workbook.name, user=_site_user(), sheet=sheet,
                                  province=province, year=year, key=key, title=title, kind=kind,
                                  document_number=document_number, document_date=document_date)
    except WorkbookError as e:
        click.secho(f"{workbook.name}: {e}", fg="red", err=True)
        sys.exit(1)
    except CatalogRejected as e:
        _print_rejected(e)
        sys.exit(1)
    click.echo(summary.line())
    for flag in summary.flagged:
        click.echo(f"    ! {flag}")


@opendata.command("export-catalog")
@click.argument("key")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tệp .xlsx ghi ra (mặc định: <key>.xlsx).")
def export_catalog(key: str, output: Path | None):
    """Write catalog KEY in the decision-appendix layout (.xlsx)."""
    from ckanext.opendata_vn.catalog.appendix import export_workbook

    try:
        catalog, content = export_workbook(key)
    except KeyError:
        click.secho(f"Không có danh mục \"{key}\".", fg="red", err=True)
        sys.exit(1)
    output = output or Path(f"{key}.xlsx")
    output.write_bytes(content)
    click.echo(f"{catalog.title}: {len(catalog.entries)} dòng → {output}")


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


@opendata.command("apply-reorganisation")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def apply_reorganisation(file: Path | None):
    """Apply an administrative reorganisation FILE (default: the 2025 one): successors take
    the datasets and duties; uncertain successions wait for a reviewer. Idempotent."""
    from ckanext.opendata_vn.province.reorganisation import ReorganisationError, apply_file, default_file

    path = file or default_file()
    try:
        result = apply_file(path)
    except (ReorganisationError, tk.ValidationError, tk.ObjectNotFound) as e:
        click.secho(f"Không áp dụng được {path.name}: {e}", fg="red", err=True)
        sys.exit(1)
    for change, outcome in result["results"]:
        if outcome in ("applied", "pending"):
            mark = "→" if outcome == "applied" else "? (chờ xác nhận)"
            click.echo(f"  {change.agency} ({change.province}) {mark} {change.successor} ({change.successor_province}), "
                       f"{change.date.isoformat()}")
    c = result["counts"]
    click.echo(f"{path.name}: áp dụng {c['applied']}, chờ xác nhận {c['pending']}, không đổi {c['unchanged']}, "
               f"không có trên cổng {c['skipped']}.")


@opendata.command("scheduler")
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


def _scheduler_pass():
    from ckanext.opendata_vn.harvest.scheduler import run_pass
    try:
        summary = run_pass()
    except Exception:  # one bad pass must not stop the loop
        log.exception("scheduler pass failed")
        from ckan import model
        model.Session.rollback()
        return
    log.info("scheduler pass done: %d job(s) created, %d stuck job(s) stopped",
             len(summary["created"]), len(summary["stopped"]))


def _recovery_pass():
    """Catch up after a service outage; a service still down is retried next tick."""
    from ckan import model
    from ckanext.opendata_vn.resilience import harvest_queue, job_queue, search_index
    for step in (search_index.drain, search_index.reconcile, harvest_queue.requeue_unsent_jobs,
                 job_queue.requeue_lost_loads):
        try:
            step()
        except Exception as e:  # PostgreSQL, Solr or Redis still restarting
            log.warning("recovery step %s failed: %s", step.__name__, e)
            model.Session.remove()


@opendata.command("search-pending")
@click.option("--drain", is_flag=True, help="Re-index them now if Solr answers.")
def search_pending(drain: bool):
    """Datasets saved while Solr was unreachable and not yet re-indexed."""
    from ckanext.opendata_vn.resilience import search_index
    if drain:
        result = search_index.drain()
        click.echo(f"Đã lập chỉ mục lại {result['indexed']}; còn chờ {result['waiting']}.")
        sys.exit(1 if result["waiting"] else 0)
    click.echo(f"Chờ lập chỉ mục lại: {search_index.pending_count()}")


@opendata.command("harvest-consumer")
@click.argument("kind", type=click.Choice(["gather", "fetch"]))
def harvest_consumer(kind: str):
    """ckanext-harvest's gather or fetch consumer, restarted when Redis or PostgreSQL
    drops the connection."""
    from ckanext.opendata_vn.resilience.harvest_queue import run_consumer
    run_consumer(kind)


def get_commands():
    # imported here: they extend the `opendata` group / add their own, and import this module
    from ckanext.opendata_vn.compliance.cli import compliance
    from ckanext.opendata_vn.dcat import cli as dcat_cli  # noqa: F401 (adds `opendata dcat-export`)
    from ckanext.opendata_vn.loader import cli as loader_cli  # noqa: F401 (adds `opendata load-datastore`)
    return [opendata, compliance]
