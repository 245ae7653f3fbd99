"""`ckan opendata import-catalog`: prints how the sheet was read (the rows ignored and
why, as the import page's preview shows them) and takes the header row when the
detection picks the wrong table (--header-row, 1-based, as on the page)."""
from __future__ import annotations

import io
import uuid

import openpyxl

from ckan import model
from ckan.cli.cli import ckan as ckan_cli

from tests.support.corpus import APPENDIX_CASES

from ckanext.opendata_vn.catalog.model import Catalog

CASE = APPENDIX_CASES[0]            # the decision appendix (.xlsx)


def _entries(key: str) -> list[str]:
    model.Session.expire_all()
    catalog = model.Session.query(Catalog).filter_by(key=key).one()
    return [e.title for e in catalog.entries]


def test_import_prints_the_rows_it_ignored_and_why(sandbox, cli, tmp_path):
    path = tmp_path / CASE.name
    path.write_bytes(CASE.content)
    key = f"lenh-{uuid.uuid4().hex[:8]}"
    result = cli.invoke(ckan_cli, ["opendata", "import-catalog", str(path), "--province", sandbox.province,
                                   "--key", key])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Trang tính «Phụ lục», dòng tiêu đề 8, 8 dòng dữ liệu." in out
    assert "dòng 1–6: tiêu đề văn bản phía trên bảng, bỏ qua" in out
    assert "dòng 10: dòng đánh số cột (1), (2)…, bỏ qua" in out
    assert "dòng 23: địa danh, ngày tháng, bỏ qua" in out
    assert "dòng 24–27: khối chữ ký, bỏ qua" in out
    assert f"{key}: tạo mới 8," in out
    assert len(_entries(key)) == 8


def _two_tables() -> bytes:
    """Last year's table above this year's: the detection finds the first header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    header = ["TT", "Tên tập dữ liệu", "Đơn vị chủ trì cung cấp", "Tần suất cung cấp"]
    ws.append(["DANH MỤC DỮ LIỆU MỞ NĂM 2026"])
    ws.append([])
    ws.append(header)
    ws.append([1, "Dữ liệu đã công bố năm trước", "Sở Y tế", "Năm"])
    ws.append([2, "Dữ liệu khác năm trước", "Sở Y tế", "Năm"])
    ws.append([])
    ws.append(["DANH MỤC BỔ SUNG"])
    ws.append(header)                                        # row 8
    ws.append(["I", "CHỦ ĐỀ Y TẾ"])
    ws.append([1, "Danh sách nhà thuốc bổ sung", "Sở Y tế", "Quý"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_header_row_option_reads_the_table_it_names(sandbox, cli, tmp_path):
    path = tmp_path / "hai-bang.xlsx"
    path.write_bytes(_two_tables())
    key = f"lenh-{uuid.uuid4().hex[:8]}"
    args = ["opendata", "import-catalog", str(path), "--province", sandbox.province, "--key", key]
    result = cli.invoke(ckan_cli, [*args, "--header-row", "8"])
    assert result.exit_code == 0, result.output
    assert "dòng tiêu đề 8, 1 dòng dữ liệu." in result.output
    assert "dòng 3–5: bảng khác trong trang tính, bỏ qua" in result.output
    assert _entries(key) == ["Danh sách nhà thuốc bổ sung"]


def test_header_row_option_names_a_row_without_a_header(sandbox, cli, tmp_path):
    path = tmp_path / "hai-bang.xlsx"
    path.write_bytes(_two_tables())
    key = f"lenh-{uuid.uuid4().hex[:8]}"
    result = cli.invoke(ckan_cli, ["opendata", "import-catalog", str(path), "--province", sandbox.province,
                                   "--key", key, "--header-row", "4"])
    assert result.exit_code == 1
    assert "không tìm thấy dòng tiêu đề" in result.output and "trong dòng 4" in result.output
    assert model.Session.query(Catalog).filter_by(key=key).count() == 0
