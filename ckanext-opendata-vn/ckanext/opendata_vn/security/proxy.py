"""Who the client is and whether it came over https, trusting the reverse proxy's
headers only when the connection itself comes from a configured proxy address.

  ckanext.opendata_vn.client_address_header = X-Forwarded-For
  ckanext.opendata_vn.trusted_proxies = 172.16.0.0/12 127.0.0.1

Without a trusted proxy anybody could send `X-Forwarded-For: <random>` and get a
fresh rate-limit bucket (or `X-Forwarded-Proto: https` and an HSTS header)."""
from __future__ import annotations

import ipaddress
import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


def _networks() -> list:
    out = []
    for part in str(tk.config.get("ckanext.opendata_vn.trusted_proxies") or "").split():
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            log.warning("ignoring malformed network %r in ckanext.opendata_vn.trusted_proxies", part)
    return out


def _request():
    try:
        request = tk.request
        request.environ  # noqa: B018 - raises outside a request
        return request
    except (RuntimeError, AttributeError, TypeError):
        return None


def from_trusted_proxy(environ) -> bool:
    peer = environ.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in net for net in _networks())


def client_address() -> str | None:
    """The visitor's address, or None outside a web request (CLI, background jobs)."""
    request = _request()
    if request is None:
        return None
    peer = request.environ.get("REMOTE_ADDR") or request.remote_addr
    header = (tk.config.get("ckanext.opendata_vn.client_address_header") or "").strip()
    if header and from_trusted_proxy(request.environ):
        value = request.headers.get(header, "")
        if value:
            # the last address is the one our proxy appended; earlier ones are the client's word
            return value.split(",")[-1].strip()
    return peer


def is_https(environ=None) -> bool:
    """Served over https: directly, or by a trusted proxy that says X-Forwarded-Proto: https."""
    if environ is None:
        request = _request()
        if request is None:
            return False
        environ = request.environ
    if environ.get("wsgi.url_scheme") == "https":
        return True
    proto = (environ.get("HTTP_X_FORWARDED_PROTO") or "").split(",")[-1].strip().lower()
    return proto == "https" and from_trusted_proxy(environ)
