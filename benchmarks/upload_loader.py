#!/usr/bin/env python
"""Benchmark (not a test): an officer uploads a 100,000-row × 12-column workbook and the
upload loader puts it in the DataStore.

    .venv/bin/python -m benchmarks.upload_loader [--rows 100000] [--ckan-ini .local/test-bench.ini]

1. the workbook of harvest_excel.py (same generator and cache in /tmp, not timed);
2. in the benchmark slot (`TEST_SLOT=bench`), creates an agency and a dataset and calls
   `resource_create` with the file as the web form and the API do — the personal-data
   guard reads the whole workbook in the request (timed: "upload");
3. runs the queued job from CKAN's queue the way `ckan jobs worker` does, in this process
   (rq's SimpleWorker): download-free read, typing, the guard again, CSV, COPY into a
   staged table and swap, `datastore_active` (timed: "load");
4. checks `datastore_search` total = rows, prints both times, rows per second, the
   process's peak RSS, and deletes what it created.

Targets on the 2-core machine, the harvester's bars: load ≤ 15 s, peak RSS ≤ 400 MB.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from benchmarks.harvest_excel import workbook as harvest_workbook
from benchmarks.timing import RssSampler, bench_dataset, boot_ckan, ensure_slot, peak_rss_mb, slot_ini

TARGETS = {"load_s": 15.0, "peak_rss_mb": 400.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--ckan-ini", type=Path, default=slot_ini("bench"))
    args = parser.parse_args()
    ensure_slot(args.ckan_ini)
    workbook = harvest_workbook(args.rows)

    boot_ckan(args.ckan_ini)
    import rq
    from werkzeug.datastructures import FileStorage
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.lib import jobs as ckan_jobs
    from ckanext.opendata_vn.loader import jobs

    ctx, org, ds = bench_dataset("bench-up-", "Dữ liệu tải lên đo hiệu năng")
    body = workbook.read_bytes()
    sampler = RssSampler()
    sampler.start()
    try:
        t0 = time.monotonic()
        res = tk.get_action("resource_create")(dict(ctx), {
            "package_id": ds["id"], "name": "Dữ liệu đo",
            "upload": FileStorage(stream=io.BytesIO(body), filename=workbook.name)})
        upload_s = time.monotonic() - t0
        t0 = time.monotonic()
        queue = ckan_jobs.get_queue()
        rq.SimpleWorker([queue], connection=queue.connection).work(burst=True)
        load_s = time.monotonic() - t0
        sampler.stop()
        model.Session.remove()
        state = jobs.state_of(res["id"])
        total = tk.get_action("datastore_search")(dict(ctx), {"resource_id": res["id"], "limit": 0})["total"]
        if state is None or state.state != "loaded" or total != args.rows:
            print(f"load FAILED: state {state and state.state} {state and state.message_en}, total {total}")
            return 1
        peak = max(sampler.peak / 1024 / 1024, peak_rss_mb())
        print(f"\n{args.rows:,} rows × 12 columns, {len(body) / 1e6:.1f} MB .xlsx")
        print(f"| stage | seconds | rows/s |\n| --- | ---: | ---: |")
        print(f"| upload (resource_create: personal-data guard reads the workbook) | {upload_s:.2f} | "
              f"{args.rows / upload_s:,.0f} |")
        print(f"| load job (read, type, guard, CSV, COPY + swap, datastore_active) | {load_s:.2f} | "
              f"{args.rows / load_s:,.0f} |")
        print(f"peak RSS {peak:.0f} MB")
        ok = load_s <= TARGETS["load_s"] and peak <= TARGETS["peak_rss_mb"]
        print(f"\nTargets: load ≤ {TARGETS['load_s']:.0f} s, peak RSS ≤ {TARGETS['peak_rss_mb']:.0f} MB → "
              f"{'met' if ok else 'NOT met'}")
        return 0 if ok else 2
    finally:
        sampler.running = False
        import logging
        logging.getLogger("ckan.model.modification").setLevel(logging.CRITICAL)
        for r in tk.get_action("package_show")(dict(ctx), {"id": ds["id"]})["resources"]:
            try:
                tk.get_action("datastore_delete")(dict(ctx), {"resource_id": r["id"], "force": True})
            except Exception:   # not loaded
                pass
            model.Session.query(jobs.DatastoreLoad).filter(jobs.DatastoreLoad.resource_id == r["id"]).delete()
        model.Session.commit()
        tk.get_action("dataset_purge")(dict(ctx), {"id": ds["id"]})
        tk.get_action("organization_purge")(dict(ctx), {"id": org["id"]})


if __name__ == "__main__":
    sys.exit(main())
