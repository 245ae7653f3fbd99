"""JSON records: a JSON body read from a file, and the list of records inside it.

Shared by the API harvester (vn_api, one body per page) and the upload loader
(files.py, an uploaded or linked .json file); table.table_from_records types them.
"""
from __future__ import annotations

import json

from ckanext.opendata_vn.core import fetch
from ckanext.opendata_vn.core.failures import HarvestFailure


def dig(body, path: str | None):
    """body["a"]["b"] for "a.b"; list indexes allowed ("data.0.items")."""
    if not path:
        return body
    node = body
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def records_of(body, path: str | None) -> list:
    node = dig(body, path)
    if node is None and not path and isinstance(body, dict):
        # no path given: the single list in the body ({"data": [...]})
        lists = [v for v in body.values() if isinstance(v, list)]
        node = lists[0] if len(lists) == 1 else None
    if not isinstance(node, list):
        raise HarvestFailure("records_path", path=path or "(gốc / root)")
    return node


def load_json(path: str):
    """The JSON body in a file (UTF-8, BOM allowed); an HTML page or invalid JSON is a
    HarvestFailure that says where."""
    with open(path, "rb") as f:
        data = f.read()
    if fetch.looks_like_html(data[:2048]):
        raise HarvestFailure("html")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HarvestFailure("invalid_json", detail="không phải UTF-8 / not UTF-8")
    try:
        return json.loads(text)
    except ValueError as e:
        line = getattr(e, "lineno", "?")
        col = getattr(e, "colno", "?")
        raise HarvestFailure("invalid_json", detail=f"dòng {line}, cột {col} / line {line}, column {col}")
