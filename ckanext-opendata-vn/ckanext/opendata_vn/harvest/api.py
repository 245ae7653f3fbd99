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

from ckanext.opendata_vn.harvest import settings

from ckanext.opendata_vn.core import fetch

from ckanext.opendata_vn.core import safe_http
from ckanext.opendata_vn.harvest.base import RunLog, VnHarvesterBase, vn_number
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.harvest.sources import API
from ckanext.opendata_vn.core.tabular.records import dig, records_of
from ckanext.opendata_vn.core.tabular.records import load_json as _load_json
from ckanext.opendata_vn.core.tabular.table import table_from_records


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
    headers = {"Accept": "application/json"}
    secret_headers: tuple[str, ...] = ()
    if config.get("auth_secret"):
        value = settings.secret_for(config["auth_secret"], agency, url)
        if not value:   # same answer for an unknown name and another agency's secret
            raise HarvestFailure("secret_missing", name=config["auth_secret"])
        secret_headers = (config.get("auth_header") or "Authorization",)
        headers[secret_headers[0]] = value
    pagination = config.get("pagination") or {"type": "none"}
    kind = pagination.get("type", "none")
    max_pages = settings.get("max_pages")
    budget = settings.max_bytes()
    deadline = time.monotonic() + settings.get("deadline")
    digest = hashlib.sha256()
    records: list = []
    page_paths: list[str] = []
    seen_urls: set[str] = set()
    total = 0
    etag = last_modified = None
    page_number = int(pagination.get("start", 1))
    offset = 0
    size = pagination.get("size")
    next_url: str | None = url
    pages = 0
    original = None
    last_page_sha = None
    kept: set = set()
    session = safe_http.SafeSession(agency, secret_headers=secret_headers)
    try:
        while next_url:
            if pages >= max_pages:
                raise HarvestFailure("too_many_pages", pages=max_pages)
            if kind == "page":
                params = {pagination["param"]: page_number}
                if pagination.get("size_param") and size:
                    params[pagination["size_param"]] = size
                page_url = with_params(url, params)
            elif kind == "offset":
                page_url = with_params(url, {pagination["param"]: offset, pagination["size_param"]: size})
            else:
                page_url = next_url
            if page_url in seen_urls:
                break   # a "next" link pointing back: stop rather than loop
            if not safe_http.same_origin(page_url, url):
                raise HarvestFailure("next_other_host", host=fetch.host_of(page_url))
            seen_urls.add(page_url)
            conditional = kind == "none"
            try:
                result = fetch.download(page_url, headers=headers, deadline=deadline,
                                        etag=state.get("etag") if conditional else None,
                                        last_modified=state.get("last_modified") if conditional else None,
                                        max_bytes=budget - total, session=session)
            except fetch.NotModified:
                return None
            except HarvestFailure as f:
                if f.code == "too_large":
                    f.params["limit_mb"] = budget // (1024 * 1024)
                raise
            if result.sha256 == last_page_sha:
                # an API that ignores the page parameter sends the same page again
                result.discard()
                break
            last_page_sha = result.sha256
            page_paths.append(result.path)
            total += result.size
            with open(result.path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
            if pages == 0:
                etag, last_modified = result.etag, result.last_modified
            body = _load_json(result.path)
            batch = records_of(body, config.get("records_path"))
            records.extend(batch)
            pages += 1
            if kind == "none":
                next_url = None
            elif kind == "next":
                next_url = _next_link(result.headers, body, pagination.get("next_path"), page_url)
            elif not batch or (size and len(batch) < size):
                next_url = None
            elif kind == "page":
                page_number += 1
            else:
                offset += len(batch)
        if not records:
            raise HarvestFailure("no_records")
        original = _combine_pages(page_paths)
        if run:
            run.add(f"Đã đọc {pages} trang, {vn_number(len(records))} bản ghi ({vn_number(total)} byte).",
                    f"Read {pages} page(s), {len(records)} records ({total} bytes).")
        records_path = fetch.new_temp_path(".records.json")
        with open(records_path, "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False)
        result_info = {"path": original, "size": os.path.getsize(original), "raw_sha256": digest.hexdigest(),
                "etag": etag, "last_modified": last_modified, "content_type": "application/json",
                "format": "json", "records_path": records_path, "pages": pages,
                "extra_paths": [records_path]}
    except BaseException:
        kept = set()
        raise
    else:
        kept = {original}
    finally:
        session.close()
        for path in page_paths:
            if path not in kept:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
    return result_info


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
