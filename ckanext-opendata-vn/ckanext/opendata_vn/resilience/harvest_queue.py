"""Harvest work survives a Redis outage.

ckanext-harvest marks a job "Running" and commits before it puts the job on the gather
queue, so a job created while Redis is down (by an officer or the scheduler) would
wait in "Running" with no queue message. `requeue_unsent_jobs` sends such jobs again
once Redis answers; lost fetch messages are resubmitted by harvest_jobs_run itself.

`harvest_send_job_to_gather_queue` is chained so that a request whose job could not
be queued is answered 503 (errors.py), also through the Action API.

`run_consumer` keeps a harvest consumer alive across Redis and PostgreSQL restarts
(ckanext-harvest's own loop exits on the first Redis connection error).
"""
from __future__ import annotations

import datetime
import json
import logging
import time

import redis
import sqlalchemy.exc
from flask import g

from ckan import model
import ckan.plugins.toolkit as tk

from ckanext.harvest.model import HarvestJob

log = logging.getLogger(__name__)
RETRY_SECONDS = 5


def requeue_unsent_jobs(min_age: int = 60) -> list[str]:
    """Put back on the gather queue the running jobs no consumer has started and that
    are neither queued nor being gathered. Returns their ids."""
    from ckanext.harvest.queue import get_connection, get_gather_publisher, get_gather_routing_key

    cutoff = datetime.datetime.utcnow() - datetime.timedelta(seconds=min_age)
    jobs = [job_id for (job_id,) in model.Session.query(HarvestJob.id)
            .filter(HarvestJob.status == "Running", HarvestJob.gather_started.is_(None),
                    HarvestJob.created < cutoff)]
    model.Session.rollback()
    if not jobs:
        return []
    conn, key = get_connection(), get_gather_routing_key()
    queued = {json.loads(body).get("harvest_job_id") for body in conn.lrange(key, 0, -1)}
    lost = [job_id for job_id in jobs if job_id not in queued and not conn.exists(f"{key}:{job_id}")]
    publisher = get_gather_publisher()
    for job_id in lost:
        publisher.send({"harvest_job_id": job_id})
        log.warning("harvest job %s was never queued (Redis was down): sent again", job_id)
    return lost


@tk.chained_action
def harvest_send_job_to_gather_queue(original_action, context, data_dict):
    try:
        return original_action(context, data_dict)
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        try:
            g.opendata_vn_queue_unavailable = True  # the Action API answers its own 500: errors.py
        except RuntimeError:  # outside a web request (the scheduler)
            pass
        raise


def get_actions() -> dict:
    return {"harvest_send_job_to_gather_queue": harvest_send_job_to_gather_queue}


def run_consumer(kind: str) -> None:
    """Run ckanext-harvest's gather or fetch consumer; when Redis or PostgreSQL drops
    the connection, wait and start it again (queued messages stay in Redis)."""
    from ckanext.harvest import utils

    consume = {"gather": utils.gather_consumer, "fetch": utils.fetch_consumer}[kind]
    while True:
        try:
            consume()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as e:
            log.warning("%s consumer: Redis unreachable (%s), retrying in %d s", kind, e, RETRY_SECONDS)
        except sqlalchemy.exc.DBAPIError as e:
            log.warning("%s consumer: database error (%s), retrying in %d s", kind, e, RETRY_SECONDS)
        model.Session.remove()
        time.sleep(RETRY_SECONDS)
