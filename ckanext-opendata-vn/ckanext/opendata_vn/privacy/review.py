"""Reviews: holding a table back, and carrying out an IT reviewer's decision.

One table held back = one `PrivacyReview` (model.py) plus its staged files
(staging.py). The *source key* says whose data it is: a harvest source's id, or
"upload:<uuid>" for a file an officer uploaded (the resource keeps the same key in
its `vn_harvest_source` extra, so that the harvester's publish step, harvest/publish.py,
treats it like a source's resources).

Decisions (decide()):

* publish   as is; a legal basis is required and recorded;
* remove    the chosen columns (default: the flagged ones) are dropped;
* mask      their values are masked with detect.mask (the kind found for each column);
* reject    nothing is published; the comment goes to the agency by mail.

publish/remove/mask run harvest/publish.py on the original or reduced table, so the
CSV, JSON and DataStore table all come from one place; the original file is only
published as is (a reduced decision withholds it, and removes an earlier one).
A later harvest is covered by the last decision while its personal columns are among
those decided on; a new personal column holds the data back again (harvest_guard.py).
"""
from __future__ import annotations

import datetime
import hashlib
import logging
import os
import shutil
import types
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.opendata_vn.harvest import publish as harvest_publish
from ckanext.opendata_vn.core.tabular import table as tabular
from ckanext.opendata_vn.core import clock
from ckanext.opendata_vn.core.failures import HarvestFailure, public_url
from ckanext.opendata_vn.privacy import staging
from ckanext.opendata_vn.core.tabular.personal_data import Finding
from ckanext.opendata_vn.privacy.model import (DECISIONS, HARVEST, MASK, PENDING, PUBLISH, PUBLISHED, REDUCED,
                                               REJECT, REJECTED, REMOVE, STATE_OF, SUPERSEDED, UPLOAD,
                                               PrivacyReview)

log = logging.getLogger(__name__)

STATUS_KEY = "personal_data_status"         # resource extra: pending | rejected | published | reduced
WITHHELD = (PENDING, REJECTED)
UPLOAD_PREFIX = "upload:"


def is_withheld(resource: dict | None) -> bool:
    """A resource whose data waits for (or was refused) a personal-data decision."""
    return bool(resource) and resource.get(STATUS_KEY) in WITHHELD


def resource_withheld(resource_id: str | None) -> bool:
    if not resource_id:
        return False
    res = model.Session.get(model.Resource, resource_id)
    return res is not None and res.state == "active" and (res.extras or {}).get(STATUS_KEY) in WITHHELD


# ----------------------------------------------------------------- holding back
@dataclass
class Staged:
    dir_name: str
    sha: str
    findings: list[dict]
    columns: list[str]
    rows: int
    original_name: str
    original_format: str
    held_reason: str = ""          # UNREADABLE / ARCHIVE: the file is held as a whole
    detail: dict | None = None


def stage_file(findings: list[Finding], original_path: str, *, original_name: str = "", original_format: str = "",
               held_reason: str, detail: dict | None = None, move_original: bool = True,
               dir_name: str | None = None) -> Staged:
    """A file held as a whole (the guard could not read it, or an archive): only the
    original is staged; the reviewer can publish it as is or reject it."""
    if dir_name is None:
        dir_name, path = staging.new_directory()
    else:
        path = staging.directory(dir_name)
    target = staging.save_original(path, original_path, original_format, move=move_original)
    return Staged(dir_name=dir_name, sha=_sha256(target), findings=[f.as_dict() for f in findings],
                  columns=[], rows=0, original_name=original_name,
                  original_format=(original_format or "").upper(), held_reason=held_reason, detail=detail)


def stage(table: tabular.Table, findings: list[Finding], *, csv_path: str | None = None,
          original_path: str | None = None, original_name: str = "", original_format: str = "",
          move_original: bool = True, dir_name: str | None = None) -> Staged:
    """Copy a table (and its original file) into a new staging directory."""
    if dir_name is None:
        dir_name, path = staging.new_directory()
    else:
        path = staging.directory(dir_name)
    sha = staging.save_table(table, path, csv_path)
    if original_path and os.path.exists(original_path):
        staging.save_original(path, original_path, original_format or os.path.splitext(original_path)[1],
                              move=move_original)
    return Staged(dir_name=dir_name, sha=sha, findings=[f.as_dict() for f in findings],
                  columns=table.names, rows=table.row_count, original_name=original_name,
                  original_format=(original_format or "").upper())


