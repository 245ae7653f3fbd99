"""Login throttling: after too many failed logins for one account, or from one
address, the login form refuses further attempts for the rest of the window
(Redis counters, fixed windows; keys hold only keyed hashes of names and addresses).

  ckanext.opendata_vn.login_account_limit = 5/900    failures per account per 15 min
  ckanext.opendata_vn.login_address_limit = 20/900   failures per address per 15 min

A successful login clears the account's counter (not the address's)."""
from __future__ import annotations

import logging
import time

from flask import make_response

import ckan.plugins.toolkit as tk
from ckan.lib import signals

from ckanext.opendata_vn.security import proxy, rate_limit
from ckanext.opendata_vn.security.rate_limit import address_hash

log = logging.getLogger(__name__)

DEFAULTS = {"account": "5/900", "address": "20/900"}


def _limit(kind: str) -> tuple[int, int]:
    text = str(tk.config.get(f"ckanext.opendata_vn.login_{kind}_limit") or DEFAULTS[kind])
    count, _slash, seconds = text.partition("/")
    try:
        return max(1, int(count)), max(1, int(seconds))
    except ValueError:
        log.warning("malformed ckanext.opendata_vn.login_%s_limit %r, using %s", kind, text, DEFAULTS[kind])
        count, _slash, seconds = DEFAULTS[kind].partition("/")
        return int(count), int(seconds)


def _account(login: str) -> str:
    """One counter per account whether its name or its e-mail is typed."""
    from ckan import model
    login = login.strip()
    user = model.User.by_name(login) or model.User.by_email(login)
    return user.id if user is not None else login.lower()


def _subjects(login: str | None) -> dict[str, str]:
    out = {}
    if login and login.strip():
        out["account"] = address_hash("login:" + _account(login))
    address = proxy.client_address()
    if address:
        out["address"] = address_hash("login-from:" + address)
    return out


def _key(kind: str, digest: str, now: int) -> tuple[str, int]:
    _count, seconds = _limit(kind)
    return rate_limit.window_key(f"login:{kind}", seconds, now, digest), seconds


def retry_after(login: str | None) -> int:
    """Seconds until a login for this account from this address may be tried again (0: now)."""
    now = int(time.time())
    kinds = list(_subjects(login).items())
    keys = [_key(kind, digest, now) for kind, digest in kinds]
    wait = 0
    for (kind, _digest), (_key_name, seconds), count in zip(kinds, keys, rate_limit.counters([k for k, _s in keys])):
        if count >= _limit(kind)[0]:
            wait = max(wait, seconds - now % seconds)
    return wait


def record_failure(login: str | None) -> None:
    """One more failure for the account and the address (in Redis; while Redis is down,
    in this process)."""
    now = int(time.time())
    rate_limit.count_hits([_key(kind, digest, now) for kind, digest in _subjects(login).items()], now)


def clear_account(login: str | None) -> None:
    digest = _subjects(login).get("account")
    if digest:
        rate_limit.reset(_key("account", digest, int(time.time()))[0])


def refused_login():
    """IAuthenticator.login(): the login form's answer while throttled, else None."""
    if tk.request.method != "POST":
        return None
    wait = retry_after(tk.request.form.get("login"))
    if not wait:
        return None
    minutes = max(1, (wait + 59) // 60)
    tk.h.flash_error(tk._("Đăng nhập tạm thời bị khóa vì nhập sai mật khẩu quá nhiều lần. "
                          "Vui lòng thử lại sau {minutes} phút.").format(minutes=minutes))
    response = make_response(tk.render("user/login.html", {}), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _on_failed_login(login, **_kwargs):
    if proxy.client_address() is not None:  # web logins only
        record_failure(login)


def _on_logged_in(_app, user=None, **_kwargs):
    if getattr(user, "name", None):
        clear_account(user.name)


def connect_signals() -> None:
    # blinker keeps weak references: module-level functions stay alive
    signals.failed_login.connect(_on_failed_login)
    signals.user_logged_in.connect(_on_logged_in)
