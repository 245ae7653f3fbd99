"""Outbound HTTP for everything that fetches a URL an officer typed (harvesters, link
checks): only http/https, only public addresses, checked on every hop.

Each request resolves the host, refuses loopback, private, link-local (169.254.169.254),
multicast, unspecified and reserved addresses (IPv4, IPv6, IPv4-mapped/6to4/NAT64
IPv6), and then connects to the address it checked — the connection is pinned, so a
second DNS answer (rebinding) cannot send it elsewhere; the Host header and TLS name
(SNI, certificate check) stay the URL's host. Redirects are followed here, one hop at a
time, each checked the same way; secret headers are never sent after a redirect.

An agency on the provincial network (LGSP, a 10.x address) is reached only through
`ckanext.opendata_vn.fetch_allowed_networks`: entries `<network or host>=<agency>`
(e.g. `10.20.0.0/16=so-tai-chinh`), `*` for every agency (test configuration only).
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

import ckan.plugins.toolkit as tk

ALLOWED_NETWORKS = "ckanext.opendata_vn.fetch_allowed_networks"
MAX_REDIRECTS = 5
ANY_AGENCY = "*"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(requests.ConnectionError):
    """A URL the portal will not fetch; `reason_vi`/`reason_en` say why. A connection
    error to requests' callers (ckanext-dcat, ckanext-harvest report it as one)."""

    def __init__(self, url: str, host: str, reason_vi: str, reason_en: str):
        self.url, self.host = url, host
        self.reason_vi, self.reason_en = reason_vi, reason_en
        super().__init__(f"Không tải từ {host}: {reason_vi} / refused to fetch from {host}: {reason_en}")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str       # as in the URL, lower case, no brackets
    port: int
    ip: str         # the checked address the connection goes to


# ------------------------------------------------------------------ allow-list
def allow_list() -> list[tuple[object, str]]:
    """[(ip_network or host name, agency)] from the configuration."""
    value = tk.config.get(ALLOWED_NETWORKS) or ""
    entries = value.split() if isinstance(value, str) else list(value)
    out = []
    for entry in entries:
        where, _, agency = entry.partition("=")
        if not where or not agency:
            continue
        try:
            out.append((ipaddress.ip_network(where.strip("[]"), strict=False), agency))
        except ValueError:
            out.append((where.lower().rstrip("."), agency))
    return out


def _agency_matches(entry_agency: str, agency: str | None) -> bool:
    return entry_agency == ANY_AGENCY or (agency is not None and entry_agency == agency)


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip) -> bool:
    inner = _embedded_ipv4(ip)
    if inner is not None and not is_public(inner):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                 or ip.is_link_local or ip.is_unspecified or ip.is_private)


def _allowed(ip, host: str, agency: str | None) -> bool:
    inner = _embedded_ipv4(ip)
    for where, entry_agency in allow_list():
        if not _agency_matches(entry_agency, agency):
            continue
        if isinstance(where, str):
            if where == host:
                return True
        elif ip in where or (inner is not None and inner in where):
            return True
    return False


def _kind(ip) -> tuple[str, str]:
    ip = _embedded_ipv4(ip) or ip
    if ip.is_loopback:
        return "địa chỉ nội bộ của chính máy chủ (loopback)", "a loopback address of the server itself"
    if ip.is_link_local:
        return "địa chỉ link-local (gồm dịch vụ metadata 169.254.169.254)", \
            "a link-local address (incl. the 169.254.169.254 metadata service)"
    if ip.is_multicast:
        return "địa chỉ multicast", "a multicast address"
    if ip.is_unspecified:
        return "địa chỉ không xác định (0.0.0.0, ::)", "an unspecified address (0.0.0.0, ::)"
    if ip.is_private:
        return "mạng nội bộ chưa được cho phép cho đơn vị này", "a private network not allowed for this agency"
    return "dải địa chỉ dành riêng", "a reserved address range"


