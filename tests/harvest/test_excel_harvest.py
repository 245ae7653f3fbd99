"""vn_excel end to end: a workbook on a local HTTP server becomes the dataset's
original, CSV and JSON resources and DataStore rows; unchanged content creates no new
version; changed content updates everything and records the data's update time."""
from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from ckan.tests import helpers

from tests.support.corpus import to_cp1258
from tests.support.harvest import (FIXTURES, create_source, datastore_rows, harvested, run_job, show, site_user,
                            source_status, stored_file, xlsx_bytes)

ROWS = [
    ["DANH SÁCH TRƯỜNG HỌC TRÊN ĐỊA BÀN TỈNH NĂM 2024", None, None, None, None],
    ["(Kèm theo Quyết định số 123/QĐ-UBND)", None, None, None, None],
    [None, None, None, None, None],
    ["STT", "Tên trường", "Số học sinh", "Diện tích (m²)", "Ngày thành lập"],
    [1, "Trường THPT Ngô Sĩ Liên", 1234, "1.234,5", datetime.date(1950, 9, 5)],
    [2, "Trường THCS Lê Quý Đôn", 856, "12.000", "01/03/1962"],
    [3, "Trường Tiểu học Hoàng Hoa Thám", 0, "980,25", datetime.date(1975, 1, 15)],
]


def _table(csv_bytes: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_bytes.decode("utf-8"))))


def test_workbook_is_published_as_original_csv_json_and_datastore(http_server, dataset, unique):
    body = xlsx_bytes(ROWS, merges=["A1:E1", "A2:E2"])
    url = http_server.add(f"/{unique}/truong-hoc.xlsx", body)
    source = create_source(dataset, url)
    assert source["config"] == {"dataset_id": dataset["id"]}

    job = run_job(source["id"])
    assert job["status"] == "Finished"
    assert job["stats"]["errored"] == 0, source_status(source["id"])["last_job"]

    pkg = show(dataset["id"])
    res = harvested(pkg, source["id"])
    assert set(res) == {"original", "csv", "json"}
    assert stored_file(res["original"]["id"]) == body
    assert res["original"]["format"] == "XLSX" and res["original"]["url"].endswith("truong-hoc.xlsx")

    table = _table(stored_file(res["csv"]["id"]))
    assert table[0] == ["STT", "Tên trường", "Số học sinh", "Diện tích (m²)", "Ngày thành lập"]
    assert table[1] == ["1", "Trường THPT Ngô Sĩ Liên", "1234", "1234.5", "1950-09-05"]
    assert table[2] == ["2", "Trường THCS Lê Quý Đôn", "856", "12000", "1962-03-01"]

    records = json.loads(stored_file(res["json"]["id"]))
    assert list(records[0]) == table[0]            # stable column order
    assert records[1] == {"STT": 2, "Tên trường": "Trường THCS Lê Quý Đôn", "Số học sinh": 856,
                          "Diện tích (m²)": 12000.0, "Ngày thành lập": "1962-03-01"}

    search = datastore_rows(res["csv"]["id"], sort="STT")
    assert search["total"] == 3
    types = {f["id"]: f["type"] for f in search["fields"]}
    assert types["Số học sinh"] == "int8" and types["Diện tích (m²)"] == "numeric"
    assert types["Ngày thành lập"] == "date"
    assert search["records"][0]["Tên trường"] == "Trường THPT Ngô Sĩ Liên"
    assert datastore_rows(res["csv"]["id"], q="Quý Đôn")["total"] == 1
    sql = helpers.call_action("datastore_search_sql", context={"user": site_user()},
                              sql=f'SELECT SUM("Số học sinh") AS n FROM "{res["csv"]["id"]}"')
    assert int(sql["records"][0]["n"]) == 1234 + 856
    assert res["csv"]["datastore_active"] is True

    assert pkg["publication_status"] == "published"
    assert pkg["data_updated"]
    status = source_status(source["id"])
    assert status["last_result"] == "updated"
    assert status["next_due"] and status["schedule_rule"] == "periodic"
    # quarterly: three months after the data changed
    due = datetime.datetime.fromisoformat(status["next_due"])
    changed = datetime.datetime.fromisoformat(pkg["data_updated"])
    assert 88 <= (due - changed).days <= 92
    assert any("Dòng tiêu đề: dòng 4" in line["vi"] for line in status["last_job"]["log"])


