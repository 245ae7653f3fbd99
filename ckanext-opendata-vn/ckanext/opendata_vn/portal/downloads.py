"""XML download of a DataStore table, streamed page by page (CSV and JSON come from
CKAN's own datastore.dump: /datastore/dump/<id>?format=csv|json).

    <?xml version="1.0" encoding="UTF-8"?>
    <data dataset="ten-tap-du-lieu" resource="<id>" title="…">
      <fields><field id="ten_truong" type="text" label="Tên trường"/>…</fields>
      <records>
        <record id="1"><value field="ten_truong">Trường THPT …</value>…</record>
      </records>
    </data>

Column names are attribute values, not element names, so any column name (spaces,
Vietnamese letters, digits first) gives well-formed XML; empty cells are left out.
"""
from __future__ import annotations

import datetime
import re
from xml.sax.saxutils import escape, quoteattr

from flask import Response, stream_with_context

import ckan.plugins.toolkit as tk

PAGE = 5000
# characters XML 1.0 does not allow (control characters found in spreadsheet cells)
_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(value) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, (dict, list)):
        import json
        value = json.dumps(value, ensure_ascii=False)
    return _INVALID.sub("", str(value))


def _attr(value) -> str:
    return quoteattr(_clean(value))


def xml_stream(context: dict, pkg: dict, resource: dict, first: dict):
    fields = [f for f in first["fields"] if not f["id"].startswith("_")]
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (f'<data dataset={_attr(pkg["name"])} resource={_attr(resource["id"])} '
           f'title={_attr(resource.get("name") or pkg.get("title") or "")}>\n  <fields>\n')
    for f in fields:
        label = (f.get("info") or {}).get("label") or f["id"]
        yield f'    <field id={_attr(f["id"])} type={_attr(f.get("type", "text"))} label={_attr(label)}/>\n'
    yield "  </fields>\n  <records>\n"
    result, offset = first, 0
    while True:
        records = result["records"]
        chunk = []
        for rec in records:
            values = "".join(
                f"<value field={_attr(f['id'])}>{escape(_clean(rec[f['id']]))}</value>"
                for f in fields if rec.get(f["id"]) not in (None, ""))
            chunk.append(f'    <record id="{rec.get("_id", "")}">{values}</record>\n')
        yield "".join(chunk)
        if len(records) < PAGE:
            break
        offset += PAGE
        result = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource["id"], "limit": PAGE, "offset": offset, "sort": "_id",
            "include_total": False})
    yield "  </records>\n</data>\n"


def download_xml(id: str, resource_id: str):
    # not core.web.context(): the body is streamed after CKAN has removed the request's
    # database session, so the context names the user rather than holding its ORM object
    context = {"user": tk.g.get("user") or ""}
    try:
        pkg = tk.get_action("package_show")(dict(context), {"id": id})
        resource = next(r for r in pkg.get("resources", []) if r["id"] == resource_id)
        first = tk.get_action("datastore_search")(dict(context), {
            "resource_id": resource_id, "limit": PAGE, "offset": 0, "sort": "_id", "include_total": False})
    except (tk.ObjectNotFound, tk.NotAuthorized, StopIteration, tk.ValidationError):
        return tk.abort(404, tk._("Không tìm thấy dữ liệu của tài nguyên này."))
    headers = {"Content-Disposition": f'attachment; filename="{resource_id}.xml"'}
    return Response(stream_with_context(xml_stream(context, pkg, resource, first)),
                    mimetype="application/xml", headers=headers)
