"""The annual catalog flow in a real browser (headless Chromium), against gunicorn:
a focal officer proposes an entry with every catalog field and an Excel file and
submits it; an IT reviewer returns it with a comment; the officer fixes and resubmits;
the reviewer approves it, approves the catalog and publishes it with the decision
number; citizens see the published catalog and the IT staff's dashboard shows it."""
from __future__ import annotations

import uuid

import pytest
from openpyxl import Workbook

from ckan.tests import factories, helpers

from ckanext.opendata_vn.catalog.agencies import slug

PASSWORD = "Mat-khau-thu-nghiem-2026"
REVIEWER = "bt_reviewer"   # conftest.live_server configures it as the IT reviewer
YEAR = 2026


@pytest.fixture(scope="module")
def setup(live_server, tmp_path_factory):
    """A province of the module's own: its catalog, agency and dataset are purged afterwards."""
    from ckan import model
    from tests.support.sandbox import Sandbox
    suffix = uuid.uuid4().hex[:6]
    box = Sandbox("Hộp Cát " + "".join(chr(ord("a") + int(c, 16)) for c in suffix).capitalize())
    province = box.province
    officer = factories.User(name=f"bt_officer_{suffix}", password=PASSWORD, fullname="Trần Văn Đầu Mối")
    reviewer = model.User.get(REVIEWER)
    if reviewer is None:
        factories.User(name=REVIEWER, password=PASSWORD, fullname="Lê Thị Thẩm Định")
    agency = factories.Organization(name=f"{slug(province)}-so-thu-nghiem",
                                    title=f"Sở Thử Nghiệm Trình Duyệt tỉnh {province}",
                                    users=[{"name": officer["name"], "capacity": "editor"}])
    admin = factories.Sysadmin()
    catalog = helpers.call_action("opendata_vn_catalog_create", context={"user": admin["name"]},
                                  province=province, year=YEAR, key=f"{slug(province)}-{YEAR}-trinh-duyet",
                                  title=f"Danh mục dữ liệu mở tỉnh {province} năm {YEAR} (thử nghiệm)")
    folder = tmp_path_factory.mktemp("files")
    workbook = folder / "danh-sach-diem-truy-cap-wifi.xlsx"
    wb = Workbook()
    wb.active.append(["Tên điểm", "Địa chỉ", "Vĩ độ", "Kinh độ"])
    wb.active.append(["Quảng trường 3/2", "TP Bắc Giang", 21.2731, 106.1946])
    wb.save(workbook)
    yield {"officer": officer["name"], "agency": agency, "catalog": catalog, "workbook": workbook,
           "shots": folder, "province": province}
    box.clean()


def _login(browser, base, user):
    context = browser.new_context(base_url=base, locale="vi-VN")
    page = context.new_page()
    page.goto("/user/login")
    page.fill("#field-login", user)
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.click("form#login button[type=submit], form button[type=submit].btn-primary")
    assert "/user/login" not in page.url, page.content()[:2000]
    return page


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def _entry_row(page, title):
    return page.locator("#entries tr", has_text=title)


