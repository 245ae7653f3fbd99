"""The Content-Security-Policy (no inline script, scripts from this site only) holds on
the pages we render: headless Chromium visits them as a citizen, a focal officer and a
sysadmin and records every `securitypolicyviolation` event and console report. The
chart and the copy buttons work under the policy (test_citizen_portal.py uses them too)."""
from __future__ import annotations

import uuid

import pytest

from ckan.tests import factories, helpers

from tests.support.portal import make_agency, make_dataset

PASSWORD = "Mat-khau-kiem-tra-csp-2026"
RECORD = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI || ''} ${e.sourceFile || ''}:${e.lineNumber || ''} ${e.sample || ''}`
  + ` ${e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : ''}`));
"""


@pytest.fixture(scope="module")
def site(live_server):
    agency = make_agency(title=f"Sở Tài chính {uuid.uuid4().hex[:6]}")
    ds = make_dataset(agency["org"])
    admin = factories.Sysadmin(password=PASSWORD)
    officer = factories.User(password=PASSWORD)
    helpers.call_action("organization_member_create", {"ignore_auth": True, "user": admin["name"]},
                        id=agency["org"]["id"], username=officer["name"], role="editor")
    view = helpers.call_action("resource_view_create", {"ignore_auth": True, "user": admin["name"]},
                               resource_id=ds["resources"][0]["id"], view_type="datatables_view", title="Bảng")
    yield {"agency": agency, "ds": ds, "admin": admin, "officer": officer, "view": view}
    helpers.call_action("dataset_purge", {"ignore_auth": True, "user": admin["name"]}, id=ds["id"])


def _visit(context, path: str) -> list[str]:
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(path, wait_until="load")
    page.wait_for_timeout(300)
    found = page.evaluate("window.__csp || []") + console
    for frame in page.frames[1:]:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # noqa: BLE001 - a cross-origin or detached frame has no record
            pass
    page.close()
    return found


def _context(browser, base, user=None):
    context = browser.new_context(base_url=base, locale="vi-VN")
    context.set_default_timeout(20000)
    context.add_init_script(RECORD)
    if user:
        page = context.new_page()
        page.goto("/user/login")
        page.fill("#field-login", user)
        page.fill("#field-password", PASSWORD)
        with page.expect_navigation():
            page.click("form#login button[type=submit], form button[type=submit].btn-primary")
        assert "/user/login" not in page.url
        page.close()
    return context


def _pages(site) -> dict[str, list[str]]:
    ds, org = site["ds"], site["agency"]["org"]
    res_id = ds["resources"][0]["id"]
    public = ["/", "/dataset/", f"/dataset/{ds['name']}", f"/dataset/{ds['name']}/resource/{res_id}",
              f"/dataset/{ds['name']}/resource/{res_id}/view/{site['view']['id']}",
              f"/organization/{org['name']}", "/organization/", "/group/", "/yeu-cau-du-lieu",
              "/yeu-cau-du-lieu/moi", "/nha-phat-trien", "/tuan-thu", "/danh-muc", "/user/login",
              f"/dataset/{ds['name']}/phan-hoi", "/about"]
    staff = [f"/dataset/edit/{ds['name']}", f"/dataset/{ds['name']}/resource/new",
             f"/dataset/{ds['name']}/resource/{res_id}/edit", "/dataset/new", "/phan-hoi", "/tuan-thu/quan-ly",
             f"/organization/bulk_process/{org['name']}", f"/organization/edit/{org['name']}",
             f"/dataset/{ds['name']}/nguon-du-lieu"]
    admin = ["/ckan-admin", "/ckan-admin/du-lieu-ca-nhan", "/catalog/import", "/harvest", "/harvest/new"]
    return {"anonymous": public, "officer": staff, "admin": staff[:2] + admin}


@pytest.mark.parametrize("who", ["anonymous", "officer", "admin"])
def test_no_csp_violation_on_our_pages(live_server, browser, site, who):
    user = {"anonymous": None, "officer": site["officer"]["name"], "admin": site["admin"]["name"]}[who]
    context = _context(browser, live_server["url"], user)
    try:
        violations = {path: v for path in _pages(site)[who] if (v := _visit(context, path))}
    finally:
        context.close()
    assert not violations, "\n".join(f"{path}: {sorted(set(x for x in v if not x.startswith('Executing')))[:6]}" for path, v in violations.items())


def test_form_buttons_work_without_inline_script(live_server, browser, site):
    """The resource form's Link button and the multiple-text fields' Add/Remove links
    (inline handlers and javascript: links in the upstream templates) still work."""
    context = _context(browser, live_server["url"], site["admin"]["name"])
    try:
        page = context.new_page()
        page.goto(f"/dataset/edit/{site['ds']['name']}")
        fields = page.locator('fieldset[name="data_fields"] input[name="data_fields"]')
        before = fields.count()
        page.click('a[data-odvn-multiple-add="data_fields"]')
        assert fields.count() == before + 1
        assert page.evaluate("document.activeElement.name") == "data_fields"
        page.locator('fieldset[name="data_fields"] a[name="multiple-remove"]').last.click()
        page.wait_for_function(f"() => document.querySelectorAll('fieldset[name=data_fields] input').length === {before}")
        assert "/dataset/edit/" in page.url
        page.goto(f"/dataset/{site['ds']['name']}/resource/new")
        page.click("#resource-link-button")
        assert page.is_checked("#resource-url-link")
        assert page.evaluate("document.activeElement.id") == "field-resource-url"
        page.fill("#field-resource-url", "https://example.org/du-lieu.csv")
        page.locator(".btn-remove-url:visible").first.click()
        assert page.is_checked("#resource-url-none")
        assert page.input_value("#field-resource-url") == ""
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_datatables_view_shows_the_rows_under_the_policy(live_server, browser, site):
    context = _context(browser, live_server["url"])
    try:
        page = context.new_page()
        page.goto(f"/dataset/{site['ds']['name']}/resource/{site['ds']['resources'][0]['id']}/view/{site['view']['id']}")
        page.wait_for_selector("#dtprv tbody tr td:has-text('Trường THCS số 1')")
        page.click("#refit-button")
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
