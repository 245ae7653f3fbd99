"""Dates and numbers as a person reads them: the one place that formats them.

Vietnamese: "03/12/2026", "03/12/2026 13:07", "3 tháng 12 năm 2026" in a sentence,
"1.234.567", "12,5". English pages keep English forms ("December 3, 2026", "1,234,567").
Times are shown in `ckan.display_timezone`. Used by our templates, emails, reports and
charts, and registered under CKAN's own helper names (`render_datetime`,
`localised_number`) so that core templates show dates the same way: CKAN 2.11's
pattern "MMMM d, YYYY, HH:mm (z)" is English whatever the locale, and `YYYY` is the
week-based year (wrong in the last days of December).
"""
from __future__ import annotations

import datetime

import pytz
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

import ckan.plugins.toolkit as tk

_EN_DATE = "MMMM d, y"
_EN_DATETIME = "MMMM d, y, HH:mm"


def current_lang() -> str:
    """The request's language; outside a request (CLI, jobs, emails) the portal's default."""
    try:
        return tk.h.lang() or "vi"
    except (RuntimeError, AttributeError, TypeError):
        return tk.config.get("ckan.locale_default") or "vi"


def _tz():
    return pytz.timezone(tk.config.get("ckan.display_timezone") or "UTC")


def to_local(value) -> datetime.datetime | datetime.date | None:
    """A date stays a date; a datetime (naive = UTC, as CKAN stores them) or an ISO
    string becomes a datetime in the display time zone; anything else is None."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                return None
        try:
            value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=pytz.utc)
        return value.astimezone(_tz())
    if isinstance(value, datetime.date):
        return value
    return None


def format_date(value, words: bool = False, lang: str | None = None) -> str:
    """"03/12/2026" ("3 tháng 12 năm 2026" with words=True); English: "December 3, 2026"."""
    moment = to_local(value)
    if moment is None:
        return ""
    if (lang or current_lang()) == "en":
        return _babel_date(moment, _EN_DATE, locale="en")
    if words:
        return f"{moment.day} tháng {moment.month} năm {moment.year}"
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"


def format_datetime(value, lang: str | None = None, seconds: bool = False) -> str:
    """"03/12/2026 13:07"; English: "December 3, 2026, 13:07". A bare date shows no time."""
    moment = to_local(value)
    if moment is None:
        return ""
    if not isinstance(moment, datetime.datetime):
        return format_date(moment, lang=lang)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    if (lang or current_lang()) == "en":
        return _babel_datetime(moment, _EN_DATETIME + (":ss" if seconds else ""), locale="en")
    return f"{format_date(moment, lang='vi')} {moment.strftime(clock)}"


def format_number(value, decimals: int | None = None, lang: str | None = None) -> str:
    """1234567.5 → "1.234.567,5" (vi) or "1,234,567.5" (en); `decimals` fixes the digits."""
    if value is None or value == "":
        return ""
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return str(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "" if decimals == 0 else ".###")
    return format_decimal(number, format=pattern, locale="en" if (lang or current_lang()) == "en" else "vi")


def format_percent(value, decimals: int | None = None, lang: str | None = None) -> str:
    """45.5 → "45,5 %" (vi) or "45.5%" (en)."""
    if value is None:
        return ""
    text = format_number(value, decimals, lang)
    return f"{text}%" if (lang or current_lang()) == "en" else f"{text} %"


# ---------------------------------------------------------------- CKAN's helper names
def render_datetime(datetime_, date_format: str | None = None, with_hours: bool = False,
                    with_seconds: bool = False) -> str:
    """Same signature as CKAN's `h.render_datetime`; an explicit strftime format is kept."""
    if date_format:
        moment = to_local(datetime_)
        return moment.strftime(date_format) if moment else ""
    if with_hours or with_seconds:
        return format_datetime(datetime_, seconds=with_seconds)
    return format_date(datetime_)


def localised_number(number) -> str:
    return format_number(number)


def get_helpers() -> dict:
    return {
        "render_datetime": render_datetime,
        "localised_number": localised_number,
        "opendata_vn_date": format_date,
        "opendata_vn_datetime": format_datetime,
        "opendata_vn_number": format_number,
        "opendata_vn_percent": format_percent,
    }
