"""harvest/guard.py: the hook through which privacy checks harvested tables without
harvest importing privacy."""
from __future__ import annotations

from ckanext.opendata_vn.harvest import guard
from ckanext.opendata_vn.privacy import harvest_guard


def test_without_a_guard_every_table_is_published():
    none = guard.NO_GUARD
    assert none.mark(object()) == []
    assert none.check(None, None, None, None, []) is None
    assert none.withheld_roles("any-source") == set()


def test_the_plugin_registers_the_personal_data_guard():
    # privacy/wiring.py configure() runs when the plugin loads
    registered = guard.current()
    assert registered is not guard.NO_GUARD
    assert registered.mark is harvest_guard.mark_personal
    assert registered.check is harvest_guard.guard
    assert registered.withheld_roles is harvest_guard.withheld_roles


def test_the_harvester_asks_the_registered_guard_with_the_findings_of_one_detection():
    calls = []
    previous = guard.current()
    guard.register(guard.Guard(
        mark=lambda table: calls.append(("mark", table)) or ["finding"],
        check=lambda source, dataset, prepared, run, found: calls.append(("check", found)) or guard.HELD,
        withheld_roles=lambda source_id: calls.append(("roles", source_id)) or {"original"}))
    try:
        found = guard.mark("table")
        assert guard.check("source", "dataset", "prepared", "run", found) == guard.HELD
        assert guard.withheld_roles("s1") == {"original"}
    finally:
        guard.register(previous)
    assert calls == [("mark", "table"), ("check", ["finding"]), ("roles", "s1")]
    assert guard.current() is previous
