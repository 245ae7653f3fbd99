"""The compose healthcheck (scripts/docker/healthcheck.py) against the suite's real
PostgreSQL and Solr: healthy when both answer, unhealthy naming the one that does not."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from ckan.common import config

SCRIPT = str(Path(__file__).resolve().parents[2] / "scripts" / "docker" / "healthcheck.py")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(**overrides) -> subprocess.CompletedProcess:
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=config["sqlalchemy.url"],
               CKAN_DATASTORE_READ_URL=config["ckan.datastore.read_url"], CKAN_SOLR_URL=config["solr_url"])
    env.update(overrides)
    return subprocess.run([sys.executable, SCRIPT], env=env, capture_output=True, text=True, timeout=60)


def test_healthy_when_postgresql_and_solr_answer():
    done = _run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split("\n")[:3] == ["postgresql: ok", "datastore: ok", "solr: ok"]


def test_unhealthy_when_solr_is_unreachable():
    done = _run(CKAN_SOLR_URL=f"http://127.0.0.1:{_closed_port()}/solr/ckan")
    assert done.returncode == 1
    assert "solr: FAILED" in done.stdout and "postgresql: ok" in done.stdout


def test_unhealthy_when_postgresql_is_unreachable():
    url = config["sqlalchemy.url"]
    host_port = url.split("@", 1)[1].split("/", 1)[0]
    done = _run(CKAN_SQLALCHEMY_URL=url.replace(host_port, f"127.0.0.1:{_closed_port()}"))
    assert done.returncode == 1
    assert "postgresql: FAILED" in done.stdout and "solr: ok" in done.stdout