def record(staged: Staged, *, package_id: str, origin: str, source_key: str, created_by: str = "",
           resource_id: str | None = None) -> PrivacyReview:
    """The pending review of a staged table; an older pending table of the same
    source is superseded (and its staged copy deleted), keeping its place in the queue."""
    waiting_since = supersede_pending(source_key)
    now = datetime.datetime.utcnow()
    review = PrivacyReview(package_id=package_id, origin=origin, source_key=source_key,
                           resource_id=resource_id, state=PENDING, findings=staged.findings,
                           columns=staged.columns, row_count=staged.rows, content_sha256=staged.sha,
                           original_name=staged.original_name, original_format=staged.original_format,
                           created_by=created_by or "", created=now, waiting_since=waiting_since or now,
                           held_reason=staged.held_reason, held_detail=staged.detail)
    review.id = review.id or clock.new_id()
    staging.rename(staged.dir_name, review.id)
    model.Session.add(review)
    model.Session.commit()
    return review


def pending_for(source_key: str) -> list[PrivacyReview]:
    return (model.Session.query(PrivacyReview)
            .filter(PrivacyReview.source_key == source_key, PrivacyReview.state == PENDING)
            .order_by(PrivacyReview.waiting_since).all())


def supersede_pending(source_key: str) -> datetime.datetime | None:
    """Mark the source's pending reviews superseded; the earliest waiting time."""
    earliest = None
    for old in pending_for(source_key):
        earliest = old.waiting_since if earliest is None else min(earliest, old.waiting_since)
        old.state = SUPERSEDED
        staging.remove(old.id)
    return earliest


def latest_decided(source_key: str, states=(PUBLISHED, REDUCED, REJECTED)) -> PrivacyReview | None:
    return (model.Session.query(PrivacyReview)
            .filter(PrivacyReview.source_key == source_key, PrivacyReview.state.in_(states))
            .order_by(PrivacyReview.decided_at.desc().nullslast()).first())


def covering_decision(source_key: str, flagged: list[str]) -> PrivacyReview | None:
    """The last decision that published the source's data, if it decided on every
    column flagged now; None when a new personal column needs a new decision. (A
    rejection is about the table it rejected: the same table stays refused, see
    harvest_guard.guard; a table back to the approved columns is covered again.)"""
    last = latest_decided(source_key, states=(PUBLISHED, REDUCED))
    if last is not None and set(flagged) <= set(last.reviewed_columns or []):
        return last
    return None


def withheld_roles(source_key: str) -> set[str]:
    """Roles of the harvester's resources deliberately not published for this source:
    the original file, when the data was published without or with masked columns."""
    last = latest_decided(source_key, states=(PUBLISHED, REDUCED))
    return {harvest_publish.ORIGINAL} if last is not None and last.state == REDUCED else set()


# ----------------------------------------------------------------- deciding
def _invalid(field: str, message: str):
    return tk.ValidationError({field: [message]})


def decide(review: PrivacyReview, decision: str, reason: str, columns: list[str] | None, user: str) -> PrivacyReview:
    _ = tk._
    if review.state != PENDING:
        raise _invalid("id", _("Bảng dữ liệu này đã được quyết định."))
    if decision not in DECISIONS:
        raise _invalid("decision", _("Quyết định phải là một trong: publish, remove, mask, reject."))
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("Cần ghi căn cứ pháp lý khi công bố nguyên trạng.") if decision == PUBLISH
                       else _("Cần ghi ý kiến gửi đơn vị khi từ chối.") if decision == REJECT
                       else _("Cần ghi lý do của quyết định."))
    if not staging.exists(review.id) and decision != REJECT:
        raise _invalid("id", _("Không còn bản lưu tạm của bảng dữ liệu; hãy để đơn vị cung cấp lại."))
    if review.held_reason and decision not in (PUBLISH, REJECT):
        raise _invalid("decision", _("Tệp này không đọc được thành bảng: chỉ có thể công bố nguyên trạng hoặc từ chối."))
    chosen: list[str] = []
    if decision in (REMOVE, MASK):
        chosen = [c for c in (columns or []) if c] or review.flagged_columns
        unknown = [c for c in chosen if c not in (review.columns or [])]
        if unknown:
            raise _invalid("columns", _("Không có cột: {columns}").format(columns=", ".join(unknown)))
        if decision == REMOVE and len(set(chosen)) >= len(review.columns or []):
            raise _invalid("columns", _("Không thể bỏ tất cả các cột; hãy từ chối nếu không công bố được gì."))
    if decision != REJECT and review.held_reason:
        _publish_file(review)
    elif decision != REJECT:
        _publish(review, decision, chosen)
    review.state = STATE_OF[decision]
    review.decision = decision
    review.reason = reason
    review.decided_columns = chosen
    review.reviewed_columns = review.flagged_columns
    review.decided_by = user
    review.decided_at = datetime.datetime.utcnow()
    if decision == REJECT:
        _set_resource_status(review, REJECTED)
    model.Session.commit()
    staging.remove(review.id)       # nothing personal is kept once decided
    if decision == REJECT:
        _reindex(review.package_id)
        review.notified = notify_rejection(review)
        model.Session.commit()
    log.info("Personal-data decision on %s (%s, dataset %s): %s by %s", review.id, review.origin,
             review.package_id, decision, user)
    return review


