"""Login throttling over HTTP: the real login form, real Redis counters."""
from __future__ import annotations

import pytest

from ckan.common import config

from tests.support.web import PASSWORD, fresh_address, login, make_user


@pytest.fixture(autouse=True)
def limits(monkeypatch):
    monkeypatch.setitem(config, "ckanext.opendata_vn.login_account_limit", "3/900")
    monkeypatch.setitem(config, "ckanext.opendata_vn.login_address_limit", "6/900")


def _logged_in(res) -> bool:
    return res.status_code == 302 and "/user/login" not in res.headers.get("Location", "")


def test_account_locked_after_failures_even_with_the_right_password(app):
    user = make_user()
    for _ in range(3):  # each from another address: the account counter alone locks
        res = login(app.test_client(), user["name"], "sai-mat-khau", fresh_address())
        assert res.status_code == 200
    res = login(app.test_client(), user["name"], PASSWORD, fresh_address())
    assert res.status_code == 429
    assert "Đăng nhập tạm thời bị khóa" in res.get_data(as_text=True)
    assert int(res.headers["Retry-After"]) > 0
    # the e-mail address is the same account
    res = login(app.test_client(), user["email"], PASSWORD, fresh_address())
    assert res.status_code == 429


def test_address_locked_after_failures_on_many_accounts(app):
    address = fresh_address()
    for _ in range(6):
        login(app.test_client(), make_user()["name"], "sai-mat-khau", address)
    fresh = make_user()
    assert login(app.test_client(), fresh["name"], PASSWORD, address).status_code == 429
    assert _logged_in(login(app.test_client(), fresh["name"], PASSWORD, fresh_address()))


def test_success_clears_the_account_counter(app):
    user = make_user()
    address = fresh_address()
    for _ in range(2):
        login(app.test_client(), user["name"], "sai-mat-khau", address)
    assert _logged_in(login(app.test_client(), user["name"], PASSWORD, address))
    for _ in range(2):
        assert login(app.test_client(), user["name"], "sai-mat-khau", address).status_code == 200
    assert _logged_in(login(app.test_client(), user["name"], PASSWORD, address))


def test_forged_forwarded_for_does_not_reset_the_address_counter(app, monkeypatch):
    """Only the trusted proxy's X-Forwarded-For names the client; anybody else's is ignored."""
    monkeypatch.setitem(config, "ckanext.opendata_vn.client_address_header", "X-Forwarded-For")
    monkeypatch.setitem(config, "ckanext.opendata_vn.trusted_proxies", "192.0.2.1")
    address = fresh_address()
    client = app.test_client()
    for _ in range(6):
        page = client.get("/user/login", environ_base={"REMOTE_ADDR": address})
        from tests.support.web import csrf_token
        client.post("/user/login", data={"login": make_user()["name"], "password": "sai",
                                         "_csrf_token": csrf_token(page.get_data(as_text=True))},
                    headers={"X-Forwarded-For": fresh_address()}, environ_base={"REMOTE_ADDR": address})
    user = make_user()
    assert login(app.test_client(), user["name"], PASSWORD, address).status_code == 429
