"""The guard's reach beyond tables with a known extension (issue 11.4): what passes
(documents, clean archives, empty tables), a linked file checked by the loader's job,
and the reviewer's decisions on a file held as a whole."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.harvest.publish import storage_path

from tests.support.loader import api, queued_loads, run_worker, state
from tests.support.privacy import PEOPLE, REVIEWER, SCHOOLS, csv_bytes, decide, reviews_of, show, stored_file

pytestmark = pytest.mark.ckan_config("ckanext.opendata_vn.reviewers", REVIEWER)


@pytest.fixture
def uploads(sandbox):
    from tests.support.loader import Uploads
    made = Uploads()
    yield made
    made.clean()


def _create(client, uploads, body: bytes, name: str) -> dict:
    return api(client, "resource_create", uploads.officer, files={"upload": (body, name)},
               package_id=uploads.dataset["id"], name=name)["result"]


def test_documents_clean_archives_and_empty_tables_pass(client, uploads):
    clean = io.BytesIO()
    with zipfile.ZipFile(clean, "w") as z:
        z.writestr("truong-hoc.csv", csv_bytes(SCHOOLS))
        z.writestr("anh.png", b"\x89PNG\r\n\x1a\n....")
    made = [_create(client, uploads, b"%PDF-1.7 quyet dinh", "quyet-dinh.pdf"),
            _create(client, uploads, clean.getvalue(), "truong-hoc.zip"),
            _create(client, uploads, csv_bytes(SCHOOLS[:1]), "mau.csv")]
    for res in made:
        assert res.get("personal_data_status") is None and res["url_type"] == "upload"
        assert os.path.exists(storage_path(res["id"]))
    assert reviews_of(uploads.dataset["id"]) == []
    pdf, archive, header_only = made
    # only what may be a table is queued for the DataStore
    assert pdf["id"] not in queued_loads() and archive["id"] not in queued_loads()
    assert header_only["id"] in queued_loads()


def test_linked_file_with_personal_columns_is_held_by_the_job(client, uploads, http_server):
    url = http_server.add(f"/ds-{uploads.dataset['name']}.csv", csv_bytes(PEOPLE), headers={"Content-Type": "text/csv"})
    res = api(client, "resource_create", uploads.officer, package_id=uploads.dataset["id"], url=url,
              name="Danh sách (liên kết)")["result"]
    run_worker()
    assert state(res["id"])["state"] == "held" and not state(res["id"])["datastore_active"]
    [after] = show(uploads.dataset["id"])["resources"]
    assert after["url"] == "" and after["personal_data_status"] == "pending"
    [review] = reviews_of(uploads.dataset["id"], "pending")
    assert review["resource_id"] == res["id"] and review["flagged_columns"] == ["Họ và tên", "Ngày sinh"]
    assert review["created_by"] == uploads.officer["name"]


def test_unreadable_file_is_published_as_is_or_rejected_only(client, uploads, reviewer):
    body = b"\x00\x01\x02 not a table \xff\xfe" * 50
    res = _create(client, uploads, body, "du-lieu.bin")
    [review] = reviews_of(uploads.dataset["id"], "pending")
    assert review["held_reason"] == "unreadable" and review["held_detail"]["vi"]
    # the reviewer sees why and can fetch the file itself; the agency cannot
    page = client.get("/ckan-admin/du-lieu-ca-nhan", headers={"Authorization": reviewer["token"]})
    text = page.get_data(as_text=True)
    assert "Không đọc được tệp để kiểm tra dữ liệu cá nhân" in text
    original = f"/ckan-admin/du-lieu-ca-nhan/{review['id']}/tep-goc"
    assert client.get(original, headers={"Authorization": reviewer["token"]}).get_data() == body
    assert client.get(original, headers={"Authorization": uploads.officer["token"]}).status_code == 403
    with pytest.raises(tk.ValidationError) as refused:
        decide(review["id"], "mask", "Che các cột")
    assert "chỉ có thể công bố nguyên trạng hoặc từ chối" in str(refused.value.error_dict)
    done = decide(review["id"], "publish", "Tệp ảnh quét hồ sơ không có dữ liệu cá nhân")
    assert done["state"] == "published"
    [after] = show(uploads.dataset["id"])["resources"]
    assert after["id"] == res["id"] and after["url_type"] == "upload" and after["personal_data_status"] == "published"
    assert stored_file(res["id"]) == body
