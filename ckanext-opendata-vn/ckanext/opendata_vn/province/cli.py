"""`ckan opendata apply-reorganisation`: the province's administrative reorganisation file."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import ckan.plugins.toolkit as tk


@click.command("apply-reorganisation")
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


def get_commands() -> list:
    return [apply_reorganisation]
