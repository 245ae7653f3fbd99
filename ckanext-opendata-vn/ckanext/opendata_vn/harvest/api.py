"""vn_api: records from an agency's JSON API over HTTP(S).

The source config says where the records are in the response ("records_path",
e.g. "data.items"), how the API pages ("page" number, "offset", or a "next" link in
the body or the Link header) and, optionally, which header carries a secret. The
secret's value is read from ckan.ini (`ckanext.opendata_vn.harvest.secret.<name>`) or
the environment, never from the source's config, which is public metadata; it belongs
to one agency and names the hosts it may be sent to (settings.secret_for). Every page
is fetched through safe_http; a "next" link to another server is refused, and the
secret is never sent after a redirect.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ckanext.opendata_vn.core import fetch, safe_http
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular.records import dig, records_of
from ckanext.opendata_vn.core.tabular.records import load_json
from ckanext.opendata_vn.core.tabular.table import table_from_records
from ckanext.opendata_vn.harvest import settings
from ckanext.opendata_vn.harvest.base import RunLog, VnHarvesterBase, vn_number
from ckanext.opendata_vn.harvest.sources import API


def with_params(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _next_link(response_headers: dict, body, next_path: str | None, base_url: str) -> str | None:
    if next_path:
        link = dig(body, next_path)
        return urljoin(base_url, link) if isinstance(link, str) and link.strip() else None
    header = response_headers.get("Link") or response_headers.get("link") or ""
    for part in header.split(","):
        if 'rel="next"' in part or "rel=next" in part:
            target = part.split(";")[0].strip().strip("<>")
            return urljoin(base_url, target)
    return None


def fetch_records(url: str, config: dict, state: dict, run: RunLog | None = None,
                  agency: str | None = None) -> dict | None:
    """Download every page; returns the fetch result (temporary files, hashes, records
    file) or None when the server answers 304 to an unpaginated request. `agency` is
    the source's organization name (its secrets and allowed networks)."""
    headers, secret_headers = _request_headers(config, url, agency)
    cursor = _Cursor(url, config.get("pagination") or {"type": "none"})
    got = _Received()
    kept: set = set()
    session = safe_http.SafeSession(agency, secret_headers=secret_headers)
    try:
        if not _read_pages(session, cursor, got, headers, state, config.get("records_path")):
            return None   # 304 Not Modified
        if not got.records:
            raise HarvestFailure("no_records")
        original = _combine_pages(got.page_paths)
        if run:
            run.add(f"Đã đọc {got.pages} trang, {vn_number(len(got.records))} bản ghi ({vn_number(got.total)} byte).",
                    f"Read {got.pages} page(s), {len(got.records)} records ({got.total} bytes).")
        records_path = fetch.new_temp_path(".records.json")
        with open(records_path, "w", encoding="utf-8") as f:
            json.dump(got.records, f, ensure_ascii=False)
        result_info = {"path": original, "size": os.path.getsize(original), "raw_sha256": got.digest.hexdigest(),
                       "etag": got.etag, "last_modified": got.last_modified, "content_type": "application/json",
                       "format": "json", "records_path": records_path, "pages": got.pages,
                       "extra_paths": [records_path]}
        kept = {original}
        return result_info
    finally:
        session.close()
        for path in got.page_paths:   # every page but the one kept as the original
            if path not in kept:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass


def _request_headers(config: dict, url: str, agency: str | None) -> tuple[dict, tuple[str, ...]]:
    """The headers of every page request, and which of them holds the source's secret."""
    headers = {"Accept": "application/json"}
    if not config.get("auth_secret"):
        return headers, ()
    value = settings.secret_for(config["auth_secret"], agency, url)
    if not value:   # same answer for an unknown name and another agency's secret
        raise HarvestFailure("secret_missing", name=config["auth_secret"])
    name = config.get("auth_header") or "Authorization"
    headers[name] = value
    return headers, (name,)


class _Cursor:
    """Where the next page is: a page number, an offset, a "next" link, or nowhere."""

    def __init__(self, url: str, pagination: dict):
        self.url = url
        self.pagination = pagination
        self.kind = pagination.get("type", "none")
        self.page_number = int(pagination.get("start", 1))
        self.offset = 0
        self.size = pagination.get("size")
        self.next_url: str | None = url   # None: no page left

    def page_url(self) -> str:
        p = self.pagination
        if self.kind == "page":
            params = {p["param"]: self.page_number}
            if p.get("size_param") and self.size:
                params[p["size_param"]] = self.size
            return with_params(self.url, params)
        if self.kind == "offset":
            return with_params(self.url, {p["param"]: self.offset, p["size_param"]: self.size})
        return self.next_url

    def advance(self, page_url: str, body, response_headers: dict, batch: list) -> None:
        if self.kind == "none":
            self.next_url = None
        elif self.kind == "next":
            self.next_url = _next_link(response_headers, body, self.pagination.get("next_path"), page_url)
        elif not batch or (self.size and len(batch) < self.size):
            self.next_url = None   # a short page is the last
        elif self.kind == "page":
            self.page_number += 1
        else:
            self.offset += len(batch)


