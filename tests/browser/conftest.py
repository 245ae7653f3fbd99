"""A real portal for the browser tests: gunicorn on a free loopback port with the test
configuration (same databases, Solr core and storage as the pytest process), and
headless Chromium (Debian's package, /usr/bin/chromium) driven by Playwright."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REVIEWER = "bt_reviewer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(portal, request, tmp_path_factory):
    """Start gunicorn with the session's test ini plus the reviewer and the site URL."""
    base_ini = Path(request.config.getoption("ckan_ini")).resolve()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("live")
    ini = folder / "live.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{base_ini}\n"
        f"ckan.site_url = {url}\n"
        f"ckanext.opendata_vn.reviewers = {REVIEWER}\n"
        # a test module may run the portal with options of its own (e.g. another branding file)
        + getattr(request.module, "LIVE_SERVER_OPTIONS", "") + "\n"
        + (ROOT / "config" / "logging.ini").read_text(encoding="utf-8"), encoding="utf-8")
    log = open(folder / "gunicorn.log", "wb")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--chdir", str(ROOT / "config"), "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "120", "wsgi:application"],
        env={**os.environ, "CKAN_INI": str(ini)}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=5) as res:
                    if res.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                log.flush()
                pytest.fail("gunicorn did not start:\n" + (folder / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.5)
        yield {"url": url, "log": folder / "gunicorn.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/stack.sh test-env installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
