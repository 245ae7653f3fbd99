"""The personal-data guard sees every way data arrives (issue 11.4): each test sends a
list of people through one way that used to go around the guard, over the Action API
with an API token, and checks that nothing of it is stored, downloadable or in the
DataStore — it is held for an IT reviewer, or refused with a Vietnamese message."""
from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from ckanext.opendata_vn.harvest.publish import storage_path

from tests.support.loader import api, auth, queued_loads
from tests.support.privacy import PEOPLE, RAW_VALUES, csv_bytes, reviews_of, show


@pytest.fixture(scope="module")
def client():
    from ckan.tests import helpers
    return helpers._get_test_app()


@pytest.fixture
def uploads(sandbox):
    from tests.support.loader import Uploads
    made = Uploads()
    yield made
    made.clean()


def _held(client, uploads, res: dict, reason: str = "") -> dict:
    """The resource has no data, no file, no DataStore table, no load; one pending review."""
    assert res["personal_data_status"] == "pending" and res["url"] == ""
    assert not os.path.exists(storage_path(res["id"])), "the file never reached CKAN's storage"
    assert res["id"] not in queued_loads()
    download = client.get(f"/dataset/{uploads.dataset['name']}/resource/{res['id']}/download",
                          headers=auth(uploads.outsider))
    assert download.status_code in (403, 404)
    [review] = reviews_of(uploads.dataset["id"], "pending")
    assert review["resource_id"] == res["id"] and review["held_reason"] == reason
    page = client.get(f"/dataset/{uploads.dataset['name']}").get_data(as_text=True)
    assert not any(v in page for v in RAW_VALUES)
    return review


def _create(client, uploads, body: bytes, name: str) -> dict:
    return api(client, "resource_create", uploads.officer, files={"upload": (body, name)},
               package_id=uploads.dataset["id"], name="Danh sách")["result"]


def test_json_upload_with_personal_fields_is_held(client, uploads):
    records = [{"hoTen": "Nguyễn Văn An", "soDienThoai": "0912345678", "xepLoai": "Khá"},
               {"hoTen": "Trần Thị Bình", "soDienThoai": "0987654321", "xepLoai": "Giỏi"}]
    res = _create(client, uploads, json.dumps(records, ensure_ascii=False).encode("utf-8"), "danh-sach.json")
    review = _held(client, uploads, res)
    assert review["flagged_columns"] == ["hoTen", "soDienThoai"]


def test_zip_with_a_personal_csv_is_held(client, uploads):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("huong-dan.pdf", b"%PDF-1.4 huong dan")
        z.writestr("2024/danh-sach.csv", csv_bytes(PEOPLE))
    review = _held(client, uploads, _create(client, uploads, archive.getvalue(), "ho-so.zip"), "archive")
    assert "2024/danh-sach.csv › Họ và tên" in review["flagged_columns"]


def test_csv_named_txt_is_held(client, uploads):
    review = _held(client, uploads, _create(client, uploads, csv_bytes(PEOPLE), "danh-sach.txt"))
    assert review["flagged_columns"] == ["Họ và tên", "Ngày sinh"]


def test_file_without_a_findable_header_is_held(client, uploads):
    body = "\n".join(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"]).encode("utf-8")
    review = _held(client, uploads, _create(client, uploads, body, "danh-sach.csv"), "unreadable")
    assert "không tìm thấy dòng tiêu đề" in review["held_detail"]["vi"]


def test_datastore_create_with_personal_records_is_refused(client, uploads):
    res = api(client, "resource_create", uploads.officer, package_id=uploads.dataset["id"],
              url="https://example.gov.vn/danh-sach", name="Danh sách (API)")["result"]
    records = [dict(zip(PEOPLE[0], row)) for row in PEOPLE[1:]]
    answer = api(client, "datastore_create", uploads.officer, status=409, resource_id=res["id"], force=True,
                 records=records)
    message = json.dumps(answer["error"], ensure_ascii=False)
    assert "Họ và tên" in message and "dữ liệu cá nhân" in message
    api(client, "datastore_search", uploads.officer, status=404, resource_id=res["id"])


def test_datastore_upsert_with_personal_values_is_refused(client, uploads):
    res = api(client, "resource_create", uploads.officer, package_id=uploads.dataset["id"],
              url="https://example.gov.vn/don-vi", name="Đơn vị (API)")["result"]
    api(client, "datastore_create", uploads.officer, resource_id=res["id"], force=True,
        fields=[{"id": "Tên đơn vị", "type": "text"}, {"id": "Liên hệ", "type": "text"}],
        records=[{"Tên đơn vị": "Phòng Hành chính", "Liên hệ": "Tầng 2, nhà A"}])
    people = [{"Tên đơn vị": f"Hộ {n}", "Liên hệ": phone}
              for n, phone in enumerate(("0912345678", "0987654321", "0356789012"))]
    answer = api(client, "datastore_upsert", uploads.officer, status=409, resource_id=res["id"], force=True,
                 method="insert", records=people)
    assert "Liên hệ" in json.dumps(answer["error"], ensure_ascii=False)
    found = api(client, "datastore_search", uploads.officer, resource_id=res["id"])["result"]
    assert [r["Liên hệ"] for r in found["records"]] == ["Tầng 2, nhà A"]


def test_package_revise_with_an_upload_is_held(client, uploads):
    from ckan.tests import factories
    res = api(client, "resource_create", uploads.officer, package_id=uploads.dataset["id"],
              url="https://example.gov.vn/tai-lieu.pdf", name="Danh sách")["result"]
    admin = factories.SysadminWithToken()     # package_revise of a themed dataset: IT staff
    api(client, "package_revise", admin, files={"update__resources__0__upload": (csv_bytes(PEOPLE), "ds.csv")},
        **{"match__id": uploads.dataset["id"]})
    [after] = show(uploads.dataset["id"])["resources"]
    assert after["id"] == res["id"]
    _held(client, uploads, after)


def test_package_create_and_update_with_uploads_are_held(client, uploads):
    """The Action API cannot nest a file inside `resources` (only package_revise's
    flattened keys can, above): extensions and scripts calling the actions can."""
    from ckan.tests import factories, helpers
    from tests.support.privacy import file_storage
    admin = factories.Sysadmin()
    pkg = helpers.call_action("package_update", context={"user": admin["name"]}, **dict(
        show(uploads.dataset["id"]), resources=[{"name": "Danh sách", "upload": file_storage(csv_bytes(PEOPLE), "ds.csv")}]))
    [res] = pkg["resources"]
    _held(client, uploads, res)
    created = helpers.call_action(
        "package_create", context={"user": admin["name"]}, name=uploads.dataset["name"] + "-2",
        title="Danh sách 2", notes="Danh sách.", owner_org=uploads.agency["org"]["id"], theme="giao-duc",
        update_frequency="quarterly", resources=[{"name": "Danh sách", "upload": file_storage(csv_bytes(PEOPLE), "a.csv")}])
    [res2] = created["resources"]
    assert res2["personal_data_status"] == "pending" and res2["url"] == ""
    assert [r["resource_id"] for r in reviews_of(created["id"], "pending")] == [res2["id"]]
