"""The upload loader (issue 13.1): an officer's uploaded or linked table reaches the
DataStore through CKAN's job queue, read with the harvester's pipeline (title rows,
Vietnamese numbers and dates), with its state on the resource page and a retry; a
failed load keeps the table loaded before."""
from __future__ import annotations

import csv
import io
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from tests.support.harvest import xlsx_bytes
from tests.support.loader import CSRF, api, auth, login, queued_loads, rows, run_worker, state

PRICES = [
    ["BẢNG GIÁ ĐẤT Ở TẠI NÔNG THÔN NĂM 2025"],
    [],
    ["STT", "Tên đường, đoạn đường", "Giá đất (đồng/m²)", "Ngày áp dụng"],
    ["1", "Đường Hùng Vương", "15.250,5", "01/01/2025"],
    ["2", "Đường Lê Lợi", "9.800", "15/03/2025"],
    ["3", "Đường Nguyễn Trãi", "1.234.000", "31/12/2024"],
]


def _csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8")


def _upload(client, uploads, body: bytes, name: str, **extra) -> dict:
    return api(client, "resource_create", uploads.officer, files={"upload": (body, name)},
               package_id=uploads.dataset["id"], name="Bảng giá đất 2025", **extra)["result"]


def test_uploaded_csv_is_loaded_typed_and_shown(client, uploads):
    res = _upload(client, uploads, _csv(PRICES), "bang-gia-dat.csv")
    assert state(res["id"])["state"] == "queued" and res["id"] in queued_loads()
    run_worker()

    done = state(res["id"])
    assert done["state"] == "loaded" and done["rows"] == 3 and done["datastore_active"]
    found = rows(res["id"])
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["Giá đất (đồng/m²)"] == "numeric" and types["Ngày áp dụng"] == "date" and types["STT"] == "int8"
    first = found["records"][0]
    assert float(first["Giá đất (đồng/m²)"]) == 15250.5 and first["Ngày áp dụng"].startswith("2025-01-01")
    assert found["records"][2]["Giá đất (đồng/m²)"] in (1234000, "1234000")

    page = client.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}", headers=auth(uploads.officer))
    text = page.get_data(as_text=True)
    assert 'data-state="loaded"' in text and "Đã nạp 3 dòng." in text
    anonymous = client.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}").get_data(as_text=True)
    assert "odvn-load-state" not in anonymous, "the load state is for the agency and IT staff"
    # the dataset page's preview and the XML download work as for harvested tables
    dataset_page = client.get(f"/dataset/{uploads.dataset['name']}").get_data(as_text=True)
    assert "Đường Hùng Vương" in dataset_page
    from bs4 import BeautifulSoup
    chart = BeautifulSoup(dataset_page, "html.parser").select_one("figure.odvn-chart")
    data = json.loads(chart.find("script", id="odvn-chart-data").string)
    assert [s["label"] for s in data["series"]] == ["Giá đất (đồng/m²)"] and data["series"][0]["values"][0] == 15250.5
    xml = client.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}/download.xml")
    assert xml.status_code == 200 and "Đường Nguyễn Trãi" in xml.get_data(as_text=True)


def test_workbook_replaced_then_broken_file_keeps_the_table(client, uploads):
    res = _upload(client, uploads, xlsx_bytes(PRICES), "bang-gia-dat.xlsx")
    run_worker()
    assert state(res["id"])["rows"] == 3
    # a header without rows: nothing personal to hold, nothing to load
    broken = api(client, "resource_update", uploads.officer, files={"upload": (_csv(PRICES[2:3]), "bang-gia.csv")},
                 id=res["id"], name="Bảng giá đất 2025")["result"]
    assert res["id"] in queued_loads()
    run_worker()
    failed = state(broken["id"])
    assert failed["state"] == "failed" and failed["cause"] == "no_rows"
    assert "không có dòng dữ liệu nào" in failed["message_vi"] and "tải lên lại" in failed["message_vi"]
    assert failed["loaded_rows"] == 3 and failed["datastore_active"]
    assert [r["Tên đường, đoạn đường"] for r in rows(res["id"])["records"]][0] == "Đường Hùng Vương"
    page = client.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}",
                      headers=auth(uploads.officer)).get_data(as_text=True)
    assert 'data-state="failed"' in page and "không có dòng dữ liệu nào" in page
    assert "Bảng dữ liệu đã nạp trước đó vẫn được giữ nguyên." in page


