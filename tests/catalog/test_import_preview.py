"""Preview before writing on the catalog import page: the rows as read, what was ignored
and why, each theme heading with its themes, warnings; IT staff map a heading and
preview again, then confirm. Nothing is written before the confirmation."""
from __future__ import annotations

import io
import re
import uuid

import pytest

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from tests.support.corpus import APPENDIX_CASES

from ckanext.opendata_vn.catalog.model import Catalog

CASE = APPENDIX_CASES[0]            # the decision appendix (.xlsx)


class _Upload(io.BytesIO):
    def __init__(self, content: bytes, filename: str):
        super().__init__(content)
        self.filename = filename


def test_preview_action_reads_without_writing(sysadmin):
    catalogs = model.Session.query(Catalog).count()
    shown = helpers.call_action("opendata_vn_catalog_import_preview", context={"user": sysadmin["name"]},
                                upload=_Upload(CASE.content, CASE.name))
    assert shown["row_count"] == 8 and len(shown["rows"]) == 8
    assert shown["rows"][0]["title"] == "Danh sách trường học" and shown["rows"][0]["_sheet_row"] == 12
    kinds = {g["kind"]: (g["first"], g["last"]) for g in shown["guesses"]}
    assert kinds["signature"] == (24, 27) and kinds["column_numbers"] == (10, 10)
    headings = {h["heading"]: h["themes"] for h in shown["headings"]}
    assert headings["LĨNH VỰC XÂY DỰNG, GIAO THÔNG"] == ["xay-dung", "giao-thong"]
    assert headings["LĨNH VỰC AN NINH TRẬT TỰ"] == []
    assert any("không khớp chủ đề nào" in w for w in shown["warnings"]) and not shown["errors"]
    assert model.Session.query(Catalog).count() == catalogs


def test_preview_is_for_it_staff_only():
    officer = factories.User()
    with pytest.raises(tk.NotAuthorized):
        helpers.call_action("opendata_vn_catalog_import_preview", context={"user": officer["name"], "ignore_auth": False},
                            upload=_Upload(CASE.content, CASE.name))


def test_preview_then_map_a_heading_then_confirm(app, sandbox):
    admin = factories.SysadminWithToken()
    auth = {"Authorization": admin["token"]}
    key = f"preview-{uuid.uuid4().hex[:8]}"
    fields = {"province": sandbox.province, "key": key, "kind": "decision"}
    page = app.post("/catalog/import", headers=auth, data={
        **fields, "step": "preview", "upload": (io.BytesIO(CASE.content), CASE.name)})
    body = page.get_data(as_text=True)
    assert "Xem trước" in body and "khối chữ ký, bỏ qua" in body and "Danh sách nhà thuốc" in body
    assert "<script" not in body.split("catalog-import-preview", 1)[1].split("</form>", 1)[0]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)[1]
    headings = dict((v, k.split("-")[1]) for k, v in re.findall(r'name="(theme_heading-\d+)" value="([^"]+)"', body))
    assert model.Session.query(Catalog).filter_by(key=key).count() == 0

    # map the heading no theme matched, see it again, then confirm
    n = headings["LĨNH VỰC AN NINH TRẬT TỰ"]
    mapping = {f"theme_heading-{n}": "LĨNH VỰC AN NINH TRẬT TỰ", f"theme_code-{n}": "noi-vu"}
    again = app.post("/catalog/import", headers=auth, data={**fields, **mapping, "step": "preview",
                                                            "token": token}).get_data(as_text=True)
    assert '<option value="noi-vu" selected>' in again
    assert "không khớp chủ đề nào" not in again
    done = app.post("/catalog/import", headers=auth, data={**fields, **mapping, "step": "import",
                                                           "token": token}).get_data(as_text=True)
    assert "Đã nhập danh mục" in done, done[-3000:]
    catalog = model.Session.query(Catalog).filter_by(key=key).one()
    assert len(catalog.entries) == 8
    by_title = {}
    for entry in catalog.entries:
        pkg = helpers.call_action("package_show", id=entry.package_id)
        by_title[pkg["title"]] = (pkg["theme"], entry.theme)
    assert by_title["Số vụ tai nạn giao thông"] == ("noi-vu", "LĨNH VỰC AN NINH TRẬT TỰ")


def test_a_kept_upload_is_its_uploaders_only(app):
    first = factories.SysadminWithToken()
    second = factories.SysadminWithToken()
    body = app.post("/catalog/import", headers={"Authorization": first["token"]}, data={
        "step": "preview", "upload": (io.BytesIO(CASE.content), CASE.name)}).get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', body)[1]
    other = app.post("/catalog/import", headers={"Authorization": second["token"]},
                     data={"step": "preview", "token": token}).get_data(as_text=True)
    assert "Chọn tệp Excel phụ lục danh mục để tải lên." in other
