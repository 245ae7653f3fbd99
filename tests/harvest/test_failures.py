"""A source that misbehaves ends its job as failed, with a message in Vietnamese and
English naming the source and the cause, shown in the API; the dataset's published
resources stay exactly as they were: metadata, files (byte for byte) and DataStore rows.
"""
from __future__ import annotations

import io
import json
import socket

import pytest

import ckan.plugins.toolkit as tk

from tests.support.harvest import (FIXTURES, create_source, datastore_rows, harvested, run_job, show,
                                   site_user, source_status, stored_file, xlsx_bytes)
from ckan.tests import helpers

GOOD = [["Mã", "Tên đơn vị", "Số lượng"], ["01", "Xã An Hà", 12], ["02", "Xã Bình Sơn", 7]]


def snapshot(dataset_id: str, source_id: str) -> dict:
    pkg = show(dataset_id)
    res = harvested(pkg, source_id)
    return {
        "package": pkg,
        "files": {role: stored_file(r["id"]) for role, r in res.items()},
        "rows": datastore_rows(res["csv"]["id"])["records"],
    }


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def corrupt_xlsx() -> bytes:
    good = xlsx_bytes(GOOD)
    return good[: len(good) // 2]


def empty_sheet_xlsx() -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Trống"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# name → (how the server answers now, settings, Vietnamese cause, English cause)
CASES = {
    "unreachable": (None, {}, "không kết nối được tới máy chủ", "could not connect to the server"),
    "timeout": ({"delay": 2.5}, {"read_timeout": "1"}, "không phản hồi trong", "did not respond within"),
    "slow-trickle": ({"body": b"x" * 60000, "trickle": 0.05, "headers": {"Content-Type": "text/csv"}},
                     {"deadline": "1"}, "không phản hồi trong", "did not respond within"),
    "http-404": ({"status": 404, "body": b"Not Found"}, {}, "lỗi HTTP 404", "HTTP error 404"),
    "http-500": ({"status": 500, "body": b"oops"}, {}, "lỗi HTTP 500", "HTTP error 500"),
    "html-page": ({"body": "<!DOCTYPE html><html><body>Đăng nhập</body></html>".encode(),
                   "headers": {"Content-Type": "text/html; charset=utf-8"}}, {},
                  "trang web (HTML) thay vì dữ liệu", "web page (HTML) instead of data"),
    "not-a-workbook": ({"body": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 20}, {},
                       "không phải bảng tính Excel", "not an Excel workbook"),
    "corrupt": ({"body": corrupt_xlsx()}, {}, "bảng tính bị hỏng", "workbook is corrupt"),
    "password": ({"body": (FIXTURES / "mat-khau.xlsx").read_bytes()}, {},
                 "được đặt mật khẩu", "password-protected"),
    "empty-sheet": ({"body": empty_sheet_xlsx()}, {}, "không có dữ liệu", "contains no data"),
    "no-header": ({"body": xlsx_bytes([[1, 2, 3], [4, 5, 6]])}, {},
                  "không tìm thấy dòng tiêu đề", "no column header row"),
    "columns-changed": ({"body": xlsx_bytes([["Mã", "Tên xã", "Số lượng", "Ghi chú"], ["01", "Xã An Hà", 12, ""]])},
                        {}, "các cột đã thay đổi so với lần thu thập trước (thêm Tên xã, Ghi chú; bớt Tên đơn vị)",
                        "the columns changed since the last harvest (added Tên xã, Ghi chú; removed Tên đơn vị)"),
    "too-large": ({"body": b"a,b\n" + b"1,2\n" * 400000, "headers": {"Content-Type": "text/csv"}},
                  {"max_size_mb": "1"}, "vượt quá giới hạn 1 MB", "exceeds the 1 MB limit"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_source_fails_and_keeps_published_data(http_server, dataset, unique, monkeypatch, case):
    answer, settings, cause_vi, cause_en = CASES[case]
    path = f"/{unique}/nguon.xlsx"
    url = http_server.add(path, xlsx_bytes(GOOD))
    source = create_source(dataset, url, title=f"Nguồn thử {unique}")
    assert run_job(source["id"])["stats"]["errored"] == 0
    before = snapshot(dataset["id"], source["id"])

    for key, value in settings.items():
        monkeypatch.setitem(tk.config, f"ckanext.opendata_vn.harvest.{key}", value)
    if answer is None:   # nobody listens there
        url = f"http://127.0.0.1:{free_port()}/nguon.xlsx"
        helpers.call_action("opendata_vn_harvest_source_update", context={"user": site_user()},
                            id=source["id"], url=url)
    else:
        http_server.add(path, **answer)

    job = run_job(source["id"])
    assert job["status"] == "Finished"            # never left "Running"
    assert job["stats"]["errored"] == 1

    status = source_status(source["id"])
    last = status["last_job"]
    assert status["last_result"] == "failed" and last["result"] == "failed"
    expected_url = url.split("?")[0]
    assert last["message_vi"].startswith(f"Nguồn «Nguồn thử {unique}» ({expected_url}): "), last
    assert cause_vi in last["message_vi"]
    assert last["message_en"].startswith(f"Source «Nguồn thử {unique}» ({expected_url}): ")
    assert cause_en in last["message_en"]
    # the same message in ckanext-harvest's own job report
    report = helpers.call_action("harvest_job_report", id=job["id"])
    messages = [e["message"] for errs in report["object_errors"].values() for e in errs["errors"]] + \
        [e["message"] for e in report["gather_errors"]]
    assert any(cause_vi in m and cause_en in m for m in messages)

    after = snapshot(dataset["id"], source["id"])
    assert after["files"] == before["files"]      # byte for byte
    assert after["package"] == before["package"]  # resources, metadata_modified, data_updated
    assert after["rows"] == before["rows"]


def test_failed_first_harvest_leaves_a_planned_entry_without_resources(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/missing.xlsx", b"", status=404)
    source = create_source(dataset, url)
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 1
    pkg = show(dataset["id"])
    assert pkg["resources"] == [] and pkg["publication_status"] == "planned"
    assert not pkg.get("data_updated")


def test_dataset_gone_fails_in_gather(http_server, dataset, unique):
    url = http_server.add(f"/{unique}/x.xlsx", xlsx_bytes(GOOD))
    source = create_source(dataset, url)
    helpers.call_action("package_delete", context={"user": site_user()}, id=dataset["id"])
    job = run_job(source["id"])
    assert job["status"] == "Finished" and job["stats"]["errored"] == 1
    last = source_status(source["id"])["last_job"]
    assert "không còn tồn tại" in last["message_vi"] and "no longer exists" in last["message_en"]


def test_invalid_json_from_api_keeps_published_data(http_server, dataset, unique):
    path = f"/{unique}/api/truong"
    url = http_server.add(path, json.dumps({"data": [{"ma": "01", "ten": "Trường A"}]}).encode(),
                          headers={"Content-Type": "application/json"})
    source = create_source(dataset, url, source_type="vn_api", records_path="data")
    assert run_job(source["id"])["stats"]["errored"] == 0
    before = snapshot(dataset["id"], source["id"])
    http_server.add(path, '{"data": [{"ma": "01", "ten": "Trường A"},'.encode(), headers={"Content-Type": "application/json"})
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 1
    last = source_status(source["id"])["last_job"]
    assert "không phải JSON hợp lệ" in last["message_vi"] and "not valid JSON" in last["message_en"]
    assert snapshot(dataset["id"], source["id"]) == before


def test_accepting_new_columns_once(http_server, dataset, unique):
    path = f"/{unique}/cols.xlsx"
    url = http_server.add(path, xlsx_bytes(GOOD))
    source = create_source(dataset, url)
    run_job(source["id"])
    http_server.add(path, xlsx_bytes([["Mã", "Tên đơn vị", "Số lượng", "Năm"], ["01", "Xã An Hà", 12, 2024]]))
    assert run_job(source["id"])["stats"]["errored"] == 1
    helpers.call_action("opendata_vn_harvest_source_update", context={"user": site_user()},
                        id=source["id"], allow_column_changes="true")
    job = run_job(source["id"])
    assert job["stats"]["errored"] == 0 and job["stats"]["updated"] == 1
    res = harvested(show(dataset["id"]), source["id"])
    assert [f["id"] for f in datastore_rows(res["csv"]["id"])["fields"]][1:] == ["Mã", "Tên đơn vị", "Số lượng", "Năm"]
    # accepted once: the flag is gone, the next change is caught again
    shown = helpers.call_action("opendata_vn_harvest_source_show", id=source["id"])
    assert "allow_column_changes" not in shown["config"]
    http_server.add(path, xlsx_bytes([["Mã", "Số lượng"], ["01", 12]]))
    assert run_job(source["id"])["stats"]["errored"] == 1
