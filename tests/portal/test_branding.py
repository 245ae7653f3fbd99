"""The province's identity from one file (province/branding.py): what the configured
file gives appears on the pages, a wrong file is refused naming the key, and nothing is
asked of a third party (Gravatar, external images)."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.common import config
from ckan.tests import factories

from ckanext.opendata_vn.province import branding
from ckanext.opendata_vn.province.helpers import province_choices, user_image


def _soup(res) -> BeautifulSoup:
    assert res.status_code == 200
    return BeautifulSoup(res.get_data(as_text=True), "html.parser")


def test_configured_file_sets_title_province_and_favicon(app):
    data = branding.load()
    assert data, "config/common.ini names a branding file"
    assert config["ckan.site_title"] == data["site_title"]["vi"]
    assert config["ckanext.opendata_vn.province"] == data["province"]
    soup = _soup(app.get("/dataset/"))
    assert soup.select_one("link[rel='shortcut icon']")["href"] == "/branding/favicon"
    assert soup.select_one("header .odvn-site-title").get_text(strip=True) == data["site_title"]["vi"]
    footer = soup.select_one("footer").get_text(" ", strip=True)
    assert data["contact"]["email"] in footer and "Vận hành trên nền tảng CKAN" in footer


def test_emblem_and_colours_are_served_from_the_branding_folder(app):
    data = branding.load()
    emblem = app.get("/branding/emblem")
    assert emblem.status_code == 200 and emblem.headers["Content-Type"].startswith("image/svg+xml")
    assert emblem.data == (branding.branding_path().parent / data["emblem"]).read_bytes()
    css = app.get("/branding/theme.css").get_data(as_text=True)
    assert f"--odvn-primary: {data['colors']['primary']};" in css
    assert app.get("/branding/../common.ini").status_code == 404


def test_about_page_in_both_languages(app):
    data = branding.load()
    vi = _soup(app.get("/about")).get_text(" ", strip=True)
    assert data["about"]["vi"].split("\n")[0].strip() in vi and data["contact"]["address"] in vi
    en = _soup(app.get("/en/about")).get_text(" ", strip=True)
    assert data["about"]["en"].split("\n")[0].strip() in en


def test_a_wrong_file_is_refused_naming_the_key(tmp_path):
    missing = tmp_path / "x.yaml"
    with pytest.raises(branding.BrandingError, match="không tìm thấy"):
        branding.load(str(missing))
    bad = tmp_path / "bad.yaml"
    bad.write_text("province: Thử\nsite_title: Cổng thử\ncolors: {primary: red}\n", encoding="utf-8")
    with pytest.raises(branding.BrandingError, match="colors.primary"):
        branding.load(str(bad))
    bad.write_text("site_title: Cổng thử\n", encoding="utf-8")
    with pytest.raises(branding.BrandingError, match="province"):
        branding.load(str(bad))


def test_avatars_are_local_initials(app):
    assert config["ckan.gravatar_default"] == "disabled"
    user = factories.User(fullname="Nguyễn Văn An", image_url="https://elsewhere.example/me.png")
    html = str(user_image(user["id"], 22))
    assert "odvn-avatar" in html and ">NA<" in html and "elsewhere.example" not in html
    page = app.get("/dataset/", headers={"Authorization": factories.UserWithToken()["token"]}).get_data(as_text=True)
    assert "gravatar.com" not in page and "odvn-avatar" in page


def test_province_choices_put_the_portal_first(sandbox):
    choices = province_choices("Tỉnh Lạ Thử")
    assert choices[0]["value"] == config["ckanext.opendata_vn.province"]
    values = [c["value"] for c in choices]
    assert "Tỉnh Lạ Thử" in values and len(values) == len(set(values))
    from ckanext.opendata_vn.province.reorganisation import former_provinces
    for former in former_provinces(config["ckanext.opendata_vn.province"]):
        assert values.index(former["province"]) >= 1
