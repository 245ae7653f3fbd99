"""Time and identifiers, written once: the portal's tables store naive UTC (as CKAN
does) and text ids; deadlines and "today" are counted in the portal's local time zone.

    utcnow()            naive UTC datetime, the default of every `created`-like column
    now_iso()           the same to the second, as CKAN writes resource timestamps
    new_id()            a random UUID as text, the default of every `id` column
    local_timezone()    ckan.display_timezone, Vietnam's when unset or unknown
"""
from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk

VIETNAM = "Asia/Ho_Chi_Minh"


def utcnow() -> datetime.datetime:
    return datetime.datetime.utcnow()


def now_iso() -> str:
    return utcnow().replace(microsecond=0).isoformat()


def new_id() -> str:
    return str(uuid.uuid4())


def local_timezone() -> ZoneInfo:
    try:
        return ZoneInfo(tk.config.get("ckan.display_timezone") or VIETNAM)
    except Exception:  # "server" or an unknown name
        return ZoneInfo(VIETNAM)
