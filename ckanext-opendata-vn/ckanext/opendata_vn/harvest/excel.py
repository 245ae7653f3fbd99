"""vn_excel: an agency's .xlsx, .xls or .csv file at an HTTP(S) address.

Downloads the file (core/fetch.py) and reads it the way every path does
(core/tabular/workbook.py: format from the bytes, the sheet, the table on it).
"""
from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

from ckanext.opendata_vn.core import fetch
from ckanext.opendata_vn.core import safe_http
from ckanext.opendata_vn.core.failures import HarvestFailure
from ckanext.opendata_vn.core.tabular.workbook import detect_format, read_table
from ckanext.opendata_vn.harvest.base import VnHarvesterBase
from ckanext.opendata_vn.harvest.sources import EXCEL


def original_name(url: str, dataset_name: str, fmt: str) -> str:
    try:
        base = os.path.basename(unquote(urlsplit(url).path)) or ""
    except ValueError:
        base = ""
    stem, ext = os.path.splitext(base)
    if not stem or ext.lower().lstrip(".") != fmt:
        stem = stem or f"{dataset_name}-goc"
    return f"{stem}.{fmt}"


class VnExcelHarvester(VnHarvesterBase):
    SOURCE_TYPE = EXCEL

    def info(self):
        return {
            "name": EXCEL,
            "title": "Bảng tính Excel/CSV của đơn vị (.xlsx, .xls, .csv)",
            "description": "Tải tệp Excel hoặc CSV từ một đường dẫn HTTP(S) theo tần suất cung cấp của "
                           "danh mục; công bố tệp gốc, CSV, JSON và DataStore. "
                           "Downloads an agency's Excel or CSV file on the catalog entry's frequency.",
            "form_config_interface": "Text",
        }

    def download(self, source, config, state, run):
        try:
            result = fetch.download(source.url, etag=state.get("etag"), last_modified=state.get("last_modified"),
                                    agency=safe_http.agency_of_source(source))
        except fetch.NotModified:
            return None
        try:
            fmt = detect_format(result.path, result.content_type, source.url, config.get("format"))
        except HarvestFailure:
            result.discard()
            raise
        # calamine picks its reader by the file's extension
        path = os.path.splitext(result.path)[0] + "." + fmt
        os.replace(result.path, path)
        return {"path": path, "size": result.size, "raw_sha256": result.sha256, "etag": result.etag,
                "last_modified": result.last_modified, "content_type": result.content_type,
                "format": fmt, "url": result.url}

    def parse(self, source, config, fetched, run):
        from ckan import model
        fmt = fetched.get("format") or "xlsx"
        table = read_table(fetched["path"], fmt, config, run)
        dataset = model.Package.get(config["dataset_id"])
        name = original_name(source.url, dataset.name if dataset else "du-lieu", fmt)
        return table, {"name": name, "format": fmt.upper()}
