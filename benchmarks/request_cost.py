"""Request cost benchmark (not a test): what one request of each kind costs the server
on its own — no queue, no other clients — ours against stock CKAN 2.11, on the load
test's data (`python -m benchmarks.load_test prepare` first).

The load test's p95 under 50 users is mostly queueing behind the heaviest requests on a
2-core machine; this one shows which requests are heavy and how much our plugins add
to each, sequentially through CKAN's Flask app in a child process per target:

    .venv/bin/python -m benchmarks.request_cost                   # 30 requests per group
    .venv/bin/python -m benchmarks.request_cost --repeat 60
    .venv/bin/python -m benchmarks.request_cost --target ours --profile "dcat: /catalog.ttl"

It prints, per endpoint group, the median and 90th percentile of wall time and the
request thread's CPU time, stock's median, and the ratio of medians."""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

from pathlib import Path

from benchmarks.load_test import FIXTURE, write_ini
from benchmarks.timing import ROOT, slot_ini

FOLDED = ["xay dung", "giay phep lai xe", "benh vien", "du lich", "ho ngheo"]
ACCENTED = ["xây dựng", "giá đất", "bệnh viện", "thuế", "chợ"]


def requests_for(fixture: dict, target: str) -> dict[str, callable]:
    """Endpoint group -> a function giving the next URL, as the locustfile mixes them."""
    pick = lambda key: random.choice(fixture[key])  # noqa: E731
    groups = {
        "page: home": lambda: "/",
        "page: search": lambda: f"/dataset/?q={random.choice(ACCENTED + FOLDED)}",
        "page: search + facet": lambda: f"/dataset/?q={random.choice(FOLDED)}&groups=y-te",
        "page: dataset": lambda: f"/dataset/{pick('datasets')}",
        "page: agency": lambda: f"/organization/{pick('organizations')}",
        "api: package_search": lambda: f"/api/3/action/package_search?q={random.choice(FOLDED)}&rows=10",
        "api: package_show": lambda: f"/api/3/action/package_show?id={pick('datasets')}",
        "download": lambda: pick("downloads"),
        "dcat: /catalog.ttl": lambda: f"/catalog.ttl?page={random.randint(1, 3)}",
        "dcat: dataset .ttl": lambda: f"/dataset/{pick('datasets')}.ttl",
    }
    if target == "ours":
        groups["page: compliance"] = lambda: "/tuan-thu"
    return groups


EDITED = "dcat: /catalog.ttl after an edit"


def _editor(flask_app, fixture: dict):
    """A function that changes one of the officer's datasets, as the site user."""
    def edit():
        import ckan.plugins.toolkit as tk
        with flask_app.test_request_context():
            site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
            name = random.choice(fixture["officer_datasets"])
            pkg = tk.get_action("package_show")({"user": site}, {"id": name})
            # the generated datasets keep their theme as a group only (as in the locustfile)
            theme = pkg.get("theme") or next((g["name"] for g in pkg.get("groups") or []), "y-te")
            tk.get_action("package_patch")({"user": site}, {"id": name, "theme": theme,
                                                            "remarks": f"Sửa lúc {time.time():.0f}"})
    return edit


def measure(ini: Path, target: str, repeat: int, profile: str | None) -> dict:
    """In this (child) process: boot CKAN for `target`, warm every group up, then time
    `repeat` requests of each, interleaved so slow drift hits all groups alike."""
    import tests.support  # noqa: F401  (binds `tests` to ours before CKAN's path changes)
    from werkzeug.test import Client
    # the server's own entry point (config/wsgi.py: the whole WSGI stack, middleware
    # included, and the worker's garbage-collector settings), as gunicorn loads it
    os.environ["CKAN_INI"] = str(write_ini(ini, target))
    sys.path.insert(0, str(ROOT / "config"))
    import wsgi
    app = wsgi.application
    client = Client(app)
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    groups = requests_for(fixture, target)
    # the load test's officers change a dataset every few seconds: the catalog page
    # after one edit (not timed) is what most /catalog.ttl requests cost under load
    edit = _editor(getattr(app, "_wsgi_app", app), fixture)
    groups[EDITED] = lambda: (edit(), "/catalog.ttl?page=1")[1]
    for url in groups.values():
        client.get(url())
    times: dict[str, list] = {name: [] for name in groups}
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()
    for _ in range(repeat):
        for name, url in groups.items():
            prof = profiler if name == profile else None
            path = url()
            wall, cpu = time.perf_counter(), time.thread_time()
            if prof:
                prof.enable()
            status = client.get(path).status_code
            if prof:
                prof.disable()
            times[name].append((time.perf_counter() - wall, time.thread_time() - cpu, status))
    if profiler:
        import pstats
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    return times


def summary(samples: list) -> dict:
    walls = sorted(s[0] for s in samples)
    cpus = sorted(s[1] for s in samples)
    p90 = lambda xs: xs[min(len(xs) - 1, int(len(xs) * 0.9))]  # noqa: E731
    return {"wall_p50": statistics.median(walls), "wall_p90": p90(walls), "cpu_p50": statistics.median(cpus),
            "errors": sum(1 for s in samples if s[2] >= 500)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=["ours", "stock", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--slot-ini", type=Path, default=slot_ini("opsload"),
                        help="the load test's slot (TEST_SLOT=opsload make test-env)")
    parser.add_argument("--profile", help="an endpoint group to profile (cProfile, cumulative, to stderr)")
    parser.add_argument("--child", choices=["ours", "stock"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        times = measure(args.slot_ini, args.child, args.repeat, args.profile)
        print(json.dumps({name: summary(s) for name, s in times.items()}))
        return 0
    if not FIXTURE.exists():
        print("Run `python -m benchmarks.load_test prepare` first.", file=sys.stderr)
        return 1
    results = {}
    for target in (["ours", "stock"] if args.target == "both" else [args.target]):
        cmd = [sys.executable, "-m", "benchmarks.request_cost", "--child", target, "--repeat", str(args.repeat),
               "--slot-ini", str(args.slot_ini)]
        if args.profile:
            cmd += ["--profile", args.profile]
        out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
        results[target] = json.loads(out.strip().splitlines()[-1])
    ours, stock = results.get("ours", {}), results.get("stock", {})
    print(f"{'endpoint group':28}{'p50 ms':>8}{'p90 ms':>8}{'CPU p50':>9}{'5xx':>5}{'stock p50':>11}{'ratio':>7}")
    for name, r in (ours or stock).items():
        s = stock.get(name) if ours else None
        ratio = f"{r['wall_p50'] / s['wall_p50']:.2f}" if s else "—"
        print(f"{name:28}{r['wall_p50'] * 1000:8.0f}{r['wall_p90'] * 1000:8.0f}{r['cpu_p50'] * 1000:9.0f}"
              f"{r['errors']:5d}{(s['wall_p50'] * 1000 if s else float('nan')):11.0f}{ratio:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