class _Received:
    """What the pages brought so far: their files (hashed together), records, size."""

    def __init__(self):
        self.digest = hashlib.sha256()
        self.records: list = []
        self.page_paths: list[str] = []
        self.total = 0
        self.pages = 0
        self.etag = self.last_modified = None
        self.last_page_sha = None

    def add_file(self, result) -> None:
        self.last_page_sha = result.sha256
        self.page_paths.append(result.path)
        self.total += result.size
        with open(result.path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                self.digest.update(chunk)
        if self.pages == 0:
            self.etag, self.last_modified = result.etag, result.last_modified


def _read_pages(session, cursor: _Cursor, got: _Received, headers: dict, state: dict,
                records_path: str | None) -> bool:
    """Fetch pages until the cursor says none is left; False when the server answered
    304 (only an unpaginated request is conditional)."""
    max_pages = settings.get("max_pages")
    budget = settings.max_bytes()
    deadline = time.monotonic() + settings.get("deadline")
    seen_urls: set[str] = set()
    while cursor.next_url:
        if got.pages >= max_pages:
            raise HarvestFailure("too_many_pages", pages=max_pages)
        page_url = cursor.page_url()
        if page_url in seen_urls:
            break   # a "next" link pointing back: stop rather than loop
        if not safe_http.same_origin(page_url, cursor.url):
            raise HarvestFailure("next_other_host", host=fetch.host_of(page_url))
        seen_urls.add(page_url)
        conditional = state if cursor.kind == "none" else {}
        result = _download_page(session, page_url, headers, conditional, deadline, budget, got.total)
        if result is None:
            return False
        if result.sha256 == got.last_page_sha:
            # an API that ignores the page parameter sends the same page again
            result.discard()
            break
        got.add_file(result)
        body = load_json(result.path)
        batch = records_of(body, records_path)
        got.records.extend(batch)
        got.pages += 1
        cursor.advance(page_url, body, result.headers, batch)
    return True


def _download_page(session, page_url: str, headers: dict, conditional: dict, deadline: float,
                   budget: int, received: int):
    """One page within what is left of the size budget; None for 304."""
    try:
        return fetch.download(page_url, headers=headers, deadline=deadline,
                              etag=conditional.get("etag"), last_modified=conditional.get("last_modified"),
                              max_bytes=budget - received, session=session)
    except fetch.NotModified:
        return None
    except HarvestFailure as f:
        if f.code == "too_large":
            f.params["limit_mb"] = budget // (1024 * 1024)
        raise


def _combine_pages(paths: list[str]) -> str:
    """One page: the body as received. Several: a JSON array of the page bodies."""
    if len(paths) == 1:
        return paths[0]
    combined = fetch.new_temp_path(".json")
    with open(combined, "wb") as out:
        out.write(b"[\n")
        for i, path in enumerate(paths):
            if i:
                out.write(b",\n")
            with open(path, "rb") as f:
                data = f.read()
            out.write(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        out.write(b"\n]\n")
    return combined


class VnApiHarvester(VnHarvesterBase):
    SOURCE_TYPE = API

    def info(self):
        return {
            "name": API,
            "title": "API JSON của đơn vị",
            "description": "Đọc bản ghi từ API JSON qua HTTP(S) (có phân trang, tiêu đề xác thực) theo tần suất "
                           "cung cấp của danh mục; công bố JSON gốc, CSV, JSON và DataStore. "
                           "Reads records from an agency's JSON API on the catalog entry's frequency.",
            "form_config_interface": "Text",
        }

    def download(self, source, config, state, run):
        return fetch_records(source.url, config, state, run, agency=safe_http.agency_of_source(source))

    def parse(self, source, config, fetched, run):
        from ckan import model
        with open(fetched["records_path"], encoding="utf-8") as f:
            records = json.load(f)
        table = table_from_records(records)
        dataset = model.Package.get(config["dataset_id"])
        name = f"{dataset.name if dataset else 'du-lieu'}-goc.json"
        return table, {"name": name, "format": "JSON"}
