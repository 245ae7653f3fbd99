"""Upload with a preview first (issue 13.4, upload path): an agency officer's file is
read as the load job will read it (core/tabular/preview.py table_preview, the harvest
source preview's dict and snippet) on /dataset/<id>/tai-len/xem-truoc; the officer
changes the header row and previews again with the file kept under a token; nothing is
written before «Tải lên», which adds the resource with the choice. Outsiders get 403."""
from __future__ import annotations

import io

from markupsafe import escape

from ckan import model

from tests.support.corpus import CASES, LETTERHEAD, Sheet, xlsx
from tests.support.loader import CSRF, api, login

PRICES = next(c for c in CASES if c.name == "bang-gia-son-la.xlsx")   # signature block at rows 18–21


def _page(uploads) -> str:
    return f"/dataset/{uploads.dataset['name']}/tai-len/xem-truoc"


def _resources(dataset_id: str) -> list:
    model.Session.remove()
    return [r for r in model.Package.get(dataset_id).resources_all if r.state == "active"]


def _post(browser, url: str, csrf: str, data: dict, upload: tuple[bytes, str] | None = None):
    form = dict(data, _csrf_token=csrf)
    if upload is not None:
        form["upload"] = (io.BytesIO(upload[0]), upload[1])
    return browser.post(url, data=form, content_type="multipart/form-data", follow_redirects=False)


def test_officer_previews_changes_header_row_then_uploads(client, uploads):
    from ckanext.opendata_vn.core.tabular import preview as kept_files
    browser = login(client, uploads.officer)
    dataset_page = browser.get(f"/dataset/{uploads.dataset['name']}").get_data(as_text=True)
    assert _page(uploads) in dataset_page, "editors find the upload page from the dataset"
    form = browser.get(_page(uploads))
    assert form.status_code == 200
    csrf = CSRF.search(form.get_data(as_text=True)).group(1)

    shown = _post(browser, _page(uploads), csrf, {"step": "preview", "name": "Bảng giá T3"},
                  (PRICES.content, PRICES.name))
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200, html[:800]
    assert "Xem trước: chưa tải lên, chưa ghi dữ liệu" in html
    assert str(escape("dòng 18–21: khối chữ ký, bỏ qua")) in html
    assert "guess-total" in html
    assert "Gạo tẻ thường" in html and "Tổng cộng" not in html.split("reading-guesses")[0].split("<tbody>")[1]
    for name in PRICES.table.header:
        assert str(escape(name)) in html
    assert "Tải lên" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    assert len(token) == 32
    assert _resources(uploads.dataset["id"]) == [], "nothing written by a preview"

    # the same file (kept by its token) with another header row: another reading
    again = _post(browser, _page(uploads), csrf, {"step": "preview", "token": token, "header_row": "9"})
    html2 = again.get_data(as_text=True)
    assert again.status_code == 200, html2[:800]
    assert "dòng tiêu đề 9" in html2
    assert html2.split("<tbody>")[0] != html.split("<tbody>")[0], "the header changed with the header row"
    assert _resources(uploads.dataset["id"]) == []

    # back to the detected header, then «Tải lên»: the resource with the kept file and the choice
    preview = api(client, "opendata_vn_upload_preview", uploads.officer, package_id=uploads.dataset["id"],
                  token=token, sheet="Giá T3")["result"]
    assert preview["header_row"] == 6 and preview["sheet"] == "Giá T3"
    assert any(g["kind"] == "signature" and (g["first"], g["last"]) == (18, 21) for g in preview["guesses"])
    done = _post(browser, _page(uploads), csrf, {"step": "upload", "token": token, "name": "Bảng giá T3",
                                                 "sheet": "Giá T3", "header_row": "6"})
    assert done.status_code == 302, done.get_data(as_text=True)[:800]
    made = _resources(uploads.dataset["id"])
    assert len(made) == 1
    res = api(client, "resource_show", uploads.officer, id=made[0].id)["result"]
    assert res["name"] == "Bảng giá T3" and res["url_type"] == "upload" and res["sheet"] == "Giá T3"
    assert str(res["header_row"]) == "6"
    assert res["url"].endswith(PRICES.name)
    assert kept_files.kept(token, uploads.officer["name"]) is None, "the kept file is gone once used"


def test_outsider_gets_403(client, uploads):
    outsider = login(client, uploads.outsider)
    assert outsider.get(_page(uploads)).status_code == 403
    answer = api(client, "opendata_vn_upload_preview", uploads.outsider, status=403,
                 files={"upload": (PRICES.content, PRICES.name)}, package_id=uploads.dataset["id"])
    assert answer["success"] is False
    assert _resources(uploads.dataset["id"]) == []


def test_personal_data_findings_are_listed(client, uploads):
    from ckanext.opendata_vn.core.tabular import preview as kept_files
    people = xlsx(Sheet("Danh sách", LETTERHEAD + [
        [None],
        ["DANH SÁCH HỘ ĐƯỢC HỖ TRỢ GIÁ ĐIỆN NĂM 2024"],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Địa chỉ"],
        [1, "Nguyễn Văn An", "014090001234", "12/03/1980", "Tổ 3, phường Chiềng Lề"],
        [2, "Lò Thị Bình", "014185004321", "05/11/1975", "Bản Hài, xã Chiềng Ngần"],
        [3, "Cầm Văn Cường", "014092007788", "21/07/1990", "Tổ 7, phường Tô Hiệu"]], ["A4:E4"]))
    result = api(client, "opendata_vn_upload_preview", uploads.officer, files={"upload": (people, "ho.xlsx")},
                 package_id=uploads.dataset["id"])["result"]
    try:
        assert {f["column"] for f in result["findings"]} >= {"Số CCCD"}
        browser = login(client, uploads.officer)
        csrf = CSRF.search(browser.get(_page(uploads)).get_data(as_text=True)).group(1)
        html = _post(browser, _page(uploads), csrf, {"step": "preview", "token": result["token"]}).get_data(as_text=True)
        assert "Có cột giống dữ liệu cá nhân" in html and "Số CCCD" in html
        assert _resources(uploads.dataset["id"]) == []
    finally:
        kept_files.forget(result["token"])


def test_a_file_chosen_after_the_preview_is_previewed_not_uploaded(client, uploads):
    from ckanext.opendata_vn.core.tabular import preview as kept_files
    browser = login(client, uploads.officer)
    csrf = CSRF.search(browser.get(_page(uploads)).get_data(as_text=True)).group(1)
    first = _post(browser, _page(uploads), csrf, {"step": "preview"}, (PRICES.content, PRICES.name))
    token = first.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    other = "Mã,Tên chợ,Số hộ kinh doanh\nC01,Chợ Trung tâm,412\nC02,Chợ Chiềng Lề,96\n".encode()
    tokens = [token]
    try:
        # «Tải lên» pressed with a different file picked: that file is shown, nothing written
        answer = _post(browser, _page(uploads), csrf, {"step": "upload", "token": token, "name": "Chợ"},
                       (other, "cho.csv"))
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, html[:800]
        tokens.append(html.split('name="token" value="')[1].split('"')[0])
        assert "Bạn vừa chọn một tệp mới" in html
        assert "Chợ Chiềng Lề" in html and "Gạo tẻ thường" not in html
        assert tokens[1] != token
        assert _resources(uploads.dataset["id"]) == [], "a file nobody previewed is never written"
        assert kept_files.kept(tokens[1], uploads.officer["name"])[1] == "cho.csv"
    finally:
        for t in tokens:
            kept_files.forget(t)
