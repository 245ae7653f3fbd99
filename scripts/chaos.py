#!/usr/bin/env python3
"""`make chaos`: stop and restart Solr, Redis and PostgreSQL in turn under a light load
on this checkout's `make run` portal, then check that nothing acknowledged was lost.

Phases (each bounded; --hold seconds of outage, --settle seconds after the restart):

    baseline · solr-down · solr-after · redis-down · redis-after · pg-down · pg-after

During every phase, on loopback only: readers fetch a dataset page, the search page,
the home page, package_show and package_search; a focal officer (an editor of a
sandbox agency made for the run, with an API token) creates datasets through
package_create; at the start of each outage a harvest job of a vn_excel source (a CSV
served by this script on 127.0.0.1) is started.

An answer is *expected* when it is what the issue promises for the phase (503 with our
message for search while Solr is down; anything while PostgreSQL is down, which is
refused, not lost); any other failure is an *error*. At the end the script checks:
every acknowledged write is in the database, package_search counts equal the database
(after the scheduler re-indexed what Solr missed), no harvest job of the run is left
"Running"; it prints a table of answers per phase and exits 1 if a check fails.
The sandbox agency, its datasets, sources and the officer are removed afterwards.
"""
from __future__ import annotations

import argparse
import collections
import configparser
import http.server
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
CKAN = str(ROOT / ".venv" / "bin" / "ckan")
STACK = str(ROOT / "scripts" / "stack.sh")
MESSAGE = "Tìm kiếm tạm thời không khả dụng"
SERVICES = (("solr", "solr"), ("redis", "redis"), ("pg", "postgresql"))
# the only agency config/development.ini lets fetch from loopback (the CSV server below)
AGENCY = "chaos-sandbox"


def env_file(path: Path) -> dict:
    out = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        if key.strip():
            out[key.strip()] = value.strip()
    return out


def ini_value(key: str) -> str:
    parser = configparser.RawConfigParser(strict=False)
    parser.read(LOCAL / "ckan.ini")
    return parser.get("app:main", key)


def ckan_cli(*args: str) -> str:
    return subprocess.run([CKAN, "-c", str(LOCAL / "ckan.ini"), *args], check=True, text=True,
                          capture_output=True, timeout=300).stdout


class Tally:
    """Answers per phase: ok, expected (degraded as promised), error (with a sample)."""

    def __init__(self):
        self.phase = "setup"
        self.lock = threading.Lock()
        self.rows: dict = collections.OrderedDict()
        self.acked: list[str] = []

    def row(self, phase: str) -> dict:
        return self.rows.setdefault(phase, {"requests": 0, "ok": 0, "expected": 0, "errors": 0,
                                            "writes_acked": 0, "writes_refused": 0, "samples": []})

    def during(self, started: str) -> str:
        """The phase a request belongs to: the outage it ran into, else where it began."""
        return self.phase if self.phase.endswith("-down") else started

    def add(self, phase: str, outcome: str, what: str, detail: str = "") -> None:
        with self.lock:
            row = self.row(phase)
            row["requests"] += 1
            row[outcome] += 1
            if outcome == "errors" and len(row["samples"]) < 3:
                row["samples"].append(f"{what}: {detail}"[:160])

    def write(self, phase: str, acked: bool, name: str | None = None) -> None:
        with self.lock:
            row = self.row(phase)
            row["writes_acked" if acked else "writes_refused"] += 1
            if acked:
                self.acked.append(name)


class Portal:
    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = token

    def action(self, action_name: str, /, timeout: float = 30, **data) -> requests.Response:
        return self.http.post(f"{self.base}/api/3/action/{action_name}", json=data, timeout=timeout)

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.base + path, timeout=kw.pop("timeout", 30), **kw)


def judge(phase: str, what: str, status: int | None, body: str) -> str:
    """ok / expected / errors for one read in a phase (body: the page, or the API's
    error message)."""
    if phase == "pg-down":  # every page needs PostgreSQL: refused, nothing to lose
        return "ok" if status == 200 else "expected"
    if what in ("search page", "package_search") and phase == "solr-down" and status != 200:
        return "expected" if status == 503 and MESSAGE in body else "errors"
    return "ok" if status == 200 else "errors"


def body_of(response: requests.Response) -> str:
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            return str((response.json().get("error") or {}).get("message", ""))
        except ValueError:
            pass
    return response.text


def reader(portal: Portal, tally: Tally, dataset: str, stop: threading.Event) -> None:
    reads = [("dataset page", f"/dataset/{dataset}"), ("search page", "/dataset/?q=trường học"),
             ("home page", "/"), ("package_show", f"/api/3/action/package_show?id={dataset}"),
             ("package_search", "/api/3/action/package_search?q=dân số&rows=5")]
    while not stop.is_set():
        what, path = random.choice(reads)
        started = tally.phase
        try:
            r = portal.get(path)
            status, body = r.status_code, body_of(r)
        except requests.RequestException as e:
            status, body = None, str(e)
        phase = tally.during(started)
        tally.add(phase, judge(phase, what, status, body), what, f"{status} {body[:80]!r}")
        stop.wait(random.uniform(0.2, 0.6))


