"""Appendix workbooks: round trip, messy real-world sheets, .xls, bad files, the web page."""
from __future__ import annotations

import io
import datetime

import openpyxl
import pytest
import xlwt

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.appendix import export_workbook, import_workbook
from ckanext.opendata_vn.catalog.workbook import WorkbookError, read_appendix
from ckanext.opendata_vn.catalog.model import Catalog

ROW_KEYS = ("number", "part", "theme_number", "theme", "title", "description", "agency",
            "first_provided", "frequency", "source", "notes")


@pytest.mark.parametrize("key", ["bac-giang-2024", "bac-giang-plan-2023-2025",
                                 "dien-bien-plan-2023-2025", "hung-yen-plan-2025"])
def test_export_then_import_gives_the_same_catalog(seeded_catalogs, sysadmin, key):
    catalog, content = export_workbook(key)
    stated = [{k: (e.row()[k] or None if k == "part" else e.row()[k]) for k in ROW_KEYS} for e in catalog.entries]
    appendix = read_appendix(content)
    read = [{k: r[k] for k in ROW_KEYS} for r in appendix.rows]
    assert read == stated
    summary = import_workbook(content, f"{key}.xlsx", user=sysadmin["name"], key=key)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(stated))


def _messy_xlsx(province: str = "Bắc Giang") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["B1"] = f"UBND TỈNH {province.upper()}"
    ws["B2"] = f"DANH MỤC DỮ LIỆU MỞ TỈNH {province.upper()} NĂM 2026"
    ws.merge_cells("B2:I2")
    ws["B3"] = "(Kèm theo Quyết định số 99/QĐ-UBND)"
    # header over two rows with merged cells, variant wording, a blank column A
    for col, text in zip("BCDEFGHI", ["Stt", "Tên dữ liệu", "Mô tả ", "Đơn vị chủ trì",
                                      "Ngày cung cấp lần đầu", "Tần suất cung cấp", "Nguồn CSDL", "Ghi chú"]):
        ws[f"{col}5"] = text
        ws.merge_cells(f"{col}5:{col}6")
    ws.append([])
    ws.append([None, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"])
    ws.append([None, "I", "CHỦ ĐỀ GIÁO DỤC"])
    ws.merge_cells("C9:I9")
    ws.append([None, 1, "Danh sách trường mầm non", "+ Tên trường\n+ Địa chỉ", "Sở Giáo dục và Đào tạo",
               46022, "Năm học", "Excel", None])
    ws.append([None, 2, "Danh sách trường tiểu học", "• Tên trường", None, "31/12/2026", "năm học", "Excel/API"])
    ws.merge_cells("E10:E11")  # one agency cell for two rows
    ws.append([])
    ws.append([None, "II", "LĨNH VỰC Y TẾ"])
    ws.append([None, 1, "Danh sách nhà thuốc", "- Tên\n- Địa chỉ", "Sở Y tế", datetime.date(2026, 6, 30),
               "Quý", "API", "=dữ liệu mẫu"])
    ws.cell(row=ws.max_row, column=9).data_type = "s"  # a text note that starts with "="
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_messy_workbook_is_read_correctly():
    appendix = read_appendix(_messy_xlsx())
    assert appendix.guess_meta() == {"year": 2026, "province": "Bắc Giang"}
    assert [(r["theme_number"], r["number"], r["title"]) for r in appendix.rows] == [
        ("I", "1", "Danh sách trường mầm non"), ("I", "2", "Danh sách trường tiểu học"),
        ("II", "1", "Danh sách nhà thuốc")]
    first, second, third = appendix.rows
    assert first["theme"] == "CHỦ ĐỀ GIÁO DỤC" and third["theme"] == "LĨNH VỰC Y TẾ"
    assert first["description"] == "- Tên trường\n- Địa chỉ"
    assert first["first_provided"] == "31/12/2025"       # Excel serial 46022
    assert third["first_provided"] == "30/06/2026"       # a real date cell
    assert second["agency"] == "Sở Giáo dục và Đào tạo"  # merged down from the row above
    assert second["source"] == "Excel/API" and third["notes"] == "=dữ liệu mẫu"
    assert first["_sheet_row"] == 10


def test_messy_workbook_imports_with_its_meta(sandbox, sysadmin):
    summary = import_workbook(_messy_xlsx(sandbox.province), "messy.xlsx", user=sysadmin["name"],
                              key="thu-messy-2026")
    assert summary.created == 3
    catalog = model.Session.query(Catalog).filter_by(key="thu-messy-2026").one()
    assert (catalog.province, catalog.year) == (sandbox.province, 2026)
    pkg = helpers.call_action("package_show", id=catalog.entries[0].package_id)
    assert pkg["update_frequency"] == "school_year" and pkg["first_provided"] == "2025-12-31"
    assert pkg["theme"] == "giao-duc"


def test_xls_workbook_is_read():
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Danh muc")
    ws.write(0, 0, "DANH MỤC DỮ LIỆU MỞ TỈNH ĐIỆN BIÊN NĂM 2026")
    for col, text in enumerate(["TT", "Tên tập dữ liệu", "Đơn vị chủ trì cung cấp", "Tần suất cung cấp"]):
        ws.write(2, col, text)
    ws.write(3, 0, "I")
    ws.write(3, 1, "CHỦ ĐỀ NÔNG NGHIỆP")
    ws.write(4, 0, 1)
    ws.write(4, 1, "Diện tích lúa")
    ws.write(4, 2, "Sở Nông nghiệp và Môi trường")
    ws.write(4, 3, "6 tháng")
    out = io.BytesIO()
    book.save(out)
    appendix = read_appendix(out.getvalue())
    assert appendix.guess_meta()["province"] == "Điện Biên"
    assert appendix.rows[0]["title"] == "Diện tích lúa" and appendix.rows[0]["frequency"] == "6 tháng"
    assert appendix.rows[0]["number"] == "1"


def test_bad_rows_are_all_reported_with_sheet_row_numbers_and_nothing_written(sandbox, sysadmin):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"DANH MỤC DỮ LIỆU MỞ TỈNH {sandbox.province.upper()} NĂM 2027"])
    ws.append(["TT", "Tên tập dữ liệu", "Mô tả", "Đơn vị chủ trì cung cấp", "Tần suất cung cấp"])
    ws.append(["I", "CHỦ ĐỀ XÂY DỰNG"])
    ws.append([1, "Giấy phép xây dựng", "- Số giấy phép", "Sở Xây dựng", "Tháng"])
    ws.append([2, None, "- Mô tả không có tên", "Sở Xây dựng", "Tháng"])
    ws.append([3, "Quy hoạch", "- Bản đồ", None, "Năm"])
    out = io.BytesIO()
    wb.save(out)
    packages = model.Session.query(model.Package).count()
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("opendata_vn_catalog_import", context={"user": sysadmin["name"]},
                            upload=_Upload(out.getvalue(), "sai.xlsx"), key="thu-sai-2027")
    rows = err.value.error_dict["rows"]
    assert rows == [
        "Dòng 5 (TT 2), cột \"Tên tập dữ liệu\": trống; mỗi dòng cần tên tập dữ liệu (hoặc xóa dòng này)",
        "Dòng 6 (TT 3), cột \"Đơn vị chủ trì cung cấp\": trống; ghi tên đơn vị chủ trì "
        "(nhiều đơn vị cách nhau bằng dấu \";\")"]
    assert model.Session.query(model.Package).count() == packages
    assert model.Session.query(Catalog).filter_by(key="thu-sai-2027").count() == 0