def test_link_failure_then_retry_from_the_page(client, uploads, http_server):
    url = http_server.add(f"/gia-dat-{uploads.dataset['name']}.xlsx", xlsx_bytes(PRICES), status=500)
    res = api(client, "resource_create", uploads.officer, package_id=uploads.dataset["id"], url=url,
              name="Giá đất (liên kết)")["result"]
    assert res["id"] in queued_loads()
    run_worker()
    failed = state(res["id"])
    assert failed["state"] == "failed" and failed["cause"] == "http_error" and "HTTP 500" in failed["message_vi"]
    assert not failed["datastore_active"]

    # the agency's officer presses "Nạp lại" (a form with the CSRF token) once the server is fixed
    http_server.route(url).status = 200
    browser = login(client, uploads.officer)
    page = browser.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}").get_data(as_text=True)
    assert "Nạp lại" in page
    target = f"/dataset/{uploads.dataset['name']}/resource/{res['id']}/nap-lai"
    assert browser.post(target, data={}).status_code in (400, 403), "no CSRF token, no retry"
    answer = browser.post(target, data={"_csrf_token": CSRF.search(page).group(1)}, follow_redirects=False)
    assert answer.status_code == 302 and state(res["id"])["state"] == "queued"
    run_worker()
    assert state(res["id"])["state"] == "loaded" and len(rows(res["id"])["records"]) == 3


def test_retry_and_status_are_for_the_agency_and_it_staff(client, uploads):
    res = _upload(client, uploads, _csv(PRICES), "bang-gia-dat.csv")
    run_worker()
    for user in (uploads.outsider, None):
        api(client, "opendata_vn_datastore_load", user, id=res["id"], status=403)
        api(client, "opendata_vn_datastore_load_status", user, id=res["id"], status=403)
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("opendata_vn_datastore_load", context={"user": uploads.outsider["name"],
                                                                   "ignore_auth": False}, id=res["id"])
    again = api(client, "opendata_vn_datastore_load", uploads.agency["admin"], id=res["id"])["result"]
    assert again["state"] == "queued" and res["id"] in queued_loads()
    run_worker()
    assert state(res["id"])["state"] == "loaded"


def test_package_revise_upload_is_loaded(client, uploads):
    res = _upload(client, uploads, _csv(PRICES[:4]), "bang-gia-dat.csv")
    run_worker()
    assert state(res["id"])["rows"] == 1
    # (an officer's package_revise is refused for the dataset's theme group: IT staff revise whole datasets)
    from ckan.tests import factories
    admin = factories.SysadminWithToken()
    api(client, "package_revise", admin, files={"update__resources__0__upload": (_csv(PRICES), "moi.csv")},
        **{"match__id": uploads.dataset["id"]})
    assert res["id"] in queued_loads()
    run_worker()
    assert state(res["id"])["rows"] == 3 and len(rows(res["id"])["records"]) == 3


def test_command_loads_existing_resources(cli, uploads, http_server):
    from ckan.cli.cli import ckan as ckan_cli
    from ckan import model
    url = http_server.add(f"/cu-{uploads.dataset['name']}.csv", _csv(PRICES), headers={"Content-Type": "text/csv"})
    res = helpers.call_action("resource_create", context={"user": uploads.officer["name"]},
                              package_id=uploads.dataset["id"], url=url, name="Dữ liệu cũ")
    # as a resource made before the loader existed: no state, nothing queued
    from ckanext.opendata_vn.loader.model import DatastoreLoad
    model.Session.query(DatastoreLoad).filter(DatastoreLoad.resource_id == res["id"]).delete()
    model.Session.commit()
    for job in [j for j in __import__("ckan.lib.jobs", fromlist=["x"]).get_queue().jobs if j.args[:1] == (res["id"],)]:
        job.delete()
    result = cli.invoke(ckan_cli, ["opendata", "load-datastore", res["id"]])
    assert result.exit_code == 0, result.output
    assert "loaded (3 dòng / rows)" in result.output
    assert state(res["id"])["state"] == "loaded" and len(rows(res["id"])["records"]) == 3


def test_windows_1258_csv_and_json_records_are_loaded(client, uploads):
    from tests.support.corpus import to_cp1258   # as Windows writes Vietnamese
    legacy = _upload(client, uploads, to_cp1258(_csv(PRICES).decode("utf-8")), "gia-dat-excel-cu.csv")
    records = [{"maXa": "01234", "tenXa": "Xã Tân Mỹ", "danSo": 12500, "ngayCapNhat": "2025-03-01"},
               {"maXa": "01237", "tenXa": "Xã Song Khê", "danSo": 8310, "ngayCapNhat": "2025-03-02"}]
    api_json = _upload(client, uploads, json.dumps(records, ensure_ascii=False).encode("utf-8"), "dan-so.json")
    run_worker()
    assert state(legacy["id"])["state"] == "loaded"
    assert [r["Tên đường, đoạn đường"] for r in rows(legacy["id"])["records"]] == [
        "Đường Hùng Vương", "Đường Lê Lợi", "Đường Nguyễn Trãi"]
    found = rows(api_json["id"])
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["danSo"] == "int8" and types["maXa"] == "text" and types["ngayCapNhat"] == "date"
    assert [r["maXa"] for r in found["records"]] == ["01234", "01237"], "codes keep their leading zero"
