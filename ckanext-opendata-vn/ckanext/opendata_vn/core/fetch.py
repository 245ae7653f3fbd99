"""HTTP(S) downloads for the harvesters: size cap, timeouts, conditional requests, hashing.

The body is streamed to a temporary file next to the resource storage (so publishing
is a rename), hashed on the way, and abandoned as soon as it passes the size cap or
the deadline. Every failure becomes a HarvestFailure with its cause.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import safe_http
from ckanext.opendata_vn.core.failures import HarvestFailure

CHUNK = 256 * 1024

# The download settings (ckan.ini), read here so the core needs no feature; they keep
# their harvest names and are declared with the other harvest settings
# (harvest/settings.py declare()). key (after PREFIX) → (default, type, description)
PREFIX = "ckanext.opendata_vn.harvest."
OPTIONS: dict[str, tuple[object, str, str]] = {
    "max_size_mb": (None, "int", "Largest download accepted from a source, in MB "
                    "(default: ckan.max_resource_size)."),
    "connect_timeout": (10, "int", "Seconds to wait for a source's server to accept the connection."),
    "read_timeout": (60, "int", "Seconds to wait for the next bytes from a source's server."),
    "deadline": (600, "int", "Seconds a whole download (every page of an API) may take."),
    "user_agent": ("CKAN opendata-vn harvester", "str", "User-Agent sent to the sources."),
}


def setting(name: str, options: dict = OPTIONS):
    """The configured value of `PREFIX + name`, else its default (`options`: the table
    of declared settings that names it)."""
    default, kind, _doc = options[name]
    value = tk.config.get(PREFIX + name)
    if value in (None, ""):
        value = default
    if name == "max_size_mb" and value is None:
        value = tk.config.get("ckan.max_resource_size") or 100
    if kind == "int" and value is not None:
        value = int(value)
    return value


def size_limit() -> int:
    """The largest download accepted, in bytes."""
    return int(setting("max_size_mb")) * 1024 * 1024


@dataclass
class Download:
    path: str                  # temporary file with the body
    size: int
    sha256: str
    status: int
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    url: str = ""              # final URL after redirects
    headers: dict = field(default_factory=dict)
    seconds: float = 0.0

    def head(self, n: int = 2048) -> bytes:
        with open(self.path, "rb") as f:
            return f.read(n)

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class NotModified(Exception):
    """The server answered 304 to our conditional request."""


def temp_dir() -> str:
    """Temporary files live under the storage path: same file system as the resources."""
    import ckan.plugins.toolkit as tk
    base = tk.config.get("ckan.storage_path") or tempfile.gettempdir()
    path = os.path.join(base, "harvest_tmp")
    os.makedirs(path, exist_ok=True)
    return path


def new_temp_path(suffix: str = "") -> str:
    fd, path = tempfile.mkstemp(prefix="vn-", suffix=suffix, dir=temp_dir())
    os.close(fd)
    return path


def host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Temporary failure in name resolution", "Connection reset",
                   "certificate verify failed", "Remote end closed connection"):
        if marker in text:
            return marker
    return type(exc).__name__


def refused(e: safe_http.Refused) -> HarvestFailure:
    return HarvestFailure("refused_address", host=e.host, reason=e.reason_vi, reason_en=e.reason_en)


def download(url: str, *, headers: dict | None = None, etag: str | None = None,
             last_modified: str | None = None, deadline: float | None = None,
             max_bytes: int | None = None, session: safe_http.SafeSession | None = None,
             agency: str | None = None) -> Download:
    """GET `url` into a temporary file. Raises NotModified or HarvestFailure.

    `deadline` is an absolute time.monotonic() value shared by all the pages of a run.
    Every hop goes through safe_http (public addresses or the agency's allowed networks,
    pinned): give the source's `agency`, or a SafeSession made for it.
    """
    max_bytes = max_bytes or size_limit()
    connect_timeout = setting("connect_timeout")
    read_timeout = setting("read_timeout")
    if deadline is None:
        deadline = time.monotonic() + setting("deadline")
    http = session or safe_http.SafeSession(agency)
    started = time.monotonic()
    remaining = deadline - started
    if remaining <= 0:
        raise _past_deadline()
    try:
        response = http.get(url, headers=_request_headers(headers, etag, last_modified), stream=True,
                            allow_redirects=True,
                            timeout=(min(connect_timeout, remaining), min(read_timeout, remaining)))
    except safe_http.Refused as e:
        raise refused(e)
    except requests.Timeout:
        raise HarvestFailure("timeout", seconds=int(min(read_timeout, remaining)))
    except requests.RequestException as e:   # connection errors, invalid URLs and schemes
        raise HarvestFailure("unreachable", host=host_of(url), detail=_reason(e))

    expired = threading.Event()
    watchdog = _watchdog(response, deadline, expired)
    try:
        return _read_body(response, url, max_bytes, read_timeout, expired, started)
    finally:
        watchdog.cancel()
        if session is None:
            http.close()


def _request_headers(headers: dict | None, etag: str | None, last_modified: str | None) -> dict:
    out = {"User-Agent": setting("user_agent"), "Accept-Encoding": "gzip, deflate"}
    out.update(headers or {})
    if etag:
        out["If-None-Match"] = etag
    if last_modified:
        out["If-Modified-Since"] = last_modified
    return out


def _watchdog(response, deadline: float, expired: threading.Event) -> threading.Timer:
    """A server that trickles bytes never trips the read timeout: the watchdog closes the
    connection at the deadline, whatever the socket is doing, and sets `expired`."""
    def _expire():
        expired.set()
        try:
            response.close()
        except Exception:  # closing a half-read connection from another thread
            pass

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _expire)
    watchdog.daemon = True
    watchdog.start()
    return watchdog


def _read_body(response, url, max_bytes, read_timeout, expired, started) -> Download:
    with response:
        _check_answer(response, max_bytes)
        path = new_temp_path(".part")
        try:
            size, digest = _save_body(response, path, url, max_bytes, read_timeout, expired)
        except BaseException:
            os.unlink(path)
            raise
        return Download(
            path=path, size=size, sha256=digest.hexdigest(), status=response.status_code,
            content_type=(response.headers.get("Content-Type") or "").split(";")[0].strip().lower(),
            etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"),
            url=response.url, headers=dict(response.headers), seconds=time.monotonic() - started)


def _check_answer(response, max_bytes: int) -> None:
    """Before reading the body: not modified, an HTTP error, or declared too large."""
    if response.status_code == 304:
        raise NotModified()
    if response.status_code >= 400:
        raise HarvestFailure("http_error", status=f"{response.status_code} {response.reason or ''}".strip())
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes \
            and "gzip" not in response.headers.get("Content-Encoding", ""):
        raise HarvestFailure("too_large", limit_mb=_limit_mb(max_bytes))


def _save_body(response, path: str, url: str, max_bytes: int, read_timeout, expired):
    """(size, sha256) of the body streamed into `path`; a broken transfer becomes its cause."""
    with open(path, "wb") as out:
        try:
            size, digest = _copy_chunks(response, out, max_bytes, expired)
        except HarvestFailure:
            raise
        except requests.Timeout:
            raise HarvestFailure("timeout", seconds=read_timeout)
        except Exception as e:
            failure = _transfer_failure(e, url, expired)
            if failure is None:
                raise
            raise failure
    if expired.is_set():
        raise _past_deadline()
    return size, digest


def _copy_chunks(response, out, max_bytes: int, expired):
    digest = hashlib.sha256()
    size = 0
    for chunk in response.iter_content(CHUNK):
        if expired.is_set():
            raise _past_deadline()
        if not chunk:
            continue
        size += len(chunk)
        if size > max_bytes:
            raise HarvestFailure("too_large", limit_mb=_limit_mb(max_bytes))
        digest.update(chunk)
        out.write(chunk)
    return size, digest


def _transfer_failure(e: Exception, url: str, expired) -> HarvestFailure | None:
    """The watchdog closed the connection at the deadline, or the server went away;
    None when the error is none of these (a bug: raised as it is)."""
    if expired.is_set():
        return _past_deadline()
    if isinstance(e, (requests.RequestException, OSError, ValueError)) or \
            type(e).__module__.startswith(("urllib3", "http.client")):
        return HarvestFailure("unreachable", host=host_of(url), detail=_reason(e))
    return None


def _past_deadline() -> HarvestFailure:
    return HarvestFailure("timeout", seconds=setting("deadline"))


def _limit_mb(max_bytes: int) -> int:
    return max(1, max_bytes // (1024 * 1024))


def looks_like_html(head: bytes, content_type: str = "") -> bool:
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()[:200]
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or \
        (start.startswith(b"<") and b"<html" in head.lower()[:2048])