# ------------------------------------------------------------------ checks
def check(url: str, agency: str | None) -> Target:
    """The pinned target of `url`, or Refused. `agency` is the organization name of
    the source (allow-list entries name it)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(url, url, "đường dẫn không hợp lệ", "the URL is not valid")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(url, parts.hostname or url, "chỉ tải qua http:// hoặc https://",
                      "only http:// and https:// are fetched")
    host = parts.hostname.lower().rstrip(".")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise requests.ConnectionError(f"Name or service not known ({host}): {e}")
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not is_public(ip) and not _allowed(ip, host, agency):
            # any blocked answer refuses the host: no picking the good one of a mixed set
            vi, en = _kind(ip)
            raise Refused(url, host, vi, en)
        addresses.append(str(ip))
    if not addresses:
        raise requests.ConnectionError(f"Name or service not known ({host})")
    return Target(parts.scheme, host, port, addresses[0])


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port) == (pb.scheme, pb.hostname, pb.port)


# ------------------------------------------------------------------ pinned session
class _PinnedAdapter(HTTPAdapter):
    """Connects to the checked address while the request keeps the URL's host."""

    def __init__(self, target: Target):
        self.target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params = dict(host_params, host=self.target.ip, port=self.target.port)
        if self.target.scheme == "https":
            pool_kwargs = dict(pool_kwargs, server_hostname=self.target.host, assert_hostname=self.target.host)
        return host_params, pool_kwargs

    def send(self, request, **kwargs):
        netloc = urlsplit(request.url).netloc.rpartition("@")[2]
        request.headers["Host"] = netloc
        return super().send(request, **kwargs)


class SafeSession(requests.Session):
    """A requests.Session that checks and pins every request and every redirect hop.

    `agency`: the source's organization name, for the allow-list. `secret_headers`:
    header names dropped after a redirect (sent to the URL asked for only)."""

    def __init__(self, agency: str | None = None, secret_headers: tuple[str, ...] = ()):
        super().__init__()
        self.agency = agency
        self.secret_headers = {h.lower() for h in secret_headers}
        self.trust_env = False     # a proxy from the environment would bypass pinning
        self.max_redirects = MAX_REDIRECTS

    def _pin(self, url: str) -> None:
        target = check(url, self.agency)
        prefix = f"{target.scheme}://{urlsplit(url).netloc.lower()}/"
        current = self.adapters.get(prefix)
        if not isinstance(current, _PinnedAdapter) or current.target != target:
            if current is not None:
                current.close()
            self.mount(prefix, _PinnedAdapter(target))

    def get_adapter(self, url):
        for prefix, adapter in self.adapters.items():
            if isinstance(adapter, _PinnedAdapter) and url.lower().startswith(prefix):
                return adapter
        raise Refused(url, urlsplit(url).hostname or url, "địa chỉ chưa được kiểm tra",
                      "the address was not checked")

    def request(self, method, url, *args, allow_redirects=True, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        history = []
        for _hop in range(MAX_REDIRECTS + 1):
            self._pin(url)
            response = super().request(method, url, *args, headers=headers,
                                       allow_redirects=False, **kwargs)
            location = response.headers.get("Location")
            if not (allow_redirects and response.is_redirect and location):
                response.history = history
                return response
            history.append(response)
            response.close()
            url = urljoin(response.url, location)
            headers = {k: v for k, v in headers.items() if k.lower() not in self.secret_headers}
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method = "GET"
                kwargs.pop("data", None)
                kwargs.pop("json", None)
        raise requests.TooManyRedirects(f"Exceeded {MAX_REDIRECTS} redirects.")


def agency_of_source(source) -> str | None:
    """The organization name of a harvest source (its package's owner_org)."""
    from ckan import model
    pkg = model.Package.get(getattr(source, "id", None) or source)
    org = model.Group.get(pkg.owner_org) if pkg is not None and pkg.owner_org else None
    return org.name if org is not None else None
