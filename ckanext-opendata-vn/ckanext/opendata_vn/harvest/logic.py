"""Actions for harvest sources attached to catalog datasets (API and the dataset page).

    opendata_vn_harvest_source_create   dataset_id, source_type (vn_excel | vn_api), url, settings
    opendata_vn_harvest_source_update   id, any of the above but dataset_id
    opendata_vn_harvest_source_preview  as create → the file read now, nothing written
    opendata_vn_harvest_source_delete   id (the published resources stay)
    opendata_vn_harvest_source_show     id → source, settings, status (next due date, last result, log)
    opendata_vn_harvest_source_list     dataset_id → the dataset's sources with their status
    opendata_vn_harvest_run             id → a job now ("Chạy ngay")

Settings are given flat (as the form sends them) or as a `config` dict: sheet,
header_row, header_lines, format, allow_column_changes (Excel/CSV); records_path,
pagination_type, pagination_param, pagination_size_param, pagination_size,
pagination_start, pagination_next_path, auth_header, auth_secret (API). A secret is
only ever named here; its value lives in ckan.ini.

Chained: `harvest_source_clear` (and `harvest_source_delete` with clear_source) are
refused for attached sources — they delete every dataset linked to the source, i.e.
the catalog entry; `harvest_source_show_status` gains an `opendata_vn` block.
"""
from __future__ import annotations

import json
import os
import uuid

import ckan.plugins.toolkit as tk
from ckan.logic import auth_audit_exempt
from ckan import model

from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError
from ckanext.harvest.model import HarvestSource

from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.core.tabular.table import TableError
from ckanext.opendata_vn.harvest import auth as harvest_auth
from ckanext.opendata_vn.harvest import source_status as status
from ckanext.opendata_vn.harvest import sources
from ckanext.opendata_vn.harvest.auth import source_from

TYPE_LABELS = {sources.EXCEL: "Excel/CSV", sources.API: "API"}
FLAT_KEYS = ("sheet", "header_row", "header_lines", "format", "allow_column_changes",
             "records_path", "auth_header", "auth_secret")
PAGINATION_FIELDS = ("type", "param", "size_param", "size", "start", "next_path")


def _invalid(field: str, vi: str, en: str | None = None):
    return tk.ValidationError({field: [vi if not en else f"{vi} ({en})"]})


def _config_from(data_dict: dict, source_type: str, base: dict | None = None) -> dict:
    config = dict(base or {})
    given = data_dict.get("config")
    if isinstance(given, str) and given.strip():
        try:
            given = json.loads(given)
        except ValueError:
            raise _invalid("config", "Cấu hình không phải JSON hợp lệ", "config is not valid JSON")
    given = given if isinstance(given, dict) else {}
    for key in FLAT_KEYS:
        if key in data_dict:
            config[key] = data_dict[key]
    pagination = dict(config.get("pagination") or {})
    for key in PAGINATION_FIELDS:
        if f"pagination_{key}" in data_dict:
            pagination[key] = data_dict[f"pagination_{key}"]
    if pagination:
        config["pagination"] = pagination
    # a form sends every field; keep only what belongs to this source type
    wanted = sources._COMMON_KEYS | (sources._EXCEL_KEYS if source_type == sources.EXCEL else sources._API_KEYS)
    config = {k: v for k, v in config.items() if k in wanted and v not in (None, "", {})}
    # an explicit config is taken as given: unknown keys (a "headers" or "token"…) are
    # refused by normalise_config rather than silently dropped
    config.update({k: v for k, v in given.items() if k != "dataset_id"})
    if "allow_column_changes" in config and not sources._bool(config["allow_column_changes"]):
        config.pop("allow_column_changes")
    pag = config.get("pagination")
    if isinstance(pag, dict):
        pag = {k: v for k, v in pag.items() if v not in (None, "")}
        if not pag or pag.get("type") in (None, "", "none"):
            config.pop("pagination", None)
        else:
            config["pagination"] = pag
    return config