def _source_for(review: PrivacyReview):
    if review.origin == HARVEST:
        from ckanext.harvest.model import HarvestSource
        source = HarvestSource.get(review.source_key)
        if source is not None:
            return source
    return types.SimpleNamespace(id=review.source_key, url="", title="")


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _set_resource_status(review: PrivacyReview, status: str, role: str | None = None) -> dict | None:
    """Set the uploaded resource's status (and harvester role) in place; returns the
    extras as they were, to restore them if publishing fails."""
    if not review.resource_id:
        return None
    res = model.Session.get(model.Resource, review.resource_id)
    if res is None or res.state != "active":
        return None
    before = dict(res.extras or {})
    extras = dict(before, **{STATUS_KEY: status})
    if role:
        extras[harvest_publish.ROLE_KEY] = role
    res.extras = extras
    model.Session.add(res)
    model.Session.commit()
    return before


def _upload_role(review: PrivacyReview, decision: str) -> str:
    """The role the uploaded resource takes: the original file when published as is,
    else the (reduced) CSV — unless another resource of the same upload already has it."""
    wanted = harvest_publish.ORIGINAL if decision == PUBLISH else harvest_publish.CSV
    res = model.Session.get(model.Resource, review.resource_id)
    current = (res.extras or {}).get(harvest_publish.ROLE_KEY) if res is not None else None
    if current == wanted:
        return wanted
    for other in model.Session.query(model.Resource).filter(
            model.Resource.package_id == review.package_id, model.Resource.state == "active",
            model.Resource.id != review.resource_id):
        extras = other.extras or {}
        if extras.get(harvest_publish.SOURCE_KEY) == review.source_key and \
                extras.get(harvest_publish.ROLE_KEY) == wanted:
            return current or harvest_publish.ORIGINAL
    return wanted


def _publish(review: PrivacyReview, decision: str, columns: list[str]) -> None:
    table = staging.load_table(review.id)
    if decision in (REMOVE, MASK):
        table = staging.reduce(table, decision, columns, review.kinds())
    folder = staging.directory(review.id)
    csv_out, json_out = os.path.join(folder, "out.csv"), os.path.join(folder, "out.json")
    outputs = tabular.write_outputs(table, csv_out, json_out)
    original = staging.original_path(review.id)
    withhold = decision != PUBLISH
    if not withhold and not original:
        raise _invalid("id", tk._("Không còn tệp gốc của bảng dữ liệu; hãy chọn bỏ hoặc che các cột."))
    prepared = harvest_publish.Prepared(
        table=table, outputs=outputs, csv_path=csv_out, json_path=json_out,
        original_path=original or "", original_name=review.original_name or "du-lieu",
        original_format=review.original_format or "CSV",
        original_sha256=_sha256(original) if original else "",
        original_size=os.path.getsize(original) if original else 0,
        withhold_original=withhold)
    source = _source_for(review)
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = {"user": site, "ignore_auth": True, "use_cache": False}
    restore = None
    if review.origin == UPLOAD:
        role = _upload_role(review, decision)
        restore = _set_resource_status(review, STATE_OF[decision], role)
    pkg = tk.get_action("package_show")(dict(ctx), {"id": review.package_id})
    earlier = harvest_publish.harvest_resources(pkg.get("resources", []), review.source_key)
    notes: list = []
    try:
        info = harvest_publish.publish(source, review.package_id, prepared, notes)
    except HarvestFailure as failure:
        if restore is not None:
            res = model.Session.get(model.Resource, review.resource_id)
            res.extras = restore
            model.Session.commit()
        raise _invalid("id", tk._("Không công bố được dữ liệu: {cause}").format(cause=failure.cause_vi))
    dropped = earlier.get(harvest_publish.ORIGINAL)
    if withhold and dropped and dropped["id"] not in (info.get("resources") or {}).values():
        # the earlier original file held the full table: it is no resource any more
        try:
            os.unlink(harvest_publish.storage_path(dropped["id"]))
        except OSError:
            pass
    if review.origin == HARVEST and not isinstance(source, types.SimpleNamespace):
        # the harvester clears "accept new columns" once the new columns are published,
        # and checks the next run's columns against the published table's
        from ckanext.opendata_vn.harvest import sources
        from ckanext.opendata_vn.harvest.base import accept_columns
        if sources.load_config(source).get("allow_column_changes"):
            sources.clear_flag(source, "allow_column_changes")
        accept_columns(source.id, list(review.columns or []))


