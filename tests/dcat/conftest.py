"""DCAT tests: real services, the seeded catalogs (loaded once per session), a real
HTTP server on 127.0.0.1 (a thread of the test process) serving DCAT documents and a
CKAN-like API to the harvesters, and SHACL validation with pyshacl."""
from __future__ import annotations

import uuid

import pytest

from ckan.tests import helpers

from tests.support.dcat import Loopback, site_context


@pytest.fixture(scope="module")
def loopback():
    server = Loopback()
    yield server
    server.close()


@pytest.fixture(scope="module")
def app_client():
    return helpers._get_test_app()


@pytest.fixture(scope="module")
def agencies():
    """Three agencies: one that publishes its focal officer's contact, one that does
    not, and one that merged into the first (its successor). They, their datasets and
    the catalogs the module makes are purged when the module ends."""
    from tests.support.sandbox import Sandbox
    box = Sandbox("Bắc Giang")
    suffix = uuid.uuid4().hex[:6]
    ctx = site_context()
    public = helpers.call_action(
        "organization_create", context=dict(ctx), name=f"so-xay-dung-{suffix}",
        title=f"Sở Xây dựng thử {suffix} tỉnh Bắc Giang", province="Bắc Giang", level="so_nganh",
        focal_officer_name="Nguyễn Văn An", focal_officer_email=f"an.{suffix}@example.gov.vn",
        focal_officer_phone="0204 3854 321", contact_public="true")
    private = helpers.call_action(
        "organization_create", context=dict(ctx), name=f"so-y-te-{suffix}",
        title=f"Sở Y tế thử {suffix} tỉnh Bắc Giang", province="Bắc Giang", level="so_nganh",
        focal_officer_name="Trần Thị Bình", focal_officer_email=f"binh.{suffix}@example.gov.vn",
        focal_officer_phone="0204 3111 222", contact_public="false")
    merged = helpers.call_action(
        "organization_create", context=dict(ctx), name=f"so-tttt-{suffix}",
        title=f"Sở Thông tin thử {suffix} tỉnh Bắc Giang", province="Bắc Giang", level="so_nganh",
        successor=public["name"], succession_date="2025-03-01")
    yield {"public": public, "private": private, "merged": merged, "suffix": suffix}
    box.clean()


@pytest.fixture(scope="module")
def showcase(agencies, seeded_catalogs):
    """Datasets that use every catalog field, created through package_create (after the
    seeds, whatever the test order: modified_since pages must not start with the seeds)."""
    ctx = site_context()
    s = agencies["suffix"]
    full = helpers.call_action(
        "package_create", context=dict(ctx), name=f"truong-hoc-{s}",
        title=f"Danh sách trường học {s}", notes="Danh sách trường học trên địa bàn tỉnh.\n- Tên trường\n- Địa chỉ",
        owner_org=agencies["public"]["id"], theme="giao-duc", update_frequency="quarterly",
        update_frequency_text="Hàng quý", first_provided="2024-09-30", first_provided_text="Quý III/2024",
        source_types=["excel", "api"], data_fields=["Tên trường", "Địa chỉ"],
        co_providers=[agencies["private"]["name"]], remarks="Dữ liệu cấp tỉnh.",
        publication_status="published", license_id="cc-by-sa",
        original_agency=f"Sở Thông tin thử {s}",
        tags=[{"name": "trường học"}, {"name": "giáo dục phổ thông"}],
        resources=[
            {"name": "Danh sách (CSV)", "url": "http://data.example.gov.vn/truong-hoc.csv", "format": "CSV",
             "description": "Tệp CSV, mã hóa UTF-8."},
            {"name": "API tra cứu trường học", "url": "http://api.example.gov.vn/v1/truong-hoc",
             "format": "API"},
        ])
    free_text = helpers.call_action(
        "package_create", context=dict(ctx), name=f"bao-cao-{s}", title=f"Báo cáo tình hình dịch bệnh {s}",
        owner_org=agencies["private"]["id"], theme="y-te", update_frequency="other",
        update_frequency_text="Theo kỳ báo cáo của Bộ Y tế", source_types=["excel", "database"],
        publication_status="planned")
    other = helpers.call_action(
        "package_create", context=dict(ctx), name=f"khac-{s}", title=f"Dữ liệu khác {s}",
        notes="Một tập dữ liệu không thuộc chủ đề nào.", owner_org=agencies["private"]["id"],
        theme="khac", update_frequency="on_change", update_frequency_text="Khi có thay đổi")
    hidden = helpers.call_action(
        "package_create", context=dict(ctx), name=f"noi-bo-{s}", title=f"Dữ liệu nội bộ {s}",
        notes="Chưa công khai.", owner_org=agencies["private"]["id"], theme="khac", private=True)
    return {"full": full, "free_text": free_text, "other": other, "hidden": hidden}
