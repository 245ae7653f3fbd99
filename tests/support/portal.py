"""Shared by tests/portal, tests/feedback and tests/browser/test_citizen_*: agencies
and datasets with a real DataStore table (datastore_create, as the harvesters'
tables would be), uniquely named because other suites share the database."""
from __future__ import annotations

import re
import uuid

from ckan.tests import factories, helpers

# A school table as an agency would publish it: Vietnamese labels, numbers, a date.
FIELDS = [
    {"id": "stt", "type": "int4", "info": {"label": "STT"}},
    {"id": "ten_truong", "type": "text", "info": {"label": "Tên trường"}},
    {"id": "xa_phuong", "type": "text", "info": {"label": "Xã, phường"}},
    {"id": "so_hoc_sinh", "type": "int4", "info": {"label": "Số học sinh"}},
    {"id": "so_lop", "type": "int4", "info": {"label": "Số lớp"}},
    {"id": "ty_le_dat_chuan", "type": "numeric", "info": {"label": "Tỷ lệ đạt chuẩn (%)"}},
]
COMMUNES = ["Phường Trần Phú", "Xã Tân Tiến", "Phường Hoàng Văn Thụ", "Xã Đồng Sơn", "Xã Song Khê"]


def rows(count: int = 25) -> list[dict]:
    return [{"stt": i + 1, "ten_truong": f"Trường THCS số {i + 1} – {COMMUNES[i % 5]}",
             "xa_phuong": COMMUNES[i % 5], "so_hoc_sinh": 300 + 17 * i, "so_lop": 10 + i % 7,
             "ty_le_dat_chuan": round(80 + (i * 1.7) % 20, 1)} for i in range(count)]


def unique(prefix: str = "") -> str:
    return prefix + uuid.uuid4().hex[:8]


def make_agency(title: str | None = None) -> dict:
    """An agency with a focal officer (editor) and an admin, plus an outsider."""
    officer, admin, outsider = factories.UserWithToken(), factories.UserWithToken(), factories.UserWithToken()
    suffix = unique()
    org = factories.Organization(name=f"so-giao-duc-{suffix}", title=title or f"Sở Giáo dục và Đào tạo {suffix}",
                                 users=[{"name": officer["name"], "capacity": "editor"},
                                        {"name": admin["name"], "capacity": "admin"}])
    return {"org": org, "officer": officer, "admin": admin, "outsider": outsider}


def make_dataset(org: dict, title: str | None = None, records: list[dict] | None = None,
                 private: bool = False, datastore: bool = True, fields: list[dict] | None = None,
                 **extra) -> dict:
    """A published dataset of `org` with a CSV resource whose rows are in the DataStore."""
    site = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    context = {"user": site, "ignore_auth": True}
    name = unique("truong-hoc-")
    values = dict(theme="giao-duc", update_frequency="annual", publication_status="published",
                  source_types=["excel"])
    values.update(extra)
    pkg = helpers.call_action(
        "package_create", context=dict(context), name=name,
        title=title or f"Danh sách trường trung học cơ sở {name[-8:]}",
        notes="Số học sinh, số lớp và tỷ lệ đạt chuẩn của các trường THCS trên địa bàn tỉnh.",
        owner_org=org["id"], private=private,
        resources=[{"url": "https://example.org/truong-hoc.csv", "name": "Dữ liệu dạng CSV", "format": "CSV"},
                   {"url": "https://example.org/truong-hoc.pdf", "name": "Quyết định công bố", "format": "PDF"}],
        **values)
    if datastore:
        helpers.call_action("datastore_create", context=dict(context), resource_id=pkg["resources"][0]["id"],
                            fields=fields or FIELDS, records=records if records is not None else rows(),
                            force=True)
    return helpers.call_action("package_show", context=dict(context), id=pkg["id"])


def csrf_token(html: str) -> str:
    """The CSRF token of the page's form (its attributes in either order)."""
    match = re.search(r'name="_csrf_token"\s+value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"\s+name="_csrf_token"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)
