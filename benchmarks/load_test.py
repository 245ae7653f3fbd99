#!/usr/bin/env python
"""Load benchmark (not a test): the portal under citizen traffic, ours against stock CKAN.

What it does:
  prepare  in its own test slot (default `opsload`: databases ckan_test_opsload and
           datastore_test_opsload, its own site id in the shared Solr core), loads the
           seed catalogs, generates 10,000 Vietnamese datasets with the generator of
           benchmarks/search_latency.py (imported, same data), indexes them, and adds a
           focal officer with an API token and a dataset with an uploaded CSV and a
           DataStore table (downloads). Names the users pick from go to
           .local/benchmarks/load-fixture.json (0600: it holds the token).
  run      starts CKAN under gunicorn on 127.0.0.1 (ours: our plugins; stock: CKAN 2.11
           with only upstream plugins — activity, datastore, datatables_view, dcat — on
           the same databases and index), one after the other, and runs
           benchmarks/load/locustfile.py headless against each: 50 users for 5 minutes,
           each waiting 1–5 s between requests; prints requests, 5xx, p50 and p95 per
           endpoint group and the p95 ratio ours/stock.
  step     no waiting, users stepped up (5, 10, 20, 40 by default): throughput and p95
           per step, and the throughput at which the p95 of pages passes 1 s.

Targets: zero 5xx, p95 <= 1 s for pages, <= 300 ms for API reads, p95 ours <= 1.1 x stock.

Usage (from the repository root; services from scripts/stack.sh; loopback only):
  TEST_SLOT=opsload make test-env
  .venv/bin/python -m benchmarks.load_test prepare                # once (~20 min)
  .venv/bin/python -m benchmarks.load_test run                    # 2 x 5 min
  .venv/bin/python -m benchmarks.load_test run --users 5 --duration 20 --target ours
  .venv/bin/python -m benchmarks.load_test step --step-duration 60
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from configparser import RawConfigParser
from pathlib import Path

from benchmarks import search_latency as gen  # the 10,000-dataset generator, reused
from benchmarks.timing import ROOT, boot_ckan, slot_ini

OUT = ROOT / ".local" / "benchmarks"
FIXTURE = OUT / "load-fixture.json"
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
PORTS = {"ours": 5020, "stock": 5021}
STOCK_PLUGINS = "activity datastore datatables_view dcat"
OFFICER = "bench-can-bo-so-y-te"
OFFICER_ORG = gen.PREFIX + "so-y-te"
FILES_DATASET = gen.PREFIX + "tai-ve"
# endpoint groups and their p95 targets (ms)
TARGETS = {"page": 1000, "download": 1000, "dcat": 1000, "api": 300, "write": None}


# ----------------------------------------------------------------- configuration
def slot_values(slot_ini: Path) -> dict:
    cfg = RawConfigParser(strict=False)
    cfg.read(slot_ini, encoding="utf-8")
    keys = ("sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url", "solr_url",
            "ckan.redis.url", "SECRET_KEY", "ckan.site_id")
    return {k: cfg.get("app:main", k) for k in keys}


def write_ini(slot_ini: Path, target: str) -> Path:
    """A production-like ini (development.ini, not test.ini) on the slot's databases;
    the stock one only changes the plugins."""
    values = slot_values(slot_ini)
    lines = [f"# Written by benchmarks/load_test.py from {slot_ini.name}", "[app:main]",
             f"use = config:{ROOT / 'config' / 'development.ini'}",
             *(f"{k} = {v}" for k, v in values.items()),
             f"ckan.site_url = http://127.0.0.1:{PORTS[target]}",
             f"ckan.storage_path = {OUT / 'load-storage'}",
             f"ckanext.opendata_vn.seeds_path = {ROOT / 'catalog_seeds'}"]
    if target == "stock":
        lines += [f"ckan.plugins = {STOCK_PLUGINS}", "ckanext.dcat.rdf.profiles = euro_dcat_ap_3"]
    logging = (ROOT / "config" / "logging.ini").read_text(encoding="utf-8").replace("level = INFO", "level = WARNING")
    ini = OUT / f"load-{target}.ini"
    ini.write_text("\n".join(lines) + "\n\n" + logging, encoding="utf-8")
    ini.chmod(0o600)
    return ini


# ----------------------------------------------------------------- prepare
def prepare(args) -> None:
    ini = write_ini(args.slot_ini, "ours")
    write_ini(args.slot_ini, "stock")
    print("Loading the seed catalogs")
    subprocess.run([str(ROOT / ".venv/bin/ckan"), "-c", str(ini), "opendata", "load-seeds"], check=True,
                   stdout=subprocess.DEVNULL)
    ctx = boot_ckan(ini)
    from ckan.common import config
    base, core, site_id = gen.solr_base(ini), config["solr_url"].rsplit("/", 1)[1], config["ckan.site_id"]
    print(f"Datasets: {args.datasets} generated ones in {config['sqlalchemy.url'].rsplit('/', 1)[1]}")
    created = gen.generate(args.datasets)
    if created or gen.core_count(base, core, site_id) < args.datasets:
        gen.index_into([core], base)
    print(f"  {gen.core_count(base, core, site_id)} generated datasets indexed in {core} (site {site_id})")
    fixture = _fixture(officer_token=_officer(), downloads=_downloads())
    ctx.pop()
    FIXTURE.write_text(json.dumps(fixture, ensure_ascii=False, indent=1), encoding="utf-8")
    FIXTURE.chmod(0o600)
    print(f"wrote {FIXTURE.relative_to(ROOT)}")


def _site_context() -> dict:
    import ckan.plugins.toolkit as tk
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}


def _officer() -> str:
    """A focal officer (editor of one generated agency) and a fresh API token."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    if model.User.by_name(OFFICER) is None:
        tk.get_action("user_create")(_site_context(), {
            "name": OFFICER, "email": f"{OFFICER}@example.vn", "password": os.urandom(12).hex() + "Aa1!",
            "fullname": "Cán bộ đầu mối Sở Y tế (thử tải)"})
    tk.get_action("organization_member_create")(_site_context(), {"id": OFFICER_ORG, "username": OFFICER,
                                                                   "role": "editor"})
    token = tk.get_action("api_token_create")(_site_context(), {"user": OFFICER, "name": "load-test"})
    model.repo.commit()
    return token["token"]


