#!/usr/bin/env python
"""Benchmark (not a test): the compliance report for 100 agencies and 5,000 datasets.

    .venv/bin/python -m benchmarks.compliance_report [--agencies 100] [--datasets 5000]
        [--runs 5] [--ckan-ini .local/test-compliancebench.ini] [--keep]

1. in its own test slot (`TEST_SLOT=compliancebench`: its own PostgreSQL databases,
   Redis DB and site id; provisioned if missing) writes a province "Tỉnh Đo Hiệu Năng"
   with N agencies and M datasets straight into the tables (bulk INSERTs, no Solr: the
   report reads PostgreSQL only): every dataset is an entry of one published 2025
   decision, with the seed catalogs' mix of frequencies and first-provided dates; 60 %
   have a data resource (a tenth of them two), with creation and update dates spread
   over 2024–2025, and 5 % a confirmation;
2. times `figures.report(…, with_trend=True)` — what the dashboard, the Action API and
   the export compute — and the Excel export of the result, best and median of the runs;
3. removes the rows again (unless --keep).

Target (issue #5): report ≤ 2 s. Exit code 0 when met, 2 when not.
"""
from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from benchmarks.timing import ckan_app, ensure_slot, slot_ini

TARGET_S = 2.0
PROVINCE = "Tỉnh Đo Hiệu Năng"
PREFIX = "bench-compliance-"
FREQS = ["annual"] * 40 + ["on_occurrence"] * 25 + ["quarterly"] * 10 + ["semiannual"] * 8 + \
    ["school_year"] * 6 + ["monthly"] * 5 + ["on_change"] * 5 + [""] * 1
FIRST = ["01/01/2025"] * 6 + ["Quý II/2025", "30/06/2025", "Năm 2025", ""]


def populate(n_agencies: int, n_datasets: int, seed: int = 47) -> dict:
    import sqlalchemy as sa
    from ckan import model
    from ckanext.opendata_vn.workflow.history import WorkflowEvent

    rng = random.Random(seed)
    now = datetime.datetime.utcnow()
    meta = model.meta.metadata
    t = {name: meta.tables[name] for name in (
        "group", "package", "package_extra", "resource", "opendata_vn_catalog", "opendata_vn_catalog_entry")}
    orgs = [{"id": str(uuid.uuid4()), "name": f"{PREFIX}{i:03d}", "title": f"Cơ quan đo hiệu năng số {i:03d}",
             "type": "organization", "is_organization": True, "state": "active", "approval_status": "approved",
             "created": now, "description": "", "image_url": ""} for i in range(n_agencies)]
    catalog_id = str(uuid.uuid4())
    packages, extras, resources, entries, events = [], [], [], [], []
    for i in range(n_datasets):
        pid = str(uuid.uuid4())
        org = orgs[i % n_agencies]
        freq = rng.choice(FREQS)
        packages.append({"id": pid, "name": f"{PREFIX}ds-{i:05d}", "title": f"Tập dữ liệu đo hiệu năng {i}",
                         "owner_org": org["id"], "private": False, "state": "active", "type": "dataset",
                         "metadata_created": now, "metadata_modified": now, "license_id": "cc-by"})
        for key, value in (("theme", rng.choice(["giao-duc", "y-te", "tai-chinh", "giao-thong", "noi-vu"])),
                           ("update_frequency", freq), ("first_provided", "2025-01-01"),
                           ("province", PROVINCE)):
            extras.append({"id": str(uuid.uuid4()), "package_id": pid, "key": key, "value": value, "state": "active"})
        if rng.random() < 0.6:
            made = datetime.datetime(2024, 6, 1) + datetime.timedelta(days=rng.randrange(0, 540))
            for _n in range(2 if rng.random() < 0.1 else 1):
                resources.append({"id": str(uuid.uuid4()), "package_id": pid, "url": f"https://example.gov.vn/{i}.csv",
                                  "format": "CSV", "state": "active", "created": made, "position": _n,
                                  "last_modified": made + datetime.timedelta(days=rng.randrange(0, 120)),
                                  "extras": "{}"})
            extras.append({"id": str(uuid.uuid4()), "package_id": pid, "key": "data_updated", "state": "active",
                           "value": (made + datetime.timedelta(days=rng.randrange(0, 200))).isoformat()})
            if rng.random() < 0.05:
                events.append({"id": str(uuid.uuid4()), "package_id": pid, "agency_id": org["id"],
                               "action": "confirm", "entry_title": "", "from_state": "", "to_state": "",
                               "user_name": "bench", "comment": "", "created": datetime.datetime(2025, 11, 1)})
        entries.append({"id": str(uuid.uuid4()), "catalog_id": catalog_id, "package_id": pid, "position": i + 1,
                        "number": str(i + 1), "part": 0, "theme_number": "I", "theme": "CHỦ ĐỀ GIÁO DỤC",
                        "title": f"Tập dữ liệu đo hiệu năng {i}", "description": "", "agency": org["title"],
                        "first_provided": rng.choice(FIRST), "frequency": freq and next(
                            f.label_vi for f in __import__("ckanext.opendata_vn.core.vocab", fromlist=["x"]).FREQUENCIES
                            if f.code == freq), "source": "Excel", "notes": "", "extraction_note": "",
                        "state": "approved"})
    conn = model.Session.connection()
    conn.execute(t["group"].insert(), orgs)
    conn.execute(t["package"].insert(), packages)
    conn.execute(t["package_extra"].insert(), extras)
    if resources:
        conn.execute(t["resource"].insert(), resources)
    conn.execute(t["opendata_vn_catalog"].insert(), [{
        "id": catalog_id, "key": f"{PREFIX}2025", "province": PROVINCE, "year": 2025, "period": "2025",
        "kind": "decision", "title": f"Danh mục dữ liệu mở {PROVINCE} năm 2025", "document_number": "1/QĐ-BENCH",
        "document_date": "2025-01-10", "issuer": "", "legal_basis": [], "source_file": "", "notes": "",
        "state": "published", "created": now, "modified": now}])
    conn.execute(t["opendata_vn_catalog_entry"].insert(), entries)
    if events:
        conn.execute(WorkflowEvent.__table__.insert(), events)
    model.Session.commit()
    return {"orgs": [o["id"] for o in orgs], "packages": [p["id"] for p in packages], "catalog": catalog_id,
            "resources": len(resources), "events": len(events)}


