#!/usr/bin/env python
"""Benchmark (not a test): what the DataStore's full-text column and index cost.

    .venv/bin/python -m benchmarks.datastore_fulltext [--rows 100000] [--rounds 2] [--ckan-ini .local/test-bench.ini]

The harvest benchmark's workbook (benchmarks/harvest_excel.py, cached in /tmp) is read
and typed once, written as the CSV the harvester publishes, then loaded into the slot's
DataStore database once per variant and round, interleaved, the way datastore.stage()
does it (COPY into a temporary table, INSERT … SELECT with to_tsvector, index):

    A  every column in _full_text, GiST index (before)
    F  text columns only in _full_text, GiST index (what datastore.stage() does now)
    G  text and date columns, GiST
    C  every column, 'simple' text-search configuration, GiST
    E  every column, GIN index (fastupdate off)
    B  every column, no index

For each it prints the wall time of each step and the PostgreSQL backend's CPU time
(/proc/<pid>/stat of the server process, so it must run on the database's machine):
on the shared 2-core machine wall times swing by 2× with other work, CPU time much
less. Tables are dropped after each run.
"""
from __future__ import annotations

import argparse
import configparser
import os
import sys
import time
from pathlib import Path

from benchmarks.harvest_excel import workbook as harvest_workbook
from benchmarks.timing import slot_ini

VARIANTS = [
    ("A all columns, GiST (before)", {"columns": "all", "index": "gist"}),
    ("F text columns, GiST (now)", {"columns": ("text",), "index": "gist"}),
    ("G text + date columns, GiST", {"columns": ("text", "date", "timestamp"), "index": "gist"}),
    ("C all columns, 'simple', GiST", {"columns": "all", "index": "gist", "config": "simple"}),
    ("E all columns, GIN", {"columns": "all", "index": "gin", "with": "WITH (fastupdate = off)"}),
    ("B all columns, no index", {"columns": "all"}),
]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def backend_cpu(conn) -> float:
    cur = conn.cursor()
    cur.execute("SELECT pg_backend_pid()")
    fields = Path(f"/proc/{cur.fetchone()[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(conn, table, csv_path: str, variant: dict) -> dict:
    columns = ", ".join(f"{_ident(c.ds_id)} {c.type}" for c in table.columns)
    target = ", ".join(_ident(c.ds_id) for c in table.columns)
    chosen = [c for c in table.columns if variant["columns"] == "all" or c.type in variant["columns"]]
    text = ", ".join(f"{_ident(c.ds_id)}::text" for c in chosen)
    config = f"'{variant['config']}', " if variant.get("config") else ""
    cpu0 = backend_cpu(conn)
    cur = conn.cursor()
    cur.execute("SET LOCAL maintenance_work_mem = '128MB'")
    times = {}
    t = time.monotonic()
    cur.execute(f"CREATE TEMP TABLE bench_load ({columns}) ON COMMIT DROP")
    with open(csv_path, "rb") as f:
        cur.copy_expert(f"COPY bench_load ({target}) FROM STDIN WITH (FORMAT csv, HEADER true)", f)
    times["copy"], t = time.monotonic() - t, time.monotonic()
    cur.execute(f"CREATE TABLE bench_fts (_id serial PRIMARY KEY, _full_text tsvector, {columns})")
    cur.execute(f"INSERT INTO bench_fts ({target}, _full_text) "
                f"SELECT {target}, to_tsvector({config}concat_ws(' ', {text})) FROM bench_load")
    times["full_text"], t = time.monotonic() - t, time.monotonic()
    if variant.get("index"):
        cur.execute(f"CREATE INDEX bench_fts_idx ON bench_fts USING {variant['index']}(_full_text) "
                    f"{variant.get('with', '')}")
    times["index"], t = time.monotonic() - t, time.monotonic()
    conn.commit()
    times["pg_cpu"] = backend_cpu(conn) - cpu0
    cur = conn.cursor()
    cur.execute("DROP TABLE bench_fts")
    conn.commit()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--ckan-ini", type=Path, default=slot_ini("bench"))
    args = parser.parse_args()
    import psycopg2
    from ckanext.opendata_vn.core.tabular import workbook
    from ckanext.opendata_vn.core.tabular import table as tabular
    path = harvest_workbook(args.rows)
    table = workbook.read_table(str(path), "xlsx", {})
    csv_path = str(path.with_suffix(".csv"))
    tabular.write_csv(table, csv_path)
    ini = configparser.RawConfigParser(strict=False)
    ini.read(args.ckan_ini)
    conn = psycopg2.connect(ini.get("app:main", "ckan.datastore.write_url"))
    conn.cursor().execute("DROP TABLE IF EXISTS bench_fts")
    conn.commit()
    print(f"{table.row_count:,} rows × {len(table.columns)} columns "
          f"({sum(c.type == 'text' for c in table.columns)} text); load average {os.getloadavg()[0]:.1f}")
    results: dict[str, list[dict]] = {}
    for _ in range(args.rounds):
        for label, variant in VARIANTS:
            results.setdefault(label, []).append(load(conn, table, csv_path, variant))
    print(f"\n{'variant':<32} {'copy':>6} {'_full_text':>10} {'index':>6} {'wall':>6} {'PG CPU':>7}  (s, mean)")
    for label, runs in results.items():
        mean = {k: sum(r[k] for r in runs) / len(runs) for k in runs[0]}
        wall = mean["copy"] + mean["full_text"] + mean["index"]
        print(f"{label:<32} {mean['copy']:6.2f} {mean['full_text']:10.2f} {mean['index']:6.2f} "
              f"{wall:6.2f} {mean['pg_cpu']:7.2f}")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
