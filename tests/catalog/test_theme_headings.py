"""Appendix theme headings as agencies write them → the portal's themes."""
from __future__ import annotations

import pytest

from ckanext.opendata_vn.catalog.rows import plan_row
from ckanext.opendata_vn.catalog.themes import closest_theme, heading_themes


@pytest.mark.parametrize("heading, codes", [
    ("CHỦ ĐỀ GIÁO DỤC", ["giao-duc"]),
    ("LĨNH VỰC XÂY DỰNG, GIAO THÔNG", ["xay-dung", "giao-thong"]),
    ("XÂY DỰNG, GIAO THÔNG", ["xay-dung", "giao-thong"]),
    ("II. LĨNH VỰC Y TẾ", ["y-te"]),
    ("Y TẾ - GIÁO DỤC", ["y-te", "giao-duc"]),
    ("Văn hóa, thể thao và du lịch", ["van-hoa-du-lich"]),
    ("Tài nguyên và môi trường", ["tai-nguyen-moi-truong"]),
    ("LĨNH VỰC AN NINH TRẬT TỰ", []),
    ("", []),
])
def test_heading_themes(heading, codes):
    assert [t.code for t in heading_themes(heading)] == codes


def test_closest_theme_follows_the_entrys_words():
    options = heading_themes("XÂY DỰNG, GIAO THÔNG")
    assert closest_theme(options, "Tuyến xe buýt", "", "Sở Giao thông vận tải").code == "giao-thong"
    assert closest_theme(options, "Giấy phép", "", "Sở Xây dựng").code == "xay-dung"
    assert closest_theme(options, "Danh mục", "", "").code == "xay-dung"      # none named: the first


def _row(theme: str, **kw) -> dict:
    return {"number": "1", "theme_number": "I", "theme": theme, "title": "Danh sách", "description": "",
            "agency": "Sở Xây dựng", "first_provided": "", "frequency": "Năm", "source": "", "notes": "", **kw}


def test_an_unknown_heading_goes_to_other_with_a_warning_never_an_error():
    entry, errors = plan_row(1, _row("LĨNH VỰC AN NINH TRẬT TỰ"), "Sơn La")
    assert errors == [] and entry.theme.code == "khac"
    assert any("không khớp chủ đề nào" in f and "Khác" in f for f in entry.flags)
    assert entry.row["theme"] == "LĨNH VỰC AN NINH TRẬT TỰ"


def test_a_mapped_heading_uses_the_chosen_theme():
    entry, errors = plan_row(1, _row("LĨNH VỰC AN NINH TRẬT TỰ", theme_code="noi-vu"), "Sơn La")
    assert errors == [] and entry.theme.code == "noi-vu" and entry.flags == []


def test_a_row_without_a_name_is_still_an_error():
    entry, errors = plan_row(3, _row("CHỦ ĐỀ GIÁO DỤC", title=""), "Sơn La")
    assert entry is None and [e.column for e in errors] == ["Tên tập dữ liệu"]
