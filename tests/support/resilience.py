"""Helpers of the resilience tests (tests/resilience): stop one of the suite's own
services (PostgreSQL, Redis or Solr, through scripts/stack.sh) and start it again in a
`finally`, so a failing test still restores it; every stop and start is bounded."""
from __future__ import annotations

import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

from ckan import model
from ckan.tests import helpers

ROOT = Path(__file__).resolve().parents[2]
STACK = str(ROOT / "scripts" / "stack.sh")


def service(action: str, name: str) -> None:
    subprocess.run([STACK, f"{action}-service", name], check=True, timeout=240,
                   stdout=subprocess.DEVNULL)


@contextmanager
def stopped(name: str):
    """`name` (solr, redis, postgresql) is down inside the block, up again after it."""
    service("stop", name)
    try:
        yield
    finally:
        service("start", name)
        model.Session.remove()
        # leave the index holding the database's datasets, as the suite found it (the
        # recorded deferrals stay for the tests that drain them)
        from ckanext.opendata_vn.resilience import search_index
        search_index.reconcile(grace_seconds=0)
        model.Session.remove()


def new_dataset(agency: dict, **extra) -> dict:
    unique = uuid.uuid4().hex[:8]
    return helpers.call_action(
        "package_create", context={"user": agency["officer"]["name"]},
        name=f"resilience-{unique}", title=f"Danh sách trường học {unique}",
        notes="Danh sách trường học trên địa bàn tỉnh.", owner_org=agency["org"]["id"],
        theme="giao-duc", update_frequency="quarterly", **extra)