def cleanup() -> None:
    import sqlalchemy as sa
    from ckan import model
    conn = model.Session.connection()
    conn.execute(sa.text("DELETE FROM opendata_vn_catalog WHERE province = :p"), {"p": PROVINCE})  # entries cascade
    pkgs = "SELECT id FROM package WHERE name LIKE :like"
    for table in ("opendata_vn_workflow_event", "resource", "package_extra"):
        conn.execute(sa.text(f"DELETE FROM {table} WHERE package_id IN ({pkgs})"), {"like": PREFIX + "%"})
    conn.execute(sa.text("DELETE FROM package WHERE name LIKE :like"), {"like": PREFIX + "%"})
    conn.execute(sa.text("DELETE FROM \"group\" WHERE name LIKE :like"), {"like": PREFIX + "%"})
    model.Session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ckan-ini", type=Path, default=slot_ini("compliancebench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")
    args = parser.parse_args()
    ensure_slot(args.ckan_ini)

    with ckan_app(args.ckan_ini).test_request_context():
        import ckan.plugins.toolkit as tk
        from ckanext.opendata_vn.compliance import export, figures

        tk.config["ckanext.opendata_vn.review_months"] = '{"%s": 3}' % PROVINCE
        cleanup()
        started = time.perf_counter()
        made = populate(args.agencies, args.datasets)
        print(f"generated {args.agencies} agencies, {args.datasets} datasets, {made['resources']} resources, "
              f"{made['events']} confirmations in {time.perf_counter() - started:.1f} s", flush=True)
        try:
            as_of = datetime.date(2025, 12, 31)
            figures.report(PROVINCE, 2025, as_of=as_of, with_trend=True)   # warm-up (imports, plans)
            times, export_times = [], []
            for _run in range(args.runs):
                t0 = time.perf_counter()
                result = figures.report(PROVINCE, 2025, as_of=as_of, with_trend=True)
                times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                export.xlsx(result)
                export_times.append(time.perf_counter() - t0)
            totals = result["totals"]
            assert totals["entries"] == args.datasets and totals["agencies"] == args.agencies, totals
            print(f"report: {totals['agencies']} agencies, {totals['entries']} entries, {totals['published']} published, "
                  f"{totals['overdue']} overdue, share {totals['share']} %")
            print(f"compliance report (with trend): best {min(times):.3f} s, median {statistics.median(times):.3f} s "
                  f"over {args.runs} runs (target ≤ {TARGET_S:.0f} s)")
            print(f"Excel export of that report:    best {min(export_times):.3f} s, "
                  f"median {statistics.median(export_times):.3f} s")
        finally:
            if not args.keep:
                cleanup()
    return 0 if statistics.median(times) <= TARGET_S else 2


if __name__ == "__main__":
    sys.exit(main())
