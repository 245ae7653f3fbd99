"""`make backup` / `make restore` (scripts/backup.sh): a backup of this test slot, with
the seed catalogs and an uploaded file with a DataStore table of the test's own, restored
into a slot of its own (databases, site id and storage path of the test's making) has
the same datasets, resources, catalog entries, DataStore rows, files and search counts.

The restored slot is dropped again at teardown (databases, its site id's documents in
Solr, files); what the test adds to this slot is purged by the `sandbox` fixture.
"""
from __future__ import annotations

import configparser
import hashlib
import io
import os
import re
import secrets
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from ckan.common import config
from ckan.lib import search
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import factories, helpers

ROOT = Path(__file__).resolve().parents[2]
BACKUP = str(ROOT / "scripts" / "backup.sh")
ROWS = 321

COUNTS = {
    "datasets": "SELECT count(*) FROM package WHERE state = 'active' AND type = 'dataset'",
    "resources": "SELECT count(*) FROM resource r JOIN package p ON p.id = r.package_id "
                 "WHERE r.state = 'active' AND p.state = 'active'",
    "catalog_entries": "SELECT count(*) FROM opendata_vn_catalog_entry",
}


def _db_counts(db_url: str, ds_url: str) -> dict:
    engine, ds_engine = sa.create_engine(db_url), sa.create_engine(ds_url)
    try:
        with engine.connect() as conn:
            counts = {k: conn.execute(sa.text(q)).scalar() for k, q in COUNTS.items()}
        with ds_engine.connect() as conn:
            tables = conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).scalars().all()
            counts["datastore"] = {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
    finally:
        engine.dispose()
        ds_engine.dispose()
    return counts


def _search_counts(site_id: str) -> dict:
    """Documents of a site straight from Solr: in all, per agency and for a Vietnamese query."""
    conn = search.make_connection()
    fq = f'+site_id:"{site_id}" +entity_type:package'
    everything = conn.search(q="*:*", fq=fq, rows=0, **{"facet": "true", "facet.field": "organization",
                                                         "facet.limit": -1, "facet.mincount": 1})
    orgs = everything.facets["facet_fields"]["organization"]
    query = conn.search(q="giáo dục", defType="edismax", qf="text", fq=fq, rows=0)
    return {"all": everything.hits, "by_agency": dict(zip(orgs[::2], orgs[1::2])), "query": query.hits}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _restore_ini(source_ini: Path, target: Path, suffix: str) -> tuple[Path, dict]:
    """The source slot's ini with its own databases, site id and storage path."""
    text = source_ini.read_text(encoding="utf-8")
    db, ds = (config["sqlalchemy.url"].rsplit("/", 1)[1],
              config["ckan.datastore.write_url"].rsplit("/", 1)[1])
    names = {"db": f"{db}_{suffix}"[:63], "ds": f"{ds}_{suffix}"[:63],
             "site_id": f"{config['ckan.site_id']}_{suffix}", "storage": str(target / "storage")}
    for key, value in [("sqlalchemy.url", None), ("ckan.datastore.write_url", None),
                       ("ckan.datastore.read_url", None)]:
        old = config[key]
        text = text.replace(old, old.rsplit("/", 1)[0] + "/" + (names["db"] if key == "sqlalchemy.url" else names["ds"]))
    text = re.sub(r"(?m)^ckan\.site_id\s*=.*$", "", text)
    text = text.replace("[app:main]\n", f"[app:main]\nckan.site_id = {names['site_id']}\n"
                                        f"ckan.storage_path = {names['storage']}\n", 1)
    ini = target / "restored.ini"
    ini.write_text(text, encoding="utf-8")
    ini.chmod(0o600)
    cfg = configparser.RawConfigParser(strict=False)
    cfg.read(ini, encoding="utf-8")
    names["db_url"] = cfg.get("app:main", "sqlalchemy.url")
    names["ds_url"] = cfg.get("app:main", "ckan.datastore.write_url")
    return ini, names


def _drop(names: dict) -> None:
    """The restored slot goes: its databases (dropped by their owners) and index documents."""
    for url, name in ((names["db_url"], names["db"]), (names["ds_url"], names["ds"])):
        engine = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
    conn = search.make_connection()
    conn.delete(q=f'site_id:"{names["site_id"]}"', commit=True)


def _as_cluster_superuser(sql: str) -> None:
    """SQL as `postgres` through the local cluster's socket (how the stack is run)."""
    sock = (ROOT / ".local" / "pg").resolve() / "run"
    port = str(sa.engine.make_url(config["sqlalchemy.url"]).port or 5432)
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", f"--host={sock}", f"--port={port}",
           "--username=postgres", "-d", "postgres", "-c", sql]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, text=True, cwd="/")


