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
    assert nav.get("organization") == "Cơ quan, đơn vị", nav


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


def _compose_resolved() -> dict:
    """docker-compose.yml as Compose resolves it with .env.example (anchors, variables)."""
    import yaml
    env = dict(os.environ, COMPOSE_PROJECT_NAME="opendata-vn")
    proc = subprocess.run([*_compose_command(), "--env-file", str(ROOT / ".env.example"), "config"],
                          cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)["services"]


def test_compose_puts_nginx_in_front_of_several_ckan_replicas():
    services = _compose_resolved()
    nginx, web = services["nginx"], services["ckan"]
    # only nginx is published; the web replicas are reached through it
    assert nginx.get("ports") and not web.get("ports")
    assert int(web["deploy"]["replicas"]) >= 2
    assert web["depends_on"]["ckan_init"]["condition"] == "service_completed_successfully"
    assert str(web["environment"]["CKAN_PROVISION"]) == "0"
    assert nginx["depends_on"]["ckan"]["condition"] == "service_healthy"
    mounts = " ".join(str(v) for v in nginx["volumes"])
    assert "config/nginx/portal.conf" in mounts and "/etc/nginx/templates/" in mounts
    # the upload limit nginx gets is ckan.max_resource_size (MB) as CKAN gets it
    common = (ROOT / "config" / "common.ini").read_text(encoding="utf-8")
    size = re.search(r"(?m)^ckan\.max_resource_size\s*=\s*(\d+)", common).group(1)
    assert str(nginx["environment"]["NGINX_MAX_BODY_MB"]) == size


def test_nginx_config_serves_static_files_and_passes_the_client_on():
    conf = (ROOT / "config" / "nginx" / "portal.conf").read_text(encoding="utf-8")
    assert re.search(r"client_max_body_size \$\{NGINX_MAX_BODY_MB\}m;", conf)
    assert re.search(r"(?m)^\s*gzip on;", conf) and "application/json" in conf and "text/turtle" in conf
    for header in ("X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme",
                   "X-Real-IP $remote_addr"):
        assert f"proxy_set_header {header};" in conf, header
    assert re.search(r"proxy_read_timeout \d+s;", conf)
    assert "server ckan:5000" in conf
    # nginx serves what CKAN's entrypoint publishes into the shared volume
    entrypoint = (ROOT / "scripts" / "docker" / "ckan-entrypoint.sh").read_text(encoding="utf-8")
    assert "alias /srv/ckan-static/webassets/" in conf and "root /srv/ckan-static/public" in conf
    assert "/srv/ckan-static/public" in entrypoint and "ckan asset build" in entrypoint
    production = (ROOT / "config" / "production.ini").read_text(encoding="utf-8")
    assert "ckan.webassets.path = /srv/ckan-static/webassets" in production


def test_compose_healthchecks_reach_postgresql_and_solr():
    services = _compose_resolved()
    for name in ("ckan", "harvest_gather", "harvest_fetch", "jobs", "scheduler"):
        test = services[name]["healthcheck"]["test"]
        assert "/srv/app/healthcheck.py" in " ".join(test), name
    assert "--web" in services["ckan"]["healthcheck"]["test"]
    assert "healthcheck" in services["nginx"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "scripts/docker/healthcheck.py ${APP_DIR}/healthcheck.py" in dockerfile


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
