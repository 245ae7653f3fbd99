"""One pass of `ckan opendata scheduler`: finish, stop and create harvest jobs.

ckanext-harvest's own frequencies stop at MONTHLY, so our sources stay MANUAL there
and this pass decides, from each catalog entry's tần suất (status.compute_next_due),
when a job is created. Each pass also:

* stops jobs that did not finish within `job_timeout` minutes (a dead consumer, a
  lost queue message): the job ends as failed with a message, never "Running"
  forever;
* runs `harvest_jobs_run` (marks finished jobs, resubmits lost queue items) and
  `harvest_abort_failed_jobs` (ckanext-harvest's clean-up for other sources);
* removes temporary downloads left by a killed process.
"""
from __future__ import annotations

import datetime
import logging
import os
import time

from ckan import model
import ckan.plugins.toolkit as tk

from ckanext.harvest.logic import HarvestJobExists, HarvestSourceInactiveError
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestSource

from ckanext.opendata_vn.core import fetch
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.harvest import settings, sources
from ckanext.opendata_vn.harvest.source_status import compute_next_due

log = logging.getLogger(__name__)
TEMP_MAX_AGE = 24 * 3600


def _context() -> dict:
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"model": model, "session": model.Session, "user": user, "ignore_auth": True}


def force_manual() -> int:
    """Our sources are scheduled here only: a frequency set in ckanext-harvest's own
    form would make it create jobs too."""
    n = (model.Session.query(HarvestSource)
         .filter(HarvestSource.type.in_(sources.SOURCE_TYPES), HarvestSource.frequency != "MANUAL")
         .update({"frequency": "MANUAL"}, synchronize_session=False))
    model.Session.commit()
    return n


def stop_stuck_jobs(now: datetime.datetime | None = None) -> list[str]:
    """End as failed the jobs of our sources that made no progress for `job_timeout`."""
    now = now or datetime.datetime.utcnow()
    minutes = settings.get("job_timeout")
    limit = datetime.timedelta(minutes=minutes)
    stopped = []
    jobs = (model.Session.query(HarvestJob).join(HarvestSource)
            .filter(HarvestSource.type.in_(sources.SOURCE_TYPES))
            .filter(HarvestJob.status.in_(("New", "Running"))).all())
    for job in jobs:
        last = job.get_last_action_time() or job.created
        if now - last <= limit:
            continue
        source = job.source
        message = HarvestFailure("job_timeout", minutes=minutes).message(source.title, source.url)
        for obj in model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job.id):
            if obj.state not in ("COMPLETE", "ERROR"):
                obj.state = "ERROR"
                obj.report_status = "errored"
        job.status = "Finished"
        job.finished = now
        if job.gather_finished is None:
            job.gather_finished = now
        model.Session.add(HarvestGatherError(message=message, job=job))
        stopped.append(job.id)
        log.warning("stopped stuck harvest job %s of source %s", job.id, source.id)
    model.Session.commit()
    return stopped


def due_sources(now: datetime.datetime | None = None) -> list[tuple[HarvestSource, datetime.datetime, str]]:
    now = now or datetime.datetime.utcnow()
    busy = {sid for (sid,) in model.Session.query(HarvestJob.source_id)
            .filter(HarvestJob.status.in_(("New", "Running")))}
    out = []
    for source in sources.vn_sources_query().filter(HarvestSource.active.is_(True)):
        if source.id in busy:
            continue
        dataset_id = sources.dataset_id_of(source)
        dataset = model.Package.get(dataset_id) if dataset_id else None
        if dataset is None or dataset.state != "active":
            continue
        last = (model.Session.query(HarvestJob.created).filter(HarvestJob.source_id == source.id)
                .order_by(HarvestJob.created.desc()).first())
        extras = dataset.extras
        due, rule = compute_next_due(extras.get("update_frequency"), data_updated=extras.get("data_updated"),
                                     last_attempt=last[0] if last else None, created=source.created)
        if due is not None and due <= now:
            out.append((source, due, rule))
    return out


def clean_temp_files(max_age: int = TEMP_MAX_AGE) -> int:
    folder = fetch.temp_dir()
    removed = 0
    cutoff = time.time() - max_age
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if os.path.isfile(path) and os.path.getmtime(path) < cutoff:
                os.unlink(path)
                removed += 1
        except OSError:
            pass
    return removed


def run_pass(now: datetime.datetime | None = None) -> dict:
    """Returns what the pass did: created/stopped job ids, errors."""
    summary: dict = {"created": [], "stopped": [], "errors": []}
    force_manual()
    summary["stopped"] = stop_stuck_jobs(now)
    context = _context()
    try:
        tk.get_action("harvest_jobs_run")(dict(context), {})
    except tk.ValidationError as e:   # "There are no new harvesting jobs" is not an error
        log.debug("harvest_jobs_run: %s", e)
    try:
        tk.get_action("harvest_abort_failed_jobs")(dict(context), {"life_span": 1})
    except Exception as e:  # another harvester's source with an odd frequency
        log.warning("harvest_abort_failed_jobs: %s", e)
        model.Session.rollback()
    for source, due, rule in due_sources(now):
        try:
            job = tk.get_action("harvest_job_create")(dict(_context()), {"source_id": source.id, "run": True})
            summary["created"].append(job["id"])
            log.info("created harvest job %s for source %s (%s, due %s)", job["id"], source.id, rule, due)
        except (HarvestJobExists, HarvestSourceInactiveError) as e:
            log.info("source %s: %s", source.id, e)
        except Exception as e:
            log.exception("could not create a job for source %s", source.id)
            summary["errors"].append(f"{source.id}: {e}")
            model.Session.rollback()
    summary["temp_removed"] = clean_temp_files()
    return summary