@pytest.fixture(params=["cluster socket", "PG_SUPERUSER_URL"])
def superuser_env(request):
    """How restore reaches a superuser: the local cluster's socket (make restore on this
    stack) or a superuser URL over TCP (a compose or managed database)."""
    env = {k: v for k, v in os.environ.items() if k != "PG_SUPERUSER_URL"}
    if request.param == "cluster socket":
        yield env
        return
    role, password = f"restore_su_{uuid.uuid4().hex[:8]}", secrets.token_hex(16)
    _as_cluster_superuser(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password}'")
    url = sa.engine.make_url(config["sqlalchemy.url"])
    env["PG_SUPERUSER_URL"] = f"postgresql://{role}:{password}@{url.host}:{url.port}/postgres"
    yield env
    _as_cluster_superuser(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture
def restored_slot(tmp_path):
    source_ini = Path(config["__file__"])
    ini, names = _restore_ini(source_ini, tmp_path, "restore_" + uuid.uuid4().hex[:6])
    yield ini, names
    _drop(names)


def test_backup_restores_the_same_portal(seeded_catalogs, sandbox, sysadmin, restored_slot, superuser_env, tmp_path):
    ini, names = restored_slot
    org = factories.Organization(name=f"sao-luu-{uuid.uuid4().hex[:6]}", title="Sở Sao Lưu")
    ctx = {"user": sysadmin["name"]}
    pkg = helpers.call_action("package_create", context=dict(ctx), name=f"sao-luu-{uuid.uuid4().hex[:8]}",
                              title="Số trường học theo xã (sao lưu)", notes="Dữ liệu kiểm tra sao lưu.",
                              owner_org=org["id"], theme="giao-duc", update_frequency="annual")
    content = "\n".join(["xa,so_truong"] + [f"Xã {i},{i % 9}" for i in range(ROWS)]).encode("utf-8")
    res = helpers.call_action("resource_create", context=dict(ctx), package_id=pkg["id"], name="Số trường",
                              format="CSV", url="so-truong.csv",
                              upload=FileStorage(stream=io.BytesIO(content), filename="so-truong.csv",
                                                 content_type="text/csv"))
    helpers.call_action("datastore_create", context=dict(ctx), resource_id=res["id"], force=True,
                        fields=[{"id": "xa", "type": "text"}, {"id": "so_truong", "type": "int"}],
                        records=[{"xa": f"Xã {i}", "so_truong": i % 9} for i in range(ROWS)])
    uploaded = Path(get_resource_uploader(res).get_path(res["id"]))
    assert _sha256(uploaded) == hashlib.sha256(content).hexdigest()

    source_ini = Path(config["__file__"])
    before = _db_counts(config["sqlalchemy.url"], config["ckan.datastore.write_url"])
    searched = _search_counts(config["ckan.site_id"])
    done = subprocess.run([BACKUP, "backup", "--ini", str(source_ini), "--dir", str(tmp_path / "backups")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    archive = Path(done.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"opendata-\d{8}-\d{6}\.tar", archive.name), archive
    listing = subprocess.run(["tar", "-tf", str(archive)], capture_output=True, text=True, check=True).stdout
    assert {"manifest.txt", "ckan.dump", "datastore.dump", "storage.sha256", "config/portal.ini"} <= set(
        listing.split()), listing
    portal_ini = subprocess.run(["tar", "-xOf", str(archive), "config/portal.ini"], capture_output=True,
                                text=True, check=True).stdout
    assert config["SECRET_KEY"] not in portal_ini
    assert config["sqlalchemy.url"] not in portal_ini  # the URL's password is redacted

    done = subprocess.run([BACKUP, "restore", str(archive), "--ini", str(ini), "--yes"],
                          capture_output=True, text=True, timeout=900, env=superuser_env)
    assert done.returncode == 0, done.stderr

    after = _db_counts(names["db_url"], names["ds_url"])
    assert before["datasets"] > 0 and before["catalog_entries"] > 0
    assert after == before
    assert after["datastore"][res["id"]] == ROWS
    restored_file = Path(names["storage"]) / uploaded.resolve().relative_to(Path(config["ckan.storage_path"]).resolve())
    assert _sha256(restored_file) == _sha256(uploaded)
    sums = subprocess.run(["tar", "-xOf", str(archive), "storage.sha256"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    assert sums
    for line in sums:
        digest, rel = line.split(None, 1)
        assert _sha256(Path(names["storage"]) / rel) == digest, rel
    assert _search_counts(names["site_id"]) == searched
    assert searched["all"] > 0 and searched["query"] > 0


def test_restore_refuses_an_archive_that_is_not_a_backup(restored_slot, tmp_path):
    ini, names = restored_slot
    bogus = tmp_path / "opendata-20240101-000000.tar"
    (tmp_path / "note.txt").write_text("không phải bản sao lưu", encoding="utf-8")
    subprocess.run(["tar", "-cf", str(bogus), "-C", str(tmp_path), "note.txt"], check=True)
    done = subprocess.run([BACKUP, "restore", str(bogus), "--ini", str(ini), "--yes"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "is not a portal backup" in done.stderr
    engine = sa.create_engine(names["db_url"].rsplit("/", 1)[0] + "/postgres")
    with engine.connect() as conn:  # nothing was dropped or created
        assert conn.execute(sa.text("SELECT count(*) FROM pg_database WHERE datname = :n"),
                            {"n": names["db"]}).scalar() == 0
    engine.dispose()


def test_restore_uses_the_superuser_url_it_is_given(restored_slot, tmp_path):
    """A PG_SUPERUSER_URL that cannot log in stops the restore before anything is
    dropped: the URL is used, not silently replaced by the local socket."""
    ini, names = restored_slot
    url = sa.engine.make_url(config["sqlalchemy.url"])
    env = dict(os.environ, PG_SUPERUSER_URL=f"postgresql://postgres:wrong-{uuid.uuid4().hex[:6]}@{url.host}:{url.port}/postgres")
    source_ini = Path(config["__file__"])
    done = subprocess.run([BACKUP, "backup", "--ini", str(source_ini), "--dir", str(tmp_path / "backups")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    archive = done.stdout.strip().splitlines()[-1]
    done = subprocess.run([BACKUP, "restore", archive, "--ini", str(ini), "--yes"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode != 0
    assert "password authentication failed" in done.stderr or "no password supplied" in done.stderr, done.stderr
    engine = sa.create_engine(names["db_url"].rsplit("/", 1)[0] + "/postgres")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pg_database WHERE datname = :n"),
                            {"n": names["db"]}).scalar() == 0
    engine.dispose()