def _resaved(content: bytes) -> bytes:
    import openpyxl
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.properties.creator = "Văn thư Sở Tài chính"
    workbook.properties.title = "Lưu lại"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_unchanged_content_creates_no_new_version(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/a.xlsx", xlsx_bytes(ROWS[3:]))
    source = create_source(dataset, url)
    run_job(source["id"])
    before = show(dataset["id"])

    # same bytes
    job = run_job(source["id"])
    assert job["stats"]["not modified"] == 1
    # same data, different bytes (the workbook opened and saved again by someone else)
    resaved = _resaved(xlsx_bytes(ROWS[3:]))
    assert resaved != xlsx_bytes(ROWS[3:])
    http_server.add(f"/{unique}/a.xlsx", resaved)
    job = run_job(source["id"])
    assert job["stats"]["not modified"] == 1 and job["stats"]["errored"] == 0

    after = show(dataset["id"])
    assert after["metadata_modified"] == before["metadata_modified"]
    assert after["data_updated"] == before["data_updated"]
    assert after["resources"] == before["resources"]
    assert source_status(source["id"])["last_result"] == "unchanged"


def test_etag_not_modified_skips_the_download(http_server, dataset, unique):
    path = f"/{unique}/etag.xlsx"
    url = http_server.add(path, xlsx_bytes(ROWS[3:]), headers={"ETag": '"v1"'})
    source = create_source(dataset, url)
    run_job(source["id"])
    before = show(dataset["id"])
    job = run_job(source["id"])
    assert job["stats"]["not modified"] == 1
    assert http_server.route(path).requests[-1]["headers"].get("If-None-Match") == '"v1"'
    assert show(dataset["id"])["metadata_modified"] == before["metadata_modified"]
    log = source_status(source["id"])["last_job"]["log"]
    assert any("HTTP 304" in line["vi"] for line in log)


def test_changed_content_updates_resources_and_data_time(http_server, dataset, unique):
    path = f"/{unique}/b.xlsx"
    url = http_server.add(path, xlsx_bytes(ROWS[3:]))
    source = create_source(dataset, url)
    run_job(source["id"])
    before = show(dataset["id"])
    ids = {role: r["id"] for role, r in harvested(before, source["id"]).items()}

    http_server.add(path, xlsx_bytes(ROWS[3:] + [[4, "Trường mới", 10, "1,5", "02/09/2024"]]))
    job = run_job(source["id"])
    assert job["stats"]["updated"] == 1
    after = show(dataset["id"])
    res = harvested(after, source["id"])
    assert {role: r["id"] for role, r in res.items()} == ids      # same resources, new content
    assert len(after["resources"]) == len(before["resources"])
    assert after["data_updated"] >= before["data_updated"]
    assert after["metadata_modified"] > before["metadata_modified"]
    assert datastore_rows(res["csv"]["id"])["total"] == 4
    assert _table(stored_file(res["csv"]["id"]))[-1] == ["4", "Trường mới", "10", "1.5", "2024-09-02"]


def test_xls_workbook_committed_fixture(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/truong-hoc.xls", (FIXTURES / "truong-hoc.xls").read_bytes())
    source = create_source(dataset, url, sheet="Danh sách")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0, source_status(source["id"])["last_job"]
    res = harvested(show(dataset["id"]), source["id"])
    assert res["original"]["format"] == "XLS"
    table = _table(stored_file(res["csv"]["id"]))
    assert table[0] == ["STT", "Tên trường", "Số học sinh", "Ngày thành lập"]
    assert table[1] == ["1", "Trường THPT Ngô Sĩ Liên", "1234", "1950-09-05"]


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1258", False)])
def test_csv_encodings_are_detected_and_normalised(http_server, dataset, unique, encoding, bom):
    import unicodedata
    text = "Mã xã;Tên xã;Dân số;Ngày cập nhật\r\n00123;Xã Hoà Bình;1.234;15/03/2024\r\n00124;Phường Thủy Nguyên;12.345;16/03/2024\r\n"
    data = text.encode(encoding) if encoding != "cp1258" else to_cp1258(text)
    if bom:
        data = b"\xef\xbb\xbf" + data
    url = http_server.add(f"/{unique}/xa.csv", data, headers={"Content-Type": "text/csv"})
    source = create_source(dataset, url)
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0, source_status(source["id"])["last_job"]
    res = harvested(show(dataset["id"]), source["id"])
    rows = _table(stored_file(res["csv"]["id"]))
    assert rows[0] == ["Mã xã", "Tên xã", "Dân số", "Ngày cập nhật"]
    assert rows[1] == ["00123", "Xã Hoà Bình", "1234", "2024-03-15"]     # code keeps its zeros
    assert all(unicodedata.is_normalized("NFC", cell) for row in rows for cell in row)
    found = datastore_rows(res["csv"]["id"], filters={"Tên xã": "Phường Thủy Nguyên"})
    assert found["total"] == 1 and found["records"][0]["Dân số"] == 12345


def test_sheet_by_index_and_configured_header_row(http_server, dataset, unique):
    first = [["Ghi chú", "trang bìa"]]
    second = [["Báo cáo quý"], ["Đơn vị: người", None, None], ["Xã", "Nam", "Nữ"], ["Xã A", 10, 12]]
    url = http_server.add(f"/{unique}/c.xlsx", xlsx_bytes(first, sheet="Bìa", extra_sheets=[("Số liệu", second)]))
    source = create_source(dataset, url, sheet="2", header_row="3")
    assert source["config"]["sheet"] == 2 and source["config"]["header_row"] == 3
    run_job(source["id"])
    res = harvested(show(dataset["id"]), source["id"])
    assert _table(stored_file(res["csv"]["id"])) == [["Xã", "Nam", "Nữ"], ["Xã A", "10", "12"]]


def test_two_level_merged_header_and_column_number_row(http_server, dataset, unique):
    rows = [
        ["BÁO CÁO SỐ LƯỢNG HỌC SINH", None, None, None],
        ["STT", "Đơn vị", "Số học sinh", None],
        [None, None, "Nam", "Nữ"],
        ["(1)", "(2)", "(3)", "(4)"],
        [1, "Xã A", 100, 120],
    ]
    url = http_server.add(f"/{unique}/d.xlsx", xlsx_bytes(rows, merges=["A1:D1", "A2:A3", "B2:B3", "C2:D2"]))
    source = create_source(dataset, url)
    run_job(source["id"])
    res = harvested(show(dataset["id"]), source["id"])
    assert _table(stored_file(res["csv"]["id"])) == [
        ["STT", "Đơn vị", "Số học sinh - Nam", "Số học sinh - Nữ"], ["1", "Xã A", "100", "120"]]


def test_harvested_dataset_can_still_be_edited_and_is_listed_on_the_source(http_server, dataset, unique):
    """ckanext-harvest adds harvest_* extras to the indexed dataset; editing the dataset
    from what package_show returns (as the catalog loader and the edit form do) still works."""
    url = http_server.add(f"/{unique}/edit.xlsx", xlsx_bytes(ROWS[3:]))
    source = create_source(dataset, url)
    run_job(source["id"])
    shown = helpers.call_action("package_show", context={"user": site_user()}, id=dataset["id"])
    patched = helpers.call_action("package_patch", context={"user": site_user()}, id=dataset["id"],
                                  title=shown["title"] + " (sửa)")
    assert patched["title"].endswith("(sửa)") and len(patched["resources"]) == 3
    helpers.call_action("package_update", context={"user": site_user()}, **dict(shown, notes="Mô tả mới"))
    found = helpers.call_action("package_search", context={"user": site_user()},
                                fq=f'harvest_source_id:"{source["id"]}"', include_private=True)
    assert [d["id"] for d in found["results"]] == [dataset["id"]]


def test_personal_data_columns_are_flagged_for_review(http_server, dataset, unique):
    """docs/decisions.md §7: columns that look personal are flagged on the source page."""
    rows = [["Họ và tên", "Ngày sinh", "Số điện thoại", "Xã"], ["Nguyễn Văn A", "01/01/1990", "0912345678", "Xã B"]]
    url = http_server.add(f"/{unique}/personal.xlsx", xlsx_bytes(rows))
    source = create_source(dataset, url)
    run_job(source["id"])
    status = source_status(source["id"])
    assert status["personal_columns"] == ["Họ và tên", "Ngày sinh", "Số điện thoại"]
    assert any("dữ liệu cá nhân" in line["vi"] and "personal data" in line["en"] for line in status["last_job"]["log"])
