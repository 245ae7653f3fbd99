"""DataStore loads queued while Redis was down run when it is back.

The upload loader records a load as "queued" in PostgreSQL, then puts a job on CKAN's
Redis queue; when Redis is down the second step fails (loader/hooks.py logs it and
keeps the upload). `requeue_lost_loads` puts such loads on the queue again: "queued"
for a while, and neither waiting in the queue nor started by a worker.
"""
from __future__ import annotations

import datetime
import logging

from rq.registry import StartedJobRegistry

from ckan import model
import ckan.lib.jobs as ckan_jobs

from ckanext.opendata_vn.loader import jobs as loader_jobs
from ckanext.opendata_vn.loader.model import QUEUED, DatastoreLoad

log = logging.getLogger(__name__)


def _resources_on_the_queue() -> set[str]:
    queue = ckan_jobs.get_queue()
    jobs = list(queue.jobs) + [job for job in (queue.fetch_job(i) for i in StartedJobRegistry(queue=queue).get_job_ids())
                               if job is not None]
    return {job.args[0] for job in jobs if job.func_name.endswith("load_resource") and job.args}


def requeue_lost_loads(min_age: int = 60) -> list[str]:
    cutoff = datetime.datetime.utcnow() - datetime.timedelta(seconds=min_age)
    waiting = [(row.resource_id, row.requested_by) for row in model.Session.query(DatastoreLoad)
               .filter(DatastoreLoad.state == QUEUED, DatastoreLoad.queued_at < cutoff)]
    model.Session.rollback()
    if not waiting:
        return []
    queued = _resources_on_the_queue()
    lost = [(rid, user) for rid, user in waiting if rid not in queued]
    for resource_id, user in lost:
        loader_jobs.enqueue(resource_id, user)
        log.warning("DataStore load of resource %s was never queued (Redis was down): queued now", resource_id)
    return [rid for rid, _user in lost]