def _downloads() -> list[str]:
    """An uploaded CSV and its DataStore table: /download/ and /datastore/dump/ URLs."""
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage
    ctx = _site_context()
    try:
        pkg = tk.get_action("package_show")(dict(ctx), {"id": FILES_DATASET})
    except tk.ObjectNotFound:
        pkg = tk.get_action("package_create")(dict(ctx), {
            "name": FILES_DATASET, "title": "Số trường học theo xã (thử tải)", "owner_org": OFFICER_ORG,
            "theme": "giao-duc", "notes": "Tệp tải về cho bài thử tải.", "update_frequency": "annual"})
    if not pkg.get("resources"):
        rows = ["xa,so_truong,so_lop"] + [f"Xã {i},{i % 7 + 1},{i % 23 + 5}" for i in range(2000)]
        upload = FileStorage(stream=io.BytesIO("\n".join(rows).encode("utf-8")), filename="so-truong.csv",
                             content_type="text/csv")
        res = tk.get_action("resource_create")(dict(ctx), {
            "package_id": pkg["id"], "name": "Số trường theo xã", "format": "CSV", "url": "so-truong.csv",
            "upload": upload})
        tk.get_action("datastore_create")(dict(ctx), {
            "resource_id": res["id"], "force": True,
            "fields": [{"id": "xa", "type": "text"}, {"id": "so_truong", "type": "int"}, {"id": "so_lop", "type": "int"}],
            "records": [{"xa": f"Xã {i}", "so_truong": i % 7 + 1, "so_lop": i % 23 + 5} for i in range(2000)]})
        pkg = tk.get_action("package_show")(dict(ctx), {"id": pkg["id"]})
    res = pkg["resources"][0]
    return [f"/dataset/{pkg['id']}/resource/{res['id']}/download/so-truong.csv",
            f"/datastore/dump/{res['id']}?format=csv", f"/datastore/dump/{res['id']}?format=json"]


