"""Actions of the upload loader.

    opendata_vn_datastore_load          id (resource) → queue the resource's DataStore load
                                        again (the "Nạp lại" button); the load state
    opendata_vn_datastore_load_status   id (resource) → the load state: queued | loading |
                                        loaded (rows) | failed (message_vi/en) | held | none;
                                        `reading`: how the loaded table was read (sheet,
                                        header row, the rows ignored and why: jobs.reading_of)
    opendata_vn_upload_preview          package_id, upload (or token of a kept upload),
                                        sheet, header_row → the file read now and written
                                        nowhere (core/tabular/preview.py table_preview, as the
                                        harvest source preview shows it) + token, filename

The first two are for the focal officers of the dataset's agency and IT staff (auth.py).
"""
from __future__ import annotations

import os
import shutil
import tempfile

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.harvest.publish import SOURCE_KEY
from ckanext.opendata_vn.loader import hooks, jobs
from ckanext.opendata_vn.core.tabular import files as reader, preview
from ckanext.opendata_vn.loader.model import HELD, DatastoreLoad
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.core import roles


def _resource(data_dict) -> model.Resource:
    res = model.Session.get(model.Resource, tk.get_or_bust(data_dict or {}, "id"))
    if res is None or res.state != "active":
        raise tk.ObjectNotFound(tk._("Không tìm thấy tài nguyên."))
    return res


def _held_because(res: model.Resource) -> dict:
    """Why the personal-data guard holds the resource's file, from its pending review."""
    key = (res.extras or {}).get(SOURCE_KEY) or ""
    pending = reviews.pending_for(key) if key else []
    if not pending:
        return {}
    review = pending[-1]
    if review.held_detail:      # held as a whole: what could not be read
        vi, en = review.held_detail.get("vi") or "", review.held_detail.get("en") or ""
    else:
        columns = ", ".join(review.flagged_columns)
        vi, en = f"tệp có cột chứa dữ liệu cá nhân: {columns}", f"the file has columns with personal data: {columns}"
    return {"message_vi": f"{vi[:1].upper()}{vi[1:]}.", "message_en": f"{en[:1].upper()}{en[1:]}."}


def as_dict(res: model.Resource, row: DatastoreLoad | None) -> dict:
    def iso(value):
        return value.replace(microsecond=0).isoformat() if value else None

    if reviews.is_withheld(res.extras or {}):
        # held by the guard: a link held by the job, but also an upload held before it was
        # saved (never queued) or a held file replacing a table loaded before (its row says loaded)
        return {"resource_id": res.id, "state": HELD, "loadable": False, **_held_because(res),
                "loaded_rows": row.loaded_rows if row is not None else None,
                "datastore_active": tk.asbool((res.extras or {}).get("datastore_active"))}
    if row is None:
        # never queued: offered to the officer only when the loader would take it
        loadable = not (res.extras or {}).get(SOURCE_KEY) and reader.looks_tabular(res.url or "", res.format or "")
        return {"resource_id": res.id, "state": "none", "loadable": loadable,
                "datastore_active": tk.asbool((res.extras or {}).get("datastore_active"))}
    rows_text = f"{row.rows:,}".replace(",", ".") if row.rows is not None else ""   # 1.234 (Vietnamese)
    return {"resource_id": res.id, "state": row.state, "rows": row.rows, "rows_text": rows_text, "cause": row.cause,
            "message_vi": row.message_vi, "message_en": row.message_en, "requested_by": row.requested_by,
            "queued_at": iso(row.queued_at), "started_at": iso(row.started_at),
            "finished_at": iso(row.finished_at), "loaded_at": iso(row.loaded_at), "loaded_rows": row.loaded_rows,
            "reading": row.reading, "datastore_active": tk.asbool((res.extras or {}).get("datastore_active"))}


def datastore_load(context, data_dict):
    res = _resource(data_dict)
    tk.check_access("opendata_vn_datastore_load", context, {"id": res.id})
    if (res.extras or {}).get(SOURCE_KEY):
        raise tk.ValidationError({"id": [tk._(
            "Tài nguyên này do nguồn thu thập hoặc quyết định về dữ liệu cá nhân cập nhật; "
            "hãy chạy lại nguồn thu thập.")]})
    if not (res.url or "").strip():
        raise tk.ValidationError({"id": [tk._("Tài nguyên chưa có tệp hay đường dẫn dữ liệu để nạp.")]})
    row = jobs.enqueue(res.id, roles.user_name(context) or "")
    return as_dict(res, row)


@tk.side_effect_free
def datastore_load_status(context, data_dict):
    res = _resource(data_dict)
    tk.check_access("opendata_vn_datastore_load_status", context, {"id": res.id})
    return as_dict(res, jobs.state_of(res.id))


def upload_preview(context, data_dict):
    """What an uploaded file will become, before any resource is made: the same reader
    the load job uses, with the officer's sheet and header row. The file is kept under a
    token (for this user, an hour) so the officer can preview again and then add it."""
    pkg = model.Package.get(tk.get_or_bust(data_dict, "package_id"))
    if pkg is None or pkg.type != "dataset" or pkg.state != "active":
        raise tk.ObjectNotFound(tk._("Không tìm thấy tập dữ liệu."))
    tk.check_access("opendata_vn_upload_preview", context, {"package_id": pkg.id})
    user = roles.user_name(context) or ""
    token = str(data_dict.get("token") or "")
    upload = data_dict.get("upload")
    if getattr(upload, "filename", None):
        content, filename = upload.read(), os.path.basename(upload.filename)
        preview.forget(token)
        token = preview.keep(content, filename, user)
    elif found := preview.kept(token, user):
        content, filename = found
    else:
        raise tk.ValidationError({"upload": [tk._("Hãy chọn tệp cần xem trước.")]})
    folder = tempfile.mkdtemp(prefix="vn-preview-")
    path = os.path.join(folder, "upload")
    try:
        with open(path, "wb") as f:
            f.write(content)
        reading = reader.read(path, filename, "", reader.choice(data_dict))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if reading.kind == reader.UNREADABLE:
        failure = reading.failure
        raise tk.ValidationError({"upload": [f"{failure.cause_vi} ({failure.cause_en})"]})
    if reading.kind != reader.TABLE:
        raise tk.ValidationError({"upload": [tk._("Tệp không phải một bảng dữ liệu nên không có gì để xem trước.")]})
    return dict(preview.table_preview(reading.table), token=token, filename=filename)


# files sent with the dataset: personal-data guard first, then the DataStore load
@tk.chained_action
def package_create(original_action, context, data_dict):
    return hooks.package_write(original_action, context, data_dict)


@tk.chained_action
def package_update(original_action, context, data_dict):
    return hooks.package_write(original_action, context, data_dict)


def get_actions() -> dict:
    return {"package_create": package_create, "package_update": package_update,
            "opendata_vn_datastore_load": datastore_load,
            "opendata_vn_datastore_load_status": datastore_load_status,
            "opendata_vn_upload_preview": upload_preview}
