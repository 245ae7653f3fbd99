"""The upload loader's background job: an uploaded or linked table into the DataStore.

    enqueue(resource_id)      state "queued", a job on CKAN's queue (`ckan jobs worker`)
    load_resource(id)         the job: read the file with the harvester's pipeline
                              (core/tabular/files.py) on the sheet and header row the
                              officer chose on the resource (`sheet`, `header_row`), the
                              personal-data guard first (privacy/upload_guard.py), then
                              COPY into a staged table swapped in one transaction
                              (core/tabular/datastore.py) and `datastore_active` set;
                              how the table was read (the reader's guesses) is kept

A failure leaves the DataStore table as it was (the staged table is dropped) and is
recorded with its cause in Vietnamese and English and what to do (model.py).
"""
from __future__ import annotations

import logging
import os

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.core import fetch
from ckanext.opendata_vn.core.clock import utcnow
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular import datastore
from ckanext.opendata_vn.core.tabular import files as reader
from ckanext.opendata_vn.core.tabular import table as tabular
from ckanext.opendata_vn.harvest.publish import storage_path
from ckanext.opendata_vn.loader.model import FAILED, HELD, LOADED, LOADING, QUEUED, DatastoreLoad
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import upload_guard

log = logging.getLogger(__name__)
JOB_TIMEOUT = 30 * 60

# what the officer can do, by cause (core/failures.py codes); (vi, en)
ADVICE = {
    "unreachable": ("Kiểm tra đường dẫn tới tệp, rồi bấm «Nạp lại».",
                    "Check the link to the file, then press «Load again»."),
    "timeout": ("Thử lại sau bằng nút «Nạp lại», hoặc tải tệp lên cổng.",
                "Try again later with «Load again», or upload the file to the portal."),
    "http_error": ("Kiểm tra đường dẫn tới tệp, rồi bấm «Nạp lại».",
                   "Check the link to the file, then press «Load again»."),
    "refused_address": ("Tải tệp lên cổng thay vì liên kết.", "Upload the file to the portal instead of linking it."),
    "html": ("Liên kết phải trỏ thẳng tới tệp dữ liệu, không phải trang web chứa nó.",
             "The link must point to the data file itself, not to a web page holding it."),
    "password": ("Tải lên tệp không đặt mật khẩu.", "Upload the file without a password."),
    "not_table": ("Tệp này vẫn được công bố để tải về; chỉ bảng tính, CSV và JSON được nạp vào DataStore.",
                  "The file stays published for download; only workbooks, CSV and JSON are loaded into the DataStore."),
}
DEFAULT_ADVICE = ("Sửa tệp (một dòng tiêu đề cột, mỗi dòng một bản ghi) rồi tải lên lại, hoặc bấm «Nạp lại»; "
                  "bảng dữ liệu đã nạp trước đó được giữ nguyên.",
                  "Fix the file (one column header row, one record per row) and upload it again, or press "
                  "«Load again»; the table loaded before is kept.")
NOT_TABLE = ("tệp không phải bảng dữ liệu (bảng tính, CSV hay JSON)",
             "the file is not a data table (workbook, CSV or JSON)")
ARCHIVE = ("tệp nén ZIP không được nạp vào DataStore; hãy tải lên từng bảng dữ liệu",
           "a ZIP archive is not loaded into the DataStore; upload each table on its own")


def state_of(resource_id: str) -> DatastoreLoad | None:
    return model.Session.get(DatastoreLoad, resource_id)


def _save(resource_id: str, **values) -> DatastoreLoad:
    row = state_of(resource_id) or DatastoreLoad(resource_id=resource_id)
    for key, value in values.items():
        setattr(row, key, value)
    model.Session.add(row)
    model.Session.commit()
    return row


def enqueue_state_only(resource_id: str, user: str = "") -> DatastoreLoad:
    """The "queued" state, for a load run here and now (the command) or by a job."""
    return _save(resource_id, state=QUEUED, queued_at=utcnow(), requested_by=user or "", started_at=None,
                 finished_at=None, cause="", message_vi="", message_en="", rows=None)


def enqueue(resource_id: str, user: str = "") -> DatastoreLoad:
    row = enqueue_state_only(resource_id, user)
    tk.enqueue_job(load_resource, [resource_id], title=f"DataStore load {resource_id}",
                   rq_kwargs={"timeout": JOB_TIMEOUT})
    return row


