"""The table reader's row rules (core/tabular/reader.py), one by one, including the lines
that must NOT end a table or become a section."""
from __future__ import annotations

import pytest

from ckanext.opendata_vn.core.tabular import reader
from ckanext.opendata_vn.core.tabular.reader import table_from_grid


@pytest.mark.parametrize("text, kind", [
    ("Sơn La, ngày 05 tháng 4 năm 2024", "place_date"),
    ("Điện Biên, ngày    tháng    năm 2025", "place_date"),
    ("ngày … tháng … năm 20…", "place_date"),
    ("KT. CHỦ TỊCH", "signature"), ("PHÓ CHỦ TỊCH", "signature"), ("GIÁM ĐỐC", "signature"),
    ("Người lập biểu", "signature"), ("Nơi nhận:", "signature"), ("TM. ỦY BAN NHÂN DÂN", "signature"),
    ("Ghi chú: số liệu sơ bộ", "note"), ("* Giá tính theo vị trí 1", "note"), ("Nguồn: Cục Thống kê", "note"),
    # data that looks alike
    ("Quyết định số 12 ngày 5 tháng 3 năm 2020 của UBND tỉnh", None),
    ("Giám đốc", None),                    # a position in a staff list, not a signature title
    ("Nguồn nước sạch", None), ("Ghi chú", None), ("Trường THCS Chiềng Lề", None),
])
def test_lines_that_end_a_table(text, kind):
    assert reader.ending_kind([(0, text)]) == kind


def test_decomposed_text_is_read_alike():
    import unicodedata
    assert reader.ending_kind([(0, unicodedata.normalize("NFD", "KT. CHỦ TỊCH"))]) == "signature"
    grid = [["Tên", "Số"], ["A", 1], [unicodedata.normalize("NFD", "Tổng cộng"), 1]]
    assert table_from_grid(grid).row_count == 1


@pytest.mark.parametrize("cells, expected", [
    ([(0, "I"), (1, "Khu vực thành phố")], "I. Khu vực thành phố"),
    ([(0, "A. Khu vực nông thôn")], "A. Khu vực nông thôn"),
    ([(0, "B"), (1, "Miền núi")], "B. Miền núi"),
    ([(0, "KHU VỰC HUYỆN")], "KHU VỰC HUYỆN"),
    ([(0, "Xã A")], None),                         # a data row with one cell filled
    ([(0, "I"), (1, "Khu vực"), (2, 12)], None),   # more than the first two cells
    ([(0, 1), (1, "Trường A")], None),
])
def test_section_rows(cells, expected):
    found = reader._section(cells, 0, 5, stt_lead=False)
    assert (str(found) if found else None) == expected


def test_a_roman_numeral_with_subtotals_in_the_stt_column_is_a_section():
    found = reader._section([(0, "II"), (1, "Chỉ tiêu xã hội"), (3, 120)], 0, 5, stt_lead=True)
    assert str(found) == "II. Chỉ tiêu xã hội"


def test_sub_sections_keep_their_parent():
    grid = [["STT", "Tên", "Số"], ["I", "MIỀN NÚI"], ["A. Huyện X"], [1, "Xã 1", 5], ["B. Huyện Y"],
            [2, "Xã 2", 6], ["II", "ĐỒNG BẰNG"], [3, "Xã 3", 7]]
    table = table_from_grid(grid)
    assert table.data[0] == ["I. MIỀN NÚI / A. Huyện X", "I. MIỀN NÚI / B. Huyện Y", "II. ĐỒNG BẰNG"]


def test_letterhead_is_not_the_header():
    grid = [["UBND TỈNH SƠN LA", None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None],
            ["Số: 12/BC-UBND", None, "Độc lập - Tự do - Hạnh phúc", None],
            ["Mã", "Tên", "Giá trị", "Ghi chú"], ["01", "A", 1, None]]
    table = table_from_grid(grid)
    assert table.header_row == 3 and table.names == ["Mã", "Tên", "Giá trị", "Ghi chú"]


@pytest.mark.parametrize("text, unit", [("(đồng)", "đồng"), ("ĐVT: triệu đồng", "triệu đồng"),
                                        ("Đơn vị tính: người", "người"), ("(1)", None), ("Xã A", None)])
def test_unit_text(text, unit):
    assert reader.unit_text(text) == unit


def test_every_guess_has_both_languages():
    grid = [["Tên", "Số"], ["A", 1], [None, None], ["B", 2], ["Tổng", 3], ["Người lập biểu", None]]
    table = table_from_grid(grid)
    assert [(g.kind, g.first, g.last) for g in table.guesses] == [
        ("header", 1, 1), ("blank", 3, 3), ("total", 5, 5), ("signature", 6, 6)]
    assert table.guesses[2].as_dict()["vi"] == "dòng 5: dòng tổng cộng, không phải dữ liệu «Tổng»"
    assert table.guesses[2].as_dict()["en"] == "row 5: total row, not data «Tổng»"
