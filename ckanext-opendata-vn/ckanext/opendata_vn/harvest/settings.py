"""Harvest settings (ckan.ini), with their defaults, declared by the harvester plugins."""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import fetch

PREFIX = fetch.PREFIX
SECRET_PREFIX = PREFIX + "secret."
SECRET_ENV_PREFIX = "OPENDATA_VN_HARVEST_SECRET_"

# key (after PREFIX) → (default, type, description); the download settings are core/fetch.py's
OPTIONS: dict[str, tuple[object, str, str]] = {
    **fetch.OPTIONS,
    "max_pages": (1000, "int", "Most pages read from a paginated API in one run."),
    "job_timeout": (30, "int", "Minutes after which a job that did not finish is stopped as failed."),
    "check_interval_hours": (24, "int", "Hours between two checks of a source that is due or "
                             "irregular (\"Khi có phát sinh / thay đổi\")."),
}


def get(name: str):
    return fetch.setting(name, OPTIONS)


def max_bytes() -> int:
    return fetch.size_limit()


SECRET_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")


def _secret_entry(name: str) -> tuple[str, set[str], str] | None:
    """(agency, allowed hosts, value) of a configured secret. The setting (ckan.ini
    `ckanext.opendata_vn.harvest.secret.<name>` or the environment variable
    `OPENDATA_VN_HARVEST_SECRET_<NAME>`) reads `<agency> <host>[,<host>…] <value>`;
    the value may contain spaces ("Bearer abc"). A bare value names no agency and no
    host: nobody may use it."""
    if not name or not SECRET_NAME.match(name):
        return None
    raw = tk.config.get(SECRET_PREFIX + name)
    if not raw:
        raw = os.environ.get(SECRET_ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper()))
    parts = (raw or "").strip().split(None, 2)
    if len(parts) < 3:
        return None
    agency, hosts, value = parts
    return agency, {h.strip().lower() for h in hosts.split(",") if h.strip()}, value


def host_allowed(hosts: set[str], url: str) -> bool:
    """`url`'s host (or host:port) is one of `hosts`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower().rstrip(".")
    return bool(host) and (host in hosts or f"{host}:{port}" in hosts)


def secret_for(name: str, agency: str | None, url: str) -> str | None:
    """The secret's value when the agency owns it and `url`'s host may receive it; None
    otherwise — the caller says the same thing whether the name exists or not."""
    entry = _secret_entry(name)
    if entry is None or not agency:
        return None
    owner, hosts, value = entry
    if owner != agency or not host_allowed(hosts, url):
        return None
    return value


def secret_hosts(name: str) -> set[str]:
    entry = _secret_entry(name)
    return entry[1] if entry else set()


def declare(declaration, key) -> None:
    """IConfigDeclaration for both harvester plugins (declared once)."""
    for name, (default, kind, doc) in OPTIONS.items():
        option_key = PREFIX + name
        if option_key in declaration:
            continue
        option = declaration.declare(option_key, default)
        if kind == "int":
            option.set_validators("ignore_empty int_validator")
        option.set_description(doc)
