"""The vocabularies cover every value the seed catalogs use."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from ckanext.opendata_vn.core import vocab
from ckanext.opendata_vn.catalog.rows import agency_from_header, parse_first_provided, split_agencies

SEEDS = sorted((Path(__file__).resolve().parents[2] / "catalog_seeds").glob("*.json"))
ROWS = [r for f in SEEDS for r in json.loads(f.read_text(encoding="utf-8"))["rows"]]


def test_every_seed_frequency_maps_or_is_kept_and_flagged():
    values = {r["frequency"] for r in ROWS if r["frequency"]}
    unmatched = {v for v in values if not vocab.match_frequency(v).matched}
    # The one free-text period in the seeds (Hưng Yên TT 124) is kept as "other".
    assert unmatched == {"Giai đoạn 2021-2030, tầm nhìn đến năm 2050"}
    assert vocab.match_frequency("Giai đoạn 2021-2030, tầm nhìn đến năm 2050").frequency.code == "other"


@pytest.mark.parametrize("text,code", [
    ("Năm", "annual"), ("năm", "annual"), ("Hàng năm", "annual"), ("Năm học", "school_year"),
    ("6 tháng", "semiannual"), ("06 tháng", "semiannual"), ("Quý", "quarterly"), ("quy", "quarterly"),
    ("Tháng", "monthly"), ("Tháng, quý", "monthly_quarterly"), ("Quý; Năm", "quarterly_annual"),
    ("Khi có phát sinh", "on_occurrence"), ("Khi có thay đổi", "on_change"),
    ("Khi có sự thay đổi", "on_change"), ("Khi có nhu cầu", "on_demand"),
    ("5 năm (2021-2025)", "quinquennial"), ("10 năm (2021-2030)", "decennial"), ("03 năm", "triennial"),
])
def test_frequency_wording(text, code):
    match = vocab.match_frequency(text)
    assert match.matched and match.frequency.code == code
    assert match.text == text
    assert match.frequency.eu_uri.startswith(vocab.EU_FREQ)


def test_every_seed_theme_maps_to_one_theme():
    for row in ROWS:
        theme = vocab.match_theme(row["theme"])
        if theme is None:  # a section headed by an agency, e.g. "SỞ TÀI CHÍNH"
            assert agency_from_header(row["theme"]), row["theme"]


@pytest.mark.parametrize("a,b", [
    ("CHỦ ĐỀ GIÁO DỤC", "LĨNH VỰC GIÁO DỤC"), ("CHỦ ĐỀ GIÁO DỤC VÀ ĐÀO TẠO", "chủ đề giáo dục"),
    ("CHỦ ĐỀ TÀI NGUYÊN MÔI TRƯỜNG", "LĨNH VỰC MÔI TRƯỜNG, TÀI NGUYÊN"),
    ("CHỦ ĐỀ Y TẾ, SỨC KHỎE", "LĨNH VỰC Y TẾ"), ("CHỦ ĐỀ VĂN HÓA DU LỊCH", "LĨNH VỰC VĂN HÓA, DU LỊCH"),
    ("CHỦ ĐỀ KHOA HỌC", "LĨNH VỰC KHOA HỌC CÔNG NGHỆ"),
])
def test_theme_aliases_unify(a, b):
    assert vocab.match_theme(a) is not None
    assert vocab.match_theme(a) == vocab.match_theme(b)


def test_every_theme_has_an_eu_code_except_other():
    for theme in vocab.THEMES:
        assert (theme.eu is None) == (theme.code == "khac")


@pytest.mark.parametrize("text,codes", [
    ("Excel", ["excel"]), ("API", ["api"]), ("Excel/API", ["excel", "api"]), ("Excel, API", ["excel", "api"]),
    ("", []), ("Cơ sở dữ liệu", ["database"]), ("Giấy", ["other"]),
])
def test_sources(text, codes):
    assert vocab.match_sources(text) == codes


@pytest.mark.parametrize("text,date", [
    ("01/01/2025", datetime.date(2025, 1, 1)), ("30/6/2024", datetime.date(2024, 6, 30)),
    ("Quý III/2024", datetime.date(2024, 9, 30)), ("Quý 4/2025", datetime.date(2025, 12, 31)),
    ("Tháng 6/2024", datetime.date(2024, 6, 30)), ("06/2024", datetime.date(2024, 6, 30)),
    ("Năm 2025", datetime.date(2025, 12, 31)), ("2026-03-15", datetime.date(2026, 3, 15)),
    ("", None), ("sau khi có dữ liệu", None), ("31/02/2024", None),
])
def test_first_provided_dates(text, date):
    assert parse_first_provided(text) == date


def test_split_agencies_drops_remarks_and_keeps_order():
    assert split_agencies("Sở Giáo dục và Đào tạo (đơn vị trực thuộc Sở); UBND cấp huyện (đơn vị trực thuộc)") \
        == ["Sở Giáo dục và Đào tạo", "UBND cấp huyện"]
    assert split_agencies("Sở Công Thương phối hợp thu thập, cung cấp") == ["Sở Công Thương"]
    assert split_agencies("") == []


def test_fold_unifies_spelling_variants():
    assert vocab.fold("Sở Lao động - Thương binh và Xã hội") == vocab.fold("Sở Lao động, Thương binh và Xã hội")
    assert vocab.fold("Sở Công Thương") == vocab.fold("Sở Công thương")
    assert vocab.fold("Đường bộ") == "duong bo"
