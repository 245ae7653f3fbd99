"""The personal-data guard on officers' uploads (resource_create / resource_update,
through the web form or the API; IResourceController hooks called from plugin.py).

Before the resource is saved, an uploaded CSV or workbook is parsed the way the
harvester parses one (harvest/excel.py, harvest/tabular.py) and checked with
detect.py. If it has personal columns, the file never reaches CKAN's storage: it is
staged for an IT reviewer (staging.py), and the resource is saved without data —
no URL, no file (an earlier file of the resource is cleared), `personal_data_status`
"pending" — so nothing can be downloaded, previewed, searched or exported until the
decision. After the resource exists, its review record is written (review.py).
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid

from ckanext.opendata_vn.harvest import publish as harvest_publish
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.privacy.model import PENDING, UPLOAD

log = logging.getLogger(__name__)

TABULAR_EXTENSIONS = {"csv", "tsv", "xlsx", "xlsm", "xls", "ods"}
CONTEXT_KEY = "opendata_vn_privacy_staged"
SUPERSEDE_KEY = "opendata_vn_privacy_replaced"


def _file_storage(resource: dict):
    from werkzeug.datastructures import FileStorage
    upload = resource.get("upload")
    if isinstance(upload, FileStorage) and upload.filename:
        return upload
    return None


def _read(upload, path: str) -> None:
    stream = upload.stream
    stream.seek(0)
    with open(path, "wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    stream.seek(0)


def check_upload(context: dict, resource: dict, current: dict | None = None) -> None:
    upload = _file_storage(resource)
    if upload is None:
        return
    ext = os.path.splitext(upload.filename)[1].lower().lstrip(".")
    fmt_given = (resource.get("format") or "").strip().lower()
    if ext not in TABULAR_EXTENSIONS and fmt_given not in TABULAR_EXTENSIONS:
        return
    from ckanext.opendata_vn.harvest import excel
    dir_name, path = staging.new_directory()
    try:
        raw = os.path.join(path, "upload")
        _read(upload, raw)
        fmt = excel.detect_format(raw, upload.content_type or "", upload.filename)
        typed = f"{raw}.{fmt}"           # calamine picks its reader by the extension
        os.replace(raw, typed)
        table = excel.read_table(typed, fmt, {})
        findings = staging.table_findings(table)
    except Exception as e:  # not a table we can read: an ordinary file, stored as usual
        log.info("Upload %s not checked for personal data (%s)", upload.filename, type(e).__name__)
        staging.remove(dir_name)
        return
    if not findings:
        staging.remove(dir_name)
        return
    staged = reviews.stage(table, findings, original_path=typed, original_name=upload.filename,
                           original_format=fmt, dir_name=dir_name)
    # the file stays out of CKAN's storage and the resource carries no link to it
    resource.pop("upload", None)
    resource["url"] = ""
    resource["url_type"] = ""
    if current and current.get("url_type") == "upload":
        resource["clear_upload"] = "true"
    key = (current or {}).get(harvest_publish.SOURCE_KEY) or ""
    if not key.startswith(reviews.UPLOAD_PREFIX):
        key = reviews.UPLOAD_PREFIX + str(uuid.uuid4())
    resource[harvest_publish.SOURCE_KEY] = key
    resource[harvest_publish.ROLE_KEY] = (current or {}).get(harvest_publish.ROLE_KEY) or harvest_publish.ORIGINAL
    resource[reviews.STATUS_KEY] = PENDING
    resource.pop("datastore_active", None)
    if not (resource.get("name") or "").strip():
        resource["name"] = upload.filename
    if not (resource.get("format") or "").strip():
        resource["format"] = fmt.upper()
    resource.pop("size", None)
    resource.pop("hash", None)
    context[CONTEXT_KEY] = {"staged": staged, "source_key": key}
    log.info("Upload %s held back for a personal-data decision: %s", upload.filename,
             ", ".join(f["column"] for f in staged.findings))


def before_resource_create(context: dict, resource: dict) -> None:
    check_upload(context, resource)


def before_resource_update(context: dict, current: dict, resource: dict) -> None:
    check_upload(context, resource, current)
    if CONTEXT_KEY in context or not reviews.is_withheld(current):
        return
    # A held-back resource edited without new data (the web form does not send the
    # extras back): it stays held back. New data (a file without personal columns, or
    # a link) replaces the table waiting for review.
    new_url = (resource.get("url") or "").strip()
    if _file_storage(resource) is not None or (new_url and new_url != (current.get("url") or "").strip()):
        context[SUPERSEDE_KEY] = current.get(harvest_publish.SOURCE_KEY)
        resource.pop(reviews.STATUS_KEY, None)
        return
    for key in (reviews.STATUS_KEY, harvest_publish.SOURCE_KEY, harvest_publish.ROLE_KEY):
        if current.get(key):
            resource[key] = current[key]
    resource["url"] = ""
    resource["url_type"] = ""


def after_resource_change(context: dict, resource: dict) -> None:
    replaced = context.pop(SUPERSEDE_KEY, None)
    if replaced:
        reviews.supersede_pending(replaced)
        from ckan import model
        model.Session.commit()
    held = context.pop(CONTEXT_KEY, None)
    if not held or not resource.get("id"):
        return
    reviews.record(held["staged"], package_id=resource["package_id"], origin=UPLOAD,
                   source_key=held["source_key"], created_by=context.get("user") or "",
                   resource_id=resource["id"])