def _publish_file(review: PrivacyReview) -> None:
    """A file held as a whole, published as is: it becomes the resource's upload again."""
    original = staging.original_path(review.id)
    res = model.Session.get(model.Resource, review.resource_id) if review.resource_id else None
    if not original or res is None or res.state != "active":
        raise _invalid("id", tk._("Không còn tệp gốc hoặc tài nguyên của tệp này; hãy để đơn vị cung cấp lại."))
    target = harvest_publish.storage_path(res.id)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(original, target)
    os.chmod(target, 0o644)
    from ckan.lib.munge import munge_filename
    res.url = munge_filename(review.original_name or "tep-du-lieu")
    res.url_type = "upload"
    res.size = os.path.getsize(target)
    extras = dict(res.extras or {}, **{STATUS_KEY: PUBLISHED})
    res.extras = extras
    model.Session.add(res)
    model.Session.commit()
    _reindex(review.package_id)


def reindex(package_id: str) -> None:
    _reindex(package_id)


def _reindex(package_id: str) -> None:
    try:
        from ckan.lib.search import rebuild
        rebuild(package_id)
    except Exception:
        log.exception("could not reindex dataset %s", package_id)


# ----------------------------------------------------------------- notification
def notify_rejection(review: PrivacyReview) -> str:
    """Mail the agency's focal officers (and the uploader) the reviewer's comment, as
    compliance/reminders.py mails reminders; logs the message when mail is not set up.
    Returns what was done, for the record."""
    from ckan.lib import mailer
    from ckanext.opendata_vn.compliance.reminders import mail_configured, recipients

    pkg = model.Package.get(review.package_id)
    if pkg is None:
        return ""
    people = dict((email, name) for name, email in recipients([pkg.owner_org] if pkg.owner_org else [])
                  .get(pkg.owner_org, []))
    uploader = model.User.get(review.created_by) if review.created_by else None
    if uploader is not None and uploader.email:
        people.setdefault(uploader.email.strip().lower(), uploader.display_name)
    subject, body = rejection_message(review, pkg)
    if not people:
        log.warning("Personal-data rejection of %s: no focal officer email for dataset %s", review.id, pkg.name)
        return ""
    if not mail_configured():
        for email, name in people.items():
            log.info("Mail is not configured (smtp.server); rejection notice that would be sent to %s <%s>:\n"
                     "Subject: %s\n\n%s", name, email, subject, body)
        return "logged: " + ", ".join(sorted(people))
    sent = []
    for email, name in people.items():
        try:
            mailer.mail_recipient(name, email, subject, body)
            sent.append(email)
        except mailer.MailerException as e:
            log.error("Personal-data rejection notice to %s not sent: %s", email, e)
    return "sent: " + ", ".join(sorted(sent)) if sent else "failed"


def rejection_message(review: PrivacyReview, pkg: model.Package) -> tuple[str, str]:
    _ = tk._
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    subject = _("[{site}] Dữ liệu chưa được công khai vì có dữ liệu cá nhân: {title}").format(
        site=tk.config.get("ckan.site_title") or "", title=pkg.title or pkg.name)
    columns = ", ".join(f"{f['column']} ({f['label_vi'].lower()})" for f in review.findings or [])
    what = review.original_name or _("bảng dữ liệu")
    body = "\n".join([
        _("Kính gửi cán bộ đầu mối,"), "",
        _("Sở phụ trách cổng dữ liệu đã từ chối công khai «{what}» của tập dữ liệu «{title}».").format(
            what=what, title=pkg.title or pkg.name),
        _("Các cột có dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): {columns}.").format(columns=columns), "",
        _("Ý kiến của Sở:"), review.reason, "",
        _("Hãy cung cấp lại dữ liệu không có các cột này (hoặc bổ sung căn cứ pháp lý để công khai)."),
        f"{site}/dataset/{pkg.name}", "",
        _("Thư này được gửi tự động từ cổng dữ liệu mở."),
    ])
    return subject, body


