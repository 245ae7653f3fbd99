"""Helpers for the personal-data guard tests (not fixtures)."""
from __future__ import annotations

import csv
import io
import json
import uuid

from ckan import model
from ckan.tests import factories, helpers

from tests.support.harvest import create_source, harvested, run_job, show, site_user, source_status, stored_file  # noqa: F401

REVIEWER = "pv_reviewer"

# A list of people (Bắc Giang 2024, row 1: diploma holders) and an ordinary table.
PEOPLE = [
    ["STT", "Họ và tên", "Ngày sinh", "Số hiệu văn bằng", "Xếp loại"],
    [1, "Nguyễn Văn An", "12/05/1990", "A 012345", "Khá"],
    [2, "Trần Thị Bình", "03/11/1988", "A 012346", "Giỏi"],
    [3, "Lê Văn Cường", "21/07/1992", "A 012347", "Trung bình"],
]
RAW_VALUES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "12/05/1990", "1990-05-12")
SCHOOLS = [
    ["STT", "Tên trường", "Tên tuyến", "Địa chỉ", "Số học sinh", "Năm thành lập"],
    [1, "Trường THCS Lê Lợi", "Tuyến 1", "Phường Trần Phú, TP Bắc Giang", 812, "1962"],
    [2, "Trường Tiểu học Ngô Sĩ Liên", "Tuyến 2", "Phường Ngô Quyền", 1040, "1958"],
]


def unique(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:8]


def site() -> dict:
    return {"user": site_user(), "ignore_auth": True}


def call(action: str, user: str | None, **data):
    return helpers.call_action(action, context={"user": user or "", "ignore_auth": False}, **data)


def make_agency() -> dict:
    officer, admin, outsider = factories.UserWithToken(), factories.UserWithToken(), factories.UserWithToken()
    suffix = unique()
    org = helpers.call_action(
        "organization_create", context=site(), name=f"so-tu-phap-{suffix}",
        title=f"Sở Tư pháp thử {suffix}", province="Bắc Giang", level="so_nganh",
        focal_officer_name="Phạm Đầu Mối", focal_officer_email=f"dau-moi.{suffix}@example.gov.vn",
        users=[{"name": officer["name"], "capacity": "editor"}, {"name": admin["name"], "capacity": "admin"}])
    return {"org": org, "officer": officer, "admin": admin, "outsider": outsider}


def make_dataset(agency: dict, title: str = "Danh sách người được cấp văn bằng") -> dict:
    name = unique("vb-")
    return helpers.call_action(
        "package_create", context=site(), name=name, title=f"{title} {name[-8:]}",
        notes="Danh sách người được cấp văn bằng, chứng chỉ.", owner_org=agency["org"]["id"],
        theme="giao-duc", update_frequency="quarterly")


def xlsx(rows) -> bytes:
    from tests.support.harvest import xlsx_bytes
    return xlsx_bytes(rows)


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def file_storage(data: bytes, filename: str):
    from werkzeug.datastructures import FileStorage
    return FileStorage(stream=io.BytesIO(data), filename=filename)


def reviews_of(package_id: str, state: str = "any") -> list[dict]:
    return helpers.call_action("opendata_vn_privacy_review_list", context={"user": site_user()},
                               package_id=package_id, state=state)["results"]


def decide(review_id: str, decision: str, reason: str, columns=None, user: str = REVIEWER) -> dict:
    data = {"id": review_id, "decision": decision, "reason": reason}
    if columns is not None:
        data["columns"] = columns
    return call("opendata_vn_privacy_decide", user, **data)


def table_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def json_of(data: bytes) -> list[dict]:
    return json.loads(data.decode("utf-8"))


def datastore(resource_id: str, user: str | None = None) -> dict:
    return helpers.call_action("datastore_search", context={"user": user or site_user(), "ignore_auth": False},
                               resource_id=resource_id, limit=100, sort="_id")


def dataset_ttl(client, name: str) -> str:
    return client.get(f"/dataset/{name}.ttl").get_data(as_text=True)


def indexed(package_id: str) -> dict:
    """The dataset's Solr document (what search results and previews are built from)."""
    from ckan.lib.search.common import make_connection
    conn = make_connection()
    from ckan.common import config
    found = conn.search(q=f'id:"{package_id}" AND site_id:"{config.get("ckan.site_id")}"')
    return found.docs[0] if found.docs else {}


