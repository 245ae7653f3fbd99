"""The dataset page's preview of a DataStore table: the first rows as an HTML table
(readable without JavaScript) and, when the table has numbers, the data for a chart."""
from __future__ import annotations

import datetime
import decimal

import ckan.plugins.toolkit as tk

from ckanext.opendata_vn.core import web
from ckanext.opendata_vn.core.vocab import fold

NUMERIC_TYPES = ("int", "int2", "int4", "int8", "integer", "bigint", "float", "float4", "float8",
                 "numeric", "double precision", "real")
DATE_TYPES = ("date", "timestamp", "timestamptz")
NOT_QUANTITIES = {"stt", "tt", "so tt", "so thu tu", "ma", "id", "ma so", "so hieu"}


def preview_resource(pkg: dict) -> dict | None:
    """The resource to preview: the first one with its data in the DataStore."""
    for res in pkg.get("resources") or []:
        if _truthy(res.get("datastore_active")):
            return res
    return None


def datastore_resources(pkg: dict) -> list[dict]:
    return [r for r in pkg.get("resources") or [] if _truthy(r.get("datastore_active"))]


def _truthy(value) -> bool:
    return value is True or str(value).lower() == "true"


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def datastore_preview(resource_id: str, rows: int = 10, chart_rows: int = 25) -> dict | None:
    """{fields, records, total, chart} of a DataStore table, or None if unavailable."""
    try:
        result = tk.get_action("datastore_search")(web.context(), {
            "resource_id": resource_id, "limit": max(rows, chart_rows), "sort": "_id",
            "include_total": True})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError, KeyError):
        return None
    fields = []
    for f in result.get("fields", []):
        if f["id"].startswith("_"):
            continue
        info = f.get("info") or {}
        fields.append({"id": f["id"], "type": f.get("type", "text"),
                       "label": info.get("label") or f["id"],
                       "numeric": f.get("type") in NUMERIC_TYPES})
    records = result.get("records", [])
    table = [[_display(r.get(f["id"])) for f in fields] for r in records[:rows]]
    return {"resource_id": resource_id, "fields": fields, "rows": table,
            "total": result.get("total", len(records)), "shown": len(table),
            "chart": chart_data(fields, records[:chart_rows])}


def chart_data(fields: list[dict], records: list[dict]) -> dict | None:
    """Labels from the first text or date column, one series per numeric column.

    None when there is nothing to draw: no numeric column, or fewer than two rows.
    """
    # row numbers and codes ("STT", "Mã") are numbers but not quantities
    numeric = [f for f in fields if f["numeric"] and fold(f["label"]) not in NOT_QUANTITIES]
    label_field = next((f for f in fields if not f["numeric"]), None)
    if label_field is None and len(numeric) >= 2:  # e.g. "Năm" followed by the figures
        label_field, numeric = numeric[0], numeric[1:]
    if not numeric or len(records) < 2:
        return None
    time_axis = bool(label_field and label_field["type"] in DATE_TYPES)
    labels = [_display(r.get(label_field["id"])) if label_field else str(i + 1)
              for i, r in enumerate(records)]
    series = []
    for f in numeric[:8]:
        values = [_number(r.get(f["id"])) for r in records]
        if any(v is not None for v in values):
            series.append({"id": f["id"], "label": f["label"], "values": values})
    if not series:
        return None
    return {"type": "line" if time_axis else "bar", "labels": labels,
            "label_title": label_field["label"] if label_field else "#", "series": series}
