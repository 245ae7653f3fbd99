"""Home page: province identity, search box, themes and agencies with dataset counts,
recently updated data and key figures (issue #6, point 3)."""
from __future__ import annotations

from bs4 import BeautifulSoup

from ckan.common import config
from ckan.tests import helpers

from tests.support.portal import make_dataset


def _soup(res) -> BeautifulSoup:
    assert res.status_code == 200
    return BeautifulSoup(res.get_data(as_text=True), "html.parser")


def _number(text: str) -> int:
    return int("".join(c for c in text if c.isdigit()))


def test_identity_and_search_box(client, dataset):
    soup = _soup(client.get("/"))
    assert soup.find("html")["lang"] == "vi"
    province = config["ckanext.opendata_vn.province"]   # the configured province (branding file)
    assert soup.find("h1").get_text(strip=True) == f"Cổng dữ liệu mở tỉnh {province}"
    form = soup.find("form", attrs={"role": "search", "class": "odvn-hero-search"})
    assert form["action"] == "/dataset/" and form["method"] == "get"
    field = form.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True) == "Bạn cần dữ liệu gì?"
    # suggestions run searches typed the way citizens type them
    hrefs = [a["href"] for a in form.find_all("a")]
    assert "/dataset/?q=x%C3%A2y+d%E1%BB%B1ng" in hrefs, hrefs


def test_key_figures_themes_and_agencies_match_the_search_index(client, agency, dataset):
    make_dataset(agency["org"], title="Kết quả tuyển sinh lớp 10", theme="giao-duc", datastore=False)
    soup = _soup(client.get("/"))
    found = helpers.call_action("package_search", rows=0, include_private=False,
                                **{"facet.field": ["groups", "organization", "publication_status"],
                                   "facet.limit": -1})
    facets = found["search_facets"]
    figures = {li.find("span").get_text(strip=True): _number(li.find("strong").get_text())
               for li in soup.select(".odvn-figures li")}
    assert figures["tập dữ liệu trong danh mục"] == found["count"] >= 2
    assert figures["tập dữ liệu đã có dữ liệu"] == sum(
        i["count"] for i in facets["publication_status"]["items"] if i["name"] == "published")
    assert figures["cơ quan, đơn vị cung cấp"] == len(facets["organization"]["items"])
    assert figures["chủ đề"] == len(facets["groups"]["items"])

    themes = {a["href"]: a.select_one(".odvn-count").get_text(strip=True) for a in soup.select(".odvn-themes a")}
    education = next(i for i in facets["groups"]["items"] if i["name"] == "giao-duc")
    assert themes["/group/giao-duc"] == f"{education['count']} tập dữ liệu"
    assert "Giáo dục và đào tạo" in soup.select_one('.odvn-themes a[href="/group/giao-duc"]').get_text()

    # the home page lists the agencies with most datasets (others' datasets, e.g. the
    # seed catalogs, may push this test's agency off the list): each count is the index's
    agencies = {li.a["href"]: li.select_one(".odvn-count").get_text(strip=True) for li in soup.select(".odvn-agencies li")}
    counts = {f"/organization/{i['name']}": i["count"] for i in facets["organization"]["items"]}
    assert agencies
    for href, text in agencies.items():
        assert text == f"{counts[href]} tập dữ liệu", href
    shown = sorted(counts[h] for h in agencies)
    assert shown[0] >= max((c for h, c in counts.items() if h not in agencies), default=0)


def test_recently_updated_first_and_private_data_not_counted(client, agency):
    hidden = make_dataset(agency["org"], title="Bảng lương nội bộ", private=True, datastore=False)
    latest = make_dataset(agency["org"], title="Danh sách điểm tiêm chủng mở rộng", datastore=False)
    soup = _soup(client.get("/"))
    titles = [a.get_text(strip=True) for a in soup.select(".odvn-recent h3 a")]
    assert titles[0] == latest["title"]
    assert hidden["title"] not in soup.get_text()
    badges = [b.get_text(strip=True) for b in soup.select(".odvn-recent .odvn-format")]
    assert "CSV" in badges and "PDF" in badges


def test_links_to_requests_and_developers(client):
    soup = _soup(client.get("/"))
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert {"/yeu-cau-du-lieu/moi", "/yeu-cau-du-lieu", "/nha-phat-trien"} <= hrefs


def test_english_home_page(client):
    soup = _soup(client.get("/en/"))
    assert soup.find("html")["lang"] == "en"
    assert soup.find("h1").get_text(strip=True) == f"{config['ckanext.opendata_vn.province_en']} Open Data Portal"
    text = soup.get_text(" ")
    assert "Data by theme" in text and "Recently updated data" in text
    assert "Dữ liệu mới cập nhật" not in text
