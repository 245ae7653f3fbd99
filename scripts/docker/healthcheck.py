#!/usr/bin/env python3
"""Healthcheck of the CKAN containers (docker-compose.yml): can this container reach
PostgreSQL and Solr, and (web replicas, --web) does its gunicorn answer?

    python3 /srv/app/healthcheck.py --web     # the ckan web replicas
    python3 /srv/app/healthcheck.py           # harvest consumers, job worker, scheduler

Reads the same settings as CKAN: CKAN_SQLALCHEMY_URL, CKAN_DATASTORE_READ_URL and
CKAN_SOLR_URL. Prints one line per check and exits 1 when any fails, within a few
seconds (each check has a 3 s timeout), without loading CKAN: it runs every 30 s.
No endpoint is added to the portal for it.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

TIMEOUT = 3


def check_postgres(url: str) -> None:
    import psycopg2
    conn = psycopg2.connect(url, connect_timeout=TIMEOUT)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    finally:
        conn.close()


def check_solr(url: str) -> None:
    with urllib.request.urlopen(f"{url.rstrip('/')}/select?q=*:*&rows=0&wt=json", timeout=TIMEOUT) as res:
        json.load(res)["response"]["numFound"]


def check_web(port: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=TIMEOUT) as res:
        if not json.load(res).get("success"):
            raise RuntimeError("status_show did not succeed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web", action="store_true", help="also check gunicorn on --port")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    checks = [("postgresql", check_postgres, os.environ.get("CKAN_SQLALCHEMY_URL")),
              ("datastore", check_postgres, os.environ.get("CKAN_DATASTORE_READ_URL")),
              ("solr", check_solr, os.environ.get("CKAN_SOLR_URL"))]
    if args.web:
        checks.append(("web", check_web, args.port))
    failed = False
    for name, check, target in checks:
        if target in (None, ""):
            print(f"{name}: not configured")
            failed = True
            continue
        try:
            check(target)
            print(f"{name}: ok")
        except Exception as e:  # any failure is the answer, not a crash
            print(f"{name}: FAILED ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
