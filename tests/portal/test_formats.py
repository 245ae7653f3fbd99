"""Dates and numbers the Vietnamese way (core/formats.py), English forms on English pages,
and CKAN's own `h.render_datetime` routed through the same helper."""
from __future__ import annotations

import datetime
import re

import pytest
from ckan.lib.helpers import helper_functions
from ckan.tests import helpers

from ckanext.opendata_vn.core import formats
UTC = datetime.timezone.utc
# 06:07 UTC is 13:07 in Hà Nội (ckan.display_timezone = Asia/Ho_Chi_Minh)
MOMENT = datetime.datetime(2026, 12, 3, 6, 7, tzinfo=UTC)
ENGLISH_PATTERN = re.compile(r"tháng \d+ \d+, \d{4}|\b(January|February|March|April|May|June|July|August|"
                             r"September|October|November|December)\b")


def test_vietnamese_dates():
    assert formats.format_date(MOMENT, lang="vi") == "03/12/2026"
    assert formats.format_datetime(MOMENT, lang="vi") == "03/12/2026 13:07"
    assert formats.format_date(MOMENT, words=True, lang="vi") == "3 tháng 12 năm 2026"
    assert formats.format_date("2025-03-01", lang="vi") == "01/03/2025"
    # naive datetimes are UTC, as CKAN stores them; late evening UTC is the next day here
    assert formats.format_datetime(datetime.datetime(2025, 6, 30, 18, 30), lang="vi") == "01/07/2025 01:30"
    assert formats.format_date("not a date", lang="vi") == "" and formats.format_date(None) == ""


def test_calendar_year_not_week_year():
    """CKAN's "YYYY" is the ISO week year: 29 December 2025 belongs to week 1 of 2026."""
    late = datetime.datetime(2025, 12, 29, 3, 0, tzinfo=UTC)
    assert formats.format_date(late, lang="vi") == "29/12/2025"
    assert formats.format_datetime(late, lang="en") == "December 29, 2025, 10:00"


def test_english_keeps_english_forms():
    assert formats.format_date(MOMENT, lang="en") == "December 3, 2026"
    assert formats.format_number(1234567.5, lang="en") == "1,234,567.5"
    assert formats.format_percent(42.9, lang="en") == "42.9%"


def test_vietnamese_numbers():
    assert formats.format_number(1234567, lang="vi") == "1.234.567"
    assert formats.format_number(12.5, lang="vi") == "12,5"
    assert formats.format_number(1536.0, 1, lang="vi") == "1.536,0"
    assert formats.format_number(0, lang="vi") == "0"
    assert formats.format_percent(42.9, lang="vi") == "42,9 %"
    assert formats.format_percent(100, lang="vi") == "100 %"


def test_ckan_helpers_are_ours():
    assert helper_functions["render_datetime"] is formats.render_datetime
    assert helper_functions["localised_number"] is formats.localised_number
    # an explicit strftime pattern asked by a core template is kept
    assert formats.render_datetime(MOMENT, date_format="%Y-%m-%d") == "2026-12-03"


@pytest.fixture
def dated_dataset(sandbox, sysadmin):
    org = helpers.call_action("organization_create", context={"user": sysadmin["name"]},
                              name=f"ngay-thang-{sandbox.province[-6:].lower()}", title=f"Sở Thử Ngày tỉnh {sandbox.province}")
    return helpers.call_action("package_create", context={"user": sysadmin["name"]},
                               name=f"ngay-thang-{sandbox.province[-6:].lower()}", title="Dữ liệu ngày tháng thử",
                               owner_org=org["id"], theme="khac", province=sandbox.province,
                               data_updated="2025-12-29T03:00:00", first_provided="2025-12-31")


def test_dataset_page_shows_vietnamese_dates(app, dated_dataset):
    body = app.get(f"/dataset/{dated_dataset['name']}").get_data(as_text=True)
    assert "29/12/2025 10:00" in body          # data_updated, with hours
    assert "31/12/2025" in body                # first provided
    assert not ENGLISH_PATTERN.findall(re.sub(r"<[^>]+>", " ", body)), ENGLISH_PATTERN.findall(body)
    english = app.get(f"/en/dataset/{dated_dataset['name']}").get_data(as_text=True)
    assert "December 29, 2025, 10:00" in english
