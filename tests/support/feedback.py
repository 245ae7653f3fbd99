"""Helpers of tests/feedback: made-up visitor addresses and Action API calls."""
from __future__ import annotations

from tests.support.web import fresh_address  # noqa: F401  (made-up visitor addresses)


def api(client, action, data=None, address="10.0.0.1", token=None):
    headers = {"Authorization": token} if token else {}
    res = client.post(f"/api/3/action/{action}", json=data or {}, headers=headers,
                      environ_base={"REMOTE_ADDR": address})
    return res.status_code, res.json


def browser(client):
    """A test client that keeps its cookies (session, voter id) like a browser."""
    return client.test_client()


def token_from(browser_client, url: str, address: str) -> str:
    """Open a page as a visitor and read the CSRF token of its form."""
    from tests.support.portal import csrf_token
    return csrf_token(browser_client.get(url, environ_base={"REMOTE_ADDR": address}).get_data(as_text=True))
