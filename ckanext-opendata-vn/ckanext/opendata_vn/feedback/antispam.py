"""Anti-spam without any third-party service: a honeypot field on every form and a
per-address rate limit kept in Redis (fixed windows, one counter per window).

Addresses are personal data: only a keyed hash (HMAC with the site's SECRET_KEY) is
stored or used as a Redis key, never the address itself.

Settings (ckan.ini):
  ckanext.opendata_vn.feedback_limits = 5/600 20/86400
      submissions (problem reports, data requests) per address: N per S seconds, for
      every window listed
  ckanext.opendata_vn.vote_limits = 30/600 200/86400
      votes and ratings per address
  ckanext.opendata_vn.client_address_header =
      behind a reverse proxy: the header it sets (X-Forwarded-For: the last address in
      it, the one the proxy appended; X-Real-IP). Empty: the connection's address.
      Honoured only on connections from ckanext.opendata_vn.trusted_proxies.

The counting is security/rate_limit.py's: while Redis cannot be reached the same limits
are counted in the web worker's own memory (a warning is logged): submissions keep
working and stay limited, but each worker process counts on its own, so with N workers
an address gets at most N times the limit until Redis is back.
"""
from __future__ import annotations

import logging
import time

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import roles
from ckanext.opendata_vn.security.proxy import client_address
from ckanext.opendata_vn.security.rate_limit import address_hash, count_hits, window_key

log = logging.getLogger(__name__)

# The form field bots fill in and people never see (feedback_vn/snippets/honeypot.html).
HONEYPOT_FIELD = "website"
# A random id the pages give an anonymous visitor who votes or rates, so that people
# behind one address (an office, a mobile carrier's NAT) each get their vote.
VOTER_COOKIE = "odvn_voter"

DEFAULT_LIMITS = {"submit": "5/600 20/86400", "vote": "30/600 200/86400"}
_OPTION = {"submit": "ckanext.opendata_vn.feedback_limits", "vote": "ckanext.opendata_vn.vote_limits"}


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _voter_signer():
    from itsdangerous import Signer
    key = tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret") or ""
    return Signer(key, salt="opendata_vn.voter")


def signed_voter_cookie(token: str) -> str:
    """The cookie value for a voter id: signed with SECRET_KEY, so a made-up id is refused."""
    return _voter_signer().sign(token).decode()


def _voter_cookie() -> str:
    try:
        return tk.request.cookies.get(VOTER_COOKIE) or ""
    except (RuntimeError, AttributeError, TypeError):
        return ""


def voter_token() -> str | None:
    """The anonymous visitor's voter id from their (signed) cookie (web pages only)."""
    from itsdangerous import BadSignature
    value = _voter_cookie()
    if not value:
        return None
    try:
        token = _voter_signer().unsign(value).decode()
    except BadSignature:
        return None
    return token if len(token) == 32 and token.isalnum() else None


def voter_cookie_forged() -> bool:
    """A voter cookie the portal did not sign: its bearer votes as their address instead."""
    return bool(_voter_cookie()) and voter_token() is None


def voter_key(context: dict) -> str | None:
    """Who votes or rates: the logged-in user; else the visitor's voter cookie (set by
    the pages); else, for API clients, the (hashed) address."""
    user = context.get("auth_user_obj")
    if user is not None and not getattr(user, "is_anonymous", False) and getattr(user, "id", None):
        return user.id
    name = context.get("user")
    if name:
        from ckan import model
        obj = model.User.get(name)
        if obj is not None:
            return obj.id
    token = context.get("voter_token") or voter_token()
    if token:
        return "anon:" + address_hash("voter:" + token)
    digest = address_hash(client_address())
    return "addr:" + digest if digest else None


def _limits(kind: str) -> list[tuple[int, int]]:
    text = tk.config.get(_OPTION[kind]) or DEFAULT_LIMITS[kind]
    out = []
    for part in str(text).split():
        count, _slash, seconds = part.partition("/")
        try:
            out.append((int(count), int(seconds)))
        except ValueError:
            log.warning("ignoring malformed rate limit %r in %s", part, _OPTION[kind])
    return out


def check_rate(kind: str, context: dict) -> None:
    """Count one action of `kind` for the current address; raise RateLimited when over.

    Sysadmins and IT staff are not limited; outside a web request nothing is counted.
    """
    if roles.is_reviewer(context.get("user")):
        return
    digest = address_hash(client_address())
    if not digest:
        return
    now = int(time.time())
    windows = _limits(kind)
    keys = [(window_key(f"rate:{kind}", seconds, now, digest), seconds) for _limit, seconds in windows]
    counts = count_hits(keys, now)
    for (limit, seconds), count in zip(windows, counts):
        if count > limit:
            raise RateLimited(seconds - now % seconds)


def honeypot_filled(form) -> bool:
    return bool((form.get(HONEYPOT_FIELD) or "").strip())
