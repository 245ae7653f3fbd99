"""The personal-data guard on officers' files, however they arrive: resource_create /
resource_update (web form or API; IResourceController hooks called from plugin.py),
package_create / package_update / package_revise with uploads (package_guard.py), and
linked files, read by the upload loader's job (loader/jobs.py).

Every uploaded file is read by its bytes, whatever its name (core/tabular/files.py: a CSV
named `.txt` is a CSV; JSON arrays of records; each file inside a ZIP archive) and
checked with personal_data.py. A file is held for an IT reviewer (staging.py, review.py) —
never reaching CKAN's storage, the resource saved without data: no URL, no file (an
earlier file of the resource is cleared), `personal_data_status` "pending" — when:

* its table has personal columns;
* it is a ZIP archive with personal columns, or a file it cannot read, inside;
* the guard cannot read it (no header found, an unknown binary, a corrupt workbook):
  it is held rather than published unchecked.

Documents that are no table by nature (PDF, images) and empty files pass.
After the resource exists, its review record is written (review.py).
"""
from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass, field

from ckanext.opendata_vn.harvest import publish as harvest_publish
from ckanext.opendata_vn.core.tabular import files as reader
from ckanext.opendata_vn.privacy import review as reviews
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.core.tabular.personal_data import Finding
from ckanext.opendata_vn.privacy.model import ARCHIVE, PENDING, UNREADABLE, UPLOAD

log = logging.getLogger(__name__)

CONTEXT_KEY = "opendata_vn_privacy_staged"
SUPERSEDE_KEY = "opendata_vn_privacy_replaced"
# causes of an unreadable file that leave nothing to check
NOTHING_TO_CHECK = {"empty", "no_rows", "no_records"}


@dataclass
class Verdict:
    """What the guard found in a file: hold it (and why), or let it through."""
    reading: reader.Reading
    findings: list[Finding] = field(default_factory=list)
    held_reason: str | None = None      # None: passes; "" personal columns; UNREADABLE; ARCHIVE
    detail: dict | None = None          # {"vi", "en"}: what could not be read

    @property
    def hold(self) -> bool:
        return self.held_reason is not None


def _unreadable(r: reader.Reading) -> bool:
    return r.kind == reader.UNREADABLE and (r.failure is None or r.failure.code not in NOTHING_TO_CHECK)


def inspect(path: str, name: str = "", content_type: str = "", choice: dict | None = None) -> Verdict:
    """`choice`: the sheet and header row the officer chose (files.choice): the table
    checked is the one the upload loader loads."""
    reading = reader.read(path, name, content_type, choice)
    if reading.kind == reader.TABLE:
        findings = staging.table_findings(reading.table)
        return Verdict(reading, findings, "" if findings else None)
    if reading.kind == reader.ARCHIVE:
        findings: list[Finding] = []
        unreadable = []
        for member in reading.members:
            if member.kind == reader.TABLE:
                for f in staging.table_findings(member.table):
                    f.column = f"{member.name} › {f.column}"
                    findings.append(f)
            elif _unreadable(member):
                unreadable.append(f"{member.name} ({member.reason_vi})")
        if not findings and not unreadable:
            return Verdict(reading)
        detail = None
        if unreadable:
            detail = {"vi": "Không đọc được tệp trong tệp nén: " + "; ".join(unreadable),
                      "en": "Files in the archive could not be read: " + "; ".join(
                          f"{m.name} ({m.reason_en})" for m in reading.members if _unreadable(m))}
        return Verdict(reading, findings, ARCHIVE, detail)
    if _unreadable(reading):
        return Verdict(reading, [], UNREADABLE, {"vi": reading.reason_vi, "en": reading.reason_en})
    return Verdict(reading)


def stage(verdict: Verdict, path: str, name: str, dir_name: str | None = None,
          move: bool = True) -> reviews.Staged:
    """The held file (and its table, when it is one) copied into staging."""
    reading = verdict.reading
    if reading.kind == reader.TABLE:
        return reviews.stage(reading.table, verdict.findings, original_path=path, original_name=name,
                             original_format=reading.fmt, dir_name=dir_name, move_original=move)
    ext = os.path.splitext(name)[1].lstrip(".") or reading.fmt or "bin"
    return reviews.stage_file(verdict.findings, path, original_name=name, original_format=ext,
                              held_reason=verdict.held_reason or UNREADABLE, detail=verdict.detail,
                              dir_name=dir_name, move_original=move)


def describe(verdict: Verdict) -> str:
    if verdict.findings:
        return ", ".join(f.column for f in verdict.findings)
    return (verdict.detail or {}).get("en", "")


# ----------------------------------------------------------------- uploads (before save)
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


def withhold_fields(resource: dict, current: dict | None, name: str, fmt: str) -> str:
    """The resource saved without data, waiting for the decision; returns its source key."""
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
        resource["name"] = name
    if not (resource.get("format") or "").strip() and fmt:
        resource["format"] = fmt.upper()
    resource.pop("size", None)
    resource.pop("hash", None)
    return key


def check_upload(context: dict, resource: dict, current: dict | None = None) -> None:
    upload = _file_storage(resource)
    if upload is None:
        return
    dir_name, path = staging.new_directory()
    raw = os.path.join(path, "upload")
    try:
        _read(upload, raw)
        verdict = inspect(raw, upload.filename, upload.content_type or "", reader.choice(resource))
    except Exception:
        staging.remove(dir_name)
        raise
    if not verdict.hold:
        staging.remove(dir_name)
        # the upload loader loads a table, and reports why an empty one is not (loader/hooks.py)
        context["opendata_vn_tabular_upload"] = verdict.reading.kind in (reader.TABLE, reader.UNREADABLE) \
            or reader.looks_tabular(upload.filename)
        return
    staged = stage(verdict, raw, upload.filename, dir_name=dir_name)
    resource.pop("upload", None)        # the file stays out of CKAN's storage
    key = withhold_fields(resource, current, upload.filename, verdict.reading.fmt)
    context[CONTEXT_KEY] = {"staged": staged, "source_key": key}
    log.info("Upload %s held back for a personal-data decision: %s", upload.filename, describe(verdict))


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


# ----------------------------------------------------------------- linked files (the loader's job)
def hold_saved_resource(resource_id: str, path: str, name: str, verdict: Verdict, user: str = "") -> None:
    """A saved resource whose linked file must wait for a decision: the file is staged
    and the resource loses its link, as an upload would have (no resource hooks run:
    the loader's job is not an edit of the resource)."""
    from ckan import model
    res = model.Session.get(model.Resource, resource_id)
    current = dict(res.extras or {}, url=res.url, url_type=res.url_type)
    staged = stage(verdict, path, name, move=False)
    if res.url_type == "upload":     # an uploaded file held only now leaves CKAN's storage too
        try:
            os.unlink(harvest_publish.storage_path(res.id))
        except OSError:
            pass
    fields: dict = {}
    key = withhold_fields(fields, current, name, verdict.reading.fmt)
    res.url, res.url_type = "", ""
    extras = dict(res.extras or {})
    extras.pop("datastore_active", None)
    extras.update({k: fields[k] for k in (harvest_publish.SOURCE_KEY, harvest_publish.ROLE_KEY, reviews.STATUS_KEY)})
    res.extras = extras
    model.Session.add(res)
    model.Session.commit()
    reviews.record(staged, package_id=res.package_id, origin=UPLOAD, source_key=key, created_by=user,
                   resource_id=resource_id)
    reviews.reindex(res.package_id)
    log.info("Linked file %s of resource %s held back for a personal-data decision: %s", name, resource_id,
             describe(verdict))