def _validated(source_type: str, url: str, config: dict) -> tuple[str, dict]:
    try:
        url = sources.check_url(url)
        config = sources.normalise_config(source_type, config)
        dataset = model.Package.get(config["dataset_id"])
        org = model.Group.get(dataset.owner_org) if dataset.owner_org else None
        sources.check_address(url, org.name if org is not None else None)
        return url, config
    except sources.ConfigError as e:
        raise tk.ValidationError({e.field: [f"{e.vi} ({e.en})"]})


def _source_or_404(data_dict: dict) -> HarvestSource:
    source = source_from(data_dict)
    if source is None or source.type not in sources.SOURCE_TYPES or not sources.dataset_id_of(source):
        raise tk.ObjectNotFound(tk._("Không tìm thấy nguồn dữ liệu."))
    return source


def _internal_context(context: dict) -> dict:
    return {"model": model, "session": model.Session, "user": context.get("user"), "ignore_auth": True}


def source_dict(source: HarvestSource) -> dict:
    config = sources.load_config(source)
    pkg = model.Package.get(source.id)
    return {
        "id": source.id,
        "name": pkg.name if pkg is not None else None,
        "title": source.title,
        "url": source.url,
        "source_type": source.type,
        "source_type_label": TYPE_LABELS.get(source.type, source.type),
        "active": bool(source.active),
        "created": source.created.isoformat(timespec="seconds") if source.created else None,
        "config": config,
        "status": status.source_status(source),
    }


def harvest_source_create(context, data_dict):
    tk.check_access("opendata_vn_harvest_source_create", context, data_dict)
    dataset = model.Package.get(tk.get_or_bust(data_dict, "dataset_id"))
    if dataset is None or dataset.type != "dataset" or dataset.state != "active":
        raise tk.ObjectNotFound(tk._("Không tìm thấy tập dữ liệu."))
    source_type = data_dict.get("source_type") or sources.EXCEL
    if source_type not in sources.SOURCE_TYPES:
        raise _invalid("source_type", "Loại nguồn phải là vn_excel hoặc vn_api", "vn_excel or vn_api")
    config = _config_from(data_dict, source_type)
    config["dataset_id"] = dataset.id
    url, config = _validated(source_type, data_dict.get("url"), config)
    title = (data_dict.get("title") or "").strip() or f"{dataset.title} — {TYPE_LABELS[source_type]}"
    name = f"nguon-{dataset.name}"[:90].rstrip("-") + "-" + uuid.uuid4().hex[:6]
    created = tk.get_action("harvest_source_create")(_internal_context(context), {
        "name": name, "title": title, "url": url, "source_type": source_type, "frequency": "MANUAL",
        "owner_org": dataset.owner_org, "private": True,
        "notes": f"Nguồn dữ liệu của tập dữ liệu «{dataset.title}».",
        "config": json.dumps(config, ensure_ascii=False),
    })
    return source_dict(HarvestSource.get(created["id"]))


def harvest_source_preview(context, data_dict):
    """What an Excel/CSV source's file will become, read now and written nowhere:
    the first rows as read, header, types, what was ignored and why, personal data.

    Takes what harvest_source_create takes (dataset_id, url, sheet, header_row,
    header_lines, format); the address is checked the same way."""
    from ckanext.opendata_vn.core.tabular import workbook
    from ckanext.opendata_vn.core import fetch
    from ckanext.opendata_vn.core.tabular import preview
    from ckanext.opendata_vn.core.failures import HarvestFailure
    tk.check_access("opendata_vn_harvest_source_preview", context, data_dict)
    dataset = model.Package.get(tk.get_or_bust(data_dict, "dataset_id"))
    if dataset is None or dataset.type != "dataset" or dataset.state != "active":
        raise tk.ObjectNotFound(tk._("Không tìm thấy tập dữ liệu."))
    if (data_dict.get("source_type") or sources.EXCEL) != sources.EXCEL:
        raise _invalid("source_type", "Xem trước dùng cho nguồn tệp Excel/CSV", "preview is for Excel/CSV sources")
    config = dict(_config_from(data_dict, sources.EXCEL), dataset_id=dataset.id)
    url, config = _validated(sources.EXCEL, data_dict.get("url"), config)
    org = model.Group.get(dataset.owner_org) if dataset.owner_org else None
    fetched = None
    try:
        fetched = fetch.download(url, agency=org.name if org is not None else None)
        fmt = workbook.detect_format(fetched.path, fetched.content_type, url, config.get("format"))
        path = fetched.path + "." + fmt          # calamine picks its reader by the extension
        os.replace(fetched.path, path)
        fetched.path = path
        table = workbook.read_table(path, fmt, config)
    except (HarvestFailure, TableError) as e:
        failure = e if isinstance(e, HarvestFailure) else HarvestFailure(e.code, **e.params)
        raise tk.ValidationError({"url": [f"{failure.cause_vi} ({failure.cause_en})"]})
    finally:
        if fetched is not None:
            fetched.discard()
    return preview.table_preview(table)


