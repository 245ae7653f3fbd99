"""`ckan opendata dcat-export`: the whole DCAT-AP 3 catalog as one file.

Registered on the `opendata` command group when ckanext.opendata_vn.cli loads this
module (one import line in cli.get_commands).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ckanext.opendata_vn.cli import opendata


@opendata.command("dcat-export")
@click.argument("output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["ttl", "jsonld", "xml", "nt"]), default=None,
              help="Định dạng: ttl (Turtle), jsonld, xml (RDF/XML), nt (N-Triples). "
                   "Mặc định theo đuôi tệp, không rõ thì ttl.")
@click.option("--modified-since", default=None,
              help="Chỉ các tập dữ liệu sửa từ thời điểm này (ISO 8601, vd. 2025-01-01T00:00:00Z).")
@click.option("--batch", type=click.IntRange(10, 1000), default=250, show_default=True,
              help="Số tập dữ liệu mỗi lần đọc và ghi.")
def dcat_export(output: Path, fmt: str | None, modified_since: str | None, batch: int):
    """Ghi toàn bộ danh mục dữ liệu mở (DCAT-AP 3) ra tệp OUTPUT, để nộp cho cổng quốc gia.

    Chỉ các tập dữ liệu công khai; ghi theo từng lô nên bộ nhớ không tăng theo số tập dữ liệu.
    """
    from ckanext.opendata_vn.dcat.export import export_catalog

    if fmt is None:
        fmt = {".jsonld": "jsonld", ".json": "jsonld", ".xml": "xml", ".rdf": "xml",
               ".nt": "nt"}.get(output.suffix.lower(), "ttl")
    if modified_since:
        from dateutil.parser import parse as parse_date
        try:
            modified_since = parse_date(modified_since).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError):
            click.secho("--modified-since phải là ngày giờ ISO 8601, vd. 2025-01-01.", fg="red", err=True)
            sys.exit(2)

    def progress(done: int, total: int):
        click.echo(f"\r  {done}/{total} tập dữ liệu", nl=False, err=True)

    stats = export_catalog(output, fmt=fmt, modified_since=modified_since, batch=batch,
                           progress=progress)
    click.echo("", err=True)
    click.echo(f"Đã ghi {stats.datasets} tập dữ liệu ({stats.triples} bộ ba RDF) vào {stats.path} "
               f"trong {stats.seconds:.1f} giây.")