@pytest.mark.parametrize("content,fragment", [
    (b"<html><body>Not found</body></html>", "cần tệp Excel .xlsx hoặc .xls"),
    (b"", "cần tệp Excel"),
])
def test_not_a_workbook_is_named(content, fragment):
    with pytest.raises(WorkbookError) as err:
        read_appendix(content)
    assert fragment in str(err.value)


def test_sheet_without_header_is_named():
    wb = openpyxl.Workbook()
    wb.active.append(["Số liệu", "Giá trị"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(WorkbookError) as err:
        read_appendix(out.getvalue())
    assert "không tìm thấy dòng tiêu đề" in str(err.value)


def test_export_never_writes_formulas(sandbox, sysadmin):
    summary = import_workbook(_messy_xlsx(sandbox.province), "messy.xlsx", user=sysadmin["name"],
                              key="thu-formula-2026")
    _catalog, content = export_workbook(summary.catalog)
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=dữ liệu mẫu"]
    assert cells and all(c.data_type == "s" for c in cells)


class _Upload(io.BytesIO):
    def __init__(self, content: bytes, filename: str):
        super().__init__(content)
        self.filename = filename


def test_import_page_is_for_it_staff_only(app):
    assert app.get("/catalog/import", status=403).status_code == 403
    user = factories.UserWithToken()
    res = app.get("/catalog/import", headers={"Authorization": user["token"]}, status=403)
    assert res.status_code == 403


def test_it_staff_import_through_the_page(app, sandbox):
    admin = factories.SysadminWithToken()
    auth = {"Authorization": admin["token"]}
    page = app.get("/catalog/import", headers=auth)
    assert "Nhập danh mục từ tệp Excel" in page.get_data(as_text=True)
    res = app.post("/catalog/import", headers=auth, data={
        "upload": (io.BytesIO(_messy_xlsx(sandbox.province)), "phu-luc.xlsx"), "key": "thu-web-2026",
        "kind": "decision"})
    body = res.get_data(as_text=True)
    assert "Đã nhập danh mục" in body and "tạo mới" in body, body[-2000:]
    xlsx = app.get("/catalog/thu-web-2026/appendix.xlsx")
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(read_appendix(xlsx.get_data()).rows) == 3
