"""The same figures through the Action API, the pages and the annual report export
(read back with openpyxl); exported text can never be read as a formula."""
from __future__ import annotations

import copy
import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from ckan.tests import factories

from ckanext.opendata_vn.compliance import export, figures

D = datetime.date
pytestmark = pytest.mark.usefixtures("published_seed")
QUERY = {"province": "Bắc Giang", "year": "2024", "as_of": "2025-03-31"}


def _token(user) -> dict:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_action_api_returns_the_dashboard_figures(app, published_seed):
    """The figures worked out by hand in test_figures.py's docstring, as JSON."""
    res = app.get("/api/3/action/opendata_vn_compliance_report", query_string=QUERY)   # anonymous
    assert res.status_code == 200
    result = res.json["result"]
    t = result["totals"]
    assert {k: t[k] for k in ("entries", "published", "first_met", "first_missed", "first_pending",
                              "first_no_date", "up_to_date", "update_overdue", "not_provided_overdue",
                              "overdue", "agencies", "agencies_providing", "share", "agencies_late")} == {
        "entries": 36, "published": 5, "first_met": 3, "first_missed": 26, "first_pending": 0,
        "first_no_date": 7, "up_to_date": 3, "update_overdue": 2, "not_provided_overdue": 25, "overdue": 27,
        "agencies": 7, "agencies_providing": 3, "share": 42.9, "agencies_late": 7}
    agencies = {a["name"]: a for a in result["agencies"]}
    assert {name: a["entries"] for name, a in agencies.items()} == {
        "bac-giang-so-giao-duc-va-dao-tao": 13, "bac-giang-so-khoa-hoc-va-cong-nghe": 5,
        "bac-giang-so-ke-hoach-va-dau-tu": 2, "bac-giang-so-van-hoa-the-thao-va-du-lich": 1,
        "bac-giang-so-tu-phap": 5, "bac-giang-so-noi-vu": 1, "bac-giang-so-tai-chinh": 9}
    assert sorted(n for n, a in agencies.items() if a["provides_open_data"]) == [
        "bac-giang-so-giao-duc-va-dao-tao", "bac-giang-so-khoa-hoc-va-cong-nghe", "bac-giang-so-tai-chinh"]
    overdue = result["overdue"]
    assert len(overdue) == 27 and {o["days_late"] for o in overdue[:25]} == {89}
    assert [(o["package_name"], o["days_late"]) for o in overdue[-2:]] == [
        (published_seed["E1"]["name"], 6), (published_seed["E4"]["name"], 1)]
    assert overdue[-2]["update_due"] == "2025-03-15" and overdue[-1]["deadline"] == "2025-03-30"
    assert "entries" not in result
    trend = app.get("/api/3/action/opendata_vn_compliance_report",
                    query_string={**QUERY, "with_trend": "true", "include_entries": "true"}).json["result"]
    assert len(trend["entries"]) == 36 and {t["year"] for t in trend["trend"]} >= {2023, 2024, 2025}
    bad = app.get("/api/3/action/opendata_vn_compliance_report", query_string={"as_of": "31/03/2025"})
    assert bad.status_code == 409


