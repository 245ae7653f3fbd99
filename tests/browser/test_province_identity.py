"""The portal as the province's own site (issue #15), in headless Chromium against
gunicorn (conftest.live_server), at 1280 px and on a 390 px phone: the province's emblem
and name in the header (no CKAN logo), Vietnamese dates on every page visited, search
results that say whose data each entry is, full facet labels, the home page without
agencies that ceased in the 2025 reorganisation, each merged agency's page naming its
successor, share links, local avatars, the dataset form's province and licence, no
request to any third party, and axe-core at zero serious or critical violations.

The agencies and datasets are the test's own (a sandbox province, purged afterwards);
the reorganisation is applied to them through the same code as `make run`.
Screenshots: test-results/province/ (git-ignored)."""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from ckan import model
from ckan.common import config
from ckan.tests import factories, helpers

from tests.support.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-results" / "province"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "Mat-khau-can-bo-2026"
WIDTHS = {"desktop": 1280, "phone": 390}
# CKAN's English pattern with a Vietnamese month word, or an English month name
ENGLISH_DATE = re.compile(r"tháng \d{1,2} \d{1,2}, \d{4}|\b(January|February|March|April|May|June|July|August|"
                          r"September|October|November|December)\b")


def _site() -> dict:
    return {"user": helpers.call_action("get_site_user", context={"ignore_auth": True})["name"], "ignore_auth": True}


@pytest.fixture(scope="module")
def world(live_server, tmp_path_factory):
    """A province of the test's own with three agencies, its datasets and a
    reorganisation file: Sở TT&TT merges into Sở KH&CN (certain), UBND cấp huyện's
    successor waits for a reviewer."""
    from ckanext.opendata_vn.catalog.agencies import agency_name
    from ckanext.opendata_vn.catalog.loader import load_catalog
    from ckanext.opendata_vn.province.reorganisation import apply_file

    sfx = uuid.uuid4().hex[:6]
    province = f"Thử Trình Duyệt {''.join(chr(ord('A') + int(c, 16)) for c in sfx)}"
    box = Sandbox(province)
    rows = [
        {"number": "1", "part": None, "theme_number": "I", "theme": "CHỦ ĐỀ XÂY DỰNG",
         "title": f"Dữ liệu quy hoạch xây dựng thử {sfx}", "agency": "Sở Thông tin và Truyền thông",
         "description": "- Tên đồ án\n- Số quyết định phê duyệt\n- Diện tích (ha)",
         "first_provided": "", "frequency": "Năm", "source": "Excel", "notes": "", "extraction_note": ""},
        {"number": "2", "part": None, "theme_number": "I", "theme": "CHỦ ĐỀ XÂY DỰNG",
         "title": f"Danh mục chợ trên địa bàn thử {sfx}", "agency": "UBND cấp huyện", "description": "",
         "first_provided": "", "frequency": "Năm", "source": "Excel", "notes": "", "extraction_note": ""},
    ]
    admin = factories.Sysadmin()
    load_catalog("thu.json", {"key": f"trinh-duyet-{sfx}", "province": province, "year": 2024,
                              "title": f"Danh mục dữ liệu mở {province} năm 2024", "kind": "decision"},
                 rows, user=admin["name"])
    path = tmp_path_factory.mktemp("reorg") / "reorganisation.json"
    path.write_text(json.dumps({"schema_version": 1, "provinces": [{"province": province, "agencies": [
        {"agency": "Sở Thông tin và Truyền thông", "successor": "Sở Khoa học và Công nghệ", "date": "2025-03-01"},
        {"agency": "UBND cấp huyện", "successor": "UBND cấp xã", "date": "2025-07-01", "certain": False}]}]},
        ensure_ascii=False), encoding="utf-8")
    apply_file(path)
    merged = model.Group.get(agency_name(province, "Sở Thông tin và Truyền thông"))
    successor = model.Group.get(agency_name(province, "Sở Khoa học và Công nghệ"))
    district = model.Group.get(agency_name(province, "UBND cấp huyện"))
    planning = model.Session.query(model.Package).filter_by(title=rows[0]["title"]).one()
    helpers.call_action("package_patch", context=_site(), id=planning.id,
                        resources=[{"url": "https://example.org/quy-hoach.csv", "name": "Bảng", "format": "CSV"}])
    helpers.call_action("package_patch", context=_site(), id=planning.id, data_updated="2026-12-03T06:07:00")
    officer = factories.User(password=PASSWORD)
    helpers.call_action("organization_member_create", context=_site(), id=successor.id,
                        username=officer["name"], role="editor")
    model.Session.remove()
    yield {"sfx": sfx, "province": province, "merged": {"name": merged.name, "title": merged.title},
           "successor": {"name": successor.name, "title": successor.title},
           "district": {"name": district.name, "title": district.title},
           "planning": {"name": planning.name, "title": planning.title}, "officer": officer,
           "markets_title": rows[1]["title"]}
    box.clean()


