"""Dataset page: the catalog block, resources with format badges, a table preview and
a chart of the DataStore table, downloads as CSV, JSON and XML, and copy-ready API
snippets that work (issue #6, point 4)."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from tests.support.portal import FIELDS, make_dataset, rows


@pytest.fixture(scope="module")
def page(client, dataset):
    res = client.get(f"/dataset/{dataset['name']}")
    assert res.status_code == 200
    return BeautifulSoup(res.get_data(as_text=True), "html.parser")


def test_catalog_block_is_kept(page):
    block = page.select_one("section.catalog-info")
    assert block.find("h2").get_text(strip=True) == "Thông tin danh mục"


def test_resources_have_format_badges_and_downloads(page, dataset):
    items = page.select("li.resource-item")
    assert [i.select_one(".odvn-format").get_text(strip=True) for i in items] == ["CSV", "PDF"]
    csv_item, pdf_item = items
    links = {a["data-format"]: a["href"] for a in csv_item.select("a.odvn-download")}
    rid = dataset["resources"][0]["id"]
    assert links == {"csv": f"/datastore/dump/{rid}?format=csv&bom=true",
                     "json": f"/datastore/dump/{rid}?format=json",
                     "xml": f"/dataset/{dataset['name']}/resource/{rid}/download.xml"}
    assert not pdf_item.select("a.odvn-download"), "no DataStore table, no generated downloads"
    # one explore menu per resource, each with its own id
    ids = [b["id"] for b in page.select(".resource-item .dropdown-toggle")]
    assert len(ids) == len(set(ids)) == 2


def test_preview_table_shows_the_first_rows(page):
    preview = page.select_one("#xem-truoc")
    table = preview.find("table")
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [f["info"]["label"] for f in FIELDS]
    body = table.tbody.find_all("tr")
    assert len(body) == 10
    second = [td.get_text(strip=True) for td in body[1].find_all("td")]
    expected = rows()[1]
    assert second == [str(expected[f["id"]]) for f in FIELDS]
    assert body[0].find_all("td")[-1].get_text(strip=True) == "80"  # 80.0 shown as a whole number
    assert "10 dòng đầu trong tổng số 25 dòng" in table.caption.get_text()


def test_chart_data_has_the_numeric_columns(page):
    figure = page.select_one("figure.odvn-chart")
    data = json.loads(figure.find("script", id="odvn-chart-data").string)
    assert data["type"] == "bar"
    assert data["label_title"] == "Tên trường"
    # STT is a row number, not a quantity
    assert [s["label"] for s in data["series"]] == ["Số học sinh", "Số lớp", "Tỷ lệ đạt chuẩn (%)"]
    assert data["series"][0]["values"][:3] == [300, 317, 334]
    assert data["labels"][0] == "Trường THCS số 1 – Phường Trần Phú"
    options = [o.get_text(strip=True) for o in figure.select("select option")]
    assert options == [s["label"] for s in data["series"]]
    assert figure.find("canvas")["role"] == "img" and figure.find("canvas")["aria-label"]


def test_csv_and_json_downloads(client, dataset):
    rid = dataset["resources"][0]["id"]
    res = client.get(f"/datastore/dump/{rid}?format=csv")
    assert res.status_code == 200
    table = list(csv.DictReader(io.StringIO(res.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(table) == 25 and table[3]["xa_phuong"] == "Xã Đồng Sơn"
    with_bom = client.get(f"/datastore/dump/{rid}?format=csv&bom=true").get_data()
    assert with_bom.startswith("\ufeff".encode("utf-8")), "Excel needs the BOM for UTF-8"
    res = client.get(f"/datastore/dump/{rid}?format=json")
    data = json.loads(res.get_data(as_text=True))
    assert len(data["records"]) == 25


def test_xml_download_is_well_formed_and_complete(client, agency, monkeypatch):
    from ckanext.opendata_vn.portal import downloads
    monkeypatch.setattr(downloads, "PAGE", 7)  # several pages with 25 rows
    records = rows(25)
    records[2]["ten_truong"] = "Trường <Hoa Sen> & \"Bình Minh\"\x0b"  # markup and a control character
    ds = make_dataset(agency["org"], records=records)
    rid = ds["resources"][0]["id"]
    res = client.get(f"/dataset/{ds['name']}/resource/{rid}/download.xml")
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("application/xml")
    assert f'filename="{rid}.xml"' in res.headers["Content-Disposition"]
    root = ET.fromstring(res.get_data())
    assert root.tag == "data" and root.get("dataset") == ds["name"] and root.get("resource") == rid
    assert [(f.get("id"), f.get("label")) for f in root.find("fields")] == [
        (f["id"], f["info"]["label"]) for f in FIELDS]
    got = root.find("records").findall("record")
    assert len(got) == 25
    assert [r.get("id") for r in got] == [str(i) for i in range(1, 26)]
    values = {v.get("field"): v.text for v in got[2]}
    assert values["ten_truong"] == "Trường <Hoa Sen> & \"Bình Minh\""
    assert values["so_hoc_sinh"] == "334"


def test_resource_page_offers_the_same_downloads(client, dataset):
    rid = dataset["resources"][0]["id"]
    soup = BeautifulSoup(client.get(f"/dataset/{dataset['name']}/resource/{rid}").get_data(as_text=True),
                         "html.parser")
    menu = soup.select_one('ul[aria-labelledby="odvn-download-formats"]')
    assert [a.get_text(strip=True) for a in menu.select("a")] == ["CSV", "JSON", "XML"]
    assert menu.select("a")[2]["href"].endswith(f"/resource/{rid}/download.xml")
    assert soup.select_one("#odvn-download-formats").get_text(strip=True) == "Tải về dạng khác"


def test_xml_download_of_private_data_needs_permission(client, agency):
    ds = make_dataset(agency["org"], private=True)
    url = f"/dataset/{ds['name']}/resource/{ds['resources'][0]['id']}/download.xml"
    assert client.get(url).status_code == 404
    res = client.get(url, headers={"Authorization": agency["officer"]["token"]})
    assert res.status_code == 200 and b"<records>" in res.get_data()


def test_api_snippets_work_as_copied(client, page, dataset):
    api = page.select_one("#api")
    codes = {c["id"]: c.get_text() for c in api.select("pre code")}
    assert set(codes) == {f"odvn-api-{kind}-{key}" for kind in ("curl", "python")
                          for key in ("package_show", "datastore_search", "download_csv")}
    for key in ("package_show", "datastore_search"):
        curl = codes[f"odvn-api-curl-{key}"]
        assert curl.startswith('curl "http://test.ckan.net/api/3/action/')
        path = curl.split('"')[1].replace("http://test.ckan.net", "")
        result = client.get(path).json
        assert result["success"] is True, path
        assert f'url = "http://test.ckan.net{path}"' in codes[f"odvn-api-python-{key}"]
    assert dataset["name"] in codes["odvn-api-curl-package_show"]
    assert codes["odvn-api-curl-download_csv"].startswith("curl -L -o du-lieu.csv ")
    for python in (v for k, v in codes.items() if "python" in k):
        compile(python, "<snippet>", "exec")  # valid Python as shown


def test_dataset_without_datastore_has_no_preview(client, agency):
    ds = make_dataset(agency["org"], datastore=False)
    soup = BeautifulSoup(client.get(f"/dataset/{ds['name']}").get_data(as_text=True), "html.parser")
    assert soup.select_one("#xem-truoc") is None
    assert soup.select_one("section.catalog-info") is not None
    codes = [c["id"] for c in soup.select("#api pre code")]
    assert codes == ["odvn-api-curl-package_show", "odvn-api-python-package_show"]


def test_table_with_only_text_has_no_chart(client, agency):
    ds = make_dataset(agency["org"], fields=[{"id": "ten", "type": "text"}, {"id": "dia_chi", "type": "text"}],
                      records=[{"ten": "Bưu cục Trung tâm", "dia_chi": "Số 1 Nguyễn Văn Cừ"},
                               {"ten": "Bưu cục Dĩnh Kế", "dia_chi": "Phường Dĩnh Kế"}])
    soup = BeautifulSoup(client.get(f"/dataset/{ds['name']}").get_data(as_text=True), "html.parser")
    assert soup.select_one("#xem-truoc table") is not None
    assert soup.select_one("figure.odvn-chart") is None
