"""`ckan opendata load-datastore [--all | RESOURCE_ID…]`: load existing uploaded or
linked tables into the DataStore with the upload loader's job, here and now (or
`--queue` for the jobs worker). Returned by get_commands() to plugin.py."""
from __future__ import annotations

import click


def _all_candidates() -> list[str]:
    """Active resources with a file or link the loader would take, not yet in the
    DataStore, not managed by a harvest source or a personal-data decision."""
    from ckan import model
    from ckanext.opendata_vn.harvest.publish import SOURCE_KEY
    from ckanext.opendata_vn.core.tabular import files as reader
    q = (model.Session.query(model.Resource)
         .join(model.Package, model.Package.id == model.Resource.package_id)
         .filter(model.Resource.state == "active", model.Package.state == "active", model.Resource.url != ""))
    out = []
    for res in q:
        extras = res.extras or {}
        if extras.get(SOURCE_KEY) or str(extras.get("datastore_active")).lower() == "true":
            continue
        if reader.looks_tabular(res.url, res.format or ""):
            out.append(res.id)
    return out


@click.command("load-datastore")
@click.argument("resource_ids", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Mọi tài nguyên là bảng dữ liệu chưa có trong DataStore.")
@click.option("--queue", is_flag=True, help="Xếp vào hàng đợi cho `ckan jobs worker` thay vì nạp ngay.")
def load_datastore(resource_ids: tuple[str, ...], all_: bool, queue: bool):
    """Nạp bảng dữ liệu đã tải lên hoặc liên kết vào DataStore (cùng quy trình với khi tải lên)."""
    from ckanext.opendata_vn.loader import jobs
    from ckanext.opendata_vn.loader.model import FAILED
    if not resource_ids and not all_:
        raise click.UsageError("Cho biết mã tài nguyên, hoặc --all / give resource ids, or --all")
    ids = list(resource_ids) + (_all_candidates() if all_ else [])
    failed = 0
    for rid in ids:
        if queue:
            jobs.enqueue(rid)
            click.echo(f"{rid}: đã xếp hàng đợi / queued")
            continue
        jobs.enqueue_state_only(rid)
        state = jobs.load_resource(rid)
        row = jobs.state_of(rid)
        if state == FAILED:
            failed += 1
            click.echo(f"{rid}: {state} — {row.message_vi}")
        else:
            click.echo(f"{rid}: {state or 'không có / missing'}" + (f" ({row.rows} dòng / rows)" if row and row.rows else ""))
    click.echo(f"{len(ids)} tài nguyên, {failed} lỗi / {len(ids)} resources, {failed} failed")
    if failed:
        raise SystemExit(1)


def get_commands() -> list:
    return [load_datastore]