def _context(browser, base, device: str):
    width = WIDTHS[device]
    size = {"viewport": {"width": width, "height": 900}} if device == "desktop" else \
        {"viewport": {"width": width, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    context = browser.new_context(base_url=base, locale="vi-VN", **size)
    context.set_default_timeout(20000)
    return context


@pytest.fixture(scope="module")
def pages(browser, live_server):
    contexts = {d: _context(browser, live_server["url"], d) for d in WIDTHS}
    yield {d: c.new_page() for d, c in contexts.items()}
    for c in contexts.values():
        c.close()


def visit(page, url: str, name: str, device: str) -> str:
    """Open a page, save its screenshot, return its visible text."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{device}.png"), full_page=True)
    return page.locator("body").inner_text()


def search_url(world) -> str:
    """The test's own datasets: its province (a query alone may also match others' names)."""
    return f"/dataset/?q={world['sfx']}&province={quote(world['province'])}"


def visited_pages(world) -> dict[str, str]:
    """The pages these tests visit (name → URL), scanned for dates and requests."""
    return {"home": "/", "search": search_url(world), "dataset": f"/dataset/{world['planning']['name']}",
            "agency": f"/organization/{world['successor']['name']}",
            "agency-merged": f"/organization/{world['merged']['name']}",
            "agency-pending": f"/organization/{world['district']['name']}", "about": "/about"}


@pytest.mark.parametrize("device", list(WIDTHS))
def test_header_shows_the_province_not_ckan(pages, device, world):
    page = pages[device]
    visit(page, "/", "home", device)
    header = page.locator("header.masthead")
    assert header.locator(".odvn-site-title").inner_text().strip() == config["ckan.site_title"]
    emblem = header.locator("img.odvn-emblem")
    assert emblem.get_attribute("src") == "/branding/emblem"
    assert page.evaluate("() => document.querySelector('img.odvn-emblem').naturalWidth") > 0
    assert not header.locator("img[src*='ckan'], .ckan-logo, a.logo").count()
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.masthead')).backgroundColor")
    from ckanext.opendata_vn.province import branding
    primary = branding.load()["colors"]["primary"].lstrip("#")   # the configured branding file's colour
    assert colour == "rgb({}, {}, {})".format(*(int(primary[i:i + 2], 16) for i in (0, 2, 4))), colour
    if device == "desktop":   # the README's picture of the default province
        page.screenshot(path=str(SHOTS / "readme-home-desktop.png"))
    footer = page.locator("footer.site-footer")
    assert "Vận hành trên nền tảng CKAN" in footer.inner_text()
    assert "dulieumo@" in footer.inner_text() or "@" in footer.inner_text()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_search_results_say_whose_data(pages, device, world):
    page = pages[device]
    visit(page, search_url(world), "search", device)
    items = page.locator("li.dataset-item")
    assert items.count() == 2
    planning = items.filter(has_text=world["planning"]["title"])
    assert planning.locator(".odvn-item-agency").inner_text().strip() == world["successor"]["title"]
    assert planning.locator(".odvn-item-province").inner_text().strip() == world["province"]
    assert "03/12/2026" in planning.inner_text() and "2024" in planning.inner_text()
    assert planning.locator("[data-format='csv']").count() == 1
    markets = items.filter(has_text=world["markets_title"])
    text = markets.inner_text()
    assert "Chưa có mô tả" not in text and "There is no description" not in text
    assert "TT 2" in text and world["district"]["title"] in text
    # the agency facet shows full names (the full name also as the link's title)
    facet = page.locator(".odvn-facet a[title]").filter(has_text=world["successor"]["title"])
    assert facet.count() == 1 and facet.get_attribute("title") == world["successor"]["title"]


@pytest.mark.parametrize("device", list(WIDTHS))
def test_dataset_and_agency_pages_name_the_successor(pages, device, world):
    page = pages[device]
    visit(page, f"/dataset/{world['planning']['name']}", "dataset", device)
    block = page.locator(".catalog-info")
    assert "trước đây:" in block.inner_text() and world["merged"]["title"] in block.inner_text()
    assert "03/12/2026 13:07" in block.inner_text()
    share = page.locator(".odvn-share")
    assert share.locator("a", has_text="Zalo").count() == 1 and share.locator("a", has_text="Facebook").count() == 1
    assert not page.locator("a[href*='twitter.com']").count()
    visit(page, f"/organization/{world['merged']['name']}", "agency-merged", device)
    history = page.locator(".odvn-history")
    assert "Đơn vị này đã sáp nhập vào" in history.inner_text()
    assert history.locator(f"a[href='/organization/{world['successor']['name']}']").count() == 1
    assert "01/03/2025" in history.inner_text()
    visit(page, f"/organization/{world['successor']['name']}", "agency", device)
    assert world["merged"]["title"] in page.locator(".odvn-history").inner_text()


def test_home_lists_no_agency_that_ceased(pages, world):
    from ckanext.opendata_vn.province.reorganisation import ceased_names
    page = pages["desktop"]
    visit(page, "/", "home", "desktop")
    listed = {a.split("/organization/")[-1] for a in
              page.locator(".odvn-agencies a").evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    assert listed, "the home page lists agencies"
    model.Session.remove()
    ceased = ceased_names()
    assert {world["merged"]["name"], world["district"]["name"]} <= ceased
    assert not listed & ceased, listed & ceased


def test_copy_link(browser, live_server, world):
    context = browser.new_context(base_url=live_server["url"], locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server["url"])
    page = context.new_page()
    page.goto(f"/dataset/{world['planning']['name']}")
    page.click(".odvn-copy-link")
    page.wait_for_function("() => document.querySelector('.odvn-copy-link-status').textContent.length > 0")
    assert page.locator(".odvn-copy-link-status").inner_text() == "Đã sao chép liên kết"
    assert page.evaluate("() => navigator.clipboard.readText()").endswith(f"/dataset/{world['planning']['name']}")
    context.close()


def test_officer_avatar_and_dataset_form(browser, live_server, world):
    context = _context(browser, live_server["url"], "desktop")
    page = context.new_page()
    page.goto("/user/login")
    page.fill("#field-login", world["officer"]["name"])
    page.fill("#field-password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit].btn-primary")
    assert "/user/login" not in page.url, page.url
    avatar = page.locator(".account-masthead .odvn-avatar").first
    assert avatar.inner_text().strip()
    page.goto("/dataset/new")
    options = page.locator("#field-province option").evaluate_all("els => els.map(e => e.value)")
    assert options[0] == config["ckanext.opendata_vn.province"]
    assert page.locator("#field-province").input_value() == config["ckanext.opendata_vn.province"]
    assert page.locator("#field-license_id").input_value() == "cc-by"
    assert not ENGLISH_DATE.search(page.locator("body").inner_text())
    context.close()


@pytest.mark.parametrize("device", list(WIDTHS))
def test_no_english_date_and_no_third_party_request_on_any_page_visited(browser, live_server, world, device):
    """Every page the tests visit: dates the Vietnamese way, and nothing fetched from
    anywhere but the portal (no Gravatar, fonts, scripts or share widgets)."""
    context = _context(browser, live_server["url"], device)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    found = {}
    for name, url in visited_pages(world).items():
        text = visit(page, url, name, device)
        if ENGLISH_DATE.search(text):
            found[url] = ENGLISH_DATE.findall(text)
    context.close()
    assert not found, found
    own = urlparse(live_server["url"]).netloc
    foreign = sorted({u for u in requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != own})
    assert requests and not foreign, foreign


@pytest.mark.parametrize("device", list(WIDTHS))
def test_accessibility(browser, live_server, device, world):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: npm ci (scripts/stack.sh test-env runs it)")
    # axe-core is injected as an inline script: this context alone bypasses the page's CSP
    context = browser.new_context(base_url=live_server["url"], locale="vi-VN", bypass_csp=True,
                                  viewport={"width": WIDTHS[device], "height": 900})
    page = context.new_page()
    serious = []
    for url in ("/", search_url(world), f"/dataset/{world['planning']['name']}",
                f"/organization/{world['merged']['name']}"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP refuses inline script
        violations = page.evaluate(
            """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
                 .violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""",
            WCAG)
        serious += [f"{device} {url}: {v['impact']} {v['id']} {v['nodes']}" for v in violations
                    if v["impact"] in ("serious", "critical")]
    context.close()
    assert not serious, "\n".join(serious)