def writer(officer: Portal, tally: Tally, org_id: str, tag: str, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        name = f"chaos-{tag}-{n:04d}"
        started = tally.phase
        try:
            r = officer.action("package_create", name=name, title=f"Dữ liệu thử chaos {tag} số {n}",
                               notes="Tập dữ liệu tạo bởi make chaos.", owner_org=org_id,
                               theme="giao-duc", update_frequency="quarterly")
            acked = r.status_code == 200 and r.json().get("success") is True
            detail = f"{r.status_code} {r.text[:80]!r}"
        except (requests.RequestException, ValueError) as e:
            acked, detail = False, str(e)
        phase = tally.during(started)
        tally.write(phase, acked, name)
        if not acked and phase != "pg-down":  # writes need PostgreSQL: refused, not lost
            tally.add(phase, "errors", "package_create", detail)
        stop.wait(random.uniform(0.5, 1.0))


class FileServer:
    """The agency's CSV file, on 127.0.0.1."""

    def __init__(self, port: int):
        body = "Tên trường,Huyện,Số học sinh\n" + "".join(
            f"Trường {i},Huyện {i % 7},{100 + i}\n" for i in range(200))
        data = body.encode("utf-8")

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/csv; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/truong-hoc.csv"

    def close(self):
        self.server.shutdown()


def service(action: str, name: str) -> None:
    subprocess.run([STACK, f"{action}-service", name], check=True, timeout=240,
                   stdout=subprocess.DEVNULL)


def wait_until(check, seconds: float, step: float = 2.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(step)
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hold", type=float, default=20, help="seconds each service stays down")
    ap.add_argument("--settle", type=float, default=20, help="seconds of load after each restart")
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--file-port", type=int, default=0, help="port of the CSV server (0: any)")
    args = ap.parse_args()

    ports = env_file(LOCAL / "ports.env")
    base = f"http://127.0.0.1:{ports['CKAN_PORT']}"
    if not wait_until(lambda: requests.get(f"{base}/api/3/action/status_show", timeout=5).ok, 10):
        print(f"The portal does not answer at {base}: start it with `make run` first.", file=sys.stderr)
        return 2
    admin_name = os.environ.get("CKAN_ADMIN_USER", "admin")
    engine = sa.create_engine(ini_value("sqlalchemy.url"), pool_pre_ping=True)
    tag = uuid.uuid4().hex[:6]
    tally = Tally()

    # setup: a sandbox agency and its focal officer, with API tokens
    admin = Portal(base, ckan_cli("user", "token", "add", admin_name, f"chaos-{tag}").split()[-1])
    officer_name = f"chaos-officer-{tag}"
    ckan_cli("user", "add", officer_name, f"email={officer_name}@localhost",
             f"password={uuid.uuid4().hex}", "fullname=Cán bộ đầu mối thử chaos")
    files = FileServer(args.file_port)
    sources: dict = {}
    org = {"id": AGENCY}
    try:
        officer = Portal(base, ckan_cli("user", "token", "add", officer_name, "chaos").split()[-1])
        admin.action("organization_purge", id=AGENCY)  # left by an interrupted run
        org = admin.action("organization_create", name=AGENCY, title="Đơn vị thử chaos",
                           users=[{"name": officer_name, "capacity": "editor"}]).json()["result"]
        for phase, _svc in SERVICES:
            ds = officer.action("package_create", name=f"chaos-{tag}-harvest-{phase}",
                                title=f"Danh sách trường học chaos {tag} {phase}", notes="Thu thập thử.",
                                owner_org=org["id"], theme="giao-duc", update_frequency="daily").json()
            src = officer.action("opendata_vn_harvest_source_create", dataset_id=ds["result"]["id"],
                                 source_type="vn_excel", url=files.url).json()
            if not src.get("success"):
                print(f"harvest source refused: {src.get('error')}", file=sys.stderr)
                return 2
            sources[phase] = src["result"]["id"]
        sample = f"chaos-{tag}-harvest-solr"
        tally.write("setup", True, sample)
        tally.acked.extend(f"chaos-{tag}-harvest-{p}" for p, _s in SERVICES[1:])

        stop = threading.Event()
        workers = [threading.Thread(target=reader, args=(Portal(base), tally, sample, stop))
                   for _ in range(args.readers)]
        workers += [threading.Thread(target=writer, args=(officer, tally, org["id"], f"{tag}-w{i}", stop))
                    for i in range(args.writers)]
        harvest_runs: list[int] = []
        tally.phase = "baseline"
        for w in workers:
            w.start()
        time.sleep(args.settle)
        for phase, svc in SERVICES:
            tally.phase = f"{phase}-down"
            # a harvest runs into each outage; with Redis down it is started during the
            # outage (the job is recorded, the API call fails, the scheduler queues it later)
            if svc != "redis":
                harvest_runs.append(officer.action("opendata_vn_harvest_run", id=sources[phase]).status_code)
            service("stop", svc)
            if svc == "redis":
                harvest_runs.append(officer.action("opendata_vn_harvest_run", id=sources[phase]).status_code)
            time.sleep(args.hold)
            service("start", svc)
            tally.phase = f"{phase}-after"
            time.sleep(args.settle)
        stop.set()
        for w in workers:
            w.join(timeout=60)
        tally.phase = "checks"

        # checks
        results = {}
        with engine.connect() as conn:
            stored = {n for (n,) in conn.execute(sa.text(
                "SELECT name FROM package WHERE owner_org = :o AND state = 'active'"), {"o": org["id"]})}
        results["lost writes"] = len(set(tally.acked) - stored)

        def db_count() -> int:
            with engine.connect() as conn:
                return conn.execute(sa.text("SELECT count(*) FROM package WHERE state = 'active' "
                                            "AND type = 'dataset'")).scalar()

        def search_count() -> int:
            return admin.action("package_search", q="*:*", rows=0, include_private=True,
                                include_drafts=False).json()["result"]["count"]
        # the scheduler re-indexes what Solr missed within ckanext.opendata_vn.recovery_interval
        # and drops documents of writes PostgreSQL refused after a 120 s grace
        wait_until(lambda: db_count() == search_count(), 240, 5)
        results["database datasets"], results["search count"] = db_count(), search_count()

        def unfinished() -> list:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(sa.text(
                    "SELECT source_id, status FROM harvest_job WHERE source_id = ANY(:s) "
                    "AND status IN ('New', 'Running')"), {"s": list(sources.values())})]
        # finishing jobs is the scheduler's pass; run it here rather than wait for its interval
        wait_until(lambda: (ckan_cli("opendata", "scheduler", "--once"), not unfinished())[1], 180, 10)
        results["harvest runs started (HTTP)"] = " ".join(map(str, harvest_runs))
        results["harvest jobs left Running"] = len(unfinished())
        with engine.connect() as conn:
            results["harvest jobs finished"] = conn.execute(sa.text(
                "SELECT count(*) FROM harvest_job WHERE source_id = ANY(:s) AND status = 'Finished'"),
                {"s": list(sources.values())}).scalar()
    finally:
        files.close()
        cleanup(admin, org, sources, officer_name, engine)

    print_table(tally, results)
    unexpected = sum(row["errors"] for row in tally.rows.values())
    failed = (results["lost writes"] or results["database datasets"] != results["search count"]
              or results["harvest jobs left Running"] or unexpected)
    print("KẾT QUẢ / RESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


def cleanup(admin: Portal, org: dict, sources: dict, officer_name: str, engine) -> None:
    """Remove what the run made. Harvest sources attached to catalog datasets cannot be
    cleared through the API (it would delete the dataset): their harvest records go
    first, then the datasets (with their DataStore tables), the agency, the officer."""
    ids = list(sources.values())
    with engine.begin() as conn:
        for sql in ("DELETE FROM harvest_object_error WHERE harvest_object_id IN "
                    "(SELECT id FROM harvest_object WHERE harvest_source_id = ANY(:s))",
                    "DELETE FROM harvest_object_extra WHERE harvest_object_id IN "
                    "(SELECT id FROM harvest_object WHERE harvest_source_id = ANY(:s))",
                    "DELETE FROM harvest_object WHERE harvest_source_id = ANY(:s)",
                    "DELETE FROM harvest_gather_error WHERE harvest_job_id IN "
                    "(SELECT id FROM harvest_job WHERE source_id = ANY(:s))",
                    "DELETE FROM harvest_job WHERE source_id = ANY(:s)",
                    "DELETE FROM harvest_source WHERE id = ANY(:s)"):
            conn.execute(sa.text(sql), {"s": ids})
        packages = [i for (i,) in conn.execute(sa.text("SELECT id FROM package WHERE owner_org = :o"),
                                               {"o": org["id"]})]
    for package_id in packages:
        shown = admin.action("package_show", id=package_id).json().get("result") or {}
        for res in shown.get("resources", []):
            if res.get("datastore_active"):
                admin.action("datastore_delete", resource_id=res["id"], force=True)
        admin.action("dataset_purge", id=package_id, timeout=60)
    admin.action("organization_purge", id=org["id"])
    admin.action("user_delete", id=officer_name)


def print_table(tally: Tally, results: dict) -> None:
    head = f"{'phase':<12} {'requests':>8} {'ok':>6} {'expected':>9} {'errors':>7} {'writes ok':>10} {'refused':>8}"
    print("\n" + head + "\n" + "-" * len(head))
    for phase, row in tally.rows.items():
        print(f"{phase:<12} {row['requests']:>8} {row['ok']:>6} {row['expected']:>9} {row['errors']:>7} "
              f"{row['writes_acked']:>10} {row['writes_refused']:>8}")
        for sample in row["samples"]:
            print(f"    ! {sample}")
    print()
    for key, value in results.items():
        print(f"{key:<28} {value}")


if __name__ == "__main__":
    sys.exit(main())
