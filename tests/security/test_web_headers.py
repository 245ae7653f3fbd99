"""Security headers, cookies and the trusted proxy, over HTTP against the real app."""
from __future__ import annotations

import pytest

from ckan.common import config

from tests.support.web import PASSWORD, fresh_address, login, make_agency, make_dataset, make_user

PAGES = ["/", "/dataset/", "/organization/", "/yeu-cau-du-lieu", "/nha-phat-trien", "/user/login",
         "/api/3/action/status_show"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(app, path):
    res = app.get(path)
    assert res.status_code == 200
    csp = res.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_hsts_over_plain_http(app):
    assert "Strict-Transport-Security" not in app.get("/").headers


def test_hsts_and_secure_cookies_over_https(app):
    res = app.get("/user/login", base_url="https://test.ckan.net")
    assert res.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookies = res.headers.getlist("Set-Cookie")
    assert cookies, "the login page sets the session cookie"
    assert all("secure" in c.lower() for c in cookies), cookies


def test_forwarded_proto_believed_only_from_the_trusted_proxy(app, monkeypatch):
    headers = {"X-Forwarded-Proto": "https"}
    monkeypatch.setitem(config, "ckanext.opendata_vn.trusted_proxies", "192.0.2.0/24")
    spoofed = app.get("/", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert "Strict-Transport-Security" not in spoofed.headers
    proxied = app.get("/", headers=headers, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert "Strict-Transport-Security" in proxied.headers


def test_session_cookie_is_httponly_and_samesite_lax(app):
    user = make_user()
    client = app.test_client()
    res = login(client, user["name"], PASSWORD, fresh_address())
    assert res.status_code == 302, res.get_data(as_text=True)[:500]
    session = [c for c in res.headers.getlist("Set-Cookie") if c.startswith(config.get("SESSION_COOKIE_NAME") + "=")]
    assert session, res.headers.getlist("Set-Cookie")
    assert "httponly" in session[-1].lower()
    assert "samesite=lax" in session[-1].lower()


def test_remember_me_cookie_is_httponly_and_samesite_lax(app):
    user = make_user()
    client = app.test_client()
    page = client.get("/user/login")
    from tests.support.web import csrf_token
    res = client.post("/user/login", data={"login": user["name"], "password": PASSWORD, "remember": "63072000",
                                           "_csrf_token": csrf_token(page.get_data(as_text=True))},
                      follow_redirects=False)
    remember = [c for c in res.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert remember, res.headers.getlist("Set-Cookie")
    assert "httponly" in remember[0].lower() and "samesite=lax" in remember[0].lower()


def test_resource_view_may_be_framed_by_our_own_pages_only(app, sandbox):
    """The resource page shows its views in an <iframe> of the same site; nothing else
    may frame them."""
    from ckan.tests import helpers
    ds = make_dataset(make_agency()["org"])
    table = ds["resources"][0]
    site = helpers.call_action("get_site_user", context={"ignore_auth": True})["name"]
    view = helpers.call_action("resource_view_create", {"user": site, "ignore_auth": True},
                               resource_id=table["id"], view_type="datatables_view", title="Bảng")
    page = app.get(f"/dataset/{ds['name']}/resource/{table['id']}/view/{view['id']}")
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert app.get(f"/dataset/{ds['name']}/resource/{table['id']}").headers["X-Frame-Options"] == "DENY"


def _request_data(app, peer: str, forwarded: str):
    return app.post("/api/3/action/opendata_vn_data_request_create",
                    json={"title": f"Danh sách điểm wifi {fresh_address()}"},
                    headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": peer})


def test_rate_limits_key_on_the_forwarded_client_only_behind_the_trusted_proxy(app, monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.feedback_limits", "2/600")
    monkeypatch.setitem(config, "ckanext.opendata_vn.client_address_header", "X-Forwarded-For")
    proxy = "192.0.2.10"
    monkeypatch.setitem(config, "ckanext.opendata_vn.trusted_proxies", proxy)
    # a visitor connecting directly cannot pick a fresh bucket by making up the header
    peer = fresh_address()
    codes = [_request_data(app, peer, fresh_address()).status_code for _ in range(3)]
    assert codes == [200, 200, 409], codes
    # through the proxy, each real client has its own bucket (one mobile NAT, many people aside)
    codes = [_request_data(app, proxy, fresh_address()).status_code for _ in range(3)]
    assert codes == [200, 200, 200], codes
    client = fresh_address()
    codes = [_request_data(app, proxy, f"203.0.113.9, {client}").status_code for _ in range(3)]
    assert codes == [200, 200, 409], codes
