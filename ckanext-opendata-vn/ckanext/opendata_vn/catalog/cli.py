"""`ckan opendata …` commands for the catalog: seed files, appendix workbooks, agency successions."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core.cli import site_user

log = logging.getLogger(__name__)


def _print_rejected(e) -> None:
    click.secho(f"Không ghi gì: {len(e.errors)} dòng không hợp lệ ({e.source}).", fg="red", err=True)
    for err in e.errors:
        click.echo(f"  - {err}", err=True)


def _print_reading(appendix) -> None:
    """How the sheet was read, as the import page's preview shows it: the rows ignored
    and why (title, column numbers, notes, signature block …)."""
    click.echo(f"Trang tính «{appendix.sheet}», dòng tiêu đề {appendix.header_row}, "
               f"{len(appendix.rows)} dòng dữ liệu.")
    if not appendix.guesses:
        click.echo("Không bỏ qua dòng nào.")
        return
    click.echo("Cách đọc bảng: dòng nào bị bỏ qua và vì sao:")
    for guess in appendix.guesses:
        click.echo(f"  - {guess.message('vi')}")


@click.command("load-seeds")
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
        summaries = load_seed_files(paths, site_user(), progress=progress)
    except CatalogRejected as e:
        _print_rejected(e)
        sys.exit(1)
    for s in summaries:
        click.echo(s.line())
        for flag in s.flagged:
            click.echo(f"    ! {flag}")


@click.command("import-catalog")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--province", help="Tỉnh (mặc định: đọc từ dòng tiêu đề).")
@click.option("--year", type=int, help="Năm danh mục (mặc định: đọc từ dòng tiêu đề).")
@click.option("--key", help="Mã danh mục ổn định (mặc định: tinh-nam).")
@click.option("--title", help="Tên danh mục.")
@click.option("--kind", type=click.Choice(["decision", "plan"]), default=None)
@click.option("--document-number", default="", help="Số văn bản, vd. 123/QĐ-UBND.")
@click.option("--document-date", default="", help="Ngày ban hành, YYYY-MM-DD.")
@click.option("--sheet", default=None, help="Tên hoặc số thứ tự (từ 1) của trang tính.")
@click.option("--header-row", type=click.IntRange(min=1), default=None,
              help="Số dòng (trong Excel, từ 1) của dòng tiêu đề cột (mặc định: tự tìm).")
def import_catalog(workbook: Path, province, year, key, title, kind, document_number, document_date, sheet,
                   header_row):
    """Import an appendix WORKBOOK (.xlsx/.xls) as a catalog; nothing is written if a row is invalid.
    Prints how the sheet was read first: the rows ignored and why."""
    from ckanext.opendata_vn.catalog.appendix import import_appendix
    from ckanext.opendata_vn.catalog.loader import CatalogRejected
    from ckanext.opendata_vn.catalog.workbook import WorkbookError, read_appendix

    if sheet and sheet.isdigit():
        sheet = int(sheet) - 1
    try:
        appendix = read_appendix(workbook.read_bytes(), sheet, header_row)
        _print_reading(appendix)
        summary = import_appendix(appendix, workbook.name, user=site_user(), province=province, year=year,
                                  key=key, title=title, kind=kind, document_number=document_number,
                                  document_date=document_date)
    except WorkbookError as e:
        click.secho(f"{workbook.name}: {e}", fg="red", err=True)
        sys.exit(1)
    except CatalogRejected as e:
        _print_rejected(e)
        sys.exit(1)
    click.echo(summary.line())
    for flag in summary.flagged:
        click.echo(f"    ! {flag}")


@click.command("export-catalog")
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


@click.command("succession")
@click.argument("agency")
@click.argument("successor")
@click.option("--date", "effective", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Ngày hiệu lực (YYYY-MM-DD), mặc định hôm nay.")
def succession(agency: str, successor: str, effective):
    """Record that AGENCY merged into SUCCESSOR and move its datasets there."""
    from ckan import model
    from ckanext.opendata_vn.catalog.agencies import move_to_successor

    context = {"model": model, "session": model.Session, "user": site_user(), "ignore_auth": True}
    try:
        result = move_to_successor(context, agency, successor, effective.date() if effective else None)
    except (tk.ObjectNotFound, tk.ValidationError) as e:
        click.secho(f"Không thực hiện được: {e}", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{result['agency']} → {result['successor']}: chuyển {result['moved']} tập dữ liệu.")


def get_commands() -> list:
    return [load_seeds, import_catalog, export_catalog, succession]
