"""When a source is due, and how its last run went: one answer for the scheduler,
the source page and the API.

Due dates come from the catalog entry's tần suất through `schedule.next_due` (the
rule compliance and reminders use too), counted from the data's last change
(`data_updated`):

* a source that never ran is due at once (whatever the frequency);
* a periodic entry (daily … yearly, Quý, 6 tháng, Năm học from September) is due
  on its next due date; while due and the data has not changed, it is checked
  again every `check_interval_hours` (24 h) until it does;
* "Khi có phát sinh / Khi có thay đổi" (and the other irregular ones) are checked
  every `check_interval_hours`, and publish only when the content changed;
* an entry without a known frequency is, after that first run, only run by hand.
"""
from __future__ import annotations

import datetime
import json

from ckan import model

from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError

from ckanext.opendata_vn.core import due_dates as schedule
from ckanext.opendata_vn.core import formats, vocab
from ckanext.opendata_vn.core.clock import local_timezone
from ckanext.opendata_vn.core.failures import split_message
from ckanext.opendata_vn.harvest import settings, sources

UTC = datetime.timezone.utc


def _tz():
    return local_timezone()


def parse_time(value) -> datetime.datetime | None:
    """Naive UTC datetime from an ISO string (naive = UTC, as CKAN stores them)."""
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            try:
                moment = datetime.datetime.combine(datetime.date.fromisoformat(str(value)[:10]), datetime.time())
            except ValueError:
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def local_midnight_utc(day: datetime.date) -> datetime.datetime:
    """00:00 of `day` in the portal's time zone, as naive UTC."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=_tz()).astimezone(UTC).replace(tzinfo=None)


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.replace(tzinfo=UTC).astimezone(_tz()).date()


def compute_next_due(frequency_code: str | None, *, data_updated=None, last_attempt=None,
                     created=None) -> tuple[datetime.datetime | None, str]:
    """(next run as naive UTC or None, rule) — rule is "first", "periodic", "recheck",
    "irregular" or "manual"."""
    freq = vocab.FREQUENCY_BY_CODE.get(frequency_code or "")
    check = datetime.timedelta(hours=settings.get("check_interval_hours"))
    last_attempt = parse_time(last_attempt)
    if last_attempt is None:   # a new source is read once at once, whatever the frequency
        return parse_time(created) or datetime.datetime.utcnow(), "first"
    if freq is None or freq.code == "other":
        return None, "manual"
    if freq.irregular:
        return last_attempt + check, "irregular"
    changed = parse_time(data_updated)
    if changed is None:
        return last_attempt + check, "recheck"
    due_day = schedule.next_due(freq, local_date(changed))
    if due_day is None:
        return last_attempt + check, "recheck"
    due = local_midnight_utc(due_day)
    if last_attempt >= due:
        return last_attempt + check, "recheck"   # due, not yet updated: look again tomorrow
    return due, "periodic"


def last_job(source_id: str) -> HarvestJob | None:
    return (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source_id)
            .order_by(HarvestJob.created.desc()).first())


def iso(value) -> str | None:
    """ISO text with its UTC offset, from a naive-UTC datetime or from what
    ckanext-harvest sometimes stores as text."""
    moment = parse_time(value)
    return moment.replace(tzinfo=UTC).isoformat(timespec="seconds") if moment else None


def _job_result(job: HarvestJob) -> dict:
    out = {"id": job.id, "status": job.status, "created": iso(job.created), "finished": iso(job.finished),
           "created_local": display_time(job.created)}
    objects = model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job.id).all()
    gather_errors = (model.Session.query(HarvestGatherError).filter(HarvestGatherError.harvest_job_id == job.id)
                     .order_by(HarvestGatherError.created.desc()).all())
    object_errors = (model.Session.query(HarvestObjectError).join(HarvestObject)
                     .filter(HarvestObject.harvest_job_id == job.id)
                     .order_by(HarvestObjectError.created.desc()).all())
    errors = [e.message for e in object_errors] + [e.message for e in gather_errors]
    extras = {}
    if objects:
        obj = objects[0]
        extras = {e.key: e.value for e in obj.extras}
    if errors:
        result = "failed"
    elif job.status == "New":
        result = "queued"
    elif job.status == "Running" and (not objects or any(o.state not in ("COMPLETE", "ERROR") for o in objects)):
        result = "running"
    elif any(o.state == "ERROR" for o in objects):
        result = "failed"
    elif job.status in ("Finished", "Running") and objects:
        result = extras.get("result") or ("unchanged" if objects[0].report_status == "not modified" else "updated")
    elif job.status == "Aborted":
        result = "failed"
    else:
        result = "running" if job.status == "Running" else "failed"
    out["result"] = result
    if errors:
        vi, en = split_message(errors[0])
        out["message_vi"], out["message_en"] = vi, en
    try:
        out["log"] = [{"time": iso(t), "time_local": display_time(t), "vi": vi, "en": en}
                      for t, vi, en in json.loads(extras.get("log") or "[]")]
    except (ValueError, TypeError):
        out["log"] = []
    if extras.get("summary"):
        try:
            out["summary"] = json.loads(extras["summary"])
        except ValueError:
            pass
    return out


RESULT_LABELS = {
    "queued": ("Đang chờ chạy", "Queued"),
    "running": ("Đang chạy", "Running"),
    "updated": ("Đã cập nhật dữ liệu", "Data updated"),
    "unchanged": ("Dữ liệu không đổi", "No change"),
    "failed": ("Thất bại", "Failed"),
    # personal data guard (privacy/harvest_guard.py)
    "held": ("Chờ Sở quyết định về dữ liệu cá nhân", "Waiting for the IT reviewer's personal-data decision"),
}
RULE_LABELS = {
    "first": ("Lần chạy đầu tiên: ngay khi bộ lập lịch chạy", "First run: at the scheduler's next pass"),
    "periodic": ("Theo tần suất cung cấp", "By the update frequency"),
    "recheck": ("Đã đến hạn, dữ liệu chưa cập nhật: kiểm tra lại hằng ngày",
                "Due and not yet updated: checked again daily"),
    "irregular": ("Khi có phát sinh/thay đổi: kiểm tra hằng ngày, chỉ công bố khi nội dung thay đổi",
                  "When new data arises/changes: checked daily, published only when the content changed"),
    "manual": ("Chưa xác định tần suất: chỉ chạy thủ công", "No known frequency: run by hand only"),
}


def source_status(source, dataset: model.Package | None = None) -> dict:
    """Everything the source page and the API show about a source."""
    config = sources.load_config(source)
    dataset = dataset or (model.Package.get(config.get("dataset_id")) if config.get("dataset_id") else None)
    extras = dataset.extras if dataset is not None else {}
    frequency = extras.get("update_frequency") or None
    job = last_job(source.id)
    next_due, rule = compute_next_due(frequency, data_updated=extras.get("data_updated"),
                                      last_attempt=job.created if job else None, created=source.created)
    freq = vocab.FREQUENCY_BY_CODE.get(frequency or "")
    last = _job_result(job) if job else None
    personal = [c["name"] for c in ((last or {}).get("summary") or {}).get("columns", []) if c.get("personal")]
    success = (model.Session.query(HarvestObject)
               .filter(HarvestObject.harvest_source_id == source.id, HarvestObject.state == "COMPLETE")
               .order_by(HarvestObject.import_finished.desc().nullslast(), HarvestObject.fetch_finished.desc())
               .first())
    out = {
        "source_id": source.id,
        "source_type": source.type,
        "dataset_id": dataset.id if dataset is not None else None,
        "dataset_name": dataset.name if dataset is not None else None,
        "update_frequency": frequency,
        "update_frequency_label": freq.label_vi if freq else None,
        "data_updated": extras.get("data_updated"),
        "data_updated_local": display_time(extras.get("data_updated")),
        "next_due": iso(next_due),
        "next_due_local": display_time(next_due),
        "schedule_rule": rule,
        "schedule_rule_vi": RULE_LABELS[rule][0],
        "schedule_rule_en": RULE_LABELS[rule][1],
        "last_success": iso(success.fetch_finished or success.gathered) if success else None,
        "last_job": last,
        "personal_columns": personal,
    }
    if last:
        out["last_result"] = last["result"]
        out["last_result_vi"], out["last_result_en"] = RESULT_LABELS.get(last["result"], (last["result"],) * 2)
    return out


def display_time(value) -> str:
    """"dd/mm/yyyy HH:MM" in the portal's time zone, for templates."""
    moment = parse_time(value)
    if moment is None:
        return ""
    return formats.format_datetime(moment.replace(tzinfo=UTC))