def _fixture(**extra) -> dict:
    import random
    from ckan import model
    rnd = random.Random(gen.SEED)
    public = model.Session.query(model.Package.name, model.Package.owner_org).filter(
        model.Package.state == "active", model.Package.private.is_(False))
    names = [(n, o) for n, o in public]
    seeds = [n for n, _ in names if not n.startswith(gen.PREFIX)]
    generated = [n for n, _ in names if n.startswith(gen.PREFIX)]
    org = model.Group.get(OFFICER_ORG)
    orgs = [g.name for g in model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active")]
    return {
        "datasets": rnd.sample(generated, min(300, len(generated))) + seeds,
        "organizations": orgs,
        "officer_datasets": sorted(n for n, o in names if o == org.id and n != FILES_DATASET)[:50],
        **extra,
    }


# ----------------------------------------------------------------- servers
def gunicorn_args(args) -> list[str]:
    # keep-alive longer than the client's pauses (as behind nginx, config/nginx/portal.conf):
    # with gunicorn's 2 s default a reused connection is sometimes reset as it is closed
    return ["--workers", str(args.workers), "--threads", str(args.threads), "--keep-alive", str(args.keep_alive)]


def start_server(target: str, args) -> subprocess.Popen:
    ini = OUT / f"load-{target}.ini"
    log = open(OUT / f"load-server-{target}.log", "ab")
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--chdir", str(ROOT / "config"),
         "--bind", f"127.0.0.1:{PORTS[target]}", *gunicorn_args(args), "--timeout", "120", "wsgi:application"],
        env={**os.environ, "CKAN_INI": str(ini)}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def warm_up(target: str) -> None:
    """Every page kind once per worker, so template compilation is not measured."""
    gen.wait_ready(PORTS[target], _DummyProc())
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    paths = ["/", "/dataset/?q=xay+dung", "/dataset/?groups=y-te", f"/dataset/{fixture['datasets'][0]}",
             "/api/3/action/package_search?q=thue", f"/api/3/action/package_show?id={fixture['datasets'][0]}",
             "/catalog.ttl", f"/dataset/{fixture['datasets'][0]}.ttl", *fixture["downloads"]]
    if target == "ours":
        paths.append("/tuan-thu")
    for _ in range(4):
        for path in paths:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORTS[target]}{path}", timeout=120).read()
            except OSError as e:
                print(f"  warm-up {path}: {e}")


class _DummyProc:
    @staticmethod
    def poll():
        return None


# ----------------------------------------------------------------- locust
def start_locust(target: str, users: int, seconds: int, wait: bool, tag: str) -> subprocess.Popen:
    prefix = OUT / f"load-{tag}-{target}"
    env = {**os.environ, "LOAD_FIXTURE": str(FIXTURE), "LOAD_TARGET": target, "LOAD_WAIT": "1" if wait else "0",
           "LOAD_STATUS_OUT": f"{prefix}-status.json"}
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
         "--host", f"http://127.0.0.1:{PORTS[target]}", "-u", str(users), "-r", str(max(1, users // 5)),
         "-t", f"{seconds}s", "--stop-timeout", "10", "--csv", str(prefix), "--loglevel", "WARNING"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}-locust.log", "w"))


def locust(target: str, users: int, seconds: int, wait: bool, tag: str) -> dict:
    start_locust(target, users, seconds, wait, tag).wait()
    return read_stats(target, tag)


def read_stats(target: str, tag: str) -> dict:
    prefix = OUT / f"load-{tag}-{target}"
    status_out = Path(f"{prefix}-status.json")
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                  "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0),
                                  "rps": float(row["Requests/s"] or 0)}
    statuses = json.loads(status_out.read_text(encoding="utf-8")) if status_out.exists() else []
    for name, s in stats.items():
        for column, classes in (("5xx", ("5xx",)), ("conn", ("error",))):
            s[column] = sum(r["count"] for r in statuses if r["class"] in classes
                            and (name == "Aggregated" or r["name"] == name))
    return stats


def _group_target(name: str):
    return TARGETS.get(name.split(":")[0])


def print_table(results: dict) -> None:
    ours, stock = results.get("ours", {}), results.get("stock", {})
    print(f"\n{'endpoint group':<26}{'requests':>9}{'5xx':>6}{'conn':>6}{'fail':>6}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'target':>8}{'stock p95':>10}{'ratio':>7}")
    for name in sorted(ours or stock, key=lambda n: (n == "Aggregated", n)):
        r = (ours or stock)[name]
        target = _group_target(name)
        s = stock.get(name) if ours else None
        ratio = f"{r['p95'] / s['p95']:.2f}" if s and s["p95"] else "—"
        print(f"{name:<26}{r['requests']:>9}{r['5xx']:>6}{r['conn']:>6}{r['failures']:>6}{r['p50']:>8.0f}{r['p95']:>8.0f}"
              f"{(str(target) if target else '—'):>8}{(format(s['p95'], '.0f') if s else '—'):>10}{ratio:>7}")


