"""The scheduler reads each entry's tần suất and creates jobs when due; stuck jobs end
as failed; `ckan opendata scheduler --once` runs one pass."""
from __future__ import annotations

import datetime

import pytest

from ckan import model
from ckan.tests import helpers

from ckanext.harvest.model import HarvestJob
from ckanext.opendata_vn.harvest import job_scheduler as scheduler
from ckanext.opendata_vn.harvest.source_status import compute_next_due, local_midnight_utc

from tests.support.harvest import create_source, site_user, source_status, xlsx_bytes

UTC = datetime.timezone.utc
CHANGED = "2024-03-10T03:00:00+00:00"          # 10:00 in Hà Nội
ATTEMPT = datetime.datetime(2024, 3, 10, 3, 0)  # the run that found the change


def midnight(y, m, d):
    return local_midnight_utc(datetime.date(y, m, d))


@pytest.mark.parametrize("code, due", [
    ("daily", midnight(2024, 3, 11)),
    ("weekly", midnight(2024, 3, 17)),
    ("monthly", midnight(2024, 4, 10)),
    ("quarterly", midnight(2024, 6, 10)),           # Quý
    ("semiannual", midnight(2024, 9, 10)),          # 6 tháng
    ("annual", midnight(2025, 3, 10)),              # Năm
    ("school_year", midnight(2024, 9, 30)),         # Năm học: 2023–2024 data, due as 2024–2025 starts
    ("monthly_quarterly", midnight(2024, 4, 10)),
])
def test_periodic_frequencies(code, due):
    assert compute_next_due(code, data_updated=CHANGED, last_attempt=ATTEMPT) == (due, "periodic")


def test_school_year_starts_in_september():
    # updated in October 2024 (school year 2024–2025): next due with the 2025–2026 year
    due, rule = compute_next_due("school_year", data_updated="2024-10-05T02:00:00+00:00",
                                 last_attempt=datetime.datetime(2024, 10, 5, 2))
    assert due == midnight(2025, 9, 30) and rule == "periodic"


@pytest.mark.parametrize("code", ["on_occurrence", "on_change", "on_demand", "continuous"])
def test_irregular_frequencies_are_checked_daily(code):
    due, rule = compute_next_due(code, data_updated=CHANGED, last_attempt=ATTEMPT)
    assert due == ATTEMPT + datetime.timedelta(hours=24) and rule == "irregular"


def test_first_run_is_due_at_once_and_overdue_entries_are_rechecked_daily():
    created = datetime.datetime(2024, 1, 1)
    assert compute_next_due("annual", created=created) == (created, "first")
    late = datetime.datetime(2024, 6, 20, 1)      # after the quarterly due date, data unchanged
    assert compute_next_due("quarterly", data_updated=CHANGED, last_attempt=late) == \
        (late + datetime.timedelta(hours=24), "recheck")
    # a failed first run (no data yet) is tried again the next day
    assert compute_next_due("quarterly", last_attempt=late) == (late + datetime.timedelta(hours=24), "recheck")


@pytest.mark.parametrize("code", ["other", None, "nonsense"])
def test_unknown_frequency_is_manual_after_the_first_run(code):
    assert compute_next_due(code, last_attempt=ATTEMPT) == (None, "manual")
    created = datetime.datetime(2024, 1, 1)
    assert compute_next_due(code, created=created) == (created, "first")


def _dataset(agency, unique, frequency, data_updated=None):
    extra = {"data_updated": data_updated} if data_updated else {}
    return helpers.call_action(
        "package_create", context={"user": site_user()}, name=f"lich-{frequency or 'khong'}-{unique}",
        title=f"Lịch {frequency} {unique}", notes="x", owner_org=agency["org"]["id"], theme="y-te",
        update_frequency=frequency, **extra)


def _past_job(source_id, when, status="Finished"):
    job = HarvestJob(source_id=source_id, status=status, created=when, gather_started=when,
                     gather_finished=when if status == "Finished" else None,
                     finished=when if status == "Finished" else None)
    model.Session.add(job)
    model.Session.commit()
    return job.id


def test_scheduler_pass_creates_due_jobs_only(http_server, agency, unique):
    url = http_server.add(f"/{unique}/s.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    now = datetime.datetime.utcnow()
    yesterday = now - datetime.timedelta(hours=25)
    fresh = create_source(_dataset(agency, unique, "monthly"), url + "?1")        # never ran
    recent = create_source(_dataset(agency, unique, "quarterly",
                                    data_updated=(now - datetime.timedelta(days=5)).isoformat()), url + "?2")
    _past_job(recent["id"], now - datetime.timedelta(days=5))
    irregular = create_source(_dataset(agency, unique, "on_change", data_updated=yesterday.isoformat()),
                              url + "?3")
    _past_job(irregular["id"], yesterday)
    checked_today = create_source(_dataset(agency, unique, "on_occurrence"), url + "?4")
    _past_job(checked_today["id"], now - datetime.timedelta(hours=2))
    manual = create_source(_dataset(agency, unique, None), url + "?5")
    _past_job(manual["id"], now - datetime.timedelta(days=40))

    summary = scheduler.run_pass()
    created = {HarvestJob.get(j).source_id for j in summary["created"]}
    assert {fresh["id"], irregular["id"]} <= created
    assert not {recent["id"], checked_today["id"], manual["id"]} & created
    # created jobs are on the gather queue, shown as queued/running with their next check
    st = source_status(fresh["id"])
    assert st["last_job"]["status"] == "Running"
    assert st["next_due"] and st["schedule_rule"] == "recheck"
    assert source_status(recent["id"])["schedule_rule"] == "periodic"
    assert source_status(manual["id"])["next_due"] is None
    # a second pass does not create a second job while one is pending
    assert not {fresh["id"], irregular["id"]} & {HarvestJob.get(j).source_id for j in scheduler.run_pass()["created"]}


def test_stuck_jobs_end_as_failed(http_server, agency, unique):
    url = http_server.add(f"/{unique}/stuck.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(_dataset(agency, unique, "annual"), url)
    job_id = _past_job(source["id"], datetime.datetime.utcnow() - datetime.timedelta(hours=2), status="Running")
    summary = scheduler.run_pass()
    assert job_id in summary["stopped"]
    job = helpers.call_action("harvest_job_show", context={"user": site_user()}, id=job_id)
    assert job["status"] == "Finished"
    st = source_status(source["id"])
    assert st["last_result"] == "failed"
    assert "không hoàn thành sau 30 phút" in st["last_job"]["message_vi"]
    assert "did not finish within 30 minutes" in st["last_job"]["message_en"]


def test_scheduler_command_runs_one_pass(cli, http_server, agency, unique):
    from ckan.cli.cli import ckan
    url = http_server.add(f"/{unique}/cli.xlsx", xlsx_bytes([["A", "B"], ["x", 1]]))
    source = create_source(_dataset(agency, unique, "weekly"), url)
    result = cli.invoke(ckan, ["opendata", "scheduler", "--once"])
    assert result.exit_code == 0, result.output
    model.Session.remove()
    assert source_status(source["id"])["last_job"]["status"] == "Running"