def test_public_summary_and_staff_dashboard(app, reviewer):
    page = app.get("/tuan-thu", query_string=QUERY)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kết quả cung cấp dữ liệu mở tỉnh Bắc Giang năm 2024" in html
    assert 'data-agency="bac-giang-so-tai-chinh" data-status="late"' in html
    assert "42,9 %" in html and "<svg" in html

    anonymous = app.get("/tuan-thu/quan-ly", query_string=QUERY, follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    page = app.get("/tuan-thu/quan-ly", query_string={**QUERY, "theme": "tai-chinh"}, headers=_token(reviewer))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 3                      # yearly share, monthly, per agency
    assert 'id="overdue-table"' in html and "Cân đối ngân sách địa phương" in html
    assert 'data-agency="bac-giang-so-giao-duc-va-dao-tao"' not in html   # theme filter
    assert "/tuan-thu/bao-cao.xlsx" in html


def test_excel_report_reads_back(app, reviewer):
    assert app.get("/tuan-thu/bao-cao.xlsx", query_string=QUERY).status_code == 403   # IT staff only
    res = app.get("/tuan-thu/bao-cao.xlsx", query_string=QUERY, headers=_token(reviewer))
    assert res.status_code == 200
    assert res.headers["Content-Disposition"].endswith('bao-cao-du-lieu-mo-bac-giang-2024.xlsx"')
    wb = load_workbook(io.BytesIO(res.data))
    assert wb.sheetnames == ["Tổng hợp", "Theo đơn vị", "Quá hạn", "Chi tiết"]
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=6, values_only=True) if row[0]}
    assert summary["Số cơ quan, đơn vị có tập dữ liệu trong danh mục"] == 7
    assert summary["Số cơ quan, đơn vị cung cấp ít nhất một tập dữ liệu mở"] == 3
    assert summary["Tỷ lệ cơ quan, đơn vị cung cấp dữ liệu mở (%)"] == 42.9
    assert summary["Chỉ tiêu kế hoạch"] == "trên 90%" and summary["Đánh giá chỉ tiêu"] == "Chưa đạt"
    assert summary["Số tập dữ liệu đã công bố (có dữ liệu)"] == 5
    assert summary["Tập dữ liệu quá hạn cập nhật"] == 2
    assert wb["Tổng hợp"]["A1"].value == "BÁO CÁO KẾT QUẢ CUNG CẤP DỮ LIỆU MỞ NĂM 2024"
    agencies = list(wb["Theo đơn vị"].iter_rows(min_row=6, values_only=True))
    assert len(agencies) == 8 and agencies[-1][1] == "Toàn tỉnh" and agencies[-1][2] == 36
    finance = next(r for r in agencies if r[1] == "Sở Tài chính tỉnh Bắc Giang")
    assert finance[2:4] == (9, 2) and finance[-1] == "Trễ hạn"
    overdue = list(wb["Quá hạn"].iter_rows(min_row=6, values_only=True))
    assert len(overdue) == 27 and overdue[-1][3] == "Cân đối ngân sách địa phương" and overdue[-1][6] == 1
    assert overdue[-1][5] == datetime.datetime(2025, 3, 30)
    assert wb["Chi tiết"].max_row == 5 + 36

    csv_res = app.get("/tuan-thu/bao-cao.csv", query_string=QUERY, headers=_token(reviewer))
    rows = list(csv.reader(io.StringIO(csv_res.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Năm", "Tỉnh", "Tính đến", "STT"] and len(rows) == 1 + 7 + 1
    assert rows[-1][4] == "Toàn tỉnh" and rows[-1][5] == "36"


def test_exported_cells_are_never_formulas():
    result = copy.deepcopy(figures.report("Bắc Giang", 2024, as_of=D(2025, 3, 31)))
    evil = ['=HYPERLINK("http://evil.example","bấm")', "+SUM(1,2)", "-2+3", "@cmd", "=1+1"]
    for agency, text in zip(result["agencies"], evil):
        agency["title"] = text
    result["overdue"][0]["title"] = "=cmd|' /C calc'!A0"
    data = export.xlsx(result)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for text in evil + ["=cmd|' /C calc'!A0"]:
        found = [c for c in cells if c.value == text]
        assert found, text
        assert all(c.data_type == "s" and c.quotePrefix for c in found)
    rows = list(csv.reader(io.StringIO(export.csv_bytes(result).decode("utf-8-sig"))))
    titles = [r[4] for r in rows[1:-1]]
    assert titles[:5] == ["'" + t for t in evil]


def test_catalog_pages(app, reviewer):
    listing = app.get("/danh-muc").get_data(as_text=True)
    assert '<a href="/danh-muc/bac-giang-2024">Danh mục dữ liệu mở tỉnh Bắc Giang năm 2024</a>' in listing
    page = app.get("/danh-muc/bac-giang-2024")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Cơ sở dữ liệu văn bằng, chứng chỉ" in html and "Đã công bố" in html
    assert app.get("/danh-muc/khong-co").status_code == 404
    # every form posts CKAN's CSRF token (the refusal of a post without one is checked
    # against the real server in tests/browser: CKAN's test app does not enforce it)
    assert 'name="_csrf_token"' in app.get("/danh-muc", headers=_token(reviewer)).get_data(as_text=True)
    assert app.post("/danh-muc/bac-giang-2024/sua-doi").status_code == 403   # anonymous
