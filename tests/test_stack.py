"""The stack works: plugins load, Solr indexes, pages render in Vietnamese,
provisioning is idempotent and the compose file is valid."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import ckan.plugins as plugins
from ckan.lib import search
from ckan.tests import factories, helpers

ROOT = Path(__file__).resolve().parents[1]


def test_plugins_load_together():
    for name in ("opendata_vn", "scheming_datasets", "scheming_organizations", "dcat",
                 "harvest", "activity", "datastore"):
        assert plugins.plugin_loaded(name), name


def test_dataset_is_indexed_in_solr_and_removed_when_deleted(sysadmin):
    org = factories.Organization()
    ctx = {"user": sysadmin["name"]}
    ds = helpers.call_action(
        "package_create", context=ctx, name="kiem-tra-chi-muc", title="Kiểm tra chỉ mục Solr",
        notes="Tập dữ liệu kiểm tra", owner_org=org["id"], theme="giao-duc")
    # Straight to Solr, not through CKAN's search action: the document is really there.
    conn = search.make_connection()
    found = conn.search(q=f'id:"{ds["id"]}"', fq=f'site_id:"{search.config.get("ckan.site_id")}"')
    assert found.hits == 1
    result = helpers.call_action("package_search", q="chỉ mục Solr")
    assert ds["id"] in [r["id"] for r in result["results"]]

    helpers.call_action("package_delete", context=ctx, id=ds["id"])
    result = helpers.call_action("package_search", q="chỉ mục Solr")
    assert ds["id"] not in [r["id"] for r in result["results"]]
    assert conn.search(q=f'id:"{ds["id"]}" AND state:active').hits == 0


@pytest.mark.parametrize("url", ["/", "/dataset/"])
def test_pages_render_in_vietnamese(app, url):
    res = app.get(url)
    assert res.status_code == 200
    body = res.get_data(as_text=True)
    assert '<html lang="vi"' in body
    # Core strings from CKAN's Vietnamese catalogue and our own site title.
    assert "Cổng dữ liệu mở" in body
    nav = dict(re.findall(r'<a href="/(dataset|organization)/">([^<]+)</a>', body))
    assert nav.get("dataset") in ("Dữ liệu", "Tập dữ liệu"), nav
    assert nav.get("organization") in ("Tổ chức", "Đơn vị", "Cơ quan"), nav


def _compose_command() -> list[str]:
    """The Compose v2 plugin (`docker compose`) where installed, else Debian's
    docker-compose, which `make test` installs; neither needs a Docker engine."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"],
                                                 capture_output=True).returncode == 0:
        return ["docker", "compose"]
    assert shutil.which("docker-compose"), "docker-compose is missing: run `make test`"
    return ["docker-compose"]


def test_docker_compose_config_is_valid():
    env = dict(os.environ, COMPOSE_PROJECT_NAME="opendata-vn")
    proc = subprocess.run(
        [*_compose_command(), "--env-file", str(ROOT / ".env.example"), "config", "-q"],
        cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def test_docker_compose_runs_every_service():
    import yaml
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"db", "solr", "redis", "ckan", "harvest_gather", "harvest_fetch", "jobs",
            "scheduler"} <= set(services)
    for name in ("db", "solr", "redis", "ckan"):
        assert "healthcheck" in services[name], name


def _state_digest() -> str:
    """What provisioning must not change: the generated configs and secrets."""
    h = hashlib.sha1()
    from ckan.common import config
    for path in (ROOT / ".local/ports.env", ROOT / ".local/secrets.env", Path(config["__file__"])):
        h.update(path.read_bytes())
    return h.hexdigest()


def test_provisioning_is_idempotent(sysadmin):
    org = factories.Organization()
    kept = helpers.call_action(
        "package_create", context={"user": sysadmin["name"]}, name="du-lieu-giu-nguyen",
        title="Dữ liệu giữ nguyên", notes="Phải còn sau khi chạy lại", owner_org=org["id"],
        theme="y-te")
    before = _state_digest()
    proc = subprocess.run([str(ROOT / "scripts" / "stack.sh"), "test-env"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Creating the project's PostgreSQL cluster" not in proc.stdout
    assert "Installing" not in proc.stdout
    assert _state_digest() == before
    assert helpers.call_action("package_show", id=kept["id"])["title"] == "Dữ liệu giữ nguyên"