def test_officer_reviewer_public_flow(live_server, browser, setup):
    base = live_server["url"]
    key = setup["catalog"]["key"]
    title = "Danh sách điểm truy cập wifi công cộng"

    # --- the focal officer proposes an entry with every catalog field and an Excel file
    officer = _login(browser, base, setup["officer"])
    officer.goto(f"/danh-muc/{key}")
    _submit(officer, "#add-entry")
    officer.select_option("#owner_org", setup["agency"]["id"])
    officer.fill("#title", title)
    officer.fill("#notes", "Các điểm wifi miễn phí do tỉnh quản lý.")
    officer.fill("#data_fields", "Tên điểm\nĐịa chỉ\nVĩ độ\nKinh độ")
    officer.select_option("#theme", "cong-nghe-thong-tin")
    officer.fill("#first_provided", f"{YEAR}-12-31")
    officer.select_option("#update_frequency", "quarterly")
    officer.check("#source-excel")
    officer.check("#source-api")
    officer.fill("#remarks", "Cập nhật theo quý.")
    officer.set_input_files("#upload", str(setup["workbook"]))
    officer.screenshot(path=str(setup["shots"] / "entry-form.png"), full_page=True)
    _submit(officer, "#save-entry")
    assert "Đã thêm mục" in officer.inner_text(".flash-messages")
    row = _entry_row(officer, title)
    assert row.locator(".entry-state").inner_text() == "Dự thảo"
    assert "Sở Thử Nghiệm Trình Duyệt" in row.inner_text() and "Excel/API" in row.inner_text()
    assert f"31/12/{YEAR}" in row.inner_text() and "Quý" in row.inner_text()

    # forms are CSRF-protected: the same post without the token is refused
    refused = officer.request.post(f"{base}/danh-muc/{key}/gui-tham-dinh",
                                   form={"owner_org": setup["agency"]["id"]})
    assert refused.status == 400

    _submit(officer, "button[name=submit-agency]")
    assert _entry_row(officer, title).locator(".entry-state").inner_text() == "Chờ thẩm định"

    # --- the IT reviewer returns it with a comment
    reviewer = _login(browser, base, REVIEWER)
    reviewer.goto(f"/danh-muc/{key}")
    _entry_row(reviewer, title).locator("input[name=ids]").check()
    reviewer.fill("#review-comment", "Ghi rõ đơn vị đo của vĩ độ, kinh độ.")
    _submit(reviewer, "#return-entries")
    row = _entry_row(reviewer, title)
    assert row.locator(".entry-state").inner_text() == "Bị trả lại"

    # --- the officer sees the comment, fixes the entry and resubmits
    officer.goto(f"/danh-muc/{key}")
    row = _entry_row(officer, title)
    assert "Ghi rõ đơn vị đo của vĩ độ, kinh độ." in row.locator(".entry-comment").inner_text()
    _submit(officer, f"#entries tr:has-text('{title}') a:has-text('Sửa')")
    assert "Ghi rõ đơn vị đo" in officer.inner_text(".alert-warning")
    officer.fill("#notes", "Các điểm wifi miễn phí do tỉnh quản lý; tọa độ theo độ thập phân (WGS 84).")
    _submit(officer, "#save-entry")
    _submit(officer, "button[name=submit-agency]")
    assert _entry_row(officer, title).locator(".entry-state").inner_text() == "Chờ thẩm định"

    # --- the reviewer approves the entry, then the catalog, and publishes it
    reviewer.goto(f"/danh-muc/{key}")
    assert "WGS 84" in _entry_row(reviewer, title).inner_text()
    _entry_row(reviewer, title).locator("input[name=ids]").check()
    _submit(reviewer, "#approve-entries")
    assert _entry_row(reviewer, title).locator(".entry-state").inner_text() == "Đã phê duyệt"
    _submit(reviewer, "#approve-catalog")
    assert reviewer.inner_text("#catalog-state") == "Đã phê duyệt, chờ công bố"
    reviewer.fill("#document_number", "125/QĐ-UBND")
    reviewer.fill("#document_date", f"{YEAR}-11-20")
    _submit(reviewer, "#publish-catalog")
    assert reviewer.inner_text("#catalog-state") == "Đã công bố"
    reviewer.screenshot(path=str(setup["shots"] / "catalog.png"), full_page=True)
    history = reviewer.inner_text("#history")
    for action in ("Lập danh mục", "Tạo", "Gửi thẩm định", "Trả lại", "Sửa", "Phê duyệt", "Công bố danh mục"):
        assert action in history
    assert "Ghi rõ đơn vị đo của vĩ độ, kinh độ." in history

    # --- citizens read the published catalog and the dataset with its Excel file
    public = browser.new_context(base_url=base).new_page()
    public.goto(f"/danh-muc/{key}")
    assert public.inner_text("#catalog-state") == "Đã công bố"
    assert "125/QĐ-UBND" in public.inner_text("#catalog-decision")
    assert f"ngày 20/11/{YEAR}" in public.inner_text("#catalog-decision")
    _submit(public, f"#entries a:has-text('{title}')")
    assert title in public.inner_text("h1")
    assert "danh-sach-diem-truy-cap-wifi.xlsx" in public.content()
    public.goto(f"/tuan-thu?province={setup['province']}&year={YEAR}")
    assert public.locator(f"tr[data-agency='{setup['agency']['name']}']").count() == 1

    # --- the IT staff's dashboard shows the agency providing data
    reviewer.goto(f"/tuan-thu/quan-ly?province={setup['province']}&year={YEAR}")
    agency_row = reviewer.locator(f"tr[data-agency='{setup['agency']['name']}']")
    assert agency_row.count() == 1
    cells = agency_row.locator("td").all_inner_texts()
    assert cells[0:2] == ["1", "1"] and cells[-2] == "Có"        # 1 entry, 1 published, has open data
    assert reviewer.locator("svg.odvn-chart").count() == 3
    reviewer.screenshot(path=str(setup["shots"] / "dashboard.png"), full_page=True)
    with reviewer.expect_download() as download:
        reviewer.click("#export-xlsx")
    assert download.value.suggested_filename == f"bao-cao-du-lieu-mo-{slug(setup['province'])}-{YEAR}.xlsx"
