"""The check a harvested table passes before it is published, supplied by a feature
above harvest (privacy's personal-data guard registers it from privacy/wiring.py).
Harvest knows only this hook, so it never imports the feature that checks it; with
no guard registered every table is published as read.

    mark(table)                  once per run, after reading: marks Column.personal and
                                 returns the findings (the run log names the columns)
    check(source, dataset,       after the table was found changed, before publishing:
          prepared, run, found)  HELD to publish nothing; None to publish `prepared`
                                 (which the guard may have reduced)
    withheld_roles(source_id)    resource roles deliberately not published for the
                                 source (publish.has_all_resources does not miss them)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

HELD = "held"


@dataclass(frozen=True)
class Guard:
    mark: Callable[..., list]
    check: Callable[..., str | None]
    withheld_roles: Callable[[str], set]


NO_GUARD = Guard(mark=lambda table: [], check=lambda source, dataset, prepared, run, found: None,
                 withheld_roles=lambda source_id: set())
_registered = {"guard": NO_GUARD}


def register(guard: Guard) -> None:
    """One guard at a time: registering again (a reloaded plugin) replaces it."""
    _registered["guard"] = guard


def current() -> Guard:
    return _registered["guard"]


def mark(table) -> list:
    return _registered["guard"].mark(table)


def check(source, dataset, prepared, run, found: list) -> str | None:
    return _registered["guard"].check(source, dataset, prepared, run, found)


def withheld_roles(source_id: str) -> set:
    return _registered["guard"].withheld_roles(source_id)
