"""Helpers of the web-layer security tests: CSRF tokens of real forms, made-up
client addresses, a user with a known password."""
from __future__ import annotations

import random
import uuid

# agencies and datasets with a DataStore table, as the portal tests make them; CSRF tokens
from tests.support.portal import csrf_token, make_agency, make_dataset  # noqa: F401

PASSWORD = "Mat-khau-thu-nghiem-2026"


# pytest-randomly reseeds `random` before every test: a module-level generator would hand
# every test the same "fresh" address (and its rate-limit counters)
_ADDRESSES = random.SystemRandom()


def fresh_address() -> str:
    return "10.%d.%d.%d" % tuple(_ADDRESSES.randint(1, 254) for _ in range(3))


def make_user() -> dict:
    from ckan.tests import factories
    return factories.User(name=f"sec-{uuid.uuid4().hex[:10]}", password=PASSWORD)


def login(client, login_name: str, password: str, address: str):
    """Post the real login form (with its CSRF token) from `address`."""
    page = client.get("/user/login", environ_base={"REMOTE_ADDR": address})
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/user/login", data={"login": login_name, "password": password, "_csrf_token": token},
                       environ_base={"REMOTE_ADDR": address}, follow_redirects=False)
