"""The shared parse/type pipeline on its own: header detection, Vietnamese numbers and
dates, encodings, outputs."""
from __future__ import annotations

import datetime
import json
import unicodedata

import pytest

from ckanext.opendata_vn.core.tabular import workbook

from ckanext.opendata_vn.core.tabular import table as tabular
from ckanext.opendata_vn.core.failures import HarvestFailure, split_message
from ckanext.opendata_vn.core.tabular.reader import table_from_grid
from ckanext.opendata_vn.core.tabular.table import TableError, type_column


@pytest.mark.parametrize("values, kind, typed", [
    (["1.234,5", "2,25", "-3"], "numeric", [1234.5, 2.25, -3.0]),
    (["1.234", "12.345.678", "7"], "int8", [1234, 12345678, 7]),            # Vietnamese thousands
    (["1.5", "2.75"], "numeric", [1.5, 2.75]),                               # only dot-decimal fits
    ([1, 2.0, "3"], "int8", [1, 2, 3]),
    (["0912345678", "0987654321"], "text", ["0912345678", "0987654321"]),   # phone numbers keep zeros
    (["15/03/2024", "1/2/2023", None], "date",
     [datetime.date(2024, 3, 15), datetime.date(2023, 2, 1), None]),
    (["31/02/2024"], "text", ["31/02/2024"]),                                # not a date
    (["2024-03-15 08:30", "15/03/2024 17:05:10"], "timestamp",
     [datetime.datetime(2024, 3, 15, 8, 30), datetime.datetime(2024, 3, 15, 17, 5, 10)]),
    ([True, False, None], "bool", [True, False, None]),
    (["Có", 1, None], "text", ["Có", "1", None]),
    ([" ", "", None], "text", [None, None, None]),
])
def test_column_types(values, kind, typed):
    assert type_column(values) == (kind, typed)


def test_excel_serials_in_a_date_column():
    assert type_column([45366, 45367], "Ngày cấp") == ("date", [datetime.date(2024, 3, 15), datetime.date(2024, 3, 16)])
    assert type_column([45366, 45367], "Số lượng")[0] == "int8"
    mixed = type_column([datetime.date(2024, 1, 1), 45366.5])
    assert mixed == ("timestamp", [datetime.datetime(2024, 1, 1), datetime.datetime(2024, 3, 15, 12, 0)])


def test_text_is_nfc():
    kind, values = type_column(["Hoa\u0300 Bi\u0300nh"])
    assert values == ["Hoà Bình"] and unicodedata.is_normalized("NFC", values[0])


def test_header_below_title_rows_and_notes():
    grid = [["UBND TỈNH BẮC GIANG", "", ""], ["BÁO CÁO", "", ""], ["Đơn vị tính: người", "", ""],
            ["Xã", "Nam", "Nữ"], ["Xã A", 1, 2], ["", "", ""], ["Xã B", 3, 4]]
    table = table_from_grid(grid, [((0, 0), (0, 2)), ((1, 0), (1, 2))])
    assert table.names == ["Xã", "Nam", "Nữ"] and table.header_row == 4
    assert list(table.rows()) == [("Xã A", 1, 2), ("Xã B", 3, 4)]


def test_unnamed_and_duplicate_columns():
    grid = [["Tên", "Ghi chú", "", "Ghi chú", ""], ["A", "x", 5, "y", ""]]
    table = table_from_grid(grid)
    assert table.names == ["Tên", "Ghi chú", "Cột 3", "Ghi chú (2)"]


@pytest.mark.parametrize("grid, code", [
    ([], "empty"), ([["", ""], ["", ""]], "empty"),
    ([[1, 2], [3, 4]], "no_header"), ([["Tên", "Tuổi"]], "no_rows"),
])
def test_grids_that_are_not_tables(grid, code):
    with pytest.raises(TableError) as e:
        table_from_grid(grid)
    assert e.value.code == code


def test_datastore_ids_fit_postgres():
    long = "Số lượng học sinh trung học phổ thông theo từng trường trên địa bàn tỉnh năm học"
    ids = tabular.datastore_ids([long, long, "_id", 'a"b'])
    assert all(len(i.encode()) <= 63 for i in ids) and len(set(ids)) == 4
    assert ids[2] == "id" and '"' not in ids[3]


