"""Personal-data detection rules (Decree 13/2023): headers, values, masks, false positives."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ckanext.opendata_vn.core.tabular.personal_data import describe_fields, detect, header_kind, mask

SEEDS = Path(__file__).resolve().parents[2] / "catalog_seeds"


@pytest.mark.parametrize("header,kind", [
    ("Họ và tên", "name"), ("HỌ TÊN", "name"), ("ho ten", "name"), ("Họ, chữ đệm, tên", "name"),
    ("Tên chủ cơ sở", "name"), ("Tên người đại diện pháp luật", "name"),
    ("Ngày sinh", "birth_date"), ("Ngày tháng năm sinh", "birth_date"), ("Năm sinh", "birth_date"),
    ("Số CCCD", "citizen_id"), ("Số CMND", "citizen_id"), ("Số định danh cá nhân", "citizen_id"),
    ("Căn cước công dân", "citizen_id"), ("Số điện thoại", "phone"), ("SĐT", "phone"),
    ("Email", "email"), ("Thư điện tử", "email"), ("Địa chỉ thường trú", "address"),
    ("Nơi cư trú", "address"), ("Biển số xe", "vehicle_plate"),
])
def test_personal_headers(header, kind):
    assert header_kind(header) == kind


@pytest.mark.parametrize("header", [
    "Tên trường", "Tên tuyến", "Tên đơn vị", "Tên cơ sở", "Tên doanh nghiệp", "Tên xã",
    "Địa chỉ", "Địa chỉ trụ sở", "Ngày cấp", "Số lượng học sinh", "Tên dự án", "Năm học", "Tên sản phẩm",
])
def test_ordinary_headers_are_not_personal(header):
    assert header_kind(header) is None


def test_values_reveal_columns_with_neutral_headers():
    headers = ["STT", "Người", "Mã", "Liên hệ", "Thư", "Xe", "Ngày"]
    rows = [[i, f"Nguyễn Văn {c}", f"0012030{i:05d}", f"09{i:08d}", f"nguoi{i}@example.vn",
             f"98A-123.{i:02d}", f"0{i % 9 + 1}/03/1990"] for i, c in enumerate("ABCDE", 1)]
    found = {f.column: f for f in detect(headers, rows)}
    assert found["Mã"].kind == "citizen_id" and found["Mã"].reason == "values"
    assert found["Liên hệ"].kind == "phone" and found["Thư"].kind == "email"
    assert found["Xe"].kind == "vehicle_plate"
    assert "Người" not in found and "Ngày" not in found   # no name column: a date is just a date


def test_dates_beside_a_name_are_birth_dates_but_issue_dates_are_not():
    headers = ["Họ và tên", "Ngày", "Ngày cấp"]
    rows = [["Trần Thị Bình", "12/05/1988", "01/02/2020"], ["Lê Văn Cường", "03/11/1975", "15/06/2021"]]
    found = {f.column: f.kind for f in detect(headers, rows)}
    assert found == {"Họ và tên": "name", "Ngày": "birth_date"}


def test_examples_are_masked():
    found = detect(["Họ và tên", "Số điện thoại", "Email"],
                   [["Nguyễn Văn An", "0912345678", "an.nguyen@example.vn"]])
    examples = {f.kind: f.examples[0] for f in found}
    assert examples["name"] == "N***** V** A*"
    assert examples["phone"] == "09******78"
    assert examples["email"] == "a***@example.vn"
    for f in found:
        assert "Nguyễn Văn An" not in f.message() and "0912345678" not in f.message()


def test_ordinary_table_has_no_findings():
    headers = ["TT", "Tên trường", "Địa chỉ", "Loại hình", "Số học sinh", "Năm thành lập"]
    rows = [[1, "Trường THCS Lê Lợi", "Phường Trần Phú, TP Bắc Giang", "Công lập", 812, "1962"],
            [2, "Trường Tiểu học Ngô Sĩ Liên", "Phường Ngô Quyền", "Công lập", 1040, "1958"]]
    assert detect(headers, rows) == []


def test_mask_short_values():
    assert mask("123", "citizen_id") == "***"
    assert mask("01/02/1990", "birth_date") == "**/**/1990"


def _seed_row(key, number):
    rows = json.loads((SEEDS / f"{key}.json").read_text(encoding="utf-8"))["rows"]
    row = next(r for r in rows if r["number"] == number)
    return [ln[2:] for ln in row["description"].splitlines()]


@pytest.mark.parametrize("key,number,kinds", [
    ("bac-giang-2024", "1", {"name", "birth_date"}),
    ("bac-giang-2024", "22", {"name", "birth_date", "address"}),
    ("bac-giang-2024", "23", {"name", "birth_date"}),
    ("bac-giang-2024", "24", {"name", "birth_date"}),
    ("hung-yen-plan-2025", "61", {"name", "phone"}),
])
def test_seed_entries_listing_people_are_warned(key, number, kinds):
    assert kinds <= {f.kind for f in describe_fields(_seed_row(key, number))}


@pytest.mark.parametrize("key,number", [
    ("hung-yen-plan-2025", "6"),   # schools: an institution's phone is not personal
    ("bac-giang-2024", "2"), ("bac-giang-2024", "14"),
])
def test_institution_contacts_are_not_warned(key, number):
    assert describe_fields(_seed_row(key, number)) == []


def test_catalog_warning_on_the_dataset_page_for_staff(app, seeded_catalogs):
    from ckan import model
    from ckan.tests import factories
    from ckanext.opendata_vn.catalog.model import Catalog
    bg = model.Session.query(Catalog).filter_by(key="bac-giang-2024").one()
    diplomas = next(e for e in bg.entries if e.number == "1")
    schools = next(e for e in bg.entries if e.number == "2")
    name = model.Package.get(diplomas.package_id).name
    staff = factories.UserWithToken()
    body = app.get(f"/dataset/{name}", headers={"Authorization": staff["token"]}).get_data(as_text=True)
    assert "Cảnh báo dữ liệu cá nhân" in body and "Ngày/năm sinh" in body
    other = model.Package.get(schools.package_id).name
    assert "Cảnh báo dữ liệu cá nhân" not in app.get(
        f"/dataset/{other}", headers={"Authorization": staff["token"]}).get_data(as_text=True)


def test_loader_summary_flags_entries_listing_people(seeded_catalogs):
    bg = next(s for s in seeded_catalogs if s.catalog == "bac-giang-2024")
    flagged = [f for f in bg.flagged if "dữ liệu cá nhân" in f]
    assert any(f.startswith("TT 1:") for f in flagged) and any(f.startswith("TT 22:") for f in flagged)
