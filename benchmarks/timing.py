"""What every benchmark here does around its measurements: provision its own test slot,
boot CKAN in this process, make an agency and a dataset to measure on, follow the
process's peak memory. Each benchmark times and prints its own figures."""
from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/opendata-vn-bench")      # generated inputs, cached between runs (not timed)


def slot_ini(slot: str) -> Path:
    """The configuration `TEST_SLOT=<slot> make test-env` writes."""
    return ROOT / ".local" / f"test-{slot}.ini"


def ensure_slot(ini: Path) -> bool:
    """Provision the test slot `ini` names (its own PostgreSQL databases, Redis DB and
    site id, so the `make run` portal never sees the benchmark) when it is missing.
    True when it was provisioned now."""
    if ini.exists():
        return False
    slot = ini.stem.removeprefix("test-")
    print(f"{ini} is missing: provisioning the benchmark slot (TEST_SLOT={slot} make test-env)…", flush=True)
    subprocess.run([str(ROOT / "scripts" / "stack.sh"), "test-env"], check=True,
                   env={**os.environ, "TEST_SLOT": slot}, stdout=subprocess.DEVNULL)
    return True


def ckan_app(ini: Path):
    """CKAN's Flask app for `ini`, loaded in this process (plugins, database, Solr)."""
    # loading CKAN puts site-packages/ckan first on sys.path, where CKAN's own `tests`
    # package would shadow ours: bind `tests` to the repository's first
    import tests.support  # noqa: F401
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    app = make_app(load_config(str(ini)))
    return getattr(app, "_wsgi_app", app)


def boot_ckan(ini: Path):
    """CKAN loaded with a request context pushed (actions need one); returns the context."""
    ctx = ckan_app(ini).test_request_context()
    ctx.push()
    return ctx


def bench_dataset(prefix: str, title: str) -> tuple[dict, dict, dict]:
    """A fresh agency and dataset to measure on, made as the site user: (context, agency,
    dataset). The benchmark removes them."""
    import ckan.plugins.toolkit as tk
    ctx = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    tag = uuid.uuid4().hex[:6]
    org = tk.get_action("organization_create")(dict(ctx), {"name": f"{prefix}{tag}", "title": f"Đơn vị đo {tag}"})
    ds = tk.get_action("package_create")(dict(ctx), {
        "name": f"{prefix}{tag}", "title": f"{title} {tag}", "notes": "Benchmark.",
        "owner_org": org["id"], "theme": "khac", "update_frequency": "monthly"})
    return ctx, org, ds


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class RssSampler(threading.Thread):
    """Samples the resident memory every 20 ms until `running` is set False (the
    process's ru_maxrss also counts what CKAN took before the measurement)."""

    def __init__(self):
        super().__init__(daemon=True)
        import psutil
        self.proc = psutil.Process()
        self.peak = 0
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def stop(self) -> None:
        self.running = False
        self.join()