def harvest_source_update(context, data_dict):
    source = _source_or_404(data_dict)
    tk.check_access("opendata_vn_harvest_source_update", context, {"id": source.id})
    current = sources.load_config(source)
    dataset = model.Package.get(current["dataset_id"])
    source_type = data_dict.get("source_type") or source.type
    if source_type not in sources.SOURCE_TYPES:
        raise _invalid("source_type", "Loại nguồn phải là vn_excel hoặc vn_api", "vn_excel or vn_api")
    base = current if source_type == source.type else {"dataset_id": current["dataset_id"]}
    config = _config_from(data_dict, source_type, base)
    config["dataset_id"] = current["dataset_id"]
    url, config = _validated(source_type, data_dict.get("url") or source.url, config)
    pkg = model.Package.get(source.id)
    title = (data_dict.get("title") or "").strip() or source.title
    tk.get_action("harvest_source_update")(_internal_context(context), {
        "id": source.id, "name": pkg.name, "title": title, "url": url, "source_type": source_type,
        "frequency": "MANUAL", "owner_org": dataset.owner_org if dataset is not None else pkg.owner_org,
        "private": True, "notes": pkg.notes or "", "config": json.dumps(config, ensure_ascii=False),
    })
    return source_dict(HarvestSource.get(source.id))


def harvest_source_delete(context, data_dict):
    source = _source_or_404(data_dict)
    tk.check_access("opendata_vn_harvest_source_delete", context, {"id": source.id})
    tk.get_action("harvest_source_delete")(_internal_context(context), {"id": source.id})
    return {"id": source.id}


@tk.side_effect_free
def harvest_source_show(context, data_dict):
    source = _source_or_404(data_dict)
    tk.check_access("opendata_vn_harvest_source_show", context, {"id": source.id})
    return source_dict(source)


@tk.side_effect_free
def harvest_source_list(context, data_dict):
    dataset_id = tk.get_or_bust(data_dict, "dataset_id")
    pkg = model.Package.get(dataset_id)
    if pkg is None:
        raise tk.ObjectNotFound(tk._("Không tìm thấy tập dữ liệu."))
    tk.check_access("opendata_vn_harvest_source_list", context, {"dataset_id": pkg.id})
    return [source_dict(s) for s in sources.sources_for_dataset(pkg.id)]


def harvest_run(context, data_dict):
    source = _source_or_404(data_dict)
    tk.check_access("opendata_vn_harvest_run", context, {"id": source.id})
    try:
        job = tk.get_action("harvest_job_create")(_internal_context(context),
                                                  {"source_id": source.id, "run": True})
    except HarvestJobExists:
        raise _invalid("id", "Nguồn đang có một lượt thu thập chờ hoặc đang chạy",
                       "the source already has a queued or running job")
    except HarvestSourceInactiveError:
        raise _invalid("id", "Nguồn đã bị xoá", "the source was deleted")
    return job


# ----------------------------------------------------------------- chained
CLEAR_REFUSED = ("Không được xoá sạch (clear) nguồn gắn với tập dữ liệu danh mục: thao tác này xoá luôn tập dữ liệu. "
                 "(Clearing a source attached to a catalog dataset is refused: it would delete the dataset.)")


def _checked_source_url(data_dict: dict) -> None:
    """Any source type: an http(s) URL (never javascript:, file: or a path), no
    credentials, not an address the harvesters refuse for the source's agency."""
    if "url" not in data_dict:
        return
    try:
        url = sources.check_url(data_dict.get("url"))
        org = model.Group.get(data_dict.get("owner_org") or "")
        sources.check_address(url, org.name if org is not None else None)
    except sources.ConfigError as e:
        raise tk.ValidationError({e.field: [f"{e.vi} ({e.en})"]})
    data_dict["url"] = url