# ----------------------------------------------------------------- display
def state_label(state: str) -> str:
    _ = tk._
    labels = {PENDING: _("Chờ quyết định"), PUBLISHED: _("Đã công bố nguyên trạng"),
              REDUCED: _("Đã công bố sau khi bỏ/che cột"), REJECTED: _("Đã từ chối"),
              SUPERSEDED: _("Đã có dữ liệu mới hơn")}
    return labels.get(state, state)


def decision_label(decision: str | None) -> str:
    _ = tk._
    labels = {PUBLISH: _("Công bố nguyên trạng"), REMOVE: _("Công bố, bỏ các cột đã chọn"),
              MASK: _("Công bố, che các cột đã chọn"), REJECT: _("Từ chối")}
    return labels.get(decision or "", decision or "")


def as_dict(review: PrivacyReview, *, with_preview: bool = False) -> dict:
    pkg = model.Package.get(review.package_id)
    org = model.Group.get(pkg.owner_org) if pkg is not None and pkg.owner_org else None
    res = model.Session.get(model.Resource, review.resource_id) if review.resource_id else None
    source_title, source_url = "", ""
    if review.origin == HARVEST:
        from ckanext.harvest.model import HarvestSource
        source = HarvestSource.get(review.source_key)
        if source is not None:
            source_title, source_url = source.title or "", public_url(source.url)

    def iso(value):
        return value.replace(microsecond=0).isoformat() if value else None

    out = {
        "id": review.id, "state": review.state, "state_label": state_label(review.state),
        "origin": review.origin, "package_id": review.package_id,
        "package_name": pkg.name if pkg is not None else None,
        "package_title": pkg.title if pkg is not None else None,
        "organization_id": org.id if org is not None else None,
        "organization_title": org.title if org is not None else None,
        "resource_id": review.resource_id,
        "resource_name": (res.name or res.url) if res is not None else None,
        "source_key": review.source_key, "source_title": source_title, "source_url": source_url,
        "findings": list(review.findings or []), "columns": list(review.columns or []),
        "flagged_columns": review.flagged_columns, "row_count": review.row_count,
        "original_name": review.original_name, "original_format": review.original_format,
        "created_by": review.created_by, "created": iso(review.created),
        "waiting_since": iso(review.waiting_since),
        "decision": review.decision, "decision_label": decision_label(review.decision),
        "reason": review.reason, "decided_columns": list(review.decided_columns or []),
        "reviewed_columns": list(review.reviewed_columns or []),
        "decided_by": review.decided_by, "decided_at": iso(review.decided_at),
        "notified": review.notified,
        "held_reason": review.held_reason or "", "held_detail": review.held_detail or None,
    }
    if with_preview:
        out["preview"] = masked_preview(review)
    return out


def masked_preview(review: PrivacyReview) -> dict:
    """The first rows of the staged table with every flagged column masked."""
    return staging.masked_preview(review.id, review.kinds())


# ----------------------------------------------------------------- watch list
def watch_list(limit: int = 100) -> list[dict]:
    """The appendix-import path: datasets whose catalog description lists personal data
    (detect.describe_fields, the catalog-level warning) and that have data no reviewer
    decided on — a link, a PDF, a file from before this guard — for IT staff to check.
    Tables arriving by harvest or upload are checked column by column instead."""
    import json as _json
    import sqlalchemy as sa
    from ckanext.opendata_vn.core.tabular.personal_data import describe_fields

    has_data = sa.exists().where(sa.and_(model.Resource.package_id == model.Package.id,
                                         model.Resource.state == "active", model.Resource.url != ""))
    decided = sa.exists().where(sa.and_(PrivacyReview.package_id == model.Package.id,
                                        PrivacyReview.state.in_([PENDING, PUBLISHED, REDUCED, REJECTED])))
    q = (model.Session.query(model.Package)
         .filter(model.Package.state == "active", model.Package.type == "dataset", has_data, ~decided)
         .order_by(model.Package.metadata_modified.desc()))
    out = []
    for pkg in q.limit(2000):
        extras = pkg.extras or {}
        try:
            lines = _json.loads(extras.get("data_fields") or "[]")
        except ValueError:
            lines = []
        if not isinstance(lines, list) or not lines:
            lines = [ln.lstrip("-•+ ") for ln in (pkg.notes or "").splitlines()]
        found = describe_fields([str(x) for x in lines])
        if not found:
            continue
        org = model.Group.get(pkg.owner_org) if pkg.owner_org else None
        out.append({"package_id": pkg.id, "package_name": pkg.name, "package_title": pkg.title,
                    "organization_title": org.title if org is not None else "",
                    "fields": sorted({f.label_vi for f in found})})
        if len(out) >= limit:
            break
    return out
