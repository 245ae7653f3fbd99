"""Due dates from the frequency vocabulary, in one place.

Compliance (is the data up to date?), the reminders and the harvest scheduler all ask
the same question — "updated on `last` with frequency F, when is the next update
due?" — and answer it here, from `vocab.FREQUENCIES` (months / days / school_year /
irregular). Irregular frequencies ("Khi có …", "Thường xuyên") have no due date from
the frequency (docs/decisions.md §6); a province's review rule (Bắc Giang: confirm or
update at least every 3 months) is a separate, configured interval: `review_due`.
"""
from __future__ import annotations

import calendar
import datetime

from ckanext.opendata_vn.core import vocab
Date = datetime.date


def add_months(day: Date, months: int) -> Date:
    """Same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return Date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def frequency(code_or_freq) -> vocab.Frequency | None:
    if isinstance(code_or_freq, vocab.Frequency):
        return code_or_freq
    return vocab.FREQUENCY_BY_CODE.get(code_or_freq or "")


def next_due(freq, last: Date | None) -> Date | None:
    """When the update after one made on `last` is due, or None when the frequency
    sets no date (irregular, "other", unknown, or no update yet).

    School-year data (periods start in September) is due by the end of September
    of the school year after the one `last` belongs to.
    """
    f = frequency(freq)
    if f is None or last is None or f.irregular:
        return None
    if isinstance(last, datetime.datetime):
        last = last.date()
    if f.school_year:
        start = last.year if last.month >= 9 else last.year - 1
        return Date(start + 1, 9, 30)
    if f.days:
        return last + datetime.timedelta(days=f.days)
    if f.months:
        return add_months(last, f.months)
    return None


def review_due(last: Date | None, review_months: int | None) -> Date | None:
    """The province's review rule: confirm or update at least every N months."""
    if last is None or not review_months:
        return None
    if isinstance(last, datetime.datetime):
        last = last.date()
    return add_months(last, int(review_months))


def update_due(freq, last: Date | None, review_months: int | None = None) -> Date | None:
    """The earlier of the frequency's due date and the review rule's."""
    dates = [d for d in (next_due(freq, last), review_due(last, review_months)) if d]
    return min(dates) if dates else None