def _reviewer_context(context: dict, data_dict: dict) -> dict:
    """A generic source (reviewers only, checked above) may be placed in any agency: a
    reviewer is no member of it, so the owner_org check is skipped for them."""
    source = source_from(data_dict)
    types = {data_dict.get("source_type") or (source.type if source is not None else "")}
    if harvest_auth.is_generic(types) and roles.is_reviewer(roles.user_name(context)):
        return dict(context, ignore_auth=True)
    return context


@tk.chained_action
def chained_harvest_source_create(original_action, context, data_dict):
    tk.check_access("harvest_source_create", context, data_dict)   # (the upstream action relies on package_create)
    _checked_source_url(data_dict)
    return original_action(_reviewer_context(context, data_dict), data_dict)


@tk.chained_action
def chained_harvest_source_update(original_action, context, data_dict):
    tk.check_access("harvest_source_update", context, data_dict)   # (the upstream action relies on package_update)
    _checked_source_url(data_dict)
    return original_action(_reviewer_context(context, data_dict), data_dict)


@auth_audit_exempt   # its permission is package_patch's, checked by the upstream action
@tk.chained_action
def chained_harvest_source_patch(original_action, context, data_dict):
    source = source_from(data_dict)
    if "url" in data_dict and source is not None:
        pkg = model.Package.get(source.id)
        _checked_source_url(dict(data_dict, owner_org=data_dict.get("owner_org") or pkg.owner_org))
    return original_action(context, data_dict)


def _checked(name: str):
    """ckanext-harvest actions that check no permission of their own (show and reindex
    only look at package_show; abort_failed_jobs at nothing): check it here."""
    @tk.chained_action
    def action(original_action, context, data_dict):
        tk.check_access(name, context, data_dict)
        return original_action(context, data_dict)
    action.__name__ = name
    return action


@tk.chained_action
def chained_harvest_source_clear(original_action, context, data_dict):
    if sources.is_attached(source_from(data_dict)):
        raise tk.ValidationError({"id": [CLEAR_REFUSED]})
    return original_action(context, data_dict)


@tk.chained_action
def chained_harvest_source_delete(original_action, context, data_dict):
    if context.get("clear_source") and sources.is_attached(source_from(data_dict)):
        raise tk.ValidationError({"id": [CLEAR_REFUSED]})
    return original_action(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def chained_harvest_source_list(original_action, context, data_dict):
    """ckanext-harvest's list checks no permission and returns every source with its
    config; here it is for sysadmins only (see auth.harvest_source_list)."""
    tk.check_access("harvest_source_list", context, data_dict)
    return original_action(context, data_dict)


@tk.side_effect_free
@tk.chained_action
def chained_harvest_source_show_status(original_action, context, data_dict):
    result = original_action(context, data_dict)
    source = source_from(data_dict)
    if sources.is_attached(source):
        result["opendata_vn"] = status.source_status(source)
    return result


def get_actions():
    return {
        "opendata_vn_harvest_source_create": harvest_source_create,
        "opendata_vn_harvest_source_update": harvest_source_update,
        "opendata_vn_harvest_source_preview": harvest_source_preview,
        "opendata_vn_harvest_source_delete": harvest_source_delete,
        "opendata_vn_harvest_source_show": harvest_source_show,
        "opendata_vn_harvest_source_list": harvest_source_list,
        "opendata_vn_harvest_run": harvest_run,
        "harvest_source_create": chained_harvest_source_create,
        "harvest_source_update": chained_harvest_source_update,
        "harvest_source_patch": chained_harvest_source_patch,
        "harvest_source_clear": chained_harvest_source_clear,
        "harvest_source_reindex": _checked("harvest_source_reindex"),
        "harvest_abort_failed_jobs": _checked("harvest_abort_failed_jobs"),
        "harvest_source_show": tk.side_effect_free(_checked("harvest_source_show")),
        "harvest_source_delete": chained_harvest_source_delete,
        "harvest_source_show_status": chained_harvest_source_show_status,
        "harvest_source_list": chained_harvest_source_list,
    }
