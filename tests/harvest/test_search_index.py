"""The DataStore's full-text index follows the load as a job on CKAN's queue: the rows
are searchable with q= as soon as they are live, and the index ckanext-datastore
expects (its name, on _full_text) exists once the job ran."""
from __future__ import annotations

from ckan.lib import jobs

from tests.support.harvest import create_source, datastore_rows, harvested, run_job, show, xlsx_bytes

from ckanext.opendata_vn.core.tabular import datastore
ROWS = [["Tên trường", "Xã", "Số học sinh"], ["Trường THCS Chiềng Lề", "Phường Chiềng Lề", 640],
        ["Trường Tiểu học Tô Hiệu", "Phường Tô Hiệu", 812]]


def _index(resource_id: str):
    conn = datastore._write_connection()
    try:
        cur = conn.cursor()
        cur.execute("SELECT i.indisvalid, am.amname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am am ON am.oid = c.relam WHERE c.relname = %s",
                    (datastore.fts_index_name(resource_id),))
        return cur.fetchone()
    finally:
        conn.close()


def _queued_index_job(resource_id: str):
    return next((job for job in jobs.get_queue().jobs
                 if job.func_name.endswith("build_search_index") and job.args == [resource_id]), None)


def test_search_works_at_once_and_the_index_follows(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/truong.xlsx", xlsx_bytes(ROWS))
    source = create_source(dataset, url)
    run_job(source["id"])
    rid = harvested(show(dataset["id"]), source["id"])["csv"]["id"]

    assert datastore_rows(rid, q="Tô Hiệu")["total"] == 1          # before the index exists
    assert _index(rid) is None
    job = _queued_index_job(rid)
    assert job is not None
    try:
        job.perform()
    finally:
        job.delete()
    assert _index(rid) == (True, "gist")
    assert datastore_rows(rid, q="Tô Hiệu")["total"] == 1
    assert datastore.build_search_index(rid) is True                 # again: nothing to do
    assert datastore.build_search_index("no-such-resource-table") is False
