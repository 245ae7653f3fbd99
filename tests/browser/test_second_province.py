"""A second province is one configuration file away: the same code with
config/branding/hung-yen.yaml shows Hưng Yên's name, emblem, colours and contact
(issue #15). Screenshot: test-results/province-hung-yen/ (git-ignored)."""
from __future__ import annotations

import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results" / "province-hung-yen"
LIVE_SERVER_OPTIONS = "ckanext.opendata_vn.branding_file = config/branding/hung-yen.yaml\n"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as res:
        assert res.status == 200
        return res.read()


def test_hung_yen_branding_from_one_file(browser, live_server):
    base = live_server["url"]
    assert _get(f"{base}/branding/emblem") == (ROOT / "config" / "branding" / "hung-yen-emblem.svg").read_bytes()
    assert "--odvn-primary: #0b6e4f;" in _get(f"{base}/branding/theme.css").decode()
    context = browser.new_context(base_url=base, locale="vi-VN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".odvn-site-title").inner_text().strip() == "Cổng dữ liệu mở tỉnh Hưng Yên"
    assert page.title().endswith("Cổng dữ liệu mở tỉnh Hưng Yên")
    assert page.locator("h1").inner_text().strip() == "Cổng dữ liệu mở tỉnh Hưng Yên"
    assert "dulieumo@hungyen.gov.vn" in page.locator("footer").inner_text()
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.masthead')).backgroundColor")
    assert colour == "rgb(11, 110, 79)", colour
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-desktop.png"))
    page.goto("/en/")
    assert page.locator(".odvn-site-title").inner_text().strip() == "Hung Yen Open Data Portal"
    context.close()
