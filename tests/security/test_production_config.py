"""Production refuses to start with the placeholders of .env.example or short secrets,
naming the variable to change (real `ckan` CLI start-up and the compose entrypoint's check)."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env_example() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            key, _eq, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _start_ckan(tmp_path, request, **settings) -> subprocess.CompletedProcess:
    base = Path(request.config.getoption("ckan_ini")).resolve()
    ini = tmp_path / "production-like.ini"
    ini.write_text("[app:main]\n" f"use = config:{base}\n"
                   + "".join(f"{k} = {v}\n" for k, v in settings.items()) + "\n"
                   + (ROOT / "config" / "logging.ini").read_text(encoding="utf-8"), encoding="utf-8")
    return subprocess.run([str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini), "config", "declaration", "opendata_vn"],
                          capture_output=True, text=True, timeout=180)


def test_ckan_refuses_the_env_example_secret_key(tmp_path, request):
    res = _start_ckan(tmp_path, request, **{"ckanext.opendata_vn.environment": "production",
                                            "SECRET_KEY": _env_example()["CKAN_SECRET_KEY"]})
    assert res.returncode != 0
    out = res.stdout + res.stderr
    assert "SECRET_KEY (set CKAN_SECRET_KEY in .env) still contains the placeholder 'change-me'" in out, out[-2000:]


def test_ckan_refuses_a_short_secret_key_and_a_short_database_password(tmp_path, request):
    res = _start_ckan(tmp_path, request, **{"ckanext.opendata_vn.environment": "production",
                                            "SECRET_KEY": secrets.token_hex(8)})
    out = res.stdout + res.stderr
    assert res.returncode != 0
    assert "SECRET_KEY (set CKAN_SECRET_KEY in .env) is 16 characters long, at least 32 are needed" in out, out[-2000:]
    # the test databases' password ("ckan") is short too
    assert "sqlalchemy.url (set CKAN_DB_PASSWORD in .env)" in out


def test_outside_production_the_test_secrets_are_accepted(tmp_path, request):
    res = _start_ckan(tmp_path, request)
    assert res.returncode == 0, (res.stdout + res.stderr)[-2000:]


def test_a_strong_production_config_passes():
    from ckanext.opendata_vn.security import production
    strong = secrets.token_hex(24)
    config = {"ckanext.opendata_vn.environment": "production", "SECRET_KEY": secrets.token_hex(32),
              "sqlalchemy.url": f"postgresql://ckan:{strong}@db/ckan", "ckan.redis.url": "redis://redis:6379/0"}
    assert production.config_problems(config) == []
    production.check_config(config)


def _entrypoint_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ckanext.opendata_vn.security.production"],
                          env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=60)


def test_entrypoint_refuses_every_placeholder_of_env_example():
    example = _env_example()
    res = _entrypoint_check(example)
    assert res.returncode == 1
    for name in ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_DB_PASSWORD", "DATASTORE_RW_PASSWORD",
                 "DATASTORE_RO_PASSWORD", "CKAN_SYSADMIN_PASSWORD"):
        assert f"{name} still contains the placeholder" in res.stderr, res.stderr


def test_entrypoint_accepts_generated_secrets():
    env = {name: secrets.token_hex(24) for name in ("CKAN_SECRET_KEY", "POSTGRES_PASSWORD", "CKAN_DB_PASSWORD",
                                                    "DATASTORE_RW_PASSWORD", "DATASTORE_RO_PASSWORD")}
    env["CKAN_SYSADMIN_PASSWORD"] = "Quan-tri-" + secrets.token_hex(4)
    res = _entrypoint_check(env)
    assert res.returncode == 0, res.stderr