def test_outputs_keep_column_order_and_hash_content(tmp_path):
    table = table_from_grid([["Tên", "Số", "Ngày"], ["Xã A", "1.234,5", "15/03/2024"]])
    out = tabular.write_outputs(table, str(tmp_path / "a.csv"), str(tmp_path / "a.json"))
    assert (tmp_path / "a.csv").read_bytes().decode("utf-8") == "Tên,Số,Ngày\r\nXã A,1234.5,2024-03-15\r\n"
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == \
        [{"Tên": "Xã A", "Số": 1234.5, "Ngày": "2024-03-15"}]
    again = tabular.write_outputs(table_from_grid([["Tên", "Số", "Ngày"], ["Xã A", 1234.5, datetime.date(2024, 3, 15)]]),
                                  str(tmp_path / "b.csv"), str(tmp_path / "b.json"))
    assert again.csv_sha256 == out.csv_sha256      # same data however it was typed in


def test_json_download_is_one_record_a_line_and_keeps_huge_integers(tmp_path):
    """The JSON download (orjson, json for what orjson refuses): an array with one record
    a line, Vietnamese unescaped, more than one chunk of 5,000 rows, integers past 64 bits."""
    rows = [["Mã", "Tên xã", "Dân số"]] + [[f"X{i:05d}", f"Xã số {i}", i] for i in range(6001)]
    table = table_from_grid(rows)
    table.data[2][0] = 2 ** 70                   # an INT column holding a value orjson cannot
    tabular.write_json(table, str(tmp_path / "a.json"))
    raw = (tmp_path / "a.json").read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert len(lines) == 6002 and lines[-1] == "" and lines[0].startswith("[{") and lines[-2].endswith("}]")
    assert "Xã số 6000" in lines[-2]             # not \u-escaped
    records = json.loads(raw)
    assert len(records) == 6001
    assert records[0] == {"Mã": "X00000", "Tên xã": "Xã số 0", "Dân số": 2 ** 70}
    assert records[6000] == {"Mã": "X06000", "Tên xã": "Xã số 6000", "Dân số": 6000}


def test_personal_columns_are_marked_by_the_detection_rules():
    """Parsing decides nothing about personal data; core/tabular/personal_data.py's rules (through
    privacy/staging.py, as harvests and uploads use them) mark the columns."""
    from ckanext.opendata_vn.privacy.staging import table_findings
    table = table_from_grid([["Họ và tên", "Ngày sinh", "Số điện thoại", "Xã"],
                             ["Nguyễn Văn An", "01/01/1990", "0912345678", "Tân Mỹ"]])
    assert [c.personal for c in table.columns] == [False] * 4
    findings = table_findings(table)
    assert [c.personal for c in table.columns] == [True, True, True, False]
    assert {f.column for f in findings} == {"Họ và tên", "Ngày sinh", "Số điện thoại"}


@pytest.mark.parametrize("data, encoding, delimiter", [
    ("a;b\r\n1;Hà Nội\r\n".encode("utf-8"), "utf-8", ";"),
    (b"\xef\xbb\xbf" + "a,b\n1,Huế\n".encode("utf-8"), "utf-8-sig", ","),
    ("a\tb\n1\tx\n".encode("utf-16"), "utf-16", "\t"),
    ("a|b\n1|Hu\u00ea\u0301\n".encode("cp1258"), "windows-1258", "|"),
])
def test_csv_decoding(data, encoding, delimiter):
    rows, found, sep = workbook.csv_grid(data)
    assert (found, sep) == (encoding, delimiter)
    assert all(unicodedata.is_normalized("NFC", c) for r in rows for c in r)


def test_failure_message_names_source_and_hides_query():
    f = HarvestFailure("http_error", status="404 Not Found")
    vi, en = split_message(f.message("Danh sách trường", "https://so.gov.vn/tep.xlsx?token=abc"))
    assert vi == "Nguồn «Danh sách trường» (https://so.gov.vn/tep.xlsx): máy chủ trả về lỗi HTTP 404 Not Found."
    assert en == "Source «Danh sách trường» (https://so.gov.vn/tep.xlsx): the server answered with HTTP error 404 Not Found."
