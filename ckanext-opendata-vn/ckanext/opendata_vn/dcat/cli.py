"""`ckan opendata dcat-export`: the whole DCAT-AP 3 catalog as one file;
`ckan opendata dcat-validate`: a DCAT file checked against a folder of SHACL shapes.

Returned by get_commands() (through dcat/wiring.py) to plugin.py, which adds them to the
`opendata` group.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("dcat-export")
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


@click.command("dcat-validate")
@click.argument("shapes_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("data", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def dcat_validate(shapes_dir: Path, data: Path | None):
    """Kiểm tra tệp DCAT DATA (mặc định: toàn bộ danh mục) theo các tệp SHACL .ttl trong SHAPES_DIR.

    Dùng để đối chiếu với bộ SHACL chính thức của DCAT-AP 3.0.1 (dcat-ap-SHACL.ttl và
    ranges.ttl, tải từ trang DCAT-AP của SEMIC); bộ kiểm thử chỉ dùng SHACL của cổng.
    """
    import tempfile

    import rdflib
    from rdflib.util import guess_format

    from ckanext.opendata_vn.dcat.export import export_catalog
    from ckanext.opendata_vn.dcat.shacl import load_shapes, validate

    try:
        shapes = load_shapes(shapes_dir)
    except FileNotFoundError:
        click.secho(f"Không có tệp SHACL .ttl nào trong {shapes_dir}.", fg="red", err=True)
        sys.exit(2)
    with tempfile.TemporaryDirectory() as tmp:
        if data is None:
            data = Path(export_catalog(Path(tmp) / "danh-muc.ttl", fmt="ttl").path)
        graph = rdflib.Graph().parse(data, format=guess_format(str(data)) or "turtle")
    conforms, report = validate(graph, shapes)
    if not conforms:
        click.echo(report)
        click.secho(f"{data.name}: KHÔNG đạt SHACL trong {shapes_dir} (xem các lỗi ở trên).", fg="red", err=True)
        sys.exit(1)
    click.echo(f"{data.name}: đạt SHACL trong {shapes_dir} ({len(graph)} bộ ba RDF).")


def get_commands() -> list:
    return [dcat_export, dcat_validate]