def run(args) -> int:
    results = {}
    targets = ["ours", "stock"] if args.target == "both" else [args.target]
    if args.parallel:
        # both servers at once, each with its own users: the same machine load for both
        # (on a shared machine, two runs one after the other do not see the same load)
        print(f"ours and stock at the same time: gunicorn {' '.join(gunicorn_args(args))} each; "
              f"{args.users} users each for {args.duration} s, waiting 1–5 s")
        procs = {t: start_server(t, args) for t in targets}
        try:
            for target in targets:
                warm_up(target)
            runs = {t: start_locust(t, args.users, args.duration, True, "parallel") for t in targets}
            for target, run_proc in runs.items():
                run_proc.wait()
                results[target] = read_stats(target, "parallel")
        finally:
            for proc in procs.values():
                stop_server(proc)
    for target in ([] if args.parallel else targets):
        print(f"{target}: gunicorn {' '.join(gunicorn_args(args))} on 127.0.0.1:{PORTS[target]}; "
              f"{args.users} users for {args.duration} s, waiting 1–5 s")
        proc = start_server(target, args)
        try:
            warm_up(target)
            results[target] = locust(target, args.users, args.duration, True, "run")
        finally:
            stop_server(proc)
    print_table(results)
    ours = results.get("ours") or {}
    misses = [n for n, r in ours.items() if r["5xx"] or (_group_target(n) and r["p95"] > _group_target(n))]
    ratio = None
    if "ours" in results and "stock" in results:
        common = [n for n in results["stock"] if n in ours and n != "Aggregated"]
        o = sum(ours[n]["p95"] * ours[n]["requests"] for n in common) / sum(ours[n]["requests"] for n in common)
        s = sum(results["stock"][n]["p95"] * ours[n]["requests"] for n in common) / sum(ours[n]["requests"] for n in common)
        ratio = o / s
        print(f"\np95 ours / stock, weighted over the groups both serve: {ratio:.2f} (target <= 1.1)")
    print("targets " + ("met" if not misses and (ratio is None or ratio <= 1.1) else f"MISSED: {', '.join(misses) or 'ratio'}"))
    _save("run", {"args": vars(args) | {"slot_ini": str(args.slot_ini)}, "results": results, "ratio": ratio})
    return 0 if not misses and (ratio is None or ratio <= 1.1) else 2


def step(args) -> int:
    print(f"ours: gunicorn {' '.join(gunicorn_args(args))}; no waiting, users {args.steps}, {args.step_duration} s each")
    proc = start_server("ours", args)
    rows = []
    try:
        warm_up("ours")
        for users in [int(u) for u in args.steps.split(",")]:
            stats = locust("ours", users, args.step_duration, False, f"step{users}")
            pages = [r for n, r in stats.items() if n.startswith("page:")]
            p95_pages = max((r["p95"] for r in pages), default=0)
            total = stats["Aggregated"]
            rows.append({"users": users, "rps": total["rps"], "p95_all": total["p95"], "p95_pages_max": p95_pages,
                         "5xx": total["5xx"]})
            print(f"  {users:>3} users: {total['rps']:6.1f} req/s, p95 all {total['p95']:.0f} ms, "
                  f"worst page group p95 {p95_pages:.0f} ms, 5xx {total['5xx']}", flush=True)
    finally:
        stop_server(proc)
    over = next((r for r in rows if r["p95_all"] > 1000), None)
    if over:
        print(f"p95 of all requests passes 1 s at {over['users']} users, {over['rps']:.1f} req/s")
    else:
        print("p95 stayed under 1 s at every step")
    _save("step", {"args": vars(args) | {"slot_ini": str(args.slot_ini)}, "steps": rows})
    return 0


def _save(kind: str, data: dict) -> None:
    out = OUT / f"load_test-{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print(f"saved {out.relative_to(ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["prepare", "run", "step"])
    parser.add_argument("--slot-ini", type=Path, default=slot_ini("opsload"),
                        help="test slot whose databases the benchmark uses (TEST_SLOT=opsload make test-env)")
    parser.add_argument("--datasets", type=int, default=10000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=300, help="seconds per target")
    parser.add_argument("--target", choices=["ours", "stock", "both"], default="both")
    parser.add_argument("--parallel", action="store_true", help="run ours and stock at the same time")
    parser.add_argument("--steps", default="4,8,16,32")
    parser.add_argument("--step-duration", type=int, default=45)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 4)))
    parser.add_argument("--keep-alive", type=int, default=75, help="gunicorn --keep-alive (s)")
    args = parser.parse_args()
    if not args.slot_ini.exists():
        raise SystemExit(f"{args.slot_ini} is missing: run `TEST_SLOT=opsload make test-env` first")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.command == "prepare":
        prepare(args)
        return 0
    if not FIXTURE.exists():
        raise SystemExit(f"{FIXTURE} is missing: run `python -m benchmarks.load_test prepare` first")
    return run(args) if args.command == "run" else step(args)


if __name__ == "__main__":
    sys.exit(main())
