"""Configuration of compliance tracking (declared in config_declaration.yaml).

- ckanext.opendata_vn.targets: JSON {province: {year: ">70" | ">=50" | …}}: the plan
  targets for the share of agencies providing at least one open dataset.
  "trên 70%" is ">70" (strictly more), "tối thiểu 10%" is ">=10".
- ckanext.opendata_vn.review_months: JSON {province: months}: the province's review
  rule (Bắc Giang: confirm or update every published dataset at least every 3 months).
- ckanext.opendata_vn.update_grace_days: days added to every update due date.
- ckanext.opendata_vn.reminder_days: remind focal officers this many days ahead.
"""
from __future__ import annotations

import datetime
import json
import logging
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.core.clock import local_timezone
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    op: str        # ">" or ">="
    value: float   # percent

    def met(self, part: int, whole: int) -> bool:
        if whole <= 0:
            return False
        share = part * 100
        return share > self.value * whole if self.op == ">" else share >= self.value * whole

    def label(self) -> str:
        value = f"{self.value:g}%"
        return tk._("trên {value}").format(value=value) if self.op == ">" else \
            (tk._("tối thiểu {value}").format(value=value) if self.value < 100 else value)

    def as_dict(self) -> dict:
        return {"op": self.op, "value": self.value, "label": self.label()}


_TARGET = re.compile(r"^\s*(>=|>|≥)?\s*(\d+(?:\.\d+)?)\s*%?\s*$")


def _json_option(key: str) -> dict:
    raw = tk.config.get(key) or "{}"
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except ValueError:
        log.error("%s is not valid JSON: %r", key, raw)
        return {}
    return value if isinstance(value, dict) else {}


def _by_province(data: dict, province: str):
    wanted = vocab.fold(province)
    for key, value in data.items():
        if vocab.fold(key) == wanted:
            return value
    return None


def target(province: str, year: int) -> Target | None:
    years = _by_province(_json_option("ckanext.opendata_vn.targets"), province) or {}
    raw = years.get(str(year)) if isinstance(years, dict) else None
    if raw is None:
        return None
    m = _TARGET.match(str(raw))
    if not m:
        log.error("target for %s %s is not like \">70\" or \">=50\": %r", province, year, raw)
        return None
    return Target(">" if m[1] == ">" else ">=", float(m[2]))


def review_months(province: str) -> int | None:
    value = _by_province(_json_option("ckanext.opendata_vn.review_months"), province)
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def grace_days() -> int:
    return int(tk.config.get("ckanext.opendata_vn.update_grace_days") or 0)


def reminder_days() -> int:
    return int(tk.config.get("ckanext.opendata_vn.reminder_days") or 0)


def timezone() -> ZoneInfo:
    return local_timezone()


def today() -> datetime.date:
    return datetime.datetime.now(timezone()).date()