# ----------------------------------------------------------------- the job
def _source_file(res: model.Resource, pkg: model.Package) -> tuple[str, str, str, bool]:
    """(path, file name, content type, temporary?) of the resource's file."""
    if res.url_type == "upload":
        path = storage_path(res.id)
        if not os.path.exists(path):
            raise HarvestFailure("unreachable", host="storage", detail="file missing")
        return path, os.path.basename(res.url or "") or res.id, res.mimetype or "", False
    org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
    download = fetch.download(res.url, agency=org.name if org is not None else None)
    name = os.path.basename((res.url or "").split("?")[0]) or res.id
    return download.path, name, download.content_type, True


def _table(reading: reader.Reading) -> tabular.Table:
    if reading.kind == reader.TABLE:
        return reading.table
    if reading.kind == reader.UNREADABLE:
        raise reading.failure
    raise _Refusal(*(ARCHIVE if reading.kind == reader.ARCHIVE else NOT_TABLE), code="not_table")


def reading_of(table: tabular.Table, chosen: dict) -> dict:
    """How the reader read the table, in the guesses' own wording (reader.Guess.as_dict,
    as the harvester's run log and the import previews word them)."""
    return {"sheet": table.sheet, "header_row": table.header_row, "header_lines": table.header_lines,
            "chosen": chosen, "guesses": [g.as_dict() for g in table.guesses]}


class _Refusal(Exception):
    def __init__(self, vi: str, en: str, code: str):
        super().__init__(en)
        self.vi, self.en, self.code = vi, en, code


def load_resource(resource_id: str) -> str:
    """The job. Returns the final state (for the command and the tests)."""
    res = model.Session.get(model.Resource, resource_id)
    if res is None or res.state != "active" or not (res.url or "").strip():
        model.Session.query(DatastoreLoad).filter(DatastoreLoad.resource_id == resource_id).delete()
        model.Session.commit()
        return ""
    if reviews.is_withheld(res.extras or {}):
        _save(resource_id, state=HELD, finished_at=utcnow())
        return HELD
    _save(resource_id, state=LOADING, started_at=utcnow(), finished_at=None)
    pkg = model.Package.get(res.package_id)
    path, temporary, csv_path = None, False, None
    try:
        path, name, content_type, temporary = _source_file(res, pkg)
        chosen = reader.choice(res.extras)
        verdict = upload_guard.inspect(path, name, content_type, chosen)      # the guard first
        if verdict.hold:
            upload_guard.hold_saved_resource(resource_id, path, name, verdict,
                                             user=(state_of(resource_id) or DatastoreLoad()).requested_by or "")
            _save(resource_id, state=HELD, finished_at=utcnow())
            return HELD
        table = _table(verdict.reading)
        csv_path = fetch.new_temp_path(".csv")
        tabular.write_csv(table, csv_path)
        staged = datastore.stage(table, csv_path)
        datastore.swap(staged, resource_id)
        _set_active(resource_id)
        now = utcnow()
        _save(resource_id, state=LOADED, rows=table.row_count, loaded_rows=table.row_count, loaded_at=now,
              finished_at=now, cause="", message_vi="", message_en="", reading=reading_of(table, chosen))
        log.info("DataStore load of resource %s: %d rows", resource_id, table.row_count)
        return LOADED
    except HarvestFailure as failure:
        return _failed(resource_id, failure.code, failure.cause_vi, failure.cause_en)
    except _Refusal as refusal:
        return _failed(resource_id, refusal.code, refusal.vi, refusal.en)
    except Exception as e:
        model.Session.rollback()
        log.exception("DataStore load of resource %s failed", resource_id)
        failure = HarvestFailure("internal", detail=type(e).__name__)
        return _failed(resource_id, failure.code, failure.cause_vi, failure.cause_en)
    finally:
        for p in (csv_path, path if temporary else None):
            if p and os.path.exists(p):
                os.unlink(p)


def _failed(resource_id: str, code: str, vi: str, en: str) -> str:
    advice_vi, advice_en = ADVICE.get(code, DEFAULT_ADVICE)
    _save(resource_id, state=FAILED, finished_at=utcnow(), cause=code,
          message_vi=f"{vi[:1].upper()}{vi[1:]}. {advice_vi}", message_en=f"{en[:1].upper()}{en[1:]}. {advice_en}")
    log.info("DataStore load of resource %s failed: %s", resource_id, en)
    return FAILED


def _set_active(resource_id: str) -> None:
    """`datastore_active` as ckanext-datastore sets it (one UPDATE, then the dataset reindexed)."""
    from ckanext.datastore.logic.action import set_datastore_active_flag
    set_datastore_active_flag({"model": model, "ignore_auth": True}, {"resource_id": resource_id}, True)
