"""Due dates from the frequency vocabulary (core/due_dates.py): pure functions, no services."""
from __future__ import annotations

import datetime

import pytest

from ckanext.opendata_vn.core import due_dates as schedule

from ckanext.opendata_vn.core import vocab
D = datetime.date


@pytest.mark.parametrize("code,last,due", [
    ("monthly", D(2025, 1, 31), D(2025, 2, 28)),        # clamped to the month's end
    ("quarterly", D(2024, 11, 30), D(2025, 2, 28)),
    ("quarterly", D(2024, 12, 20), D(2025, 3, 20)),
    ("semiannual", D(2024, 8, 31), D(2025, 2, 28)),
    ("annual", D(2024, 2, 29), D(2025, 2, 28)),
    ("biennial", D(2023, 5, 1), D(2025, 5, 1)),
    ("quinquennial", D(2021, 1, 1), D(2026, 1, 1)),
    ("daily", D(2025, 3, 1), D(2025, 3, 2)),
    ("weekly", D(2025, 3, 1), D(2025, 3, 8)),
    ("monthly_quarterly", D(2025, 1, 15), D(2025, 2, 15)),
    ("school_year", D(2024, 10, 5), D(2025, 9, 30)),    # data of school year 2024-2025
    ("school_year", D(2025, 8, 1), D(2025, 9, 30)),     # still 2024-2025: next due when 2025-2026 starts
    ("on_change", D(2025, 1, 1), None),                  # irregular: no date from the frequency
    ("on_occurrence", D(2025, 1, 1), None),
    ("continuous", D(2025, 1, 1), None),
    ("other", D(2025, 1, 1), None),
    ("", D(2025, 1, 1), None),
    ("annual", None, None),
])
def test_next_due(code, last, due):
    assert schedule.next_due(code, last) == due


def test_every_frequency_has_a_rule():
    for f in vocab.FREQUENCIES:
        due = schedule.next_due(f, D(2025, 1, 15))
        assert (due is None) == (f.irregular or (not f.months and not f.days)), f.code


def test_review_rule_applies_to_every_frequency():
    """Bắc Giang: confirm or update at least every 3 months, whatever the frequency."""
    assert schedule.update_due("annual", D(2024, 12, 15), 3) == D(2025, 3, 15)
    assert schedule.update_due("on_change", D(2024, 12, 15), 3) == D(2025, 3, 15)
    assert schedule.update_due("monthly", D(2024, 12, 15), 3) == D(2025, 1, 15)
    assert schedule.update_due("annual", D(2024, 12, 15), None) == D(2025, 12, 15)
    assert schedule.update_due("on_change", D(2024, 12, 15), None) is None
    assert schedule.next_due("annual", datetime.datetime(2024, 12, 15, 23, 0)) == D(2025, 12, 15)
